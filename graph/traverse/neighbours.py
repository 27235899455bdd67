"""Entities near an entity in the full heterogeneous graph (any edge type, either direction)."""

from __future__ import annotations

from collections import deque
from typing import Any

from graph.claims import model
from graph.errors import QueryError
from graph.traverse.projections import full_graph

__all__ = ["neighbours"]


def neighbours(kg, entity: str, depth: int = 1,
               min_certainty: str | None = None) -> list[dict[str, Any]]:
    """Entities within ``depth`` edges of ``entity`` in :func:`full_graph`.

    Edges are followed in both directions. Each entity is reported once, at its shortest
    distance, with the edge that first reached it.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    entity : str
        Any entity: label, alternative label, code, prefixed name or IRI.
    depth : int
        How many edges away to look (default 1). The number of entities grows quickly
        with depth, since concepts such as certainty grades link many claims.
    min_certainty : str, optional
        Leave out claims below this grade (and involvements whose grade is below it).

    Returns
    -------
    list of dict
        Sorted by distance, then label: ``id``, ``label``, ``type``, ``category``,
        ``distance``, ``relation`` (label of the edge that reached it), ``direction``
        ("out" when the edge points away from ``via``, else "in") and ``via`` ({id, label}:
        the entity one step closer).

    Raises
    ------
    graph.errors.EntityNotFound
        If ``entity`` matches nothing.
    graph.errors.QueryError
        If ``depth`` is not a positive integer, or the entity is not in the full graph.

    Examples
    --------
    >>> rows = neighbours(kg, "Arms from Libya to armed groups in Mali")
    >>> sorted((r["relation"], r["label"]) for r in rows if r["category"] == "place")
    [('destination', 'Mali'), ('origin', 'Libya')]
    >>> "involved in" in {r["relation"] for r in neighbours(kg, "AQIM") if r["category"] == "claim"}
    True
    """
    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 1:
        raise QueryError(f"depth must be a positive integer, got {depth!r}")
    m = model(kg)
    start = m.resolve(entity)
    graph = full_graph(kg, min_certainty)
    if start not in graph:
        raise QueryError(f"{kg.label(start)!r} ({start}) is not in the graph of entities"
                         + (" at this certainty" if min_certainty else ""))
    found: dict[str, dict[str, Any]] = {}
    queue = deque([(start, 0)])
    seen = {start}
    while queue:
        node, distance = queue.popleft()
        if distance == depth:
            continue
        steps = [(v, d, "out") for _, v, d in graph.out_edges(node, data=True)]
        steps += [(u, d, "in") for u, _, d in graph.in_edges(node, data=True)]
        steps.sort(key=lambda s: (graph.nodes[s[0]]["label"].casefold(), s[0], s[1]["relation"]))
        for other, data, direction in steps:
            if other in seen:
                continue
            seen.add(other)
            attrs = graph.nodes[other]
            found[other] = {"id": other, "label": attrs["label"], "type": attrs["type"],
                            "category": attrs["category"], "distance": distance + 1,
                            "relation": data["relation"], "direction": direction,
                            "via": {"id": node, "label": graph.nodes[node]["label"]}}
            queue.append((other, distance + 1))
    return sorted(found.values(), key=lambda r: (r["distance"], r["label"].casefold(), r["id"]))
