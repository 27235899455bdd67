"""Multi-leg routes chained across flows: how a commodity can get from one place to another.

A route is a sequence of legs, each from a (possibly different) flow, where every leg
starts where the previous one arrived — at the same place, or at a place that contains it
or lies inside it (a leg into northern Mali continues with a leg out of Mali, since
``tkg:partOf``) — and carries the same commodity family. Such a junction is one stop, shown
as "Northern Mali (in Mali)"; a step between a place and its own part or whole is never a
leg, and a route never comes back into a place it has passed, nor into one of its parts or
wholes, so it cannot climb up and down the place hierarchy.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, NamedTuple

from graph import query as named
from graph.backends.base import IRI
from graph.claims import Leg, Model, model, scoped, whole
from graph.errors import QueryError
from graph.layouts import Rows
from graph.traverse.flows import certainty_record

__all__ = ["routes"]

#: Default bound on the number of legs in a route.
MAX_HOPS = 6
#: Default bound on the number of routes returned.
LIMIT = 100


def routes(kg, source: str, target: str, commodity: str | None = None,
           min_certainty: str | None = None, max_hops: int = MAX_HOPS,
           limit: int = LIMIT) -> list[dict[str, Any]]:
    """Routes from ``source`` to ``target``, chaining legs of flows through shared places.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    source, target : str
        Places (label, code or IRI). A route starts with a leg leaving the source or one of
        its parts, and ends with the first leg that arrives in the target or one of its parts.
    commodity : str, optional
        Only legs of flows of this commodity or a narrower one.
    min_certainty : str, optional
        Only legs of flows graded at least this certain.
    max_hops : int
        Longest route searched, in legs (default 6). The search is bounded: routes
        longer than this are not found even when they exist.
    limit : int
        At most this many routes are returned (default 100); shorter routes are found first.

    Returns
    -------
    list of dict
        Sorted by length, then by weakest certainty (strongest first). Each route has
        ``label`` ("A → B (in C) → D"), ``stops`` (one {id, label} per stop; a junction
        between two places, one inside the other, adds ``within``: the outer place),
        ``path`` (every place in order, {id, label}), ``hops`` (list of {from, to, flow,
        commodity, certainty, leg}), ``length`` (the number of legs), ``flows`` (the
        distinct flows used, {id, label}), ``certainty`` (the weakest grade along the route,
        {id, label, level}) and ``sources`` (the passages the flows cite, as in
        :func:`~graph.traverse.flows`).

    Raises
    ------
    graph.errors.EntityNotFound
        If a place or commodity matches nothing.
    graph.errors.QueryError
        If ``max_hops`` or ``limit`` is not a positive integer.

    Examples
    --------
    >>> found = routes(kg, "Latin America", "Europe", commodity="cocaine")
    >>> "Latin America → Northern Mali → Europe" in [r["label"] for r in found]
    True
    >>> plausible = "Northern Mali (in Mali) → Agadez Region (in Niger) → Algeria"
    >>> any(plausible in r["label"] for r in found)
    True
    >>> {h["commodity"]["label"] for r in routes(kg, "Libya", "Mali", commodity="arms")
    ...  for h in r["hops"]} >= {"Arms", "Ammunition"}
    True

    Notes
    -----
    Consecutive legs must share a commodity family: the Index markets of their commodities
    (through ``skos:broader``), or, for commodities without a market, their top concepts;
    so arms and ammunition chain, cocaine and cannabis resin do not. A leg may follow an
    arrival at place ``a`` when it departs from ``a``, from a place containing ``a`` or from
    a part of ``a``; every other place of the route must be unrelated to the places before
    it (not the same, not a part, not a whole), so no place is passed twice, even under
    another name, and legs of a flow between a place and its own part (Libya → southern
    Libya) are not counted as legs. The search enumerates simple paths of 1, 2, …
    ``max_hops`` legs, pruned by the distance still needed to reach the target, so its cost
    grows with the number of routes, not with the size of the graph alone; keep
    ``max_hops`` small on dense graphs.
    """
    for name, value in (("max_hops", max_hops), ("limit", limit)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise QueryError(f"{name} must be a positive integer, got {value!r}")
    onto = kg.ontology
    min_level = _min_level(kg, min_certainty)
    start = _resolve(kg, source, "tkg:Place")
    end = _resolve(kg, target, "tkg:Place")
    commodity_iri = _resolve(kg, commodity, "tkg:Commodity")
    if whole(kg):
        m = model(kg)
        legs = _Legs(kg, commodity_iri, min_level, steps=[
            _Step(leg, claim.id, claim.first("commodity"), claim.certainty, claim.label)
            for claim in m.select_flows(commodity=commodity_iri, min_level=min_level)
            for leg in claim.legs])
    else:
        m = None
        legs = _Legs(kg, commodity_iri, min_level)
    found = _search(onto, legs, onto.descendants(start, "partOf"),
                    onto.descendants(end, "partOf"), max_hops, limit)
    if m is None:
        # Only the flows of the routes found are read in full (details, labels, sources).
        m = scoped(kg, sorted({step.flow for route in found for step in route}))
    found.sort(key=lambda r: (len(r), -min(m.level(s.certainty) for s in r),
                              [m.label(s.leg.target) for s in r]))
    records, shown = [], set()
    for route in found[:limit]:
        record = _record(m, route)
        # The same stops through the same flows, joined the other way round at a junction
        # (into Guinea then out of West Africa, or into West Africa then out of Guinea),
        # is one route for a reader: keep the first.
        key = (record["label"], frozenset(f["id"] for f in record["flows"]))
        if key not in shown:
            shown.add(key)
            records.append(record)
    return Rows(records, "routes")


class _Step(NamedTuple):
    """A leg as the search sees it: the leg, its flow, the flow's commodity, grade, label."""

    leg: Leg
    flow: IRI
    commodity: IRI | None
    certainty: IRI | None
    label: str

    @property
    def order(self) -> tuple:
        """Where the whole snapshot puts the leg: flows by label, legs by position."""
        return (self.label.casefold(), self.flow, self.leg.index, self.leg.source,
                self.leg.target)


