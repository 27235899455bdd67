"""The default backend: an rdflib in-memory dataset, one named graph per loaded file."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Dataset, URIRef
from rdflib.plugins.sparql import prepareQuery

from graph.backends._rdflib import bindings_to_terms, wrap_result
from graph.backends.base import Result
from graph.errors import QueryError
from graph.namespaces import bind
from graph.sparql_errors import explain

__all__ = ["MemoryBackend"]


@lru_cache(maxsize=256)
def _prepared(sparql: str, prefixes: tuple):
    return prepareQuery(sparql, initNs=dict(prefixes))


class MemoryBackend:
    """rdflib ``Dataset`` whose default graph is the union of all named graphs."""

    name = "memory"
    binds_many = False

    def __init__(self) -> None:
        #: The rdflib dataset; usable directly with the whole rdflib API.
        self.dataset = bind(Dataset(default_union=True))

    def load(self, path: Path, fmt: str, graph: str | None = None) -> None:
        if fmt in ("nquads", "trig"):
            self.dataset.parse(path, format=fmt)
        else:
            self.dataset.graph(URIRef(graph)).parse(path, format=fmt)

    def add_graph(self, graph: str, triples) -> None:
        """Add an already parsed rdflib graph as named graph ``graph`` (saves a re-parse)."""
        target = self.dataset.graph(URIRef(graph))
        target += triples

    def update(self, sparql: str) -> None:
        self.dataset.update(sparql)

    def execute(self, sparql: str, bindings: Mapping[str, Any] | None = None,
                prefixes: Mapping[str, str] | None = None) -> Result:
        try:
            query = _prepared(sparql, tuple(sorted((prefixes or {}).items())))
        except Exception as exc:  # pyparsing raises its own exception types
            raise QueryError(explain(sparql, str(exc))) from None
        try:
            native = self.dataset.query(query, initBindings=bindings_to_terms(bindings))
        except Exception as exc:
            raise QueryError(f"query failed: {exc}") from None
        return wrap_result(native)

    def dump(self, path: Path, fmt: str = "nquads") -> None:
        self.dataset.serialize(destination=str(path), format=fmt)

    def __len__(self) -> int:
        return sum(len(g) for g in self.dataset.graphs())

    def close(self) -> None:
        self.dataset.close()
