"""What the endpoint refuses and caps, decided by parsing the request, never by matching text.

Every query and update is parsed with rdflib's SPARQL 1.1 parser before it reaches a store,
and the store then runs the very text that was parsed, made unambiguous first
(:func:`canonical`: codepoint escapes expanded, comments removed), so that no parser can read
in it a clause another one did not see (e.g. a comment ended by a bare carriage return):

- a malformed request is refused with the parser's own message (HTTP 400);
- ``SERVICE`` anywhere (queries and the ``WHERE`` of updates) and ``LOAD`` in updates are
  refused (HTTP 403): the server makes no outbound requests;
- an update sent as a query is recognised as such, so that read-only mode cannot be
  side-stepped by the choice of parameter;
- SELECT, CONSTRUCT and DESCRIBE queries get a top-level ``LIMIT`` of ``max_rows + 1`` when
  they have none or a larger one, so a store never produces more than the endpoint will
  send; the extra row tells the caller that the answer was cut. The rewritten text is parsed
  again and must give the same parse tree apart from the limit, or the query runs unchanged
  (the row cap is then applied to the answer only).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["Plan", "Refused", "canonical", "check_query", "check_update"]

_log = logging.getLogger(__name__)

#: Parse-tree names of the query forms, mapped to the form names results use.
_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


class Refused(Exception):
    """A request the endpoint will not run, with the HTTP status and a message for the client."""

    def __init__(self, status: int, message: str):
        #: HTTP status code of the refusal.
        self.status = status
        #: One-line explanation, safe to send (it is plain text, escaped by whoever shows it).
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Plan:
    """A checked query, ready to run."""

    #: ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``.
    form: str
    #: The text to execute: the request made canonical, with a ``LIMIT`` added or lowered
    #: when needed.
    sparql: str
    #: Whether the text was rewritten to cap the number of solutions.
    limited: bool = False


def _parse_message(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


#: Appended to an update that is only to be parsed: no SPARQL operation starts with "@", so
#: the parser stops there at the latest, before anything is run.
_SENTINEL = "\n;\n@"


def _malformed_update(text: str, fallback: str) -> str:
    """Why ``text`` is not a valid update, with its line and column.

    rdflib's parser (which the guard reads the update's structure with) reports most errors
    as "Expected end of text" at the first character; Oxigraph's names the position and what
    was expected there. Oxigraph parses the whole update before running any of it, and the
    sentinel after the text makes sure it never gets that far.
    """
    import pyoxigraph as ox

    from graph.prefixes import PREFIXES
    from graph.sparql_errors import explain, located

    message = fallback
    try:
        ox.Store().update(text + _SENTINEL, prefixes=dict(PREFIXES))
    except SyntaxError as exc:
        found = re.match(r"error at (\d+):", str(exc))
        if found and int(found.group(1)) <= text.count("\n") + 1:  # in the text, not after it
            message = located(text, str(exc))
    except Exception:
        pass
    explanation = explain(text, message)  # a misspelt keyword is named as such
    return "malformed update" + explanation.removeprefix("malformed SPARQL")


def _walk(node: Any):
    """Yield every parse-tree node (rdflib ``CompValue``) under ``node``."""
    stack = [node]
    while stack:
        item = stack.pop()
        name = getattr(item, "name", None)
        if isinstance(item, dict):
            if isinstance(name, str):
                yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(item)


def _check_prefixes(tree: Any, what: str) -> None:
    """Refuse a prefixed name whose prefix is neither declared nor one of the project's."""
    from graph.prefixes import PREFIXES

    declared = set(PREFIXES)
    used = []
    for node in _walk(tree):
        if node.name == "PrefixDecl":
            declared.add(dict.get(node, "prefix") or "")
        elif node.name == "pname":
            used.append(dict.get(node, "prefix") or "")
    unknown = sorted(set(used) - declared)
    if unknown:
        names = ", ".join(f"'{p}:'" for p in unknown)
        raise Refused(400, f"malformed {what}: unknown prefix {names}; declare it with "
                           f"PREFIX {unknown[0]}: <...> (predeclared: "
                           f"{', '.join(sorted(PREFIXES))})")


def _refuse_outbound(tree: Any) -> None:
    for node in _walk(tree):
        if node.name == "ServiceGraphPattern":
            target = dict.get(node, "term")
            raise Refused(403, f"SERVICE is refused (found SERVICE {_show(target)}): "
                               "this endpoint makes no outbound requests")
        if node.name == "Load":
            raise Refused(403, f"LOAD is refused (found LOAD {_show(dict.get(node, 'iri'))}): "
                               "this endpoint makes no outbound requests")


def _show(term: Any) -> str:
    if term is None:
        return "?"
    if type(term).__name__ == "URIRef":
        return f"<{term}>"
    if type(term).__name__ == "Variable":
        return f"?{term}"
    if isinstance(term, dict) and dict.get(term, "prefix") is not None:
        return f"{dict.get(term, 'prefix')}:{dict.get(term, 'localname') or ''}"
    return str(term)