def _resolve(kg, name: str | None, cls: str) -> IRI | None:
    return None if name is None or name == "" else kg.resolve(str(name), classes=(cls,))


def _min_level(kg, min_certainty: str | None) -> int | None:
    """The level of a grade name or IRI (as :meth:`graph.claims.Model.min_level`)."""
    if min_certainty is None or min_certainty == "":
        return None
    grade = kg.resolve(str(min_certainty), classes=("tkg:CertaintyGrade",))
    levels = kg.ontology.levels
    if grade not in levels:
        raise QueryError(f"certainty grade {min_certainty!r} has no tkg:level in the graph")
    return levels[grade]


class _Legs:
    """The legs the search may use (flows passing the filters; never between a place and
    its own part or whole), by departure and by arrival, in the whole snapshot's order.

    Given ``steps``, they are all there is; otherwise the legs leaving or arriving in a
    place are read from the store the first time the search asks (``_route-legs-from``,
    ``_route-legs-to``: one query per step of the search, bound to the places asked).
    """

    def __init__(self, kg, commodity: IRI | None, min_level: int | None,
                 steps: list[_Step] | None = None):
        self.kg = kg
        self.onto = onto = kg.ontology
        self.commodities = onto.descendants(commodity) if commodity else None
        self.min_level = min_level
        self.lazy = steps is None
        #: place -> the legs leaving it (arriving in it), once read.
        self.leaving: dict[str, list[_Step]] = {}
        self.arriving: dict[str, list[_Step]] = {}
        self._labels: dict[str, str] = {}
        for step in steps or ():
            self._add(step)

    def _add(self, step: _Step) -> None:
        if not _related(self.onto, step.leg.source, step.leg.target):
            self.leaving.setdefault(step.leg.source, []).append(step)
            self.arriving.setdefault(step.leg.target, []).append(step)

    def departures(self, places) -> None:
        """Make sure every leg leaving ``places`` is known."""
        self._read("from", self.leaving, places)

    def arrivals(self, places) -> None:
        """Make sure every leg arriving in ``places`` is known."""
        self._read("to", self.arriving, places)

    def _read(self, variable: str, known: dict[str, list[_Step]], places) -> None:
        wanted = sorted(p for p in places if p not in known) if self.lazy else ()
        if not wanted:
            return
        for place in wanted:
            known[place] = []
        flows: dict[str, dict[str, Any]] = {}
        query = named.get(f"_route-legs-{variable}").sparql
        for row in self.kg.execute(query, {variable: [IRI(p) for p in wanted]}).iterdicts():
            flow = flows.get(row["flow"])
            if flow is None:
                flow = flows[row["flow"]] = {"label": row["label"], "certainty": row["certainty"],
                                             "commodities": [], "legs": {}}
            if row["commodity"] is not None and row["commodity"] not in flow["commodities"]:
                flow["commodities"].append(row["commodity"])
            if row["leg"] not in flow["legs"]:
                flow["legs"][row["leg"]] = Leg(IRI(row["leg"]), IRI(row["flow"]),
                                               int(row["index"]), IRI(row["from"]),
                                               IRI(row["to"]))
        onto, levels = self.onto, self.onto.levels
        kept = []
        for iri, flow in flows.items():
            grade = flow["certainty"]
            if self.min_level is not None and (levels.get(grade, 0) if grade else 0) \
                    < self.min_level:
                continue
            if self.commodities is not None and self.commodities.isdisjoint(flow["commodities"]):
                continue
            kept.append((iri, flow))
        self._label_commodities({c for _, flow in kept if len(flow["commodities"]) > 1
                                 for c in flow["commodities"]})
        found = []
        for iri, flow in kept:
            commodities = flow["commodities"]
            if len(commodities) > 1:  # the snapshot's first commodity: by label, then IRI
                commodities = sorted(commodities,
                                     key=lambda c: (self._labels[c].casefold(), c))
            first = IRI(commodities[0]) if commodities else None
            grade = IRI(flow["certainty"]) if flow["certainty"] else None
            label = str(flow["label"] or "")
            found.extend(_Step(leg, IRI(iri), first, grade, label)
                         for leg in flow["legs"].values())
        found.sort(key=lambda step: step.order)
        for step in found:
            if not _related(onto, step.leg.source, step.leg.target):
                known[step.leg.source if variable == "from" else step.leg.target].append(step)

    def _label_commodities(self, commodities: set[str]) -> None:
        missing = {c for c in commodities if c not in self._labels}
        if missing:
            index = self.kg.index_of(missing)
            self._labels.update({c: index.label(c) for c in missing})


