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
    ``max_hops`` small on dense graphs. On a backend that binds many values the legs are
    read from the store as the search reaches them (one query per step), and only the flows
    of the routes found are read in full: the same routes as from the whole snapshot.
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
        self.commodity = commodity
        self.commodities = onto.descendants(commodity) if commodity else None
        self.min_level = min_level
        self.lazy = steps is None
        #: "from"/"to" -> place -> the legs leaving it (arriving in it): steps given, or the
        #: rows read (leg, flow, index, from, to).
        self.known: dict[str, dict[str, list]] = {"from": {}, "to": {}}
        #: flow -> (label, first commodity, certainty), or None when the filters drop it.
        self.flows: dict[str, tuple[str, IRI | None, IRI | None] | None] = {}
        self.steps: dict[str, _Step | None] = {}
        for step in steps or ():
            if not _related(onto, step.leg.source, step.leg.target):
                self.known["from"].setdefault(step.leg.source, []).append(step)
                self.known["to"].setdefault(step.leg.target, []).append(step)

    def departures(self, places, into: set[str] | None = None) -> dict[str, list[_Step]]:
        """The legs leaving each of ``places`` (only those into ``into``, when given)."""
        return self._select("from", places, into)

    def arrivals(self, places) -> dict[str, list[_Step]]:
        """The legs arriving in each of ``places``."""
        return self._select("to", places, None)

    def _select(self, variable: str, places, into: set[str] | None) -> dict[str, list[_Step]]:
        known = self.known[variable]
        if not self.lazy:
            return {p: [s for s in known.get(p, ()) if into is None or s.leg.target in into]
                    for p in places}
        wanted = sorted(p for p in places if p not in known)
        if wanted:
            for place in wanted:
                known[place] = []
            read: dict[str, dict[str, Any]] = {}
            bindings: dict[str, Any] = {}
            name = f"_route-legs-{variable}"
            if self.commodity:  # the store drops the other commodities' legs
                name, bindings["wanted"] = f"{name}-commodity", self.commodity
            query = named.get(name).sparql
            for row in self.kg.rows_each(query, variable, [IRI(p) for p in wanted], bindings):
                flow = read.setdefault(row["flow"], {"label": row["label"],
                                                     "certainty": row["certainty"],
                                                     "commodities": [], "legs": set()})
                if row["commodity"] is not None and row["commodity"] not in flow["commodities"]:
                    flow["commodities"].append(row["commodity"])
                if row["leg"] not in flow["legs"]:
                    flow["legs"].add(row["leg"])
                    known[row[variable]].append((row["leg"], row["flow"], row["index"],
                                                 row["from"], row["to"]))
            self._describe(read)
        found = {}
        for place in places:
            steps = [step for step in map(self._step, known[place])
                     if step is not None and (into is None or step.leg.target in into)]
            steps.sort(key=lambda step: step.order)
            found[place] = steps
        return found

    def _step(self, row: tuple) -> _Step | None:
        leg, flow, index, source, target = row
        found = self.steps.get(leg, self)
        if found is self:
            about = self.flows.get(flow)
            if about is None or _related(self.onto, source, target):
                found = None
            else:
                found = _Step(Leg(IRI(leg), IRI(flow), int(index), IRI(source), IRI(target)),
                              IRI(flow), about[1], about[2], about[0])
            self.steps[leg] = found
        return found

    def _describe(self, read: dict[str, dict[str, Any]]) -> None:
        """Keep the label, first commodity and certainty of the flows ``read`` (``None`` for
        a flow the filters drop)."""
        levels = self.onto.levels
        several = {c for iri, flow in read.items() if iri not in self.flows
                   and len(flow["commodities"]) > 1 for c in flow["commodities"]}
        names = self.kg.index_of(several) if several else None
        for iri, flow in read.items():
            if iri in self.flows:
                continue
            self.flows[iri] = None
            grade = flow["certainty"]
            if self.min_level is not None and (levels.get(grade, 0) if grade else 0) \
                    < self.min_level:
                continue
            commodities = flow["commodities"]
            if self.commodities is not None and self.commodities.isdisjoint(commodities):
                continue
            if len(commodities) > 1:  # the snapshot's first commodity: by label, then IRI
                commodities = sorted(commodities, key=lambda c: (names.label(c).casefold(), c))
            self.flows[iri] = (str(flow["label"] or ""),
                               IRI(commodities[0]) if commodities else None,
                               IRI(grade) if grade else None)


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
            following = []
            for arriving in legs.arrivals(frontier).values():
                for step in arriving:
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

    def within(hops: int) -> set[str] | None:
        """The places at most ``hops`` legs from a target, when known (else ``None``)."""
        if hops > layer["depth"] and not layer["done"]:
            return None
        return {p for p, n in need.items() if n <= hops}

    into: dict[str, list[_Step]] = {}  # legs into a target, by departure, once read

    def last(place: str) -> list[_Step]:
        """The legs leaving ``place`` into a target."""
        if not into:
            into[""] = []  # read
            for arriving in legs.arrivals(sorted(targets)).values():
                for step in arriving:
                    into.setdefault(step.leg.source, []).append(step)
            for items in into.values():
                items.sort(key=lambda step: step.order)
        return into.get(place, [])

    continuations: dict[tuple[str, int], list[_Step]] = {}

    def onward(place: str, budget: int) -> list[_Step]:
        """Legs that may follow an arrival at ``place``: leaving it, a whole or a part of it,
        into a place from which a target can still be reached in ``budget`` more legs."""
        found = continuations.get((place, budget - 1))
        if found is None:
            around = sorted(near(place))
            if budget == 1:
                found = [step for p in around for step in last(p)]
            else:
                leaving = legs.departures(around, within(budget - 1))
                found = [step for p in around for step in leaving[p]]
            continuations[(place, budget - 1)] = found
        return found

    leaving = legs.departures(sorted(sources))
    firsts = [step for p in sorted(sources) for step in leaving[p]]
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
        for step in onward(leg.target, budget):
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
