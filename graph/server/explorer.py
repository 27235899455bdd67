"""The explorer's routes, run in a query worker: search, entity pages, RDF, network views.

``GET /`` (with ``?q=``) searches; ``GET /entity/{short id}`` answers with the entity's
page, or, by content negotiation on the same URL (``Accept`` or ``?format=``), with its
description as Turtle, JSON-LD, N-Triples or RDF/XML; ``/entity/{id}/network`` is its
expandable network view (a view page, drawn by :mod:`graph.views`' script) and
``/entity/{id}/neighbours`` the JSON one click on a node fetches. Like queries and views,
every page is built in a worker process, under the same time limit, never in the process
that serves HTTP. The data comes from :mod:`graph.explore`; the HTML from
:mod:`graph.server.pages`.
"""

from __future__ import annotations

from typing import Any

from graph.server.protocol import GRAPH_TYPES, HttpError, negotiate, parse_accept
from graph.server.worker import Reply, error

__all__ = ["handle", "rdf_format"]

_HTML = "text/html; charset=utf-8"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def rdf_format(accept: str | None, fmt: str | None = None) -> tuple[str, str] | None:
    """The RDF format an entity URL should answer in, or ``None`` for its HTML page.

    ``fmt`` (the ``format`` parameter: ``turtle``, ``json-ld``, ``nt``, ``xml`` or a media
    type; ``html`` for the page) wins over ``Accept``. From ``Accept``, the best-ranked
    type decides: an RDF type gives that format; HTML, a wildcard or nothing gives the page
    (a browser, or ``curl`` without a header).

    Raises
    ------
    graph.server.protocol.HttpError
        406 for a ``format`` that is neither HTML nor an RDF format.

    Examples
    --------
    >>> rdf_format("text/turtle"), rdf_format("application/ld+json;q=0.9, text/html;q=0.5")
    (('turtle', 'text/turtle'), ('json-ld', 'application/ld+json'))
    >>> rdf_format("text/html,application/xhtml+xml,*/*;q=0.8") is None, rdf_format(None)
    (True, None)
    >>> rdf_format("text/html", "json-ld")
    ('json-ld', 'application/ld+json')
    """
    if fmt:
        if fmt.strip().lower() in ("html", "text/html"):
            return None
        return negotiate("CONSTRUCT", None, fmt)
    for media, quality in parse_accept(accept):
        if quality <= 0:
            continue
        if media in _HTML_TYPES or media.endswith("/*"):
            return None
        if media in GRAPH_TYPES.values() or media in ("application/json", "application/x-turtle",
                                                      "text/n3", "application/xml", "text/xml"):
            return negotiate("CONSTRUCT", media)
    return None


def handle(kg, action: str, *args: Any) -> Reply:
    """Run one explorer task: ``("search", text, root)``, ``("entity", id, fmt, root,
    max_rows)``, ``("network", id, root)`` or ``("neighbours", id)``."""
    from graph.errors import EntityNotFound, TkgError

    try:
        if action == "search":
            return _search(kg, *args)
        if action == "entity":
            return _entity(kg, *args)
        if action == "network":
            return _network(kg, *args)
        if action == "neighbours":
            from graph.explore import neighbourhood

            return Reply(200, value=neighbourhood(kg, args[0]))
        return error(404, f"no such explorer page: {action}")
    except EntityNotFound as exc:
        return error(404, str(exc))
    except HttpError as exc:
        return error(exc.status, exc.message)
    except TkgError as exc:
        return error(400, str(exc))


def _search(kg, text: str | None, root: str) -> Reply:
    from graph.explore import search
    from graph.server.pages import search_page

    text = " ".join((text or "").split())
    return Reply(200, search_page(search(kg, text) if text else None, root), _HTML)


def _suggestions(kg, exc) -> list[dict[str, Any]]:
    """The suggestions of an :class:`~graph.errors.EntityNotFound` as links (id, label)."""
    from graph.lookup import short_id

    out, seen = [], set()
    for name in exc.suggestions:
        try:
            iri = kg.resolve(name)
        except Exception:  # an ambiguous or unresolvable suggestion: left out
            continue
        if iri not in seen and kg.kind(iri):  # things in the graph, not ontology terms
            seen.add(iri)
            out.append({"id": str(iri), "short": short_id(iri), "label": kg.label(iri)})
    return out


def _entity(kg, ident: str, fmt: tuple[str, str] | None, root: str, max_rows: int) -> Reply:
    from graph.errors import EntityNotFound
    from graph.explore import describe, find_entity
    from graph.lookup import short_id
    from graph.server.pages import entity_url, not_found_page

    try:
        iri = find_entity(kg, ident)
    except EntityNotFound as exc:
        if fmt is not None:
            return error(404, str(exc))
        return Reply(404, not_found_page(ident, _suggestions(kg, exc), root), _HTML)
    short = short_id(iri)
    if short != ident:  # a name or a full IRI: the entity's page is at its short id
        location = entity_url(root, short)
        if fmt is not None:
            location += f"?format={fmt[0]}"
        return Reply(303, b"", headers={"Location": location})
    if fmt is not None:
        from graph.explore import rdf_description
        from graph.server.worker import run_query

        text, bindings = rdf_description(kg, iri)
        return run_query(kg, text, None, fmt[0], max_rows, bindings=bindings)
    from graph.server.pages import entity_page

    return Reply(200, entity_page(describe(kg, iri), root), _HTML)


def _network(kg, ident: str, root: str) -> Reply:
    from graph.explore import ego_network
    from graph.server.pages import entity_url
    from graph.views.page import page

    data = ego_network(kg, ident)
    data["explore"] = {"page": entity_url(root, "{id}").replace("%7Bid%7D", "{id}"),
                       "neighbours": entity_url(root, "{id}", "/neighbours")
                       .replace("%7Bid%7D", "{id}")}
    return Reply(200, page(data, connect=True).encode("utf-8"), _HTML)
