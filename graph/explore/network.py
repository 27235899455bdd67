"""An entity's neighbourhood as a network view that a click on a node can grow.

:func:`neighbourhood` gives the entities one edge away from an entity in the full graph
(:func:`graph.traverse.neighbours`), with the look of each node (:class:`graph.views.style.Styler`)
and the relation of each line. :func:`ego_network` turns one neighbourhood into the data of
a view page (:func:`graph.views.view_data`'s format, force layout), drawn by the same script
as ``tkg viz``; on the endpoint's entity pages a click on a node adds that node's
neighbourhood to the view (see ``graph/views/assets/view.js``, ``explore``).
"""

from __future__ import annotations

import zlib
from typing import Any

from graph.lookup import short_id

__all__ = ["ego_network", "neighbourhood"]

#: Neighbours one expansion adds at most (a certainty grade has thousands of claims).
LIMIT = 40
#: Colours of the relation lines (one per relation, chosen by its label).
_PALETTE = ("#3b5b85", "#b5651d", "#2e7d32", "#8e24aa", "#c62828", "#00838f", "#6d4c41",
            "#5c6bc0", "#9e9d24", "#ad1457")
#: Categories listed first when a neighbourhood is cut at :data:`LIMIT`.
_FIRST = ("actor", "place", "claim", "commodity", "source document", "passage")


def neighbourhood(kg, entity: str, limit: int = LIMIT) -> dict[str, Any]:
    """The entities one edge away from ``entity``, with their looks and relations.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    entity : str
        An id, IRI or name (:func:`graph.explore.find_entity`).
    limit : int
        Neighbours returned at most; actors, places, claims and commodities come first,
        then the rest by label. ``more`` says how many were left out.

    Returns
    -------
    dict
        ``id``, ``short``, ``label``; ``nodes`` (the entity first, then its neighbours:
        ``iri``, ``short``, ``label``, ``type``, ``style`` {key, label, shape, colour});
        ``edges`` (``from``, ``to`` (IRIs, in the direction of the statement),
        ``relation``, ``group`` {key, label, colour}); ``more`` (int).

    Raises
    ------
    graph.errors.EntityNotFound
        If ``entity`` matches nothing.

    Examples
    --------
    >>> around = neighbourhood(kg, "kb:flow-ocindex-2021-mali-arms-libya")
    >>> sorted(e["relation"] for e in around["edges"] if e["relation"] in ("origin", "destination"))
    ['destination', 'origin']
    """
    from graph.errors import EntityNotFound, QueryError
    from graph.explore.describe import find_entity
    from graph.traverse import neighbours
    from graph.views.style import Styler

    iri = str(find_entity(kg, entity))
    try:
        rows = neighbours(kg, iri, depth=1)
    except EntityNotFound:  # a node without a name (a passage): its edges in the same graph
        rows = _unnamed_neighbours(kg, iri)
    except QueryError:  # not in the graph of entities (an ontology term, a literal-only node)
        rows = []
    rows.sort(key=lambda r: (_rank(r["category"]), r["label"].casefold(), r["id"]))
    shown, more = rows[:max(0, int(limit))], max(0, len(rows) - max(0, int(limit)))
    styler = Styler(kg)
    index = kg.index_of([iri] + [str(r["id"]) for r in shown])
    nodes = [_node(styler, iri, index.label(iri), index.kind(iri))]
    edges = []
    for row in shown:
        other = str(row["id"])
        nodes.append(_node(styler, other, row["label"], row["type"]))
        ends = (iri, other) if row["direction"] == "out" else (other, iri)
        edges.append({"from": ends[0], "to": ends[1], "relation": row["relation"],
                      "group": _group(row["relation"])})
    return {"id": iri, "short": short_id(iri), "label": index.label(iri), "nodes": nodes,
            "edges": edges, "more": more}


def _unnamed_neighbours(kg, iri: str) -> list[dict[str, Any]]:
    """One step from ``iri`` in :func:`graph.traverse.full_graph`, as
    :func:`graph.traverse.neighbours` reports it, for a node the name index does not hold."""
    from graph.traverse import full_graph
    from graph.traverse.neighbours import adjacent

    rows = adjacent(kg, iri)  # read from the store, one step
    if rows is not None:
        return rows
    graph = full_graph(kg)
    if iri not in graph:
        return []
    rows: dict[str, dict[str, Any]] = {}
    steps = [(v, d, "out") for _, v, d in graph.out_edges(iri, data=True)]
    steps += [(u, d, "in") for u, _, d in graph.in_edges(iri, data=True)]
    for other, data, direction in steps:
        attrs = graph.nodes[other]
        rows.setdefault(other, {"id": other, "label": attrs["label"], "type": attrs["type"],
                                "category": attrs["category"], "relation": data["relation"],
                                "direction": direction})
    return list(rows.values())


