"""The claims of a graph as plain data, read once per graph and shared by traversal and analysis.

:class:`Model` is a snapshot of every claim (flow, activity, actor relation, event,
finding) with its facets, actors, legs and sources. Five named queries (``claim-details``,
``claim-facets``, ``leg-stops``, ``involvements``, ``claim-evidence``) fetch flat rows; the
hierarchies and the certainty order come from the graph's ontology model
(:attr:`graph.kg.KnowledgeGraph.ontology`), so every backend gives the same answers,
including remote stores that cannot evaluate property paths over cyclic data.

The snapshot is kept in the graph's own cache (:meth:`graph.kg.KnowledgeGraph.cached`),
beside the ontology and the entity index: :func:`model` reads it once per graph,
:func:`clear_cache` forgets it. Public functions in :mod:`graph.traverse` and
:mod:`graph.analysis` check their arguments and call this.

Examples
--------
>>> m = model(kg)
>>> m is model(kg)
True
>>> cocaine = [c for c in m.flows() if "https://w3id.org/tkg/vocab/commodity/cocaine"
...            in c.values["commodity"]]
>>> len(cocaine) > 0
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graph import query as named
from graph.backends.base import IRI, quiet_gc
from graph.errors import QueryError
from graph.query import expand_iri

__all__ = ["Claim", "Involvement", "Leg", "Model", "cached", "clear_cache", "model", "overlaps",
           "parse_period", "quiet_gc", "rows", "scoped", "whole"]

_FLOW = expand_iri("tkg:Flow")
_CLAIM = expand_iri("tkg:Claim")
#: Columns of claim-details.rq whose facet name differs.
_FACET = {"start": "startYear", "end": "endYear"}
#: Facets whose values are places.
FLOW_PLACES = ("origin", "transit", "destination")
PLACE_FACETS = (*FLOW_PLACES, "place")


@dataclass
class Involvement:
    """One actor's part in a claim."""

    #: The actor.
    actor: IRI
    #: Role concepts, in a stable order.
    roles: list[IRI] = field(default_factory=list)
    #: The involvement's own certainty grade, when it differs from the claim's.
    certainty: IRI | None = None


@dataclass
class Leg:
    """One hop of a flow between consecutive places (materialised by the loader)."""

    #: The leg's IRI.
    id: IRI
    #: The flow it belongs to.
    flow: IRI
    #: Position along the flow, from 1 at the origins.
    index: int
    #: Where the leg starts.
    source: IRI
    #: Where the leg ends.
    target: IRI


@dataclass
class Claim:
    """A claim (flow, activity, actor relation, event, finding) with its facets grouped."""

    #: The claim's IRI.
    id: IRI
    #: Facet name -> values (see ``claim-details.rq`` and ``claim-facets.rq``).
    values: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    #: Actor involvements.
    involvements: list[Involvement] = field(default_factory=list)
    #: Passages: dicts with document, title, section, paragraph.
    sources: list[dict[str, Any]] = field(default_factory=list)
    #: Legs, by index (flows only).
    legs: list[Leg] = field(default_factory=list)

    def first(self, facet: str) -> Any:
        """The first value of ``facet`` or ``None``."""
        values = self.values.get(facet)
        return values[0] if values else None

    @property
    def is_flow(self) -> bool:
        return _FLOW in self.values.get("kind", ())

    @property
    def certainty(self) -> IRI | None:
        return self.first("certainty")

    @property
    def label(self) -> str:
        return str(self.first("label") or "")

    @property
    def places(self) -> set[str]:
        """Every place the claim names (origins, transits, destinations, places)."""
        return {p for f in PLACE_FACETS for p in self.values.get(f, ())}


