"""Node positions for the views, computed in Python so the browser draws at once.

Two layouts: ``"geo"`` projects each place's latitude and longitude onto the plane (Mercator,
clipped at :data:`MAX_LAT`, :data:`SCALE` pixels per degree of longitude; the page projects
the basemap's outlines with the same formula) and puts nodes without coordinates, such as actors,
on a small ring around the places they belong to; ``"force"`` runs a spring layout (numpy
Fruchterman-Reingold) once, started from the geographic positions so that it is
reproducible and keeps a trace of geography. Either way the page shows the result with physics off.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence

__all__ = ["LAYOUTS", "MAX_LAT", "SCALE", "force_layout", "geo_layout", "project"]

#: The layouts a view can use.
LAYOUTS = ("geo", "force")

#: Pixels per degree of longitude in the geographic layout (and of latitude at the equator).
SCALE = 20.0

#: Latitudes beyond this (north or south) are drawn at it: Mercator's poles are infinite.
MAX_LAT = 80.0

#: Distance in pixels between a node without coordinates and the centre of its anchors.
RING = 45.0

#: Up to this many nodes the force layout computes every repulsion exactly.
EXACT_LIMIT = 1500

#: Nodes sampled per step for the repulsion in larger force layouts.
SAMPLE = 600


def project(lat: float, lon: float) -> tuple[float, float]:
    """Plane coordinates of a point: x grows eastwards, y southwards (screen convention).

    Spherical Mercator: conformal, so shapes (and the angles of routes) are kept, and at
    the latitudes of Africa, Europe and the Middle East the stretch stays moderate (1.0 at
    the equator, 1.6 at 50°N). The page's script (``project`` in ``view.js``) uses the
    same formula for the basemap, so places sit on their outlines.

    Examples
    --------
    >>> project(0, 0), project(17.5, -4.0)
    ((0.0, 0.0), (-80.0, -355.6))
    >>> project(89, 0) == project(MAX_LAT, 0)
    True
    """
    lat = max(-MAX_LAT, min(MAX_LAT, float(lat)))
    y = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))
    return (round(lon * SCALE, 1), round(-y * SCALE, 1) + 0.0)


def geo_layout(coordinates: Mapping[Hashable, tuple[float, float] | None],
               anchors: Mapping[Hashable, Sequence[Hashable]] | None = None,
               ) -> dict[Hashable, tuple[float, float]]:
    """Positions for every node of ``coordinates`` (node -> (lat, lon) or None).

    Nodes with coordinates are projected with :func:`project`. A node without them is put
    on a ring (of radius :data:`RING`, or 8 % of the map's extent if larger) around the mean
    position of its ``anchors`` (nodes that have positions), spread evenly among the other
    nodes sharing that centre; anchors may themselves be placed that way (an actor next to
    an actor). A node with no placed anchor goes in a row below the map.

    Examples
    --------
    >>> pos = geo_layout({"MLI": (17.5, -4.0), "actor": None}, {"actor": ["MLI"]})
    >>> pos["MLI"], round(math.dist(pos["actor"], pos["MLI"]))
    ((-80.0, -355.6), 45)
    """
    anchors = anchors or {}
    pos: dict[Hashable, tuple[float, float]] = {}
    for node, point in coordinates.items():
        if point is not None and None not in point:
            pos[node] = project(*point)
    waiting = [node for node in coordinates if node not in pos]
    if pos:
        xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
        ring = max(RING, 0.08 * max(max(xs) - min(xs), max(ys) - min(ys)))
    else:
        ring = RING
    used: dict[tuple[float, float], int] = {}  # nodes already on the ring of each centre
    while waiting:
        # Nodes whose anchors are placed go on rings round them; repeat for nodes anchored
        # to those (an actor related to an actor that sits near its places).
        rings: dict[tuple[float, float], list[Hashable]] = {}
        still = []
        for node in waiting:
            placed = [pos[a] for a in anchors.get(node, ()) if a in pos]
            if not placed:
                still.append(node)
                continue
            centre = (round(sum(p[0] for p in placed) / len(placed), 1),
                      round(sum(p[1] for p in placed) / len(placed), 1))
            rings.setdefault(centre, []).append(node)
        if not rings:
            break
        for (cx, cy), members in rings.items():
            offset = used.get((cx, cy), 0)
            total = len(members) + offset
            used[(cx, cy)] = total
            for i, node in enumerate(members, start=offset):
                angle = -math.pi / 2 + 2 * math.pi * i / max(total, 1)
                radius = ring * (1 + 0.35 * (i // 12))
                pos[node] = (round(cx + radius * math.cos(angle), 1),
                             round(cy + radius * math.sin(angle), 1))
        waiting = still
    homeless = waiting
    if homeless:
        xs = [p[0] for p in pos.values()] or [0.0]
        ys = [p[1] for p in pos.values()] or [0.0]
        left, bottom = min(xs), max(ys) + 3 * RING
        for i, node in enumerate(homeless):
            pos[node] = (round(left + 2 * RING * (i % 20), 1),
                         round(bottom + 2 * RING * (i // 20), 1))
    return pos


def force_layout(nodes: Iterable[Hashable], edges: Iterable[tuple[Hashable, Hashable]],
                 start: Mapping[Hashable, tuple[float, float]] | None = None,
                 seed: int = 7, iterations: int = 50) -> dict[Hashable, tuple[float, float]]:
    """Force-directed positions (Fruchterman-Reingold), scaled to screen pixels.

    ``start`` gives initial positions (the geographic layout), so the result keeps a trace
    of geography; it is deterministic for a given ``seed``. Graphs above
    :data:`EXACT_LIMIT` nodes estimate the repulsion from a random sample of nodes at each
    step, which keeps a 5,000-node layout to a few seconds (numpy only).

    Examples
    --------
    >>> pos = force_layout("abcd", [("a", "b"), ("b", "c"), ("c", "d")])
    >>> sorted(pos) == list("abcd")
    True
    >>> math.dist(pos["a"], pos["d"]) > math.dist(pos["a"], pos["b"])
    True
    """
    import numpy as np

    order = list(dict.fromkeys(nodes))
    n = len(order)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(order)}
    pairs = np.array([(index[u], index[v]) for u, v in edges
                      if u != v and u in index and v in index], dtype=int).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)).astype(np.float32)
    if start:
        known = np.array([start.get(node, (np.nan, np.nan)) for node in order], dtype=float)
        ok = ~np.isnan(known).any(axis=1)
        if ok.any():
            low, high = known[ok].min(axis=0), known[ok].max(axis=0)
            pos[ok] = (known[ok] - low) / np.where(high > low, high - low, 1.0)
    pos += rng.normal(0, 1e-3, pos.shape).astype(np.float32)  # part nodes sharing a place
    k = 1.0 / math.sqrt(n)
    temperature = 0.1
    x, y = pos[:, 0].copy(), pos[:, 1].copy()
    for step in range(iterations):
        if n <= EXACT_LIMIT:
            ox, oy, weight = x, y, k * k
        else:
            pick = rng.choice(n, SAMPLE, replace=False)
            ox, oy, weight = x[pick], y[pick], k * k * n / SAMPLE
        dx = np.subtract.outer(x, ox)
        dy = np.subtract.outer(y, oy)
        d2 = dx * dx
        d2 += dy * dy
        np.maximum(d2, 1e-6, out=d2)
        np.divide(weight, d2, out=d2)
        fx = (dx * d2).sum(axis=1)
        fy = (dy * d2).sum(axis=1)
        if len(pairs):
            ex = x[pairs[:, 0]] - x[pairs[:, 1]]
            ey = y[pairs[:, 0]] - y[pairs[:, 1]]
            pull = np.sqrt(ex * ex + ey * ey) / k
            fx -= np.bincount(pairs[:, 0], ex * pull, n) - np.bincount(pairs[:, 1], ex * pull, n)
            fy -= np.bincount(pairs[:, 0], ey * pull, n) - np.bincount(pairs[:, 1], ey * pull, n)
        length = np.maximum(np.sqrt(fx * fx + fy * fy), 1e-9)
        move = np.minimum(length, temperature) / length
        x += fx * move
        y += fy * move
        temperature = 0.1 * (1 - (step + 1) / iterations) + 1e-3
    pos = np.column_stack([x, y])
    pos -= pos.mean(axis=0)
    span = float(np.abs(pos).max()) or 1.0
    scale = (40.0 * math.sqrt(n) + 100.0) / span
    return {node: (round(float(x) * scale, 1), round(float(y) * scale, 1))
            for node, (x, y) in zip(order, pos, strict=True)}
