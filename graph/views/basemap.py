"""The basemap of the geographic views: Natural Earth country outlines, embedded in the page.

The outlines come from Natural Earth (public domain) through the npm package world-atlas
(ISC), converted once by the development script ``assets/basemap/make_basemap.py`` into
``assets/basemap/countries-110m.json`` and ``countries-50m.json`` (TopoJSON arcs kept
quantised and delta-encoded, one entry per country with its ISO3 code, label point and
bounding box; see that script). Every geographic page carries the whole 1:110m world; a view
with a focus also carries the 1:50m outlines of the countries around it, which the page
draws once zoomed in. The page projects the arcs itself with the formula of
:func:`graph.views.layout.project`.

An arc used by two countries is a stretch of land border, by one a coastline; the page
strokes them differently and :func:`land_borders` derives the neighbours of every country
from the same topology.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["DETAIL_MARGIN", "basemap", "countries", "land_borders"]

_FOLDER = Path(__file__).resolve().parent / "assets" / "basemap"

#: Degrees added on every side of the focus countries' box when picking the 1:50m outlines.
DETAIL_MARGIN = 12.0


@lru_cache(maxsize=2)
def countries(resolution: str = "110m") -> dict[str, Any]:
    """The converted topology of one resolution (``"110m"`` or ``"50m"``); cached, do not change.

    Examples
    --------
    >>> world = countries()
    >>> len(world["countries"]) >= 170, "Natural Earth" in world["licence"]
    (True, True)
    >>> next(c for c in world["countries"] if c["iso3"] == "MLI")["name"]
    'Mali'
    """
    path = _FOLDER / f"countries-{resolution}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _subset(topology: dict[str, Any], keep: list[dict[str, Any]]) -> dict[str, Any]:
    """The topology restricted to the countries ``keep``, arcs renumbered."""
    renumber: dict[int, int] = {}
    arcs = []
    out = []
    for country in keep:
        polygons = []
        for polygon in country["polygons"]:
            rings = []
            for ring in polygon:
                new = []
                for index in ring:
                    arc = ~index if index < 0 else index
                    if arc not in renumber:
                        renumber[arc] = len(arcs)
                        arcs.append(topology["arcs"][arc])
                    new.append(~renumber[arc] if index < 0 else renumber[arc])
                rings.append(new)
            polygons.append(rings)
        out.append({**country, "polygons": polygons})
    return {"transform": topology["transform"], "arcs": arcs, "countries": out}


def _overlaps(box: list[float], other: list[float]) -> bool:
    return not (box[2] < other[0] or other[2] < box[0] or box[3] < other[1] or other[3] < box[1])


def basemap(focus: Iterable[str] = (), *, detail: bool = True) -> dict[str, Any]:
    """The basemap data a geographic page embeds.

    Parameters
    ----------
    focus : iterable of str
        ISO3 codes of the focus countries (highlighted; the page opens on them).
    detail : bool
        Add the 1:50m outlines of the countries within :data:`DETAIL_MARGIN` degrees of the
        focus countries' bounding box (nothing without a focus).

    Returns
    -------
    dict
        ``world`` (the 1:110m topology), ``detail`` (a 1:50m topology or None), ``focus``
        (the codes found in the basemap, sorted), ``bbox`` (of the focus countries, west,
        south, east, north, or None), ``source`` (where the outlines come from) and
        ``licence``.

    Examples
    --------
    >>> data = basemap(["MLI"])
    >>> data["focus"], data["bbox"]
    (['MLI'], [-12.17, 10.1, 4.27, 24.97])
    >>> sorted(c["iso3"] for c in data["detail"]["countries"])[:3]
    ['BEN', 'BFA', 'CAF']
    >>> basemap()["detail"] is None
    True
    """
    world = countries("110m")
    wanted = set(focus)
    found = [c for c in world["countries"] if c["iso3"] and c["iso3"] in wanted]
    bbox = None
    if found:
        bbox = [min(c["bbox"][0] for c in found), min(c["bbox"][1] for c in found),
                max(c["bbox"][2] for c in found), max(c["bbox"][3] for c in found)]
    fine = None
    if detail and bbox is not None:
        grown = [bbox[0] - DETAIL_MARGIN, bbox[1] - DETAIL_MARGIN,
                 bbox[2] + DETAIL_MARGIN, bbox[3] + DETAIL_MARGIN]
        topology = countries("50m")
        near = [c for c in topology["countries"] if _overlaps(c["bbox"], grown)]
        fine = _subset(topology, near)
    return {
        "world": {k: world[k] for k in ("transform", "arcs", "countries")},
        "detail": fine,
        "focus": sorted(c["iso3"] for c in found),
        "bbox": bbox,
        "source": world["source"],
        "licence": world["licence"],
    }


def land_borders(resolution: str = "50m") -> set[tuple[str, str]]:
    """Pairs (lower ISO3, higher ISO3) of countries whose outlines share an arc.

    A unit without a code of its own counts for the country it belongs to (Somaliland for
    Somalia, say, so Djibouti borders Somalia); a unit without either is left out.

    Examples
    --------
    >>> pairs = land_borders()
    >>> ("MLI", "NER") in pairs, ("DZA", "MLI") in pairs, ("LBY", "MLI") in pairs
    (True, True, False)
    """
    topology = countries(resolution)
    users: dict[int, set[str]] = defaultdict(set)
    for country in topology["countries"]:
        code = country["iso3"] or country["within"]
        if not code:
            continue
        for polygon in country["polygons"]:
            for ring in polygon:
                for index in ring:
                    users[~index if index < 0 else index].add(code)
    pairs = set()
    for codes in users.values():
        for a in codes:
            for b in codes:
                if a < b:
                    pairs.add((a, b))
    return pairs