class Model:
    """Claims, hierarchies and grades of one :class:`~graph.kg.KnowledgeGraph`, as plain data.

    With ``claims``, only those claims are read (each claim query bound to them), and only
    the entities they name are labelled: a question that selects a few claims of a large
    graph reads a few claims, not the graph (see :func:`scoped`).
    """

    def __init__(self, kg, claims: Iterable[str] | None = None):
        #: The graph the snapshot was read from.
        self.kg = kg
        #: The claims read, when not every claim (``None``: all of them).
        self.scope = None if claims is None else [IRI(c) for c in claims]
        #: Claim IRI -> :class:`Claim`.
        self.claims: dict[str, Claim] = {}
        #: The graph's ontology model (:class:`graph.ontology.Ontology`): hierarchies, grades.
        self.ontology = onto = kg.ontology
        #: term -> broader terms (skos:broader), place -> containing places (tkg:partOf).
        self.broader = onto.broader
        self.part_of = onto.part_of
        #: term -> Index markets stated on it (tkg:market).
        self.market_of = onto.market_of
        #: concept -> tkg:level (certainty and reliability grades).
        self.levels = onto.levels
        #: Ontology class -> its direct superclasses.
        self.superclasses = onto.superclasses
        #: Shortcut property -> the n-ary class it abbreviates (tkg:qualifiedForm).
        self.qualified_forms = onto.qualified_forms
        #: place -> {"lat", "long", "iso3"}.
        self.place_info = onto.place_info
        self._labels: dict[str, str] = {}
        self._kinds: dict[str, str] = {}
        self._index = None
        self._missed: set[str] = set()
        with quiet_gc():
            self._read()

    # -- reading ------------------------------------------------------------------------

    def _read(self) -> None:
        kg = self.kg
        single = ("kind", "label", "description", "certainty", "start", "end", "trend",
                  "magnitude")

        def scoped_rows(name: str, variable: str = "claim"):
            if self.scope is None:
                yield from rows(kg, name)
                return
            # In blocks of claims (kg.rows_each): each claim's rows come from one block.
            yield from kg.rows_each(named.get(name).sparql, variable, self.scope)

        for row in scoped_rows("claim-details"):
            claim = self.claims.get(row["claim"])
            if claim is None:
                claim = self.claims[row["claim"]] = Claim(IRI(row["claim"]))
            for key in single:
                value = row[key]
                if value is not None:
                    values = claim.values[_FACET.get(key, key)]
                    if value not in values:
                        values.append(value)
        for row in scoped_rows("claim-facets"):
            claim = self.claims.get(row["claim"])
            if claim is not None:
                values = claim.values[row["facet"]]
                if row["value"] not in values:
                    values.append(row["value"])
        involvements: dict[tuple[str, str], Involvement] = {}
        for row in scoped_rows("involvements"):
            claim = self.claims.get(row["claim"])
            if claim is None:
                continue
            key = (row["claim"], row["involvement"] or row["actor"])
            inv = involvements.get(key)
            if inv is None:
                inv = involvements[key] = Involvement(IRI(row["actor"]), [], row["certainty"])
                claim.involvements.append(inv)
            if row["role"] not in inv.roles:
                inv.roles.append(row["role"])
        if self.scope is not None:
            self._index = kg.index_of(self._named_entities())
        for claim in self.claims.values():
            claim.involvements.sort(key=lambda i: (self.label(i.actor).casefold(), i.actor))
        for row in scoped_rows("claim-evidence"):
            claim = self.claims.get(row["claim"])
            if claim is None:
                continue
            source = {"passage": row["passage"], "document": row["document"],
                      "title": row["title"],
                      "section": row["section"], "paragraph": row["paragraph"]}
            source["label"] = _source_label(source)
            if source not in claim.sources:
                claim.sources.append(source)
        for row in scoped_rows("leg-stops", "flow"):
            claim = self.claims.get(row["flow"])
            if claim is not None and not any(leg.id == row["leg"] for leg in claim.legs):
                claim.legs.append(Leg(IRI(row["leg"]), IRI(row["flow"]), int(row["index"]),
                                      IRI(row["from"]), IRI(row["to"])))
        for claim in self.claims.values():
            claim.legs.sort(key=lambda leg: (leg.index, leg.source, leg.target))
            # RDF keeps no order among repeated values: sort by label, the route by position.
            for facet in ("origin", "destination", "place", "commodity", "mode"):
                if len(claim.values.get(facet, ())) > 1:
                    claim.values[facet].sort(key=lambda v: (self.label(v).casefold(), v))
            transits = claim.values.get("transit")
            if transits and len(transits) > 1:
                transits.sort(key=lambda p: (_position(claim, p), self.label(p).casefold()))

    def _named_entities(self) -> set[str]:
        """Every IRI the read claims name, to label them (scoped models only)."""
        found: set[str] = set()
        for claim in self.claims.values():
            for facet, values in claim.values.items():
                if facet not in ("label", "description", "startYear", "endYear"):
                    found.update(v for v in values if isinstance(v, IRI))
            for inv in claim.involvements:
                found.add(inv.actor)
                found.update(inv.roles)
                if inv.certainty:
                    found.add(inv.certainty)
        return found

    # -- hierarchies --------------------------------------------------------------------

    def ancestors(self, term: str, relation: str = "broader") -> frozenset[str]:
        """``term`` and everything above it (skos:broader or tkg:partOf), cycle-safe."""
        return self.ontology.ancestors(term, relation)

    def descendants(self, term: str, relation: str = "broader") -> frozenset[str]:
        """``term`` and everything below it: narrower concepts, or the parts of a place."""
        return self.ontology.descendants(term, relation)

    def markets(self, term: str) -> set[str]:
        """Index markets of a commodity or activity type, through its broader concepts."""
        return self.ontology.markets(term)

    def family(self, commodity: str) -> frozenset[str]:
        """What counts as the same commodity family when chaining legs into routes.

        The Index markets of the commodity (through its broader concepts); a commodity
        with no market falls back to its top concepts.
        """
        markets = self.markets(commodity)
        if markets:
            return frozenset(markets)
        return frozenset(t for t in self.ancestors(commodity) if not self.broader.get(t))

    def claim_markets(self, claim: Claim) -> set[str]:
        """Markets a claim touches: through its commodities, its market, its activity types."""
        found = set(claim.values.get("market", ()))
        for term in (*claim.values.get("commodity", ()), *claim.values.get("activityType", ())):
            found |= self.markets(term)
        return found

    # -- arguments ----------------------------------------------------------------------

    def resolve(self, name: str | None, *classes: str) -> IRI | None:
        """Resolve a user's name for an entity of ``classes``; ``None`` passes through."""
        if name is None or name == "":
            return None
        return self.kg.resolve(str(name), classes=classes)

    # -- certainty ----------------------------------------------------------------------

    def level(self, grade: str | None) -> int:
        """The tkg:level of a grade (0 when unknown, so it fails every threshold)."""
        return self.levels.get(grade, 0) if grade else 0

    def min_level(self, min_certainty: str | None) -> int | None:
        """Resolve a grade name or IRI to its level; ``None`` passes through."""
        if min_certainty is None or min_certainty == "":
            return None
        grade = self.kg.resolve(str(min_certainty), classes=("tkg:CertaintyGrade",))
        if grade not in self.levels:
            raise QueryError(f"certainty grade {min_certainty!r} has no tkg:level in the graph")
        return self.levels[grade]

    def involvement_certainty(self, claim: Claim, involvement: Involvement) -> IRI | None:
        """The grade that holds for one actor: the involvement's own, else the claim's."""
        return involvement.certainty or claim.certainty

    def passes(self, grade: str | None, min_level: int | None) -> bool:
        return min_level is None or self.level(grade) >= min_level

    # -- selection ----------------------------------------------------------------------

    def flows(self) -> Iterable[Claim]:
        return (c for c in self.claims.values() if c.is_flow)

    def select_flows(self, *, commodity: str | None = None, origin: str | None = None,
                     transit: str | None = None, destination: str | None = None,
                     actor: str | None = None, min_level: int | None = None,
                     period: tuple[int | None, int | None] | None = None) -> list[Claim]:
        """Flows matching every given filter (arguments already resolved to IRIs)."""
        commodities = self.descendants(commodity) if commodity else None
        wanted = {facet: self.descendants(place, "partOf")
                  for facet, place in (("origin", origin), ("transit", transit),
                                       ("destination", destination)) if place}
        out = []
        for claim in self.flows():
            if not self.passes(claim.certainty, min_level):
                continue
            if commodities is not None and not commodities.intersection(
                    claim.values.get("commodity", ())):
                continue
            if any(not places.intersection(claim.values.get(facet, ()))
                   for facet, places in wanted.items()):
                continue
            if actor and not any(
                    inv.actor == actor
                    and self.passes(self.involvement_certainty(claim, inv), min_level)
                    for inv in claim.involvements):
                continue
            if period and not overlaps(claim, period):
                continue
            out.append(claim)
        out.sort(key=lambda c: (c.label.casefold(), c.id))
        return out

    # -- presentation -------------------------------------------------------------------

    def label(self, iri: str) -> str:
        """The label of ``iri`` (memoised :meth:`KnowledgeGraph.label`)."""
        found = self._labels.get(iri)
        if found is None:
            index = self._names(iri)
            found = self._labels[iri] = index.label(iri) if index else self.kg.label(iri)
        return found

    def kind(self, iri: str) -> str:
        """The most specific class label of ``iri`` (memoised :meth:`KnowledgeGraph.kind`)."""
        found = self._kinds.get(iri)
        if found is None:
            index = self._names(iri)
            found = self._kinds[iri] = index.kind(iri) if index else self.kg.kind(iri)
        return found

    def _names(self, iri: str):
        """The scoped model's index, holding ``iri`` if the graph names it (``None`` when the
        model reads every claim: the graph's full index serves it)."""
        index = self._index
        if index is not None and iri not in index.entities and iri not in self._missed:
            self._missed.add(iri)  # outside what the claims named: look it up alone
            index.entities.update(self.kg.index_of([iri]).entities)
        return index

    def ref(self, iri: str | None) -> dict[str, Any] | None:
        """``{"id", "label"}`` of an entity, or ``None``."""
        if iri is None:
            return None
        return {"id": IRI(iri), "label": self.label(iri)}

    def typed(self, iri: str) -> dict[str, Any]:
        """``{"id", "label", "type"}`` of an entity (type: its most specific class label)."""
        return {"id": IRI(iri), "label": self.label(iri), "type": self.kind(iri)}

    def actors(self, claim: Claim, min_level: int | None = None) -> list[dict[str, Any]]:
        """The involvements of ``claim`` that pass ``min_level``, as plain dicts."""
        out = []
        for inv in claim.involvements:
            grade = self.involvement_certainty(claim, inv)
            if not self.passes(grade, min_level):
                continue
            roles = [self.ref(r) for r in inv.roles]
            out.append({**self.typed(inv.actor),
                        "role": ", ".join(r["label"] for r in roles),
                        "roles": roles, "certainty": self.ref(grade)})
        return out