def canonical(text: str, what: str = "query") -> str:
    """``text`` as every SPARQL parser reads it alike: escapes expanded, comments removed.

    SPARQL lets ``\\uXXXX`` escapes stand for any character, before parsing; parsers differ
    in where they expand them, and in where a comment ends (at a line feed only, or also at
    a bare carriage return). The canonical text has neither escapes nor comments, so the text
    the guard parses is the text the store runs. Comments end at either character, as the
    SPARQL grammar says; line breaks are kept, so error positions stay right.

    Raises
    ------
    Refused
        400 for an invalid escape, or for escapes that expand to further escapes.

    Examples
    --------
    >>> canonical("SELECT * { ?s ?p 'caf\\u00e9' } # note")
    "SELECT * { ?s ?p 'café' } "
    """
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes, expandUnicodeEscapes_re

    if expandUnicodeEscapes_re.search(text):
        try:
            expanded = expandUnicodeEscapes(text)
        except ValueError as exc:
            raise Refused(400, f"malformed {what}: {exc}") from None
        if expandUnicodeEscapes_re.search(expanded):
            raise Refused(400, f"malformed {what}: a \\u or \\U escape produces another "
                               "escape; write the character itself")
        text = expanded
    if "#" not in text:
        return text
    return "".join("" if m.lastgroup == "comment" else m.group() for m in _TOKEN.finditer(text))


def _dataset_shape(tree: Any) -> str:
    """The parse tree without its dataset clause, for comparing a rewrite with the original."""
    query = dict(tree[1])
    query.pop("datasetClause", None)
    return _BNODE.sub("BNode()", repr((tree[0], tree[1].name, query)))


def _dataset_of(tree: Any) -> tuple[list[str], list[str]]:
    default, named = [], []
    for clause in dict.get(tree[1], "datasetClause") or []:
        if dict.get(clause, "default") is not None:
            default.append(str(dict.get(clause, "default")))
        if dict.get(clause, "named") is not None:
            named.append(str(dict.get(clause, "named")))
    return default, named


def _with_protocol_dataset(text: str, tree: Any, default_graphs: tuple[str, ...],
                           named_graphs: tuple[str, ...]) -> tuple[str, Any]:
    """``text`` with the protocol's dataset in place of the query's ``FROM`` clauses."""
    from rdflib.plugins.sparql.parser import parseQuery

    from graph.backends.rewrite import RewriteError, with_dataset

    try:
        rewritten = with_dataset(text, default_graphs, named_graphs)
        check = parseQuery(rewritten)
    except RewriteError as exc:
        raise Refused(400, f"cannot use the protocol dataset: {exc}") from None
    except Exception:
        check = None
    if check is None or _dataset_of(check) != (list(default_graphs), list(named_graphs)) \
            or _dataset_shape(check) != _dataset_shape(tree):
        raise Refused(400, "cannot use the protocol dataset with this query: put FROM / FROM "
                           "NAMED clauses in the query instead")
    return rewritten, check


@lru_cache(maxsize=512)
def check_query(text: str, max_rows: int | None = None, default_graphs: tuple[str, ...] = (),
                named_graphs: tuple[str, ...] = (), allow_service: bool = False) -> Plan:
    """Parse ``text`` as a SPARQL query and decide how to run it.

    Parameters
    ----------
    text : str
        The query as received.
    max_rows : int, optional
        The endpoint's row cap. SELECT, CONSTRUCT and DESCRIBE queries are given a
        ``LIMIT`` of ``max_rows + 1`` unless they already have a smaller one.
    default_graphs, named_graphs : tuple of str
        The protocol's dataset (``default-graph-uri``, ``named-graph-uri``). When either is
        given it replaces the query's ``FROM`` / ``FROM NAMED`` clauses.
    allow_service : bool
        Let ``SERVICE`` through (``tkg query --allow-service``; never the endpoint).

    Returns
    -------
    Plan

    Raises
    ------
    Refused
        400 for a malformed query (with the parser's message) or a dataset that cannot be
        applied, 403 for ``SERVICE`` or for an update sent as a query.

    Examples
    --------
    >>> check_query("SELECT * WHERE { ?s ?p ?o }", 10).sparql
    'SELECT * WHERE { ?s ?p ?o }\\nLIMIT 11\\n'
    >>> check_query("ASK { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    graph.server.guard.Refused: SERVICE is refused (found SERVICE <http://example.org/sparql>): ...
    >>> check_query("SELEC ?x")
    Traceback (most recent call last):
    ...
    graph.server.guard.Refused: malformed query: Expected {SelectQuery | ...
    """
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    text = canonical(text)
    try:
        tree = parseQuery(text)
    except Exception as exc:  # pyparsing raises several exception types
        message = _parse_message(exc)
        try:
            update = parseUpdate(text)
        except Exception:
            raise Refused(400, f"malformed query: {message}") from None
        if dict.get(update, "request"):
            raise Refused(403, "this is a SPARQL Update, not a query: send it as 'update' "
                               "(POST), with the update token") from None
        raise Refused(400, f"malformed query: {message}") from None
    query = tree[1]
    form = _FORMS.get(query.name)
    if form is None:
        raise Refused(400, f"unsupported query form {query.name!r}")
    if not allow_service:
        _refuse_outbound(tree)
    _check_prefixes(tree, "query")
    if default_graphs or named_graphs:
        text, tree = _with_protocol_dataset(text, tree, default_graphs, named_graphs)
        query = tree[1]
    # rdflib fails on the short form CONSTRUCT WHERE { ... } with a LIMIT: cut it afterwards.
    short_construct = form == "CONSTRUCT" and dict.get(query, "template") is None
    if form == "ASK" or max_rows is None or short_construct:
        return Plan(form, text)
    return _capped(text, tree, form, max_rows + 1)


