"""The ontology model: classes, hierarchies, grades, places and presentation, read once per graph.

The ontology is data the code reads, as followthemoney reads its schema: one named query
(``ontology.rq``) fetches flat ``(term, relation, value)`` rows from the graph, and
:func:`read_ontology` turns them into one :class:`Ontology` in two passes (collect every
row, then derive orders and closures). The :class:`~graph.kg.KnowledgeGraph` owns it as
:attr:`~graph.kg.KnowledgeGraph.ontology`, built on first use, and every part of the
package (lookup, traversal, analysis, views, exports, the data generator) asks it instead
of reading the ontology with its own SPARQL or naming a class, grade or namespace in Python.

Because it is read through the graph's backend, it works the same on every backend and on a
workspace store, and it holds whatever vocabulary the graph holds: a certainty grade added to
``ontology/vocab/certainty.ttl`` (or to a workspace's own files) shows up here with its
level, with no code change. :func:`load_ontology` reads Turtle files (by default the bundled
ontology) through the same query on an in-memory store, for code that has no graph.

Presentation hints (``pres:colour``, ``pres:shape``, ``pres:dashPattern``,
``pres:palette``, ``pres:foundById``, ``pres:inDiagram``) come from
``ontology/presentation.ttl``, which is not loaded into graphs, overlaid with any the graph
states itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from graph.backends.base import IRI
from graph.lookup import expand_iri
from graph.prefixes import PREFIXES

__all__ = ["Grade", "Ontology", "bundled_hints", "load_ontology", "read_ontology"]

#: Relations of ``ontology.rq`` that hold a set of IRIs per term.
_SETS = ("subClassOf", "broader", "partOf", "market", "scheme", "type", "borders",
         "indexActorType")
#: Relations of ``ontology.rq`` that are presentation hints -> key in :attr:`Ontology.hints`.
_HINTS = {"colour": "colour", "shape": "shape", "dashes": "dashes", "palette": "palette",
          "foundById": "foundById", "inDiagram": "inDiagram"}


@dataclass(frozen=True)
class Grade:
    """One grade of an ordered scale (a certainty or a reliability grade)."""

    #: The grade's IRI.
    id: IRI
    #: Its English label.
    label: str
    #: Its ``tkg:level`` (higher is firmer).
    level: int
    #: The frame a generated text puts around a statement of this grade (``tkg:hedgeFrame``).
    hedge: str | None = None


@dataclass(frozen=True)
class Ontology:
    """The ontology of one graph as plain data; build it with :func:`read_ontology`.

    Mappings go from an IRI (a plain ``str``) to frozen sets or values and must not be
    changed: the object is shared by everything that reads the same graph.

    Examples
    --------
    >>> onto = kg.ontology
    >>> [g.label for g in onto.certainty][:2]
    ['confirmed', 'reported']
    >>> onto.narrower_than("https://w3id.org/tkg/vocab/commodity/cocaine",
    ...                    "https://w3id.org/tkg/vocab/commodity/drugs")
    True
    >>> onto.classes["https://w3id.org/tkg/ontology#ArmedGroup"]
    'armed group'
    """

    #: Our ontology's classes (``tkg:`` namespace) -> English label.
    classes: Mapping[str, str]
    #: Class -> its direct superclasses (every named class of the graph, ours or not).
    superclasses: Mapping[str, frozenset[str]]
    #: Property -> its declared range (``rdfs:range``, a class or datatype IRI).
    ranges: Mapping[str, str]
    #: Actor class -> the Index actor types it counts under (``tkg:indexActorType``).
    index_actor_types: Mapping[str, frozenset[str]]
    #: Concept -> its broader concepts (``skos:broader``).
    broader: Mapping[str, frozenset[str]]
    #: Place -> the places it lies in (``tkg:partOf``).
    part_of: Mapping[str, frozenset[str]]
    #: Commodity or activity type -> the Index markets stated on it (``tkg:market``).
    market_of: Mapping[str, frozenset[str]]
    #: Graded concept -> its ``tkg:level`` (certainty, reliability and credibility grades).
    levels: Mapping[str, int]
    #: Concept -> the concept schemes it is in (``skos:inScheme``).
    schemes: Mapping[str, frozenset[str]]
    #: Concept or place -> its classes (``rdf:type``).
    types: Mapping[str, frozenset[str]]
    #: Concept or place -> its English label (``skos:prefLabel``, ``rdfs:label``).
    labels: Mapping[str, str]
    #: Grade -> its hedge frame (``tkg:hedgeFrame``), such as ``"It is likely that {}."``.
    hedges: Mapping[str, str]
    #: Place -> ``{"lat", "long", "iso3"}`` where stated.
    place_info: Mapping[str, Mapping[str, Any]]
    #: Country -> the countries it borders (``tkg:borders``).
    borders: Mapping[str, frozenset[str]]
    #: Edition -> its year (``tkg:year``).
    years: Mapping[str, int]
    #: Roles that attribute wrongdoing (``tkg:incriminating true``).
    incriminating: frozenset[str]
    #: Shortcut property -> the n-ary class it abbreviates (``tkg:qualifiedForm``).
    qualified_forms: Mapping[str, str]
    #: Term -> presentation hints: ``colour``, ``shape``, ``dashes``, ``palette``,
    #: ``foundById``, ``inDiagram``.
    hints: Mapping[str, Mapping[str, Any]]
    _closures: dict = field(default_factory=dict, compare=False, repr=False)

    def __repr__(self) -> str:
        return (f"<Ontology classes={len(self.classes)} concepts={len(self.schemes)} "
                f"places={len(self.part_of)} grades={len(self.levels)}>")

    # -- hierarchies ----------------------------------------------------------------------

    def _up(self, relation: str) -> Mapping[str, frozenset[str]]:
        try:
            return {"broader": self.broader, "partOf": self.part_of,
                    "subClassOf": self.superclasses}[relation]
        except KeyError:
            from graph.errors import UnknownName

            raise UnknownName("relation", relation, ["broader", "partOf", "subClassOf"]) from None

    def _down(self, relation: str) -> Mapping[str, frozenset[str]]:
        key = ("down", relation)
        found = self._closures.get(key)
        if found is None:
            down: dict[str, set[str]] = defaultdict(set)
            for child, parents in self._up(relation).items():
                for parent in parents:
                    down[parent].add(child)
            found = self._closures[key] = {k: frozenset(v) for k, v in down.items()}
        return found

    def ancestors(self, term: str, relation: str = "broader") -> frozenset[str]:
        """``term`` and everything above it, following ``relation`` (cycle-safe).

        Parameters
        ----------
        term : str
            A concept, place or class IRI.
        relation : {"broader", "partOf", "subClassOf"}
            ``skos:broader`` between concepts, ``tkg:partOf`` between places,
            ``rdfs:subClassOf`` between classes.

        Raises
        ------
        graph.errors.UnknownName
            For another ``relation``.

        Examples
        --------
        >>> sorted(kg.ontology.ancestors("https://w3id.org/tkg/vocab/commodity/cocaine"))
        ['https://w3id.org/tkg/vocab/commodity/cocaine', 'https://w3id.org/tkg/vocab/commodity/drugs']
        """
        key = (relation, str(term))
        found = self._closures.get(key)
        if found is None:
            found = self._closures[key] = _reach(str(term), self._up(relation))
        return found

    def descendants(self, term: str, relation: str = "broader") -> frozenset[str]:
        """``term`` and everything below it: narrower concepts, parts of a place, subclasses.

        Examples
        --------
        >>> "https://w3id.org/tkg/place/MLI-north" in kg.ontology.descendants(
        ...     "https://w3id.org/tkg/place/MLI", "partOf")
        True
        """
        key = ("-" + relation, str(term))
        found = self._closures.get(key)
        if found is None:
            found = self._closures[key] = _reach(str(term), self._down(relation))
        return found

    def narrower_than(self, term: str, broader: str) -> bool:
        """Whether concept ``term`` is ``broader`` or lies below it on ``skos:broader``."""
        return str(broader) in self.ancestors(term)

    def is_subclass(self, cls: str, parent: str) -> bool:
        """Whether class ``cls`` is ``parent`` or one of its subclasses.

        Examples
        --------
        >>> from graph.namespaces import TKG
        >>> kg.ontology.is_subclass(TKG.Militia, TKG.Actor)
        True
        """
        return str(parent) in self.ancestors(cls, "subClassOf")

    def root(self, cls: str) -> str | None:
        """The top class of our ontology above ``cls`` (the kind of thing it is), or None.

        The kinds are whatever our classes without a superclass of ours are: actor, place,
        claim, passage, source document, concept classes such as commodity...

        Examples
        --------
        >>> from graph.namespaces import TKG
        >>> kg.ontology.root(TKG.TraffickingNetwork) == str(TKG.Actor)
        True
        >>> kg.ontology.root(TKG.Flow) == str(TKG.Claim)
        True
        """
        ours = [c for c in self.ancestors(cls, "subClassOf") if c in self.classes]
        tops = [c for c in ours if not any(p in self.classes for p in self.superclasses.get(c, ()))]
        return min(tops) if tops else None

    def kind(self, cls: str) -> str:
        """The label of :meth:`root` of ``cls``: "actor", "place", "claim", "commodity"...

        Empty for a class outside our ontology.

        Examples
        --------
        >>> from graph.namespaces import TKG
        >>> [kg.ontology.kind(c) for c in (TKG.Militia, TKG.Settlement, TKG.Flow, TKG.Commodity)]
        ['actor', 'place', 'claim', 'commodity']
        """
        top = self.root(cls)
        return self.classes.get(top, "") if top else ""

    def subclass_pairs(self) -> Iterator[tuple[str, str]]:
        """Every ``(class, direct superclass)`` pair."""
        for cls, parents in self.superclasses.items():
            for parent in parents:
                yield cls, parent

    def instances(self, cls: str) -> list[str]:
        """Concepts and places typed with ``cls`` or a subclass of it, sorted by IRI.

        Examples
        --------
        >>> from graph.namespaces import TKG
        >>> len(kg.ontology.instances(TKG.Country))
        193
        """
        wanted = self.descendants(cls, "subClassOf")
        return sorted(t for t, types in self.types.items() if types & wanted)

    # -- grades ---------------------------------------------------------------------------

    def grades(self, cls: str = "tkg:CertaintyGrade") -> tuple[Grade, ...]:
        """The grades of class ``cls`` (IRI or prefixed name), firmest (highest ``tkg:level``)
        first.

        Examples
        --------
        >>> [(g.label, g.level) for g in kg.ontology.grades("tkg:ReliabilityGrade")][:2]
        [('A - completely reliable', 6), ('B - usually reliable', 5)]
        """
        cls = str(expand_iri(cls))
        found = self._closures.get(("grades", str(cls)))
        if found is None:
            members = [g for g in self.instances(cls) if g in self.levels]
            found = tuple(Grade(IRI(g), self.labels.get(g, ""), self.levels[g], self.hedges.get(g))
                          for g in sorted(members, key=lambda g: (-self.levels[g], g)))
            self._closures[("grades", str(cls))] = found
        return found

    @property
    def certainty(self) -> tuple[Grade, ...]:
        """The certainty grades (``tkg:CertaintyGrade``), firmest first."""
        return self.grades("tkg:CertaintyGrade")

    @property
    def reliability(self) -> tuple[Grade, ...]:
        """The reliability grades of sources (``tkg:ReliabilityGrade``), most reliable first."""
        return self.grades("tkg:ReliabilityGrade")

    def level(self, grade: str | None) -> int | None:
        """The ``tkg:level`` of a grade, or None for an ungraded term or None."""
        return None if grade is None else self.levels.get(str(grade))

    def scale(self, grade: str) -> tuple[int, int] | None:
        """``(level, highest level in the grade's schemes)``, or None for an ungraded term.

        Examples
        --------
        >>> kg.ontology.scale("https://w3id.org/tkg/vocab/certainty/likely")
        (3, 5)
        """
        own = self.level(grade)
        if own is None:
            return None
        schemes = self.schemes.get(str(grade), frozenset())
        top = max((lv for g, lv in self.levels.items()
                   if self.schemes.get(g, frozenset()) & schemes), default=own)
        return own, top

    # -- Index ----------------------------------------------------------------------------

    @property
    def indicators(self) -> list[str]:
        """The Index's indicators (markets, actor types, resilience indicators, aggregates)."""
        return self.instances(expand_iri("tkg:IndexIndicator"))

    def markets(self, term: str) -> set[str]:
        """Index markets of a commodity or activity type, through its broader concepts.

        Examples
        --------
        >>> [kg.ontology.labels[m] for m in kg.ontology.markets(
        ...     "https://w3id.org/tkg/vocab/commodity/cocaine")]
        ['Cocaine trade']
        """
        return {m for t in self.ancestors(term) for m in self.market_of.get(t, ())}

    # -- presentation ---------------------------------------------------------------------

    @property
    def found_by_id(self) -> list[str]:
        """Classes whose instances are named by id (``pres:foundById``): lookup ranks them last."""
        return self.flagged("foundById")

    def flagged(self, hint: str) -> list[str]:
        """Terms on which the boolean presentation hint ``hint`` is true, sorted.

        Examples
        --------
        >>> from graph.namespaces import TKG
        >>> str(TKG.Flow) in kg.ontology.flagged("inDiagram")
        True
        """
        return sorted(t for t, h in self.hints.items() if h.get(hint) in (True, "true"))


def _reach(start: str, edges: Mapping[str, Iterable[str]]) -> frozenset[str]:
    """``start`` and every node reachable from it over ``edges`` (node -> its neighbours)."""
    seen, todo = {start}, [start]
    while todo:
        for following in edges.get(todo.pop(), ()):
            if following not in seen:
                seen.add(following)
                todo.append(following)
    return frozenset(seen)


def read_ontology(kg, hints: bool = True) -> Ontology:
    """Read the ontology of ``kg`` with the named query ``ontology`` (one query).

    Usually reached as :attr:`graph.kg.KnowledgeGraph.ontology`, which caches it.

    Parameters
    ----------
    kg : KnowledgeGraph
        Any loaded graph, on any backend.
    hints : bool
        Overlay the graph's hints on those of the bundled ``presentation.ttl``
        (``False``: the graph's own only).

    Returns
    -------
    Ontology

    Examples
    --------
    >>> read_ontology(kg) == kg.ontology
    True
    """
    return _build(_ontology_rows(kg), _bundled_hints() if hints else {})


def _ontology_rows(kg) -> list[dict[str, Any]]:
    """The rows of the ``ontology`` query, kept in the cache per state of the store (as the
    entity index is): a cold command on a large store then reads a small file instead of
    running the query (0.13 s at 1M triples)."""
    import contextlib

    from graph import cache
    from graph import query as named

    stored = cache.store_path(kg.key, ".ontology.json") if kg.key else None
    found = cache.read_json(stored) if stored else None
    if found is not None:
        # IRIs were written as {"iri": ...}: everything else is plain JSON
        return [{"term": t, "relation": r, "value": IRI(v["iri"]) if isinstance(v, dict) else v}
                for t, r, v in found]
    rows = kg.execute(named.get("ontology").sparql).dicts()
    if stored:
        encoded = [[str(r["term"]), str(r["relation"]),
                    {"iri": str(r["value"])} if isinstance(r["value"], IRI) else r["value"]]
                   for r in rows]
        # A value JSON cannot hold (a date...): nothing is written (write_json encodes
        # before it writes), and the store is read every time.
        with contextlib.suppress(TypeError, ValueError):
            cache.write_json(stored, encoded)
    return rows


def load_ontology(paths: Iterable[str | Path] | None = None, hints: bool = True) -> Ontology:
    """Read Turtle files (default: the bundled ontology) through :func:`read_ontology`.

    The files go into an in-memory store, so code without a graph (the data generator,
    documentation) reads the ontology the same way the graph does.

    Parameters
    ----------
    paths : iterable of str or Path, optional
        RDF files (format from the suffix, Turtle when unknown). Default:
        :func:`graph.resources.ontology_files`, what every graph loads besides its data.
    hints : bool
        Overlay on the bundled ``presentation.ttl`` hints, as :func:`read_ontology` does.

    Returns
    -------
    Ontology

    Raises
    ------
    graph.errors.ParseError
        If a file is not valid RDF (the message names the file and line).

    Examples
    --------
    >>> onto = load_ontology()
    >>> onto.certainty == kg.ontology.certainty
    True
    """
    from graph.backends.oxigraph import OxigraphBackend
    from graph.kg import KnowledgeGraph
    from graph.resources import RDF_SUFFIXES, ontology_files

    backend = OxigraphBackend()
    for path in (ontology_files() if paths is None else [Path(p) for p in paths]):
        backend.load(path, RDF_SUFFIXES.get(path.suffix, "turtle"))
    graph = KnowledgeGraph(backend)
    try:
        return read_ontology(graph, hints)
    finally:
        graph.close()


@lru_cache(maxsize=1)
def _bundled_hints() -> dict[str, dict[str, Any]]:
    from graph.resources import ontology_dir

    return dict(load_ontology([ontology_dir() / "presentation.ttl"], hints=False).hints)


def bundled_hints() -> dict[str, dict[str, Any]]:
    """The hints of the bundled ``ontology/presentation.ttl`` (a copy), read once.

    Term IRI -> ``{"colour", "shape", "dashes", "foundById"}`` as stated there. Graphs
    do not hold this file; :func:`read_ontology` lays a graph's own hints over these.

    Examples
    --------
    >>> bundled_hints()["https://w3id.org/tkg/vocab/certainty/likely"]
    {'dashes': '12 5'}
    """
    return {term: dict(hint) for term, hint in _bundled_hints().items()}


def _keep(target: dict, key: str, value: Any) -> None:
    """Keep one value per key: the least by text, so every backend's row order gives the same."""
    if key not in target or str(value) < str(target[key]):
        target[key] = value


def _build(rows: Iterable[Mapping[str, Any]], base_hints: Mapping[str, Mapping[str, Any]]
           ) -> Ontology:
    """Two passes: collect every row by relation, then derive (our classes, orders)."""
    sets: dict[str, dict[str, set[str]]] = {r: defaultdict(set) for r in _SETS}
    values: dict[str, dict[str, Any]] = defaultdict(dict)
    place_info: dict[str, dict[str, Any]] = defaultdict(dict)
    hints: dict[str, dict[str, Any]] = {k: dict(v) for k, v in base_hints.items()}
    own_hints: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in rows:
        term, relation, value = str(row["term"]), str(row["relation"]), row["value"]
        if relation in _SETS:
            sets[relation][term].add(str(value))
        elif relation in _HINTS:
            _keep(own_hints[term], _HINTS[relation], value)
        elif relation in ("lat", "long", "iso3"):
            _keep(place_info[term], relation, value)
        else:
            _keep(values[relation], term, value)
    for term, found in own_hints.items():
        hints[term] = {**hints.get(term, {}), **found}
    ours = PREFIXES["tkg"]
    labels = {t: str(v) for t, v in values["label"].items()}
    for cls, text in values["classLabel"].items():
        labels.setdefault(cls, str(text))

    def frozen(relation: str) -> dict[str, frozenset[str]]:
        return {k: frozenset(v) for k, v in sets[relation].items()}

    return Ontology(
        classes={c: str(t) for c, t in sorted(values["classLabel"].items()) if c.startswith(ours)},
        superclasses=frozen("subClassOf"),
        ranges={p: str(r) for p, r in sorted(values["range"].items())},
        index_actor_types=frozen("indexActorType"),
        broader=frozen("broader"),
        part_of=frozen("partOf"),
        market_of=frozen("market"),
        levels={g: int(v) for g, v in values["level"].items()},
        schemes=frozen("scheme"),
        types=frozen("type"),
        labels=labels,
        hedges={g: str(v) for g, v in values["hedgeFrame"].items()},
        place_info={k: dict(v) for k, v in place_info.items()},
        borders=frozen("borders"),
        years={e: int(v) for e, v in values["year"].items()},
        incriminating=frozenset(t for t, v in values["incriminating"].items()
                                if v is True or str(v).lower() == "true"),
        qualified_forms={p: str(c) for p, c in values["qualifiedForm"].items()},
        hints=hints,
    )
