"""Brokers and chokepoints of the flow network.

* :func:`brokers` ranks places by betweenness centrality (Freeman 1977): how often a place
  lies on the shortest paths between other places of the flow network.
* :func:`chokepoints` ranks places by how many origin→destination pairs of the flows
  would be cut off if the place were removed (computed with dominator trees).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.backends.base import IRI
from graph.claims import model, whole
from graph.errors import QueryError
from graph.traverse.projections import flow_network

__all__ = ["brokers", "chokepoints"]


def _simple(network):
    """The flow network as a simple directed graph (one edge per pair of places)."""
    import networkx as nx

    simple = nx.DiGraph()
    simple.add_nodes_from(network.nodes(data=True))
    for u, v in network.edges():
        if u != v:
            if simple.has_edge(u, v):
                simple[u][v]["legs"] += 1
            else:
                simple.add_edge(u, v, legs=1)
    return simple


def _check_top(top: int | None) -> None:
    if top is not None and (not isinstance(top, int) or isinstance(top, bool) or top < 1):
        raise QueryError(f"top must be a positive integer, got {top!r}")


def brokers(kg, commodity: str | None = None, min_certainty: str | None = None,
            top: int | None = None, normalized: bool = True) -> list[dict[str, Any]]:
    """Places ranked by betweenness centrality on the flow network.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    commodity : str, optional
        Only flows of this commodity or a narrower one.
    min_certainty : str, optional
        Only flows graded at least this certain.
    top : int, optional
        Return only the first ``top`` places.
    normalized : bool
        Divide by the number of ordered pairs of other places, ``(n-1)(n-2)``, as
        networkx does for directed graphs (default True).

    Returns
    -------
    list of dict
        Places with a betweenness above zero, highest first: ``place`` ({id, label,
        type}), ``betweenness``, ``in_legs`` and ``out_legs`` (legs arriving and leaving).

    Examples
    --------
    >>> "Northern Mali" in [r["place"]["label"] for r in brokers(kg, commodity="cocaine")]
    True

    Notes
    -----
    The multigraph of legs is reduced to a simple directed graph first (one edge per pair
    of places), so betweenness counts distinct place-to-place links, not how many flows
    use them; paths may chain legs of different flows, as trafficking routes do.

    References
    ----------
    .. [1] L. C. Freeman, "A set of measures of centrality based on betweenness",
       Sociometry 40 (1), 35-41, 1977. https://doi.org/10.2307/3033543
    .. [2] U. Brandes, "A faster algorithm for betweenness centrality", Journal of
       Mathematical Sociology 25 (2), 163-177, 2001 (the algorithm networkx uses).
    """
    import networkx as nx

    _check_top(top)
    simple, arriving, leaving = _network(kg, commodity, min_certainty)
    scores = nx.betweenness_centrality(simple, normalized=normalized)
    places = [p for p, score in scores.items() if score > 0]
    names = model(kg) if whole(kg) else kg.index_of(places)
    rows = [{"place": {"id": IRI(p), "label": names.label(p), "type": names.kind(p)},
             "betweenness": round(scores[p], 6),
             "in_legs": arriving.get(p, 0), "out_legs": leaving.get(p, 0)} for p in places]
    rows.sort(key=lambda r: (-r["betweenness"], r["place"]["label"].casefold()))
    return rows[:top] if top else rows


def _network(kg, commodity: str | None, min_certainty: str | None):
    """The flow network as a simple directed graph, with the legs arriving in and leaving
    each place (self-loops included, as the multigraph's degrees count them).

    From the whole snapshot's :func:`~graph.traverse.flow_network` when it is read or the
    backend cannot bind many values; otherwise from three flat queries (``_network-flows``,
    ``_network-places``, ``_network-legs``) without reading the claims' details.
    """
    from collections import Counter

    import networkx as nx

    if whole(kg):
        network = flow_network(kg, commodity, min_certainty)
        return (_simple(network), dict(network.in_degree()), dict(network.out_degree()))
    onto = kg.ontology
    grade = None if not min_certainty else kg.resolve(str(min_certainty),
                                                       classes=("tkg:CertaintyGrade",))
    if grade is not None and grade not in onto.levels:
        raise QueryError(f"certainty grade {min_certainty!r} has no tkg:level in the graph")
    min_level = None if grade is None else onto.levels[grade]
    commodities = None
    if commodity:
        commodities = onto.descendants(kg.resolve(str(commodity), classes=("tkg:Commodity",)))
    facets: dict[str, dict[str, Any]] = {}
    for row in kg.query("_network-flows"):
        flow = facets.setdefault(row["flow"], {"certainty": row["certainty"], "commodities": set()})
        if row["commodity"] is not None:
            flow["commodities"].add(row["commodity"])
    selected = set()
    for iri, flow in facets.items():
        level = onto.levels.get(flow["certainty"], 0) if flow["certainty"] else 0
        if min_level is not None and level < min_level:
            continue
        if commodities is not None and commodities.isdisjoint(flow["commodities"]):
            continue
        selected.add(iri)
    simple = nx.DiGraph()
    for row in kg.query("_network-places"):
        if row["flow"] in selected:
            simple.add_node(row["place"])
    arriving: Counter = Counter()
    leaving: Counter = Counter()
    legs = set()
    for row in kg.query("_network-legs"):
        if row["flow"] not in selected or row["leg"] in legs:
            continue
        legs.add(row["leg"])
        u, v = row["from"], row["to"]
        leaving[u] += 1
        arriving[v] += 1
        simple.add_node(u)
        simple.add_node(v)
        if u != v:
            if simple.has_edge(u, v):
                simple[u][v]["legs"] += 1
            else:
                simple.add_edge(u, v, legs=1)
    return simple, arriving, leaving


def chokepoints(kg, commodity: str | None = None, min_certainty: str | None = None,
                top: int | None = None) -> list[dict[str, Any]]:
    """Places whose removal disconnects the most origin→destination pairs of the flows.

    The pairs are those the flows themselves state: each first stop of a flow (an origin,
    or the start of its route) with each last stop (a destination, or the end of its
    route). A pair is cut by a place when every path from the origin to the destination in
    the (filtered) flow network passes through that place.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    commodity : str, optional
        Only flows of this commodity or a narrower one.
    min_certainty : str, optional
        Only flows graded at least this certain.
    top : int, optional
        Return only the first ``top`` places.

    Returns
    -------
    list of dict
        Places that cut at least one pair, most first: ``place`` ({id, label, type}: the
        place removed), ``pairs_cut``, ``pairs_connected`` (how many pairs the network
        connects at all), ``share`` (``pairs_cut / pairs_connected``) and ``pairs`` (list
        of {origin, destination, label, path, flows}: each pair cut, a shortest path between
        them through the place, as "A → B → C", and the flows that state the pair, {id,
        label}).

    Examples
    --------
    >>> rows = chokepoints(kg, commodity="cocaine")
    >>> [p["label"] for r in rows if r["place"]["label"] == "Northern Mali" for p in r["pairs"]]
    ['Latin America → Middle East']

    Notes
    -----
    A place ``p`` separates ``s`` from ``t`` exactly when it strictly dominates ``t`` in
    the dominator tree of the network rooted at ``s``, so one dominator tree per origin
    (Cooper, Harvey and Kennedy's algorithm in networkx) answers every pair at once,
    instead of removing each place in turn.

    References
    ----------
    .. [1] K. D. Cooper, T. J. Harvey, K. Kennedy, "A simple, fast dominance algorithm",
       Software Practice & Experience 4, 2001.
    """
    import networkx as nx

    _check_top(top)
    m = model(kg)
    network = flow_network(kg, commodity, min_certainty)
    simple = _simple(network)
    pairs: dict[str, set[str]] = defaultdict(set)
    for flow in sorted({data["flow"] for _, _, data in network.edges(data=True)}):
        legs = m.claims[flow].legs
        first, last = min(leg.index for leg in legs), max(leg.index for leg in legs)
        for a in {leg.source for leg in legs if leg.index == first}:
            for b in {leg.target for leg in legs if leg.index == last}:
                if a != b:
                    pairs[a].add(b)
    stated: dict[tuple[str, str], list[str]] = defaultdict(list)
    for flow in sorted({data["flow"] for _, _, data in network.edges(data=True)}):
        legs = m.claims[flow].legs
        first, last = min(leg.index for leg in legs), max(leg.index for leg in legs)
        for a in {leg.source for leg in legs if leg.index == first}:
            for b in {leg.target for leg in legs if leg.index == last}:
                if a != b and flow not in stated[(a, b)]:
                    stated[(a, b)].append(flow)
    cut: dict[str, list[tuple[str, str]]] = defaultdict(list)
    connected = 0
    for origin in sorted(pairs):
        dominators = nx.immediate_dominators(simple, origin)
        for destination in sorted(pairs[origin]):
            if destination not in dominators:
                continue
            connected += 1
            node = dominators[destination]
            while node != origin:
                cut[node].append((origin, destination))
                node = dominators[node]
    rows = []
    for place, cut_pairs in cut.items():
        pairs = []
        for a, b in cut_pairs:
            path = nx.shortest_path(simple, a, b)  # every path passes through the place
            pairs.append({"origin": m.ref(a), "destination": m.ref(b),
                          "label": f"{m.label(a)} → {m.label(b)}",
                          "path": " → ".join(m.label(p) for p in path),
                          "flows": [{"id": f, "label": m.claims[f].label}
                                    for f in stated[(a, b)]]})
        rows.append({
            "place": m.typed(place), "pairs_cut": len(cut_pairs),
            "pairs_connected": connected,
            "share": round(len(cut_pairs) / connected, 6) if connected else 0.0,
            "pairs": pairs})
    rows.sort(key=lambda r: (-r["pairs_cut"], r["place"]["label"].casefold()))
    return rows[:top] if top else rows