def _rank(category: str) -> int:
    return _FIRST.index(category) if category in _FIRST else len(_FIRST)


def _node(styler, iri: str, label: str, type_label: str) -> dict[str, Any]:
    style = styler.node(iri, type_label)
    return {"iri": iri, "short": short_id(iri), "label": str(label), "type": str(type_label),
            "style": {k: style[k] for k in ("key", "label", "shape", "colour")}}


def _group(relation: str) -> dict[str, str]:
    colour = _PALETTE[zlib.crc32(relation.encode("utf-8")) % len(_PALETTE)]
    return {"key": "relation:" + relation, "label": relation, "colour": colour}


def ego_network(kg, entity: str, limit: int = LIMIT) -> dict[str, Any]:
    """The view data of ``entity``'s neighbourhood (force layout), for the views' page.

    The format is :func:`graph.views.view_data`'s: ``nodes``, ``edges``, ``claims`` (one
    per line: the statement it draws), ``legend`` (node kinds, one line group per
    relation, one grade) and ``title``; plus ``focus`` (the entity's node). Draw it with
    :func:`graph.views.page.page`.

    Examples
    --------
    >>> data = ego_network(kg, "kb:actor-aqim")
    >>> data["title"], data["nodes"][0]["label"], len(data["edges"]) == len(data["claims"])
    ('Around Al-Qaeda in the Islamic Maghreb', 'Al-Qaeda in the Islamic Maghreb', True)
    """
    from graph.views.layout import MAX_LAT, SCALE, force_layout

    around = neighbourhood(kg, entity, limit)
    order = [n["iri"] for n in around["nodes"]]
    index = {iri: i for i, iri in enumerate(order)}
    kinds: dict[str, dict[str, Any]] = {}
    groups: dict[str, dict[str, Any]] = {}
    for node in around["nodes"]:
        kinds.setdefault(node["style"]["key"], node["style"])
    for edge in around["edges"]:
        groups.setdefault(edge["group"]["key"], edge["group"])
    kind_keys = sorted(kinds, key=lambda k: (kinds[k]["label"], k))
    group_keys = sorted(groups, key=lambda k: (groups[k]["label"].casefold(), k))
    pos = force_layout(order, [(e["from"], e["to"]) for e in around["edges"]])
    nodes = [{"id": i, "iri": n["iri"], "short": n["short"], "label": n["label"],
              "type": n["type"], "kind": kind_keys.index(n["style"]["key"]), "info": [],
              "x": pos[n["iri"]][0], "y": pos[n["iri"]][1], "weight": 1, "claims": []}
             for i, n in enumerate(around["nodes"])]
    edges, claims = [], []
    for i, e in enumerate(around["edges"]):
        head = f"{_label(around, e['from'])} → {e['relation']} → {_label(around, e['to'])}"
        claims.append({"id": "", "kind": "relation", "label": head, "description": "",
                       "commodity": e["relation"], "group": group_keys.index(e["group"]["key"]),
                       "cert": 0, "start": None, "end": None, "route": "", "actors": [],
                       "sources": []})
        edges.append({"id": i, "from": index[e["from"]], "to": index[e["to"]],
                      "kind": "relation", "group": group_keys.index(e["group"]["key"]),
                      "cert": 0, "claims": [i], "bend": 0, "weight": 1})
    for node in nodes:
        node["weight"] = sum(1 for e in edges if node["id"] in (e["from"], e["to"]))
    legend = {
        "groups": [{**groups[k], "id": k, "kind": "line"} for k in group_keys],
        "grades": [{"label": "statement", "level": None, "dashes": False, "id": ""}],
        "kinds": [{"label": kinds[k]["label"], "shape": kinds[k]["shape"],
                   "colour": kinds[k]["colour"], "id": k} for k in kind_keys],
    }
    return {"title": f"Around {around['label']}", "layout": "force", "scale": SCALE,
            "maxLat": MAX_LAT, "nodes": nodes, "edges": edges, "claims": claims,
            "legend": legend, "period": None, "focus": 0, "more": around["more"]}


def _label(around: dict[str, Any], iri: str) -> str:
    return next((n["label"] for n in around["nodes"] if n["iri"] == iri), short_id(iri))
