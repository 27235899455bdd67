"""The graph's quads in a pyoxigraph store, whatever the backend; shared by the RDF, Neo4j and
FollowTheMoney writers so that they read every backend the same way and fast."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

from graph.backends.base import Lit

__all__ = ["Blank", "GraphIndex", "distinct_triples", "quad_store", "sorted_quads", "stored_quads"]


def quad_store(kg):
    """A pyoxigraph ``Store`` holding every quad of ``kg``.

    The Oxigraph backend's own store is used as it is; other backends are dumped as N-Quads
    and read into a fresh in-memory store. A remote store dumps triples only (no named
    graphs), so its quads all land in the default graph.
    """
    import pyoxigraph as ox

    store = getattr(kg.backend, "store", None)
    if isinstance(store, ox.Store):
        return store
    with tempfile.TemporaryDirectory(prefix="tkg-export-") as tmp:
        dump = Path(tmp) / "graph.nq"
        kg.backend.dump(dump, "nquads")
        store = ox.Store()
        store.load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    return store


def stored_quads(store) -> Iterator:
    """Every quad as stated: the named graphs' quads when there are named graphs, else the
    default graph's.

    Files are loaded into named graphs; the default graph then is either empty (in-memory
    loads) or their merge (a workspace store, see :mod:`graph.store`), which repeats them.
    A remote store's dump has no named graphs: its quads are all in the default graph.
    """
    import pyoxigraph as ox

    if next(iter(store.named_graphs()), None) is None:
        return iter(store)
    return (q for q in store if not isinstance(q.graph_name, ox.DefaultGraph))


def sorted_quads(store) -> list:
    """Every quad of ``store`` (see :func:`stored_quads`), sorted by graph, subject,
    predicate and object."""
    return sorted(stored_quads(store), key=lambda q: (str(q.graph_name), str(q.subject),
                                                      str(q.predicate), str(q.object)))


def distinct_triples(store) -> Iterator:
    """The merged graph: each triple of any named graph once, sorted by subject and predicate."""
    import pyoxigraph as ox

    seen = {ox.Triple(q.subject, q.predicate, q.object) for q in stored_quads(store)}
    return iter(sorted(seen, key=lambda t: (str(t.subject), str(t.predicate), str(t.object))))


class Blank(str):
    """A blank node, as ``_:`` and its label in the store."""

    __slots__ = ()


class GraphIndex:
    """The merged graph as plain Python values, indexed by subject, for the writers that walk
    it (Neo4j, FollowTheMoney). IRIs are :class:`~graph.backends.IRI`, blank nodes
    :class:`Blank`, literals :class:`~graph.backends.Lit` (``datatype`` None for plain
    strings)."""

    def __init__(self, store, derived_graph: str | None = None):
        from graph.sources import DERIVED_GRAPH

        # The in-memory loader keeps derived triples in one graph, a workspace store one
        # graph per file below it (``.../derived/<file>``).
        derived = derived_graph or DERIVED_GRAPH
        plain: dict = {}  # each distinct term is converted once

        def convert(term):
            found = plain.get(term)
            if found is None:
                found = plain[term] = _plain(term)
            return found

        stated: set[tuple] = set()
        only_derived: set[tuple] = set()
        grouped: dict[str, dict[str, set]] = {}
        for quad in stored_quads(store):
            s, p, o = convert(quad.subject), convert(quad.predicate), convert(quad.object)
            graph = getattr(quad.graph_name, "value", "")
            is_derived = graph == derived or graph.startswith(derived + "/")
            (only_derived if is_derived else stated).add((s, p, o))
            grouped.setdefault(s, {}).setdefault(p, set()).add(o)
        #: subject -> predicate -> objects; subjects, predicates and objects sorted, each once.
        self.out: dict[str, dict[str, list]] = {
            s: {p: sorted(grouped[s][p], key=_sort_key) for p in sorted(grouped[s])}
            for s in sorted(grouped)}
        #: Triples that only the loader's derived graph holds.
        self.derived: set[tuple] = only_derived - stated

    def objects(self, node: str, predicate: str) -> list:
        """The values of ``predicate`` on ``node`` (an empty list when none)."""
        return self.out.get(node, {}).get(predicate, [])

    def first(self, node: str, predicate: str):
        """The first value of ``predicate`` on ``node``, or ``None``."""
        values = self.objects(node, predicate)
        return values[0] if values else None

    def is_list(self, node) -> bool:
        """Whether ``node`` is a cell of an RDF list (or the empty list)."""
        return node == _RDF_NIL or _RDF_FIRST in self.out.get(node, {})

    def list_items(self, head) -> list:
        """The members of the RDF list starting at ``head``, in order."""
        items, seen = [], set()
        while head != _RDF_NIL and head not in seen and head in self.out:
            seen.add(head)
            items += self.objects(head, _RDF_FIRST)[:1]
            head = self.first(head, _RDF_REST)
        return items


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_FIRST, _RDF_REST, _RDF_NIL = _RDF + "first", _RDF + "rest", _RDF + "nil"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _sort_key(value) -> tuple:
    if isinstance(value, Lit):
        return (1, value.value, value.datatype or "", value.lang or "")
    return (0, str(value), "", "")


def _plain(term):
    import pyoxigraph as ox

    from graph.backends.base import IRI

    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return Blank("_:" + term.value)
    datatype = term.datatype.value if term.datatype is not None else None
    if term.language or datatype == _XSD_STRING:
        datatype = None
    return Lit(term.value, datatype, term.language or None)
