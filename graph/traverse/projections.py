"""Projections of the knowledge graph into networkx graphs.

* :func:`flow_network` — places as nodes, one edge per leg of each flow;
* :func:`actor_commodity_graph` and :func:`actor_market_graph` — bipartite graphs of actors
  and what they trade;
* :func:`full_graph` — every entity with typed edges.

Node ids are IRIs; labels and everything else are attributes. Projections are built from a
few flat SPARQL queries and cached per graph and arguments: treat the returned graphs as
read-only (``G.copy()`` before changing one).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from graph.claims import Model, cached, model, quiet_gc, rows
from graph.query import expand_iri
from graph.traverse.flows import period_record

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["actor_commodity_graph", "actor_market_graph", "flow_network", "full_graph"]



def flow_network(kg, commodity: str | None = None,
                 min_certainty: str | None = None) -> nx.MultiDiGraph:
    """The flow network: places as nodes, one edge per leg of each flow.

    A flow from an origin through transits to a destination gives one edge per leg
    (origin → first transit → … → destination), keyed by the leg's IRI. A flow that names
    places but has no leg (an origin without a destination, say) adds its places as nodes.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    commodity : str, optional
        Only flows of this commodity or a narrower one.
    min_certainty : str, optional
        Only flows graded at least this certain; actors on the edges are filtered by the
        grade of their own involvement.

    Returns
    -------
    networkx.MultiDiGraph
        Node attributes: ``label``, ``type``, ``lat``, ``lon`` (floats or None), ``iso3``.
        Edge attributes (key: the leg IRI): ``flow``, ``flow_label``, ``leg_index``,
        ``commodity``, ``commodity_label``, ``certainty``, ``certainty_label``,
        ``certainty_level``, ``description``, ``start``, ``end``, ``actors`` (list of
        {id, label, type, role}), ``sources`` (list of {document, section, paragraph}).

    Examples
    --------
    >>> G = flow_network(kg, commodity="cocaine")
    >>> sorted(G.nodes[v]["label"] for v in G.successors("https://w3id.org/tkg/place/MLI-north"))
    ['Europe', 'Middle East']
    >>> flow_network(kg, commodity="arms").nodes["https://w3id.org/tkg/place/LBY"]["iso3"]
    'LBY'
    """
    m = model(kg)
    min_level = m.min_level(min_certainty)
    target = m.resolve(commodity, "tkg:Commodity")
    return cached(kg, ("flow_network", target, min_level),
                  lambda: _quietly(_flow_network, m, target, min_level))


def _flow_network(m: Model, commodity: str | None, min_level: int | None):
    import networkx as nx

    net = nx.MultiDiGraph(commodity=commodity, min_level=min_level)
    for claim in m.select_flows(commodity=commodity, min_level=min_level):
        for facet in ("origin", "transit", "destination"):
            for place in claim.values.get(facet, ()):
                _add_place(m, net, place)
        if not claim.legs:
            continue
        grade = claim.certainty
        commodity_iri = claim.first("commodity")
        base = {
            "flow": claim.id,
            "flow_label": claim.label,
            "commodity": commodity_iri,
            "commodity_label": m.label(commodity_iri) if commodity_iri else None,
            "certainty": grade,
            "certainty_label": m.label(grade) if grade else None,
            "certainty_level": m.levels.get(grade),
            "description": claim.first("description"),
            "start": claim.first("startYear"),
            "end": claim.first("endYear"),
            "period": period_record(claim.first("startYear"), claim.first("endYear"))["label"],
            "actors": m.actors(claim, min_level),
            "sources": [dict(s) for s in claim.sources],
        }
        for leg in claim.legs:
            _add_place(m, net, leg.source)
            _add_place(m, net, leg.target)
            net.add_edge(leg.source, leg.target, key=leg.id, leg_index=leg.index, **base)
    return net


def _add_place(m: Model, net, place: str) -> None:
    if place in net:
        return
    info = m.place_info.get(place, {})
    net.add_node(place, label=m.label(place), type=m.kind(place),
               lat=_float(info.get("lat")), lon=_float(info.get("long")),
               iso3=info.get("iso3"))


def _float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def actor_commodity_graph(kg, min_certainty: str | None = None) -> nx.Graph:
    """Bipartite graph of actors and the commodities of the claims they are involved in.

    Flows and activities count; an activity with several commodities links the actor to
    each. An edge carries the claims behind it, the roles played and the strongest grade.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    min_certainty : str, optional
        Only involvements whose grade (the involvement's own, else the claim's) is at
        least this certain.

    Returns
    -------
    networkx.Graph
        Nodes have ``bipartite`` (0 actors, 1 commodities), ``kind`` ("actor" or
        "commodity"), ``label`` and ``type``. Edges have ``claims`` (IRIs), ``roles``
        (labels), ``weight`` (number of claims) and ``certainty_level`` (the strongest).

    Examples
    --------
    >>> B = actor_commodity_graph(kg)
    >>> sorted(B.nodes[c]["label"] for c in B["https://w3id.org/tkg/kb/actor-armed-groups-mali"])[:3]
    ['Ammunition', 'Arms', 'Cannabis resin']
    """
    m = model(kg)
    min_level = m.min_level(min_certainty)
    return cached(kg, ("actor_commodity", min_level),
                  lambda: _quietly(_bipartite, m, min_level, "commodity",
                                   lambda claim: claim.values.get("commodity", ())))


def actor_market_graph(kg, min_certainty: str | None = None) -> nx.Graph:
    """Bipartite graph of actors and the Index criminal markets they take part in.

    An actor reaches a market through the claims it is involved in: the commodities of
    flows and activities (through their broader concepts to ``tkg:market``), an activity's
    own ``tkg:market``, and the market of its activity type.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    min_certainty : str, optional
        Only involvements at least this certain (the involvement's own grade, else the
        claim's).

    Returns
    -------
    networkx.Graph
        Nodes have ``bipartite`` (0 actors, 1 markets), ``kind`` ("actor" or "market"),
        ``label`` and ``type``; edges ``claims``, ``roles``, ``weight``, ``certainty_level``.

    Examples
    --------
    >>> B = actor_market_graph(kg)
    >>> B.degree("https://w3id.org/tkg/kb/actor-armed-groups-mali") >= 4
    True
    """
    m = model(kg)
    min_level = m.min_level(min_certainty)
    return cached(kg, ("actor_market", min_level),
                  lambda: _quietly(_bipartite, m, min_level, "market", m.claim_markets))


def _bipartite(m: Model, min_level: int | None, kind: str, targets) -> nx.Graph:
    import networkx as nx

    bip = nx.Graph(kind=f"actor-{kind}", min_level=min_level)
    for claim in m.claims.values():
        things = sorted(targets(claim))
        if not things:
            continue
        for inv in claim.involvements:
            grade = m.involvement_certainty(claim, inv)
            if not m.passes(grade, min_level):
                continue
            if inv.actor not in bip:
                bip.add_node(inv.actor, bipartite=0, kind="actor", label=m.label(inv.actor),
                           type=m.kind(inv.actor))
            for thing in things:
                if thing not in bip:
                    bip.add_node(thing, bipartite=1, kind=kind, label=m.label(thing),
                               type=m.kind(thing))
                data = bip.get_edge_data(inv.actor, thing)
                if data is None:
                    bip.add_edge(inv.actor, thing, claims=[], roles=[], weight=0,
                               certainty_level=0)
                    data = bip[inv.actor][thing]
                if claim.id not in data["claims"]:
                    data["claims"].append(claim.id)
                    data["weight"] += 1
                for role in inv.roles:
                    label = m.label(role)
                    if label not in data["roles"]:
                        data["roles"].append(label)
                data["certainty_level"] = max(data["certainty_level"], m.level(grade))
    return bip


def full_graph(kg, min_certainty: str | None = None) -> nx.MultiDiGraph:
    """The heterogeneous graph: every entity of the graph, with typed edges.

    Nodes are the instances of the ontology's classes (actors, claims, places, concepts,
    passages, documents, score observations). Edges are the triples between them, keyed
    by the property IRI, plus one ``involved in`` edge per actor involvement (actor →
    claim, with its roles and grade). Derived shortcut properties that abbreviate an n-ary
    node (``tkg:qualifiedForm``: legs, involvements, actor relations) are left out, as are
    the legs themselves: the claims and their edges carry the same information.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    min_certainty : str, optional
        Leave out claims (and their edges) below this grade, and involvements whose own
        grade (else the claim's) is below it.

    Returns
    -------
    networkx.MultiDiGraph
        Node attributes: ``label``, ``type`` (most specific class label), ``category``
        (label of its most general ontology class: actor, claim, place, commodity...),
        ``classes`` (IRIs); claims also ``certainty`` and ``certainty_level``; places
        ``lat``, ``lon``, ``iso3``. Edge attributes: ``predicate`` (IRI), ``relation``
        (its label); involvement edges also ``roles`` and ``certainty``.

    Examples
    --------
    >>> G = full_graph(kg)
    >>> flow = "https://w3id.org/tkg/kb/flow-ocindex-2021-mali-arms-libya"
    >>> sorted({d["relation"] for _, _, d in G.out_edges(flow, data=True)})[:3]
    ['certainty', 'commodity', 'destination']
    >>> G.nodes[flow]["category"]
    'claim'
    """
    m = model(kg)
    min_level = m.min_level(min_certainty)
    return cached(kg, ("full_graph", min_level), lambda: _quietly(_full_graph, m, min_level))


def _quietly(build, *args):
    with quiet_gc():
        return build(*args)


def _full_graph(m: Model, min_level: int | None):
    import networkx as nx

    kg = m.kg
    classes: dict[str, set[str]] = defaultdict(set)
    for row in rows(kg, "graph-entities"):
        classes[row["entity"]].add(row["class"])
    collapsed = {cls for cls in m.qualified_forms.values()
                 if not m.ontology.is_subclass(cls, expand_iri("tkg:Claim"))}
    shortcuts = set(m.qualified_forms)
    passage_labels = {s["passage"]: s["label"] for c in m.claims.values() for s in c.sources}
    full = nx.MultiDiGraph(min_level=min_level)
    categories: dict[frozenset, str] = {}
    for entity, types in classes.items():
        if types & collapsed:
            continue
        claim = m.claims.get(entity)
        if claim is not None and not m.passes(claim.certainty, min_level):
            continue
        key = frozenset(types)
        if key not in categories:
            categories[key] = _category(m, types)
        attrs = {"label": passage_labels.get(entity) or m.label(entity),
                 "type": m.kind(entity), "category": categories[key], "classes": sorted(types)}
        if claim is not None:
            attrs["certainty"] = claim.certainty
            attrs["certainty_level"] = m.levels.get(claim.certainty)
        info = m.place_info.get(entity)
        if info:
            attrs.update(lat=_float(info.get("lat")), lon=_float(info.get("long")),
                         iso3=info.get("iso3"))
        full.add_node(entity, **attrs)
    for row in rows(kg, "graph-edges"):
        s, p, o = row["subject"], row["predicate"], row["object"]
        if p in shortcuts or s not in full or o not in full:
            continue
        full.add_edge(s, o, key=p, predicate=p, relation=m.label(p))
    involved = expand_iri("tkg:involvedIn")
    relation = kg.label(involved)
    for claim in m.claims.values():
        if claim.id not in full:
            continue
        for inv in claim.involvements:
            grade = m.involvement_certainty(claim, inv)
            if inv.actor not in full or not m.passes(grade, min_level):
                continue
            full.add_edge(inv.actor, claim.id, key=involved, predicate=involved,
                       relation=relation, roles=[m.label(r) for r in inv.roles],
                       certainty=grade)
    return full


def _category(m: Model, types: set[str]) -> str:
    """Label of the most general class of ours above ``types`` (e.g. 'actor', 'place')."""
    tops = [m.ontology.root(cls) or cls for cls in types]
    return m.label(min(tops)) if tops else ""
