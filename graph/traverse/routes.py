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

from collections import defaultdict, deque
from typing import Any

from graph.claims import Leg, Model, model
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
    m = model(kg)
    min_level = m.min_level(min_certainty)
    start = m.resolve(source, "tkg:Place")
    end = m.resolve(target, "tkg:Place")
    commodity_iri = m.resolve(commodity, "tkg:Commodity")
    legs = [(leg, claim) for claim in m.select_flows(commodity=commodity_iri, min_level=min_level)
            for leg in claim.legs if not _related(m, leg.source, leg.target)]
    found = _search(m, legs, m.descendants(start, "partOf"), m.descendants(end, "partOf"),
                    max_hops, limit)
    records, shown = [], set()
    for route in found:
        record = _record(m, route)
        # The same stops through the same flows, joined the other way round at a junction
        # (into Guinea then out of West Africa, or into West Africa then out of Guinea),
        # is one route for a reader: keep the first.
        key = (record["label"], frozenset(f["id"] for f in record["flows"]))
        if key not in shown:
            shown.add(key)
            records.append(record)
    return Rows(records, "routes")


def _related(m: Model, a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are the same place or one lies inside the other."""
    return a in m.ancestors(b, "partOf") or b in m.ancestors(a, "partOf")


def _search(m: Model, legs, sources: frozenset[str], targets: frozenset[str],
            max_hops: int, limit: int) -> list[list[tuple[Leg, Any]]]:
    departures: dict[str, list] = defaultdict(list)
    for leg, claim in legs:
        departures[leg.source].append((leg, claim))
    places = {p for leg, _ in legs for p in (leg.source, leg.target)}

    related: dict[str, frozenset[str]] = {}

    def near(place: str) -> frozenset[str]:
        """``place``, its wholes and its parts (memoised for the search)."""
        found = related.get(place)
        if found is None:
            found = related[place] = m.ancestors(place, "partOf") | m.descendants(place,
                                                                                  "partOf")
        return found

    def onward(place: str) -> list:
        """Legs that may follow an arrival at ``place``: leaving it, a whole or a part of it."""
        return [item for p in sorted(near(place)) for item in departures.get(p, ())]

    continuations = {p: onward(p) for p in places}
    # Hops still needed after arriving at a place (0 in the target): reverse breadth-first.
    reverse: dict[str, set[str]] = defaultdict(set)
    for place, items in continuations.items():
        for leg, _ in items:
            reverse[leg.target].add(place)
    need = {p: 0 for p in places if p in targets}
    queue = deque(need)
    while queue:
        place = queue.popleft()
        for previous in reverse.get(place, ()):
            if previous not in need and previous not in targets:
                need[previous] = need[place] + 1
                queue.append(previous)
    firsts = [item for p in sorted(sources) for item in departures.get(p, ())]
    found: list[list] = []
    seen: set[tuple] = set()

    def extend(path: list, visited: frozenset[str], budget: int) -> None:
        if len(found) >= limit:
            return
        leg, claim = path[-1]
        if leg.target in targets:
            if budget == 0:
                key = tuple(item[0].id for item in path)
                if key not in seen:
                    seen.add(key)
                    found.append(list(path))
            return
        if budget == 0 or need.get(leg.target, max_hops + 1) > budget:
            return
        family = m.family(claim.first("commodity"))
        for item in continuations.get(leg.target, ()):
            nxt, nclaim = item
            if not near(nxt.target).isdisjoint(visited):
                continue  # back into a place passed, or into its part or whole
            if nxt.source != leg.target and len(near(nxt.source) & visited) > 1:
                continue  # a junction that climbs over places passed before the arrival
            if nclaim.id != claim.id and not family & m.family(nclaim.first("commodity")):
                continue
            path.append(item)
            extend(path, visited | {nxt.source, nxt.target}, budget - 1)
            path.pop()

    for hops in range(1, max_hops + 1):
        for item in firsts:
            leg = item[0]
            needed = 0 if leg.target in targets else need.get(leg.target)
            if needed is None or needed + 1 > hops:
                continue
            extend([item], frozenset((leg.source, leg.target)), hops - 1)
        if len(found) >= limit:
            break
    found.sort(key=lambda r: (len(r), -min(m.level(c.certainty) for _, c in r),
                              [m.label(leg.target) for leg, _ in r]))
    return found[:limit]


def _record(m: Model, route: list) -> dict[str, Any]:
    hops = []
    for leg, claim in route:
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
    weakest = min((claim for _, claim in route), key=lambda c: m.level(c.certainty))
    flows, sources = [], []
    for (_, claim), hop in zip(route, hops, strict=True):
        if hop["flow"] not in flows:
            flows.append(hop["flow"])
            sources.extend(dict(s) for s in claim.sources if s not in sources)
    label = " → ".join(s["label"] + (f" (in {s['within']['label']})" if "within" in s else "")
                       for s in stops)
    return {"label": label, "stops": stops, "path": path, "hops": hops,
            "length": len(hops), "flows": flows,
            "certainty": certainty_record(m, weakest.certainty), "sources": sources}
