"""Bind query variables with a ``VALUES`` block placed at the start of the top-level WHERE.

Oxigraph's substitutions only bind projected variables and do not reach into FILTER EXISTS,
and a trailing VALUES clause (what rdflib's SPARQLStore sends to remote endpoints) joins only
after projection. Binding at the start of the WHERE group gives the same answers as rdflib's
``initBindings`` on every backend. Only terms serialised by the store library (whose IRIs and
literals are validated and escaped) are inserted, never raw user text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pyoxigraph as ox

from graph.backends.base import IRI, Lit
from graph.errors import QueryError

__all__ = ["MANY", "bind_values", "inject_values", "to_oxigraph", "tokens", "values_block",
           "values_rows", "where_brace"]

_XSD = "http://www.w3.org/2001/XMLSchema#"


def to_oxigraph(value: Any):
    """Turn an :class:`IRI`, :class:`Lit` or plain Python value into a validated pyoxigraph term.

    Raises
    ------
    graph.errors.QueryError
        If the value is not a valid IRI or literal (e.g. an IRI with spaces or ``>``).
    """
    try:
        if isinstance(value, IRI):
            return ox.NamedNode(value)
        if isinstance(value, Lit):
            if value.lang:
                return ox.Literal(value.value, language=value.lang)
            if value.datatype:
                return ox.Literal(value.value, datatype=ox.NamedNode(value.datatype))
            return ox.Literal(value.value)
        if isinstance(value, bool):
            return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))
        if isinstance(value, int):
            return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
        if isinstance(value, float):
            return ox.Literal(repr(value), datatype=ox.NamedNode(_XSD + "double"))
        return ox.Literal(str(value))
    except ValueError as exc:
        raise QueryError(f"cannot bind {value!r}: {exc}") from None


#: Binding one of these to a variable gives it several values: one VALUES row each.
MANY = (list, tuple, set, frozenset)


def bind_values(sparql: str, bindings: Mapping[str, Any] | None) -> str:
    """``sparql`` with ``bindings`` bound by a leading VALUES block (see :func:`inject_values`).

    One variable may be bound to a list (or set) of values: the block then has one row per
    value, so the query answers for all of them at once (an empty list: no answer).

    Examples
    --------
    >>> bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": [IRI("urn:a"), IRI("urn:b")]})
    'SELECT ?s WHERE { VALUES (?o) { (<urn:a>) (<urn:b>) } ?s ?p ?o }'
    """
    if not bindings:
        return sparql
    many = [name for name, value in bindings.items() if isinstance(value, MANY)]
    if len(many) > 1:
        raise QueryError(f"only one variable may take several values, not {', '.join(many)}")
    single = {name: str(to_oxigraph(v)) for name, v in bindings.items() if name not in many}
    if not many:
        return inject_values(sparql, single)
    rows = [{**single, many[0]: str(to_oxigraph(v))} for v in bindings[many[0]]]
    names = [*single, many[0]]
    block = values_rows(names, [[row[n] for n in names] for row in rows])
    brace = where_brace(sparql)
    return f"{sparql[:brace + 1]} {block}{sparql[brace + 1:]}"


def values_rows(names: list[str], rows: list[list[str]]) -> str:
    """``VALUES (?a ?b) { (t t) (t t) }`` for variable names and rows of serialised terms.

    Examples
    --------
    >>> values_rows(["o"], [["<urn:a>"], ["<urn:b>"]])
    'VALUES (?o) { (<urn:a>) (<urn:b>) }'
    """
    for name in names:
        if not name.replace("_", "").isalnum():
            raise QueryError(f"invalid variable name {name!r}")
    body = " ".join("(" + " ".join(row) + ")" for row in rows)
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ {body} }}"


def tokens(sparql: str) -> Iterator[tuple[int, int, str]]:
    """Split ``sparql`` into consecutive spans ``(start, end, kind)`` covering all of it.

    ``kind`` is ``"comment"``, ``"string"``, ``"iri"`` (in angle brackets) or ``"code"``
    (everything else), so rewrites can leave strings, IRIs and comments alone.
    """
    i, n, start = 0, len(sparql), 0
    while i < n:
        c = sparql[i]
        if c == "#":
            yield start, i, "code"
            end = sparql.find("\n", i)
            end = n if end < 0 else end
            yield i, end, "comment"
            i = start = end
            continue
        if c in "\"'":
            yield start, i, "code"
            quote = c * 3 if sparql.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n:
                if sparql[j] == "\\":
                    j += 2
                    continue
                if sparql.startswith(quote, j):
                    break
                j += 1
            end = min(n, j + len(quote))
            yield i, end, "string"
            i = start = end
            continue
        if c == "<" and i + 1 < n and not sparql[i + 1].isspace() and sparql[i + 1] not in "=<":
            end = sparql.find(">", i)
            if end > 0 and not any(ch.isspace() for ch in sparql[i:end]):
                yield start, i, "code"
                yield i, end + 1, "iri"
                i = start = end + 1
                continue
        i += 1
    yield start, n, "code"



def where_brace(sparql: str) -> int:
    """Index of the ``{`` that opens the top-level WHERE group, skipping strings, IRIs, comments.

    Examples
    --------
    >>> q = 'SELECT ?s WHERE { ?s ?p "WHERE {" }'
    >>> where_brace(q)
    16
    >>> where_brace("# WHERE { in a comment\\nASK { ?s ?p ?o }")
    27
    """
    seen_keyword = False
    for start, end, kind in tokens(sparql):
        if kind != "code":
            continue
        i = start
        while i < end:
            if sparql[i:i + 5].upper() == "WHERE" and (i == 0 or not sparql[i - 1].isalnum()):
                seen_keyword = True
                i += 5
                continue
            if sparql[i] == "{":
                head = sparql[:i].upper()
                # SELECT/ASK/DESCRIBE may omit WHERE; CONSTRUCT's first brace is the template.
                if seen_keyword or ("CONSTRUCT" not in head and "INSERT" not in head
                                    and "DELETE" not in head):
                    return i
            i += 1
    raise QueryError("cannot bind parameters: the query has no WHERE group")


def values_block(terms: Mapping[str, str]) -> str:
    """``VALUES (?v ...) { (t ...) }`` for variable names and already serialised terms.

    Examples
    --------
    >>> values_block({"o": "<http://example.org/x>", "n": '"2"'})
    'VALUES (?o ?n) { (<http://example.org/x> "2") }'
    """
    for name in terms:
        if not name.replace("_", "").isalnum():
            raise QueryError(f"invalid variable name {name!r}")
    names = " ".join(f"?{name}" for name in terms)
    row = " ".join(terms.values())
    return f"VALUES ({names}) {{ ({row}) }}"


def inject_values(sparql: str, terms: Mapping[str, str]) -> str:
    """Return ``sparql`` with ``VALUES (?v ...) { (t ...) }`` opening its WHERE group.

    ``terms`` maps variable names to terms already serialised in N-Triples syntax by a
    store library.

    Examples
    --------
    >>> inject_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": "<http://example.org/x>"})
    'SELECT ?s WHERE { VALUES (?o) { (<http://example.org/x>) } ?s ?p ?o }'
    """
    if not terms:
        return sparql
    block = values_block(terms)
    brace = where_brace(sparql)
    return f"{sparql[:brace + 1]} {block}{sparql[brace + 1:]}"
