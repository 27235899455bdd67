"""The default backend: an rdflib in-memory dataset, one named graph per loaded file."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import rdflib.plugins.sparql
from rdflib import Dataset, URIRef
from rdflib.plugins.sparql import prepareQuery

from graph.backends._rdflib import bindings_to_terms, wrap_result
from graph.backends.base import Result
from graph.errors import QueryError
from graph.namespaces import bind
from graph.sparql_errors import explain

__all__ = ["MemoryBackend"]

# rdflib would fetch the IRIs of FROM / FROM NAMED / USING from the network or the disk; a
# graph named there is one of the dataset's, or empty.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


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
        if fmt == "nquads":
            _parse_nquads(self.dataset, path)
        elif fmt == "trig":
            self.dataset.parse(path, format=fmt)
        else:
            self.dataset.graph(URIRef(graph)).parse(path, format=fmt)

    def add_graph(self, graph: str, triples) -> None:
        """Add an already parsed rdflib graph as named graph ``graph`` (saves a re-parse)."""
        target = self.dataset.graph(URIRef(graph))
        target += triples

    def update(self, sparql: str) -> None:
        """Apply a SPARQL Update over the same dataset queries see (the union default graph).

        The same rules as the Oxigraph backend (:func:`graph.backends.rewrite.union_update`):
        a ``WHERE`` reads the union of the graphs, or exactly the ``USING`` / ``USING NAMED``
        graphs when given; a triple deleted from the default graph leaves every graph;
        triples written without ``GRAPH`` are kept in the named graph
        :data:`~graph.backends.rewrite.DEFAULT_GRAPH`.
        """
        _run_update(self.dataset, sparql)

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


def _parse_nquads(dataset: Dataset, path: Path) -> None:
    """Parse an N-Quads file line by line (rdflib's reader slows down quadratically on a
    long line: a 17 MB literal took minutes)."""
    from rdflib.parser import InputSource
    from rdflib.plugins.parsers.nquads import NQuadsParser

    class Lines(NQuadsParser):
        def readline(self) -> str | None:
            line = self.file.readline()
            return line.rstrip("\r\n") if line else None

    with open(path, encoding="utf-8", newline="") as handle:
        source = InputSource()
        source.setCharacterStream(handle)
        Lines().parse(source, dataset)


def _run_update(dataset: Dataset, text: str) -> None:
    """Evaluate an update operation by operation with rdflib's algebra.

    rdflib's own ``Dataset.update`` re-declares the graph's prefixes before every operation
    (so ``PREFIX dc:`` written once stops applying from the second operation on), lets
    ``GRAPH ?g`` see every graph despite ``USING NAMED``, and deletes template triples from
    its default context only; Modify operations are therefore evaluated here.
    """
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate
    from rdflib.plugins.sparql.sparql import Update
    from rdflib.plugins.sparql.update import evalUpdate

    from graph.backends.rewrite import DEFAULT_GRAPH

    parsed = parseUpdate(text)
    if not parsed.request:  # a prologue alone: valid, nothing to do
        return
    update = translateUpdate(parsed)
    for operation in update.algebra:
        if operation.name == "Modify":
            _modify(dataset, operation)
        elif operation.name in ("InsertData", "DeleteData"):
            # rdflib 7 fails on INSERT DATA into the default graph of a Dataset.
            insert = operation.name == "InsertData"
            for triple in operation.triples or ():
                if insert:
                    dataset.default_context.add(triple)
                else:
                    dataset.remove(triple)
            for graph, quads in (operation.quads or {}).items():
                target = dataset.get_context(graph)
                for triple in quads:
                    (target.add if insert else target.remove)(triple)
        else:
            evalUpdate(dataset, Update(update.prologue, [operation]))
        default = dataset.default_context
        if len(default):
            target = dataset.graph(URIRef(DEFAULT_GRAPH))
            target += default
            default.remove((None, None, None))


def _modify(dataset: Dataset, operation) -> None:
    """``[WITH g] DELETE {...} INSERT {...} [USING ...] WHERE {...}`` over the union."""
    from rdflib.plugins.sparql.evaluate import evalPart
    from rdflib.plugins.sparql.sparql import QueryContext
    from rdflib.plugins.sparql.update import _fillTemplate

    if operation.using:
        where = QueryContext(dataset, initBindings={}, datasetClause=operation.using)
    else:
        where = QueryContext(dataset, initBindings={})
        if operation.withClause:
            where = where.pushGraph(dataset.get_context(operation.withClause))
    where.prologue = operation.prologue
    solutions = list(evalPart(where, operation.where))
    if operation.withClause:
        delete_from = insert_into = dataset.get_context(operation.withClause)
    else:
        delete_from, insert_into = dataset, dataset.default_context
    for solution in solutions:
        if operation.delete:
            for triple in list(_fillTemplate(operation.delete.triples, solution)):
                delete_from.remove(triple)
            for graph, quads in operation.delete.quads.items():
                target = dataset.get_context(solution.get(graph))
                target -= _fillTemplate(quads, solution)
        if operation.insert:
            insert_into += _fillTemplate(operation.insert.triples, solution)
            for graph, quads in operation.insert.quads.items():
                target = dataset.get_context(solution.get(graph))
                target += _fillTemplate(quads, solution)