def rows(kg, name: str, bindings: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """Stream the rows of a named query as dicts (no list of all rows), variables bound to
    ``bindings`` as given (a list binds one variable to several values)."""
    yield from kg.execute(named.get(name).sparql, bindings).iterdicts()


def parse_period(period: Any) -> tuple[int | None, int | None] | None:
    """``2021``, ``"2015-2021"``, ``"2015-"``, ``(2015, None)`` -> ``(start, end)`` years."""
    if period is None or period == "":
        return None
    try:
        if isinstance(period, int):
            return (period, period)
        if isinstance(period, (tuple, list)) and len(period) == 2:
            lo, hi = (None if v in (None, "") else int(v) for v in period)
        else:
            text = str(period).strip().replace("\u2013", "-")
            lo_text, sep, hi_text = text.partition("-")
            lo = int(lo_text) if lo_text.strip() else None
            hi = (int(hi_text) if hi_text.strip() else None) if sep else lo
    except (TypeError, ValueError):
        raise QueryError(f"period {period!r} is not a year or a range such as 2015-2021") from None
    if lo is not None and hi is not None and lo > hi:
        raise QueryError(f"period {period!r} ends before it starts")
    return (lo, hi)


def overlaps(claim: Claim, period: tuple[int | None, int | None]) -> bool:
    """Whether the claim's years overlap ``period``; unstated years are open-ended."""
    lo, hi = period
    start, end = claim.first("startYear"), claim.first("endYear")
    if hi is not None and start is not None and int(start) > hi:
        return False
    return not (lo is not None and end is not None and int(end) < lo)


def _position(claim: Claim, place: str) -> int:
    # A route place at position p starts leg p + 1 and ends leg p (see 20-legs.ru).
    starts = [leg.index - 1 for leg in claim.legs if leg.source == place and leg.index > 1]
    if starts:
        return min(starts)
    ends = [leg.index for leg in claim.legs if leg.target == place]
    return min(ends) if ends else 0


def _source_label(source: dict[str, Any]) -> str:
    parts = [str(source.get("title") or source["document"])]
    if source.get("section"):
        parts.append(str(source["section"]))
    text = ", ".join(parts)
    if source.get("paragraph") is not None:
        text += f" ¶{source['paragraph']}"
    return text


def scoped(kg, claims: Iterable[str]) -> Model:
    """A snapshot of only ``claims`` of ``kg`` (not cached), or the whole cached snapshot when
    the backend cannot bind many values at once or the whole snapshot is already read."""
    return model(kg) if whole(kg) else Model(kg, claims)


def whole(kg) -> bool:
    """Whether questions on ``kg`` read the whole snapshot: it is read already, or the backend
    cannot bind many values at once (then :func:`scoped` gives it too).

    Examples
    --------
    >>> whole(kg) == (kg.is_cached("claims") or not kg.backend.binds_many)
    True
    """
    return kg.is_cached(_KEY) or not kg.backend.binds_many


#: The key of the whole snapshot in the graph's cache.
_KEY = "claims"


def model(kg) -> Model:
    """The snapshot of every claim of ``kg``, read on first use and kept in ``kg``'s cache."""
    return kg.cached(_KEY, lambda: Model(kg))


def cached(kg, key: Any, build) -> Any:
    """A value derived from the claims of ``kg`` (a projection), built once per ``key``."""
    model(kg)
    return kg.cached(("claims", key), build)


def clear_cache(kg) -> None:
    """Forget what was derived from ``kg``: its ontology, claims and projections.

    Same as :meth:`graph.kg.KnowledgeGraph.clear_cache`; call it after changing the store
    behind a graph. Each graph keeps its own cache, which goes when the graph goes.
    """
    kg.clear_cache()
