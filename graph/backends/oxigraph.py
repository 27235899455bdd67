"""The fast backend: a pyoxigraph store, queried natively, with rdflib available on demand.

Queries run in Oxigraph with the union of named graphs as default graph, so answers match the
memory backend. :attr:`OxigraphBackend.rdflib_graph` wraps the same store with oxrdflib
(``pip install trafficking-kg[oxigraph]``) for code that needs the rdflib API.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.backends.base import IRI, Result, plain_literal, quiet_gc
from graph.backends.rewrite import has_dataset_clause
from graph.backends.values import bind_values
from graph.errors import DataError, ParseError, QueryError
from graph.sparql_errors import explain

__all__ = ["RDF_FORMATS", "OxigraphBackend", "Triples", "wrap_native"]

#: Our format names -> pyoxigraph formats.
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD,
}
_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_NAMED = ox.NamedNode


def _plain(term) -> Any:
    # Ordered by frequency in query results; plain and language strings skip plain_literal.
    kind = type(term)
    if kind is ox.NamedNode:
        return IRI(term.value)
    if kind is ox.Literal:
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _LANG_STRING):
            return term.value
        return plain_literal(term.value, datatype)
    if term is None:
        return None
    if kind is ox.BlankNode:
        return f"_:{term.value}"
    return str(term)


class OxigraphBackend:
    """A pyoxigraph ``Store`` in memory, or on disk when ``path`` is given.

    By default queries read the union of the named graphs (one per loaded file). A
    workspace store (:mod:`graph.store`) keeps that union, as a set, in its default graph
    instead: it is opened with :meth:`open_read_only`, and queries read the default graph,
    so dataset clauses (``FROM``) and updates see what queries see.
    """

    name = "oxigraph"
    binds_many = True

    def __init__(self, path: str | Path | None = None, *, store: ox.Store | None = None,
                 merged: bool = False) -> None:
        #: The pyoxigraph store.
        self.store = store if store is not None else ox.Store(str(path)) if path else ox.Store()
        #: Whether the default graph is the merge of the named graphs (workspace stores):
        #: queries read it, and quads in it are copies of quads in the named graphs.
        self.merged = merged
        self._rdflib = None

    @classmethod
    def open_read_only(cls, path: str | Path) -> OxigraphBackend:
        """Open a published workspace store read-only (see :mod:`graph.store`).

        Raises
        ------
        graph.errors.BackendError
            If ``path`` holds no readable store.
        """
        from graph.errors import BackendError

        try:
            store = ox.Store.read_only(str(path))
        except OSError as exc:
            raise BackendError(f"{path}: cannot open the store ({exc})") from None
        return cls(store=store, merged=True)

    def load(self, path: Path, fmt: str, graph: str | None = None) -> None:
        if fmt not in RDF_FORMATS:
            raise DataError(f"{path}: format {fmt!r} cannot be loaded into Oxigraph")
        target = None if fmt in ("nquads", "trig") or graph is None else ox.NamedNode(graph)
        try:
            # Store.load beats bulk_load for in-memory stores (notes/baselines.md).
            self.store.load(path=str(path), format=RDF_FORMATS[fmt], to_graph=target)
        except SyntaxError as exc:
            raise ParseError(str(path), str(exc.msg).split(": ", 1)[-1], exc.lineno,
                             exc.offset) from None
        except OSError as exc:
            raise DataError(f"{path}: cannot read file ({exc})") from None
        except MemoryError:
            # pyoxigraph's parsers refuse a single token (a literal) over 16 MB; rdflib,
            # which validates the files, reads it: load it that way, so both agree.
            _load_with_rdflib(self.store, path, fmt, target)

    def update(self, sparql: str) -> None:
        """Apply a SPARQL Update over the same dataset queries see (the union default graph).

        Oxigraph runs updates over its real default graph; the text is rewritten
        (:func:`graph.backends.rewrite.union_update`) so that a ``WHERE`` reads every named
        graph, a deleted triple leaves every graph, and triples written without ``GRAPH``
        land in the named graph :data:`~graph.backends.rewrite.DEFAULT_GRAPH`.
        """
        from graph.backends.rewrite import union_update

        graphs = [g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)]
        self.store.update(union_update(sparql, graphs))

    def execute(self, sparql: str, bindings: Mapping[str, Any] | None = None,
                prefixes: Mapping[str, str] | None = None) -> Result:
        # The union of the graphs is the default graph unless the query names its own
        # (FROM / FROM NAMED), which Oxigraph would otherwise ignore. A workspace store
        # (merged) keeps that union in its real default graph: no flag needed there.
        union = not self.merged and ("from" not in sparql.lower()
                                     or not has_dataset_clause(sparql))
        try:
            native = self.store.query(bind_values(sparql, bindings),
                                      use_default_graph_as_union=union,
                                      prefixes=dict(prefixes or {}))
        except SyntaxError as exc:
            raise QueryError(explain(sparql, str(exc))) from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from None
        return wrap_native(native)

    def dump(self, path: Path, fmt: str = "nquads") -> None:
        if self.merged and fmt in ("nquads", "trig"):
            # The default graph only repeats the named graphs: write each quad once.
            quads = (q for q in self.store if not isinstance(q.graph_name, ox.DefaultGraph))
            ox.serialize(quads, str(path), format=RDF_FORMATS[fmt])
        elif self.merged:
            self.store.dump(str(path), format=RDF_FORMATS[fmt], from_graph=ox.DefaultGraph())
        else:
            self.store.dump(str(path), format=RDF_FORMATS[fmt])

    @property
    def rdflib_graph(self):
        """An rdflib ``Dataset`` over this same store (needs the ``oxigraph`` extra)."""
        if self._rdflib is None:
            from oxrdflib import OxigraphStore
            from rdflib import Dataset

            from graph.namespaces import bind

            self._rdflib = bind(Dataset(store=OxigraphStore(store=self.store),
                                        default_union=not self.merged))
        return self._rdflib

    def __len__(self) -> int:
        if self.merged:
            answer = self.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            return int(next(iter(answer))["n"].value)
        return len(self.store)

    def close(self) -> None:
        self.store = ox.Store()


def _load_with_rdflib(store, path: Path, fmt: str, target) -> None:
    """Parse ``path`` with rdflib and add its quads to ``store`` (the slow, unbounded way)."""
    from rdflib import BNode, Dataset, Literal, URIRef

    from graph.errors import ParseError

    def term(node):
        if isinstance(node, URIRef):
            return ox.NamedNode(str(node))
        if isinstance(node, BNode):
            return ox.BlankNode(str(node))
        assert isinstance(node, Literal)
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))

    dataset = Dataset()
    try:
        if fmt == "nquads":
            from graph.backends.memory import _parse_nquads

            _parse_nquads(dataset, path)
        elif fmt == "trig":
            dataset.parse(str(path), format=fmt)
        else:
            dataset.graph(URIRef("urn:x-tkg:load")).parse(str(path), format=fmt)
    except (RecursionError, MemoryError) as exc:
        raise ParseError(str(path), f"{type(exc).__name__}: {exc}") from None
    except Exception as exc:  # rdflib's parsers raise many types
        raise ParseError(str(path), " ".join(str(exc).split())) from None
    default = ox.DefaultGraph()
    quads = []
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        if fmt in ("nquads", "trig"):
            graph = default if name is None or str(name).startswith("urn:x-rdflib:") \
                else term(name)
        else:
            graph = target if target is not None else default
        quads.append(ox.Quad(term(s), term(p), term(o), graph))
    store.extend(quads)


#: Rows read before deciding, column by column, whether its values repeat enough to cache.
_SAMPLE = 256


def _dict_rows(native, names: list[str]) -> Iterator[dict[str, Any]]:
    """Each solution as a ``{variable: plain value}`` dictionary.

    A column whose terms recur (classes, grades, places) converts each term once and shares
    the value, which keeps large answers small in memory; a column of mostly distinct terms
    (the entities of a projection) skips the lookup, which costs more than the conversion.
    The first ``_SAMPLE`` rows decide which is which. Rows are built in place, without
    intermediate tuples: this loop runs once per row of every query.
    """
    caches: list[dict] = [{None: None} for _ in names]
    misses = [0] * len(names)
    solutions = iter(native)
    for solution in itertools.islice(solutions, _SAMPLE):
        row = {}
        for column, (name, term) in enumerate(zip(names, solution, strict=True)):
            cache = caches[column]
            value = cache.get(term, cache)
            if value is cache:
                value = cache[term] = _plain(term)
                misses[column] += 1
            row[name] = value
        yield row
    plan = [(name, cache if missed <= _SAMPLE // 2 else None)
            for name, cache, missed in zip(names, caches, misses, strict=True)]
    for solution in solutions:
        row = {}
        for (name, cache), term in zip(plan, solution, strict=True):
            if cache is None:
                value = IRI(term.value) if type(term) is _NAMED else _plain(term)
            else:
                value = cache.get(term, cache)
                if value is cache:
                    value = cache[term] = _plain(term)
            row[name] = value
        yield row


@dataclass
class _Solutions(Result):
    """A SELECT answer of pyoxigraph, read straight into dictionaries."""

    native: Any = None

    def iterdicts(self) -> Iterator[dict[str, Any]]:
        return _dict_rows(self.native, self.vars)

    def dicts(self) -> list[dict[str, Any]]:
        with quiet_gc():
            return list(_dict_rows(self.native, self.vars))


class Triples(list):
    """Triples of a CONSTRUCT answer read from elsewhere (a remote server), serialisable."""

    def serialize(self, format):
        return ox.serialize(self, format=format)


def wrap_native(native) -> Result:
    """Wrap a pyoxigraph query answer (or :class:`Triples`) in the neutral :class:`Result`."""
    if isinstance(native, ox.QueryBoolean):
        def serialize(fmt: str) -> bytes:
            return native.serialize(format=_RESULT_FORMATS[fmt])
        return Result("ASK", [], lambda: iter(()), serialize, bool(native))
    if isinstance(native, ox.QuerySolutions):
        variables = [v.value for v in native.variables]

        def rows() -> Iterator[tuple]:
            return (tuple(row.values()) for row in _dict_rows(native, variables))

        def serialize(fmt: str) -> bytes:
            if fmt not in _RESULT_FORMATS:
                raise ValueError(f"unsupported results format {fmt!r}")
            return native.serialize(format=_RESULT_FORMATS[fmt])

        return _Solutions("SELECT", variables, rows, serialize, native=native)

    def triples() -> Iterator[tuple]:
        for triple in native:
            yield (_plain(triple.subject), _plain(triple.predicate), _plain(triple.object))

    def serialize_graph(fmt: str) -> bytes:
        if fmt not in ("turtle", "nt", "json-ld", "xml"):
            raise ValueError(f"unsupported graph format {fmt!r}")
        return native.serialize(format=RDF_FORMATS[fmt])

    return Result("CONSTRUCT", [], triples, serialize_graph)