def check_update(text: str, default_graphs: tuple[str, ...] = (),
                 named_graphs: tuple[str, ...] = ()) -> str:
    """Parse ``text`` as a SPARQL Update; refuse malformed updates, ``SERVICE`` and ``LOAD``.

    Returns the canonical text (see :func:`canonical`), which is what must be run, with the
    protocol's dataset (``using-graph-uri``, ``using-named-graph-uri``: ``default_graphs``,
    ``named_graphs``) written into it as ``USING`` clauses. An empty update (nothing but
    a prologue) is valid and returns its text.

    Raises
    ------
    Refused
        400 with the parser's message, or for a protocol dataset given together with
        ``USING`` or ``WITH`` in the update; 403 for an outbound request.

    Examples
    --------
    >>> check_update("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 } # new")
    'INSERT DATA { <http://example.org/a> <http://example.org/b> 1 } '
    >>> check_update("LOAD <http://example.org/data.ttl>")
    Traceback (most recent call last):
    ...
    graph.server.guard.Refused: LOAD is refused (found LOAD <http://example.org/data.ttl>): ...
    """
    from rdflib.plugins.sparql.parser import parseUpdate

    text = canonical(text, "update")
    try:
        tree = parseUpdate(text)
    except Exception as exc:
        raise Refused(400, _malformed_update(text, _parse_message(exc))) from None
    _refuse_outbound(tree)
    _check_prefixes(tree, "update")
    if default_graphs or named_graphs:
        from graph.backends.rewrite import RewriteError, with_using

        try:
            rewritten = with_using(text, default_graphs, named_graphs)
            parseUpdate(rewritten)
        except RewriteError as exc:
            raise Refused(400, f"cannot use the protocol dataset: {exc}") from None
        except Exception:
            raise Refused(400, "cannot use the protocol dataset with this update: put USING "
                               "clauses in the update instead") from None
        text = rewritten
    return text


# -- the row cap ------------------------------------------------------------------------------

def _limit_of(query: Any) -> int | None:
    clauses = dict.get(query, "limitoffset")
    if clauses is None:
        return None
    limit = dict.get(clauses, "limit")
    return None if limit is None else int(limit)


_BNODE = re.compile(r"BNode\('[^']*'\)")


def _shape(tree: Any) -> str:
    """The parse tree without its LIMIT, for comparing a rewrite with the original."""
    query = dict(tree[1])
    clauses = dict(query.pop("limitoffset", None) or {})
    clauses.pop("limit", None)
    # Anonymous blank nodes get fresh labels at every parse.
    return _BNODE.sub("BNode()", repr((tree[0], tree[1].name, query, clauses)))


def _capped(text: str, tree: Any, form: str, limit: int) -> Plan:
    from rdflib.plugins.sparql.parser import parseQuery

    current = _limit_of(tree[1])
    if current is not None and current <= limit:
        return Plan(form, text)
    rewritten = _with_limit(text, limit, has_values=dict.get(tree[1], "valuesClause") is not None)
    if rewritten is not None:
        try:
            check = parseQuery(rewritten)
        except Exception:
            check = None
        if check is not None and _limit_of(check[1]) == limit and _shape(check) == _shape(tree):
            return Plan(form, rewritten, limited=True)
    _log.warning("could not add a LIMIT to a query; the row cap applies to the answer only")
    return Plan(form, text)


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<name>[^\W\d][\w.\-]*(?::[\w.\-:%\\]*)?|:[\w.\-:%\\]*)
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _with_limit(text: str, limit: int, has_values: bool) -> str | None:
    """``text`` with its top-level LIMIT set to ``limit``, or ``None`` if it cannot be placed.

    Only tokens outside braces count: the top-level ``LIMIT`` and the trailing ``VALUES``
    are the only ones there (sub-queries and inline data sit inside braces).
    """
    depth = 0
    limit_at = None
    values_at = None
    previous = None
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif depth == 0 and kind == "name":
            word = match.group().upper()
            if word == "VALUES":
                values_at = match.start()
        elif depth == 0 and kind == "number" and previous is not None \
                and previous.group().upper() == "LIMIT":
            limit_at = match.span()
        previous = match
    if limit_at is not None:
        return f"{text[:limit_at[0]]}{limit}{text[limit_at[1]:]}"
    if has_values:
        if values_at is None:
            return None
        return f"{text[:values_at]}LIMIT {limit}\n{text[values_at:]}"
    return f"{text}\nLIMIT {limit}\n"
