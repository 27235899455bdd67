"""Conversions between rdflib terms and plain row values, shared by rdflib-based backends."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.query import Result as RdflibResult

from graph.backends.base import IRI, Lit, Result, plain_literal

__all__ = ["from_term", "to_term", "wrap_result"]

_SELECT_FORMATS = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}
_GRAPH_FORMATS = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld", "xml": "xml"}


def to_term(value: Any):
    """Turn an :class:`IRI`, :class:`Lit` or plain value into an rdflib term."""
    if isinstance(value, IRI):
        return URIRef(value)
    if isinstance(value, Lit):
        return Literal(value.value, lang=value.lang,
                       datatype=URIRef(value.datatype) if value.datatype else None)
    if isinstance(value, (URIRef, Literal, BNode)):
        return value
    return Literal(value)


def from_term(term) -> Any:
    """Turn an rdflib term into a plain row value."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return IRI(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return plain_literal(str(term), str(term.datatype) if term.datatype else None)
    return str(term)


def wrap_result(native: RdflibResult) -> Result:
    """Wrap an rdflib query result in the backend-neutral :class:`Result`."""

    def rows() -> Iterator[tuple]:
        if native.type == "CONSTRUCT" or native.type == "DESCRIBE":
            for triple in native.graph:
                yield tuple(from_term(t) for t in triple)
        else:
            for row in native:
                yield tuple(from_term(t) for t in row)

    def serialize(fmt: str) -> bytes:
        if native.type in ("CONSTRUCT", "DESCRIBE"):
            if fmt not in _GRAPH_FORMATS:
                raise ValueError(f"unsupported graph format {fmt!r}")
            return native.graph.serialize(format=_GRAPH_FORMATS[fmt], encoding="utf-8")
        if fmt not in _SELECT_FORMATS:
            raise ValueError(f"unsupported results format {fmt!r}")
        return native.serialize(format=_SELECT_FORMATS[fmt], encoding="utf-8")

    kind = "CONSTRUCT" if native.type == "DESCRIBE" else native.type
    variables = [str(v) for v in native.vars] if native.type == "SELECT" else []
    boolean = bool(native.askAnswer) if native.type == "ASK" else None
    return Result(kind, variables, rows, serialize, boolean)


def bindings_to_terms(bindings: Mapping[str, Any] | None) -> dict:
    """Convert a bindings mapping to rdflib's ``initBindings``."""
    return {name: to_term(value) for name, value in (bindings or {}).items()}
