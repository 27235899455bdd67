"""The SPARQL 1.1 Protocol: what a request asks for, and in which format to answer.

Plain functions over plain data (method, content type, parameters, body), so they are tested
without a server. :func:`parse_request` reads the operation the way the protocol defines it:

- ``GET ?query=...``;
- ``POST`` with ``application/x-www-form-urlencoded`` (``query=`` or ``update=``);
- ``POST`` with an ``application/sparql-query`` or ``application/sparql-update`` body.

:func:`negotiate` picks the answer format from an explicit ``format`` (or ``output``)
parameter, else from the ``Accept`` header (with q-values and wildcards).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

__all__ = [
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "HttpError",
    "SparqlRequest",
    "negotiate",
    "parse_accept",
    "parse_request",
    "preferred_html",
]

#: Media type of each SELECT/ASK answer format.
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: Media type of each CONSTRUCT/DESCRIBE answer format.
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "xml": "application/rdf+xml",
}

# Media types accepted in Accept headers, per answer family.
_RESULT_ACCEPT = {
    **{media: fmt for fmt, media in RESULT_TYPES.items()},
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
_GRAPH_ACCEPT = {
    **{media: fmt for fmt, media in GRAPH_TYPES.items()},
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "text/plain": "nt",
    "application/json": "json-ld",
    "application/xml": "xml",
    "text/xml": "xml",
}
# Values of the format/output parameters (SPARQLWrapper sends its return format this way).
_RESULT_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}
_GRAPH_NAMES = {
    "turtle": "turtle", "ttl": "turtle", "n3": "turtle",
    "nt": "nt", "ntriples": "nt", "n-triples": "nt",
    "json-ld": "json-ld", "jsonld": "json-ld", "json": "json-ld",
    "xml": "xml", "rdf": "xml", "rdf+xml": "xml", "rdfxml": "xml",
}
_DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri", "using-graph-uri",
                       "using-named-graph-uri")


class HttpError(Exception):
    """A request the protocol layer rejects, with its HTTP status and a plain message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        #: HTTP status code.
        self.status = status
        #: One-line explanation for the client.
        self.message = message
        #: Extra response headers (e.g. ``WWW-Authenticate``).
        self.headers = dict(headers or {})
        super().__init__(message)