def _related(onto, a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are the same place or one lies inside the other."""
    return a in onto.ancestors(b, "partOf") or b in onto.ancestors(a, "partOf")


def _family(onto, commodity: str | None) -> frozenset[str]:
    """What counts as one commodity family (as :meth:`graph.claims.Model.family`)."""
    markets = onto.markets(commodity)
    if markets:
        return frozenset(markets)
    return frozenset(t for t in onto.ancestors(commodity) if not onto.broader.get(t))


#: A layer of the reverse search wider than this many places is not read: a bound serves.
_WIDE = 16


def _search(onto, legs: _Legs, sources: frozenset[str], targets: frozenset[str],
            max_hops: int, limit: int) -> list[list[_Step]]:
    """Routes of 1, 2, … ``max_hops`` steps, at most ``limit``, in the order found.

    Depth-first from the legs leaving the sources, one more leg allowed per round; a branch
    is cut when the legs still needed to reach a target (reverse breadth-first over the
    arrivals, while its layers are narrow; beyond, a lower bound) exceed what is left.
    Cutting only branches that cannot reach a target, the search finds the same routes in
    the same order whatever it read, so only the legs it follows are read from the store.
    """
    related: dict[str, frozenset[str]] = {}

    def near(place: str) -> frozenset[str]:
        """``place``, its wholes and its parts (memoised for the search)."""
        found = related.get(place)
        if found is None:
            found = related[place] = (onto.ancestors(place, "partOf")
                                      | onto.descendants(place, "partOf"))
        return found

    families: dict[str | None, frozenset[str]] = {}

    def family(commodity: str | None) -> frozenset[str]:
        found = families.get(commodity)
        if found is None:
            found = families[commodity] = _family(onto, commodity)
        return found

    # Legs still needed after arriving at a place (0 in a target), layer by layer.
    need = dict.fromkeys(targets, 0)
    layer: dict[str, Any] = {"depth": 0, "frontier": sorted(targets), "done": False}

    def deepen(depth: int) -> None:
        while layer["depth"] < depth and not layer["done"]:
            frontier = layer["frontier"]
            if layer["depth"] > 0 and len(frontier) > _WIDE:
                return
            legs.arrivals(frontier)
            following = []
            for place in frontier:
                for step in legs.arriving.get(place, ()):
                    for previous in sorted(near(step.leg.source)):
                        if previous not in need:
                            need[previous] = layer["depth"] + 1
                            following.append(previous)
            layer["depth"] += 1
            layer["frontier"] = following
            layer["done"] = not following

    def bound(place: str) -> int:
        found = need.get(place)
        if found is not None:
            return found
        return max_hops + 1 if layer["done"] else layer["depth"] + 1

    legs.arrivals(targets)
    into: dict[str, list[_Step]] = defaultdict(list)  # legs into a target, by departure
    for place in targets:
        for step in legs.arriving.get(place, ()):
            into[step.leg.source].append(step)
    for items in into.values():
        items.sort(key=lambda step: step.order)
    continuations: dict[tuple[str, bool], list[_Step]] = {}

    def onward(place: str, final: bool) -> list[_Step]:
        """Legs that may follow an arrival at ``place``: leaving it, a whole or a part of it
        (only those into a target when ``final``)."""
        found = continuations.get((place, final))
        if found is None:
            around = sorted(near(place))
            if final:
                found = [step for p in around for step in into.get(p, ())]
            else:
                legs.departures(around)
                found = [step for p in around for step in legs.leaving.get(p, ())]
            continuations[(place, final)] = found
        return found

    legs.departures(sources)
    firsts = [step for p in sorted(sources) for step in legs.leaving.get(p, ())]
    found: list[list[_Step]] = []
    seen: set[tuple] = set()

    def extend(path: list[_Step], visited: frozenset[str], budget: int) -> None:
        if len(found) >= limit:
            return
        last = path[-1]
        leg = last.leg
        if leg.target in targets:
            if budget == 0:
                key = tuple(step.leg.id for step in path)
                if key not in seen:
                    seen.add(key)
                    found.append(list(path))
            return
        if budget == 0 or bound(leg.target) > budget:
            return
        current = family(last.commodity)
        for step in onward(leg.target, budget == 1):
            nxt = step.leg
            if not near(nxt.target).isdisjoint(visited):
                continue  # back into a place passed, or into its part or whole
            if nxt.source != leg.target and len(near(nxt.source) & visited) > 1:
                continue  # a junction that climbs over places passed before the arrival
            if step.flow != last.flow and not current & family(step.commodity):
                continue
            path.append(step)
            extend(path, visited | {nxt.source, nxt.target}, budget - 1)
            path.pop()

    for hops in range(1, max_hops + 1):
        deepen(hops - 1)
        for step in firsts:
            leg = step.leg
            if (0 if leg.target in targets else bound(leg.target)) + 1 > hops:
                continue
            extend([step], frozenset((leg.source, leg.target)), hops - 1)
        if len(found) >= limit:
            break
    return found


def _record(m: Model, route: list[_Step]) -> dict[str, Any]:
    hops = []
    for step in route:
        leg, claim = step.leg, m.claims[step.flow]
        hops.append({"from": m.ref(leg.source), "to": m.ref(leg.target),
                     "flow": {"id": claim.id, "label": claim.label},
                     "commodity": m.ref(claim.first("commodity")),
                     "certainty": certainty_record(m, claim.certainty), "leg": leg.id})
    path = [hops[0]["from"]]
    stops: list[dict[str, Any]] = [dict(hops[0]["from"])]
    for hop in hops:
        if hop["from"]["id"] != path[-1]["id"]:
            path.append(hop["from"])
            # A junction: the arrival and the departure, one inside the other, are one stop.
            inner, outer = path[-2], hop["from"]
            if inner["id"] in m.ancestors(outer["id"], "partOf"):
                inner, outer = outer, inner
            stops[-1] = {**inner, "within": outer}
        path.append(hop["to"])
        stops.append(dict(hop["to"]))
    claims = [m.claims[step.flow] for step in route]
    weakest = min(claims, key=lambda c: m.level(c.certainty))
    flows, sources = [], []
    for claim, hop in zip(claims, hops, strict=True):
        if hop["flow"] not in flows:
            flows.append(hop["flow"])
            sources.extend(dict(s) for s in claim.sources if s not in sources)
    label = " → ".join(s["label"] + (f" (in {s['within']['label']})" if "within" in s else "")
                       for s in stops)
    return {"label": label, "stops": stops, "path": path, "hops": hops,
            "length": len(hops), "flows": flows,
            "certainty": certainty_record(m, weakest.certainty), "sources": sources}
