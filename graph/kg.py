"""The :class:`KnowledgeGraph`: a loaded graph in a backend, with queries and entity lookup.

Everything else (traversal, analysis, views, exports, the endpoint, the CLI) takes a
``KnowledgeGraph`` and calls its :meth:`~KnowledgeGraph.query`, so all of them work the same
on every backend.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from graph import query as named
from graph.backends.base import IRI, Backend, Result
from graph.errors import EntityNotFound, QueryError
from graph.lookup import EntityIndex, prefixed
from graph.prefixes import PREFIXES
from graph.sources import SourceFile

if TYPE_CHECKING:
    from graph.ontology import Ontology

__all__ = ["VALUES_BLOCK", "KnowledgeGraph"]

#: Most values :meth:`KnowledgeGraph.rows_each` binds in one ``VALUES`` block.
VALUES_BLOCK = 1000

_T = TypeVar("_T")
#: Guards :meth:`KnowledgeGraph.cached` (derived values are built once even under threads).
_LOCK = threading.RLock()


class KnowledgeGraph:
    """A loaded knowledge graph. Create it with :func:`graph.load`.

    Examples
    --------
    >>> kg.label("https://w3id.org/tkg/place/MLI")
    'Mali'
    >>> kg.resolve("uae") == kg.resolve("United Arab Emirates")
    True
    """

    def __init__(self, backend: Backend, sources: list[SourceFile] | None = None,
                 key: str | None = None, workspace=None):
        #: The store holding the triples.
        self.backend = backend
        #: The files the graph was loaded from.
        self.sources = list(sources or [])
        #: Content hash of the inputs (the cache key), if loaded from files.
        self.key = key
        #: The :class:`graph.workspace.Workspace` whose store this is, if it is one.
        self.workspace = workspace

    def __repr__(self) -> str:
        return f"<KnowledgeGraph backend={self.backend.name} files={len(self.sources)}>"

    def __len__(self) -> int:
        return len(self.backend)

    # -- queries -------------------------------------------------------------------------

    def execute(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Result:
        """Run SPARQL text with variables pre-bound; return the backend's raw :class:`Result`.

        The project prefixes (``tkg:``, ``kb:``, ``place:``...) are declared for the query.
        Values in ``bindings`` are bound to variables by the backend, never spliced into the
        text. No limits are applied here: the endpoint adds timeouts and row caps.
        """
        return self.backend.execute(sparql, bindings, PREFIXES)

    def rows_each(self, sparql: str, variable: str, values: Iterable[Any],
                  bindings: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """The rows of SPARQL text with ``variable`` bound to each of ``values`` (IRIs or
        plain values), as dictionaries, in blocks of at most :data:`VALUES_BLOCK` values.

        For queries whose rows for one value do not depend on the other values (no aggregate,
        ``LIMIT`` or ordering across them): traversal binds the claims or places a question
        selected. Oxigraph plans a larger ``VALUES`` block as a pass over the whole store (at
        1M triples, 1,000 claims take 0.1 s and 2,000 take 19 s). No values, no rows.

        Examples
        --------
        >>> from graph import query as named
        >>> text = named.get("claim-details").sparql
        >>> flow = named.expand_iri("kb:flow-ocindex-2021-mali-arms-libya")
        >>> [r["certainty"].rsplit("/", 1)[1] for r in kg.rows_each(text, "claim", [flow])]
        ['reported']
        """
        values = list(values)
        for start in range(0, len(values), VALUES_BLOCK):
            bound = {**(bindings or {}), variable: values[start:start + VALUES_BLOCK]}
            yield from self.execute(sparql, bound).iterdicts()

    def query(self, query: str, params: Mapping[str, Any] | None = None,
              **kwargs: Any) -> list[dict[str, Any]]:
        """Run a named query, a ``.rq`` file or SPARQL text and return rows as dictionaries.

        Parameters
        ----------
        query : str
            The name of a named query (see ``tkg query --list``), a path to a ``.rq`` file,
            or SPARQL text.
        params, **kwargs
            Parameter values. For named queries and ``.rq`` files they are checked against
            the documented parameters and converted (entity names are resolved to IRIs);
            for SPARQL text they are bound as given (use :class:`graph.backends.IRI` for IRIs).

        Returns
        -------
        list of dict
            One dictionary per row; IRIs are :class:`~graph.backends.IRI` strings, literals
            plain Python values, unbound variables ``None``.

        Raises
        ------
        graph.errors.QueryError
            Malformed SPARQL, a failed query, or a bad parameter value.
        graph.errors.UnknownName
            An unknown parameter name.
        graph.errors.EntityNotFound
            An entity parameter that matches nothing (with suggestions).

        Examples
        --------
        >>> rows = kg.query("flows", commodity="cocaine")
        >>> any(r["flow"].endswith("mali-cocaine-latin-america") for r in rows)
        True
        """
        values = {**(params or {}), **kwargs}
        from graph.layouts import Rows  # a list that Jupyter shows as the CLI's table

        prepared = self._named(query)
        if prepared is None:
            return Rows(self.execute(query, values).dicts())
        bindings = named.bind_all(prepared, values, self._resolver(prepared))
        return Rows(self.execute(prepared.sparql, bindings).dicts())

    def frame(self, query: str, params: Mapping[str, Any] | None = None, **kwargs: Any):
        """Like :meth:`query`, as a pandas ``DataFrame``.

        Needs pandas (``pip install '.[pandas]'``); without it, raises
        :class:`~graph.errors.MissingExtra` with that hint.
        """
        from graph.extras import need

        pd = need("pandas", "pandas", "kg.frame()")

        rows = self.query(query, params, **kwargs)
        return pd.DataFrame(rows)

    def _named(self, query: str) -> named.NamedQuery | None:
        text = query.strip()
        if text.endswith(".rq") and "\n" not in text:
            path = Path(text)
            if not path.is_file():
                raise QueryError(f"{path}: no such query file")
            return named.parse_query_file(path)
        if text and all(c.isalnum() or c in "-_" for c in text):
            return named.get(text)
        return None

    def _resolver(self, query: named.NamedQuery):
        return self.resolve

    # -- what is derived from the graph's state ------------------------------------------

    @property
    def ontology(self) -> Ontology:
        """The ontology model of this graph (:class:`graph.ontology.Ontology`), read once.

        Classes and their hierarchy, the commodity and place hierarchies, certainty and
        reliability grades in order, presentation hints and the Index's indicators, read by
        one named query on first use and kept with the graph (see :meth:`cached`).

        Examples
        --------
        >>> [g.label for g in kg.ontology.certainty]
        ['confirmed', 'reported', 'likely', 'suspected', 'unsubstantiated']
        """
        from graph.ontology import read_ontology

        return self.cached("ontology", lambda: read_ontology(self))

    def cached(self, key: Hashable, build: Callable[[], _T]) -> _T:
        """A value derived from this graph's state, built by ``build()`` once per ``key``.

        The one cache of derived values: the :attr:`ontology`, the claims snapshot of
        :mod:`graph.claims`, the projections of :mod:`graph.traverse`. It lives as long as
        the graph; :meth:`clear_cache` forgets it after the store behind the graph changed.

        Examples
        --------
        >>> kg.cached(("example", 1), lambda: 42)
        42
        """
        with _LOCK:
            store = self.__dict__.setdefault("_derived", {})
            if key not in store:
                store[key] = build()
            return store[key]

    def is_cached(self, key: Hashable) -> bool:
        """Whether :meth:`cached` holds a value for ``key``."""
        with _LOCK:
            return key in self.__dict__.get("_derived", {})

    def clear_cache(self) -> None:
        """Forget every value derived from the graph's state (ontology, claims, projections).

        Call it after changing the store behind the graph; the next use reads them afresh.
        """
        with _LOCK:
            self.__dict__.pop("_derived", None)
            self.__dict__.pop("_scoped", None)

    # -- entities ------------------------------------------------------------------------

    @cached_property
    def index(self) -> EntityIndex:
        """Index of every labelled entity, built on first use (and cached with the graph)."""
        from graph import cache

        stored = cache.store_path(self.key, ".index.json") if self.key else None
        data = cache.read_json(stored) if stored else None
        if data is not None:
            return EntityIndex.from_json(data)
        index = self._build_index()
        if stored:
            cache.write_json(stored, index.to_json())
        return index

    def _scoped_index(self, classes: tuple[str, ...]) -> EntityIndex:
        """An index of the instances of ``classes`` only, for resolving one parameter.

        On a large graph the full :attr:`index` costs seconds to read; a parameter such as
        a commodity or a certainty grade only needs the names of its own class, read by one
        query. Matching and suggestions work as in the full index, from that class's names.
        """
        scoped = self.__dict__.setdefault("_scoped", {})
        found = scoped.get(classes)
        if found is None:
            names, types = [], []
            for cls in classes:
                for row in self.query("_class-members", root=IRI(cls)):
                    names.append((row["entity"], row["kind"], str(row["name"])))
                    types.append((row["entity"], row["class"]))
            found = scoped[classes] = self._entity_index(names, types)
        return found

    def _entity_index(self, names, types) -> EntityIndex:
        """An index of ``names`` and ``types``, classes and lookup ranks from the ontology."""
        onto = self.ontology
        return EntityIndex(names, types, onto.subclass_pairs(), dict(onto.classes),
                           onto.found_by_id)

    def index_of(self, iris: Iterable[str]) -> EntityIndex:
        """An index of just ``iris`` (their names, classes and kinds), read by two queries.

        Traversal uses it to label the entities of the claims a question selected without
        reading the whole :attr:`index`. Labels and kinds are those of the full index.
        """
        wanted = sorted({str(i) for i in iris if i})
        if "index" in self.__dict__ or not self.backend.binds_many:
            return self.index
        entities = [IRI(i) for i in wanted]
        names = [(r["entity"], r["kind"], str(r["name"]))
                 for r in self.rows_each(named.get("_entity-names").sparql, "entity", entities)]
        types = [(r["entity"], r["class"])
                 for r in self.rows_each(named.get("_entity-classes").sparql, "entity", entities)]
        return self._entity_index(names, types)

    def _build_index(self) -> EntityIndex:
        names = [(r["entity"], r["kind"], str(r["name"])) for r in self.query("_entity-names")]
        types = [(r["entity"], r["class"]) for r in self.query("_entity-types")]
        # Claims, passages and figures are found by id (pres:foundById): by name, actors,
        # places and concepts win.
        return self._entity_index(names, types)

    def resolve(self, name: str, classes: Iterable[str] = ()) -> IRI:
        """The IRI of the entity called ``name`` (label, alternative label, code or id).

        ``classes`` restricts the match to instances of those classes (IRIs or prefixed
        names such as ``tkg:Place``).

        Raises
        ------
        graph.errors.EntityNotFound
            If nothing matches; the message suggests close names.
        graph.errors.AmbiguousEntity
            If several entities match equally well.

        Examples
        --------
        >>> kg.resolve("ARE")
        IRI('https://w3id.org/tkg/place/ARE')
        >>> kg.resolve("Malli")
        Traceback (most recent call last):
        ...
        graph.errors.EntityNotFound: no entity matches 'Malli'; did you mean 'Mali'...
        """
        expanded = tuple(named.expand_iri(c) for c in classes)
        if expanded and "index" not in self.__dict__:
            try:
                return self._scoped_index(expanded).resolve(name, expanded)
            except EntityNotFound:
                pass  # the full index can say what the name is instead ("Mali is a country")
        return self.index.resolve(name, expanded)

    def label(self, iri: str) -> str:
        """The English label of ``iri`` (its prefixed name when it has none)."""
        return self.index.label(iri)

    def kind(self, iri: str) -> str:
        """The label of the most specific ontology class of ``iri``, e.g. ``'armed group'``."""
        return self.index.kind(iri)

    def is_a(self, iri: str, cls: str) -> bool:
        """Whether ``iri`` is an instance of class ``cls`` (IRI or prefixed name)."""
        return self.index.is_a(iri, named.expand_iri(cls))

    def entity(self, iri: str) -> dict[str, Any]:
        """A plain description of one entity: id, prefixed id, label, type."""
        return {"id": IRI(iri), "label": self.label(iri), "type": self.kind(iri),
                "prefixed": prefixed(iri)}

    def search(self, text: str, limit: int = 50) -> list[dict[str, Any]]:
        """Entities whose label, alternative label or description contains ``text``.

        Examples
        --------
        >>> kg.search("Islamic Maghreb")[0]["prefixed"]
        'kb:actor-aqim'
        """
        return self.cached("search-table", self._search_table).search(text, limit)

    def _search_table(self):
        """The folded names and descriptions text search scans, kept on disk per store state
        (a later process searches without reading the entity index)."""
        from graph import cache
        from graph.lookup import SearchTable

        stored = cache.store_path(self.key, ".search.json") if self.key else None
        rows = cache.read_json(stored) if stored else None
        if rows is not None:
            return SearchTable(rows)
        descriptions = {r["entity"]: str(r["text"]) for r in self.query("_descriptions")}
        table = SearchTable.of(self.index, descriptions)
        if stored:
            cache.write_json(stored, table.rows)
        return table

    # -- traversal (shortcuts to graph.traverse, so notebooks read naturally) ------------

    def flows(self, **filters: Any) -> list[dict[str, Any]]:
        """Flows matching ``filters``; see :func:`graph.traverse.flows`.

        Examples
        --------
        >>> any("Libya" in [o["label"] for o in f["origins"]] for f in kg.flows(commodity="arms"))
        True
        """
        from graph.traverse import flows

        return flows(self, **filters)

    def routes(self, source: str, target: str, **options: Any) -> list[dict[str, Any]]:
        """Multi-leg routes from ``source`` to ``target``; see :func:`graph.traverse.routes`."""
        from graph.traverse import routes

        return routes(self, source, target, **options)

    def who(self, name: str, **options: Any) -> list[dict[str, Any]]:
        """Actors involved in a commodity or at a place; see :func:`graph.traverse.who`."""
        from graph.traverse import who

        return who(self, name, **options)

    def country(self, name: str, **options: Any) -> dict[str, Any]:
        """A country's scores, flows and actors; see :func:`graph.traverse.country`."""
        from graph.traverse import country

        return country(self, name, **options)

    def flow_network(self, commodity: str | None = None, min_certainty: str | None = None):
        """The flow network as a networkx MultiDiGraph; see :func:`graph.traverse.flow_network`."""
        from graph.traverse import flow_network

        return flow_network(self, commodity=commodity, min_certainty=min_certainty)

    # -- views ---------------------------------------------------------------------------

    def show(self, **filters: Any):
        """Render the interactive route map inline in Jupyter (see :func:`graph.views.show`).

        Filters are those of :func:`graph.views.view`: ``commodity``, ``country``, ``actor``,
        ``layout`` ("geo" or "force"), ``min_certainty``.
        """
        from graph.views import show

        return show(self, **filters)

    # -- output --------------------------------------------------------------------------

    def serialize(self, path: str | Path, fmt: str = "nquads") -> Path:
        """Write the whole graph (named graphs included for N-Quads and TriG) to ``path``."""
        path = Path(path)
        self.backend.dump(path, fmt)
        return path

    @property
    def rdflib_graph(self):
        """The graph as an rdflib ``Dataset`` for code that wants the rdflib API."""
        if hasattr(self.backend, "dataset"):
            return self.backend.dataset
        return self.backend.rdflib_graph

    def close(self) -> None:
        """Release the backend."""
        self.backend.close()