@dataclass(frozen=True)
class SparqlRequest:
    """One protocol operation."""

    #: ``"query"``, ``"update"``, or ``None`` when the request carries neither.
    operation: str | None
    #: The SPARQL text.
    text: str = ""
    #: The ``format``/``output`` parameter, if any.
    format: str | None = None
    #: The protocol's dataset: ``default-graph-uri`` (queries) or ``using-graph-uri``
    #: (updates) values, in order.
    default_graphs: tuple[str, ...] = ()
    #: ``named-graph-uri`` (queries) or ``using-named-graph-uri`` (updates) values.
    named_graphs: tuple[str, ...] = ()


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _charset(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a ``Content-Type``, lower-cased, if any."""
    for option in (content_type or "").split(";")[1:]:
        key, _, value = option.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HttpError(400, f"{what} is not valid UTF-8 (byte {exc.start})") from None


def parse_request(method: str, content_type: str | None,
                  params: Sequence[tuple[str, str]], body: bytes = b"") -> SparqlRequest:
    """Read the SPARQL operation of one HTTP request.

    Parameters
    ----------
    method : str
        ``"GET"`` or ``"POST"``.
    content_type : str or None
        The request's ``Content-Type`` header.
    params : sequence of (name, value)
        The URL's query parameters, decoded.
    body : bytes
        The request body (already size-checked).

    Raises
    ------
    HttpError
        400 for a request the protocol does not allow (two queries, a query and an update,
        an update by GET, update dataset parameters on a query or the reverse), 415 for an
        unknown body type or a character set other than UTF-8 (nothing is run then).

    Examples
    --------
    >>> parse_request("GET", None, [("query", "ASK {}")])
    SparqlRequest(operation='query', text='ASK {}', format=None, default_graphs=(), named_graphs=())
    >>> parse_request("POST", "application/sparql-update", [], b"CLEAR ALL").operation
    'update'
    >>> parse_request("GET", None, [("query", "ASK {}"), ("default-graph-uri", "urn:g")]
    ...               ).default_graphs
    ('urn:g',)
    """
    pairs = list(params)
    if method == "POST":
        media = _media_type(content_type)
        charset = _charset(content_type)
        if charset not in (None, "utf-8", "utf8") and (body or media):
            raise HttpError(415, f"unsupported charset {charset!r}: send the request body "
                                 "in UTF-8 (charset=utf-8)")
        if media == "application/x-www-form-urlencoded":
            try:
                text = body.decode("utf-8")
                pairs += parse_qsl(text, keep_blank_values=True, strict_parsing=False,
                                   errors="strict")
            except UnicodeDecodeError:
                raise HttpError(400, "form body is not valid UTF-8") from None
        elif media == "application/sparql-query":
            pairs.append(("query", _decode(body, "query body")))
        elif media == "application/sparql-update":
            pairs.append(("update", _decode(body, "update body")))
        elif body:
            raise HttpError(415, f"unsupported Content-Type {media or 'none'!r}: send "
                                 "application/sparql-query, application/sparql-update or "
                                 "application/x-www-form-urlencoded")
    elif method != "GET":
        raise HttpError(405, f"method {method} is not allowed; use GET or POST")
    queries = [v for k, v in pairs if k == "query"]
    updates = [v for k, v in pairs if k == "update"]
    formats = [v for k, v in pairs if k in ("format", "output")]
    if len(queries) + len(updates) > 1:
        raise HttpError(400, "send exactly one query or one update per request")
    fmt = ",".join(formats) if formats else None
    kind = "update" if updates else "query" if queries else None
    wanted = ("using-graph-uri", "using-named-graph-uri") if kind == "update" else \
        ("default-graph-uri", "named-graph-uri")
    misplaced = sorted({k for k, _ in pairs if k in _DATASET_PARAMETERS and k not in wanted})
    if kind is not None and misplaced:
        raise HttpError(400, f"{', '.join(misplaced)} does not apply to a {kind}; use "
                             f"{' or '.join(wanted)}")
    default = tuple(v for k, v in pairs if k == wanted[0])
    named = tuple(v for k, v in pairs if k == wanted[1])
    if updates:
        if method != "POST":
            raise HttpError(400, "SPARQL Update must be sent by POST")
        return SparqlRequest("update", updates[0], fmt, default, named)
    if queries:
        return SparqlRequest("query", queries[0], fmt, default, named)
    return SparqlRequest(None, "", fmt)


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an ``Accept`` header, best first (by q-value, then specificity).

    Examples
    --------
    >>> parse_accept("text/csv;q=0.5, application/sparql-results+json, */*;q=0.1")
    [('application/sparql-results+json', 1.0), ('text/csv', 0.5), ('*/*', 0.1)]
    """
    ranges = []
    for position, item in enumerate((header or "").split(",")):
        media, *options = item.split(";")
        media = media.strip().lower()
        if not media:
            continue
        quality = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((-quality, -specificity, position, media, quality))
    return [(media, quality) for *_, media, quality in sorted(ranges)]


def negotiate(form: str, accept: str | None, fmt: str | None = None) -> tuple[str, str]:
    """Choose the format of an answer: ``(format name, media type)``.

    Parameters
    ----------
    form : str
        ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``.
    accept : str or None
        The ``Accept`` header. Missing or ``*/*`` gives JSON results or Turtle graphs, and
        so does a header that lists only answer types of the other kind (results types
        for a graph, graph types for results).
    fmt : str, optional
        The ``format``/``output`` parameters: names such as ``csv`` or media types, comma
        separated, the first usable one wins; they override ``Accept``.

    Raises
    ------
    HttpError
        406 when no acceptable format exists; the message lists the available ones.

    Examples
    --------
    >>> negotiate("SELECT", "text/tab-separated-values")
    ('tsv', 'text/tab-separated-values')
    >>> negotiate("CONSTRUCT", "application/json")
    ('json-ld', 'application/ld+json')
    >>> negotiate("DESCRIBE", None, "nt")
    ('nt', 'application/n-triples')
    """
    graph = form in ("CONSTRUCT", "DESCRIBE")
    types = GRAPH_TYPES if graph else RESULT_TYPES
    accepted = _GRAPH_ACCEPT if graph else _RESULT_ACCEPT
    names = _GRAPH_NAMES if graph else _RESULT_NAMES
    available = ", ".join(f"{name} ({media})" for name, media in types.items())
    if fmt:
        # Several values (comma-separated) are tried in order: SPARQLWrapper sends a name
        # and a list of media types.
        for value in fmt.split(","):
            key = value.strip().lower()
            chosen = names.get(key) or accepted.get(_media_type(key))
            if chosen is not None:
                return chosen, types[chosen]
        raise HttpError(406, f"format {fmt!r} is not available for a {form} answer; "
                             f"use one of: {available}")
    ranges = parse_accept(accept) or [("*/*", 1.0)]
    for media, quality in ranges:
        if quality <= 0:
            continue
        if media in accepted:
            chosen = accepted[media]
            return chosen, types[chosen]
        if media.endswith("/*"):
            family = media[:-1]
            for name, media_type in types.items():
                if media == "*/*" or media_type.startswith(family):
                    return name, media_type
    # A client that asks for SPARQL answers of the other kind (rdflib's SPARQLStore asks for
    # JSON results even for CONSTRUCT) gets the default of the right kind, as from other
    # servers; it reads the Content-Type.
    other = _RESULT_ACCEPT if graph else _GRAPH_ACCEPT
    if any(media in other and quality > 0 for media, quality in ranges):
        default = next(iter(types))
        return default, types[default]
    raise HttpError(406, f"cannot answer a {form} query in any of the accepted types "
                         f"({accept}); available: {available}")


def preferred_html(accept: str | None, others: Iterable[str]) -> bool:
    """Whether ``Accept`` ranks ``text/html`` above every type in ``others`` (a browser).

    Examples
    --------
    >>> preferred_html("text/html,application/xhtml+xml,*/*;q=0.8", ["text/turtle"])
    True
    >>> preferred_html("text/turtle", ["text/turtle"])
    False
    """
    ranges = parse_accept(accept)
    wanted = set(others)
    for media, quality in ranges:
        if quality <= 0:
            continue
        if media in ("text/html", "application/xhtml+xml"):
            return True
        if media in wanted or media == "*/*":
            return False
    return False
