"""Convert Natural Earth country outlines from the npm package world-atlas into the views' basemap.

A development script, run once by hand when the basemap changes; nothing at run time imports
it. It writes, beside itself, ``countries-110m.json`` (the world, drawn in every geographic
view) and ``countries-50m.json`` (finer outlines, embedded for the countries around a
view's focus). Needs ``pip install pycountry`` (ISO 3166 numeric -> alpha-3), nothing else.

Usage (from the repository root)::

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python graph/views/assets/basemap/make_basemap.py "$PWD/package"

Output format (JSON, deterministic): the TopoJSON ``transform`` and ``arcs`` of the source
kept as they are (quantised, delta-encoded; each arc flattened to ``[x0, y0, dx1, dy1, ...]``),
and one entry per country: ``iso3`` (``""`` for units without a code), ``name`` (Natural
Earth's short name), ``within`` (the ISO3 of the UN member a unit without a code belongs to
for the gazetteer's borders, e.g. Somaliland -> SOM), ``polygons`` (lists of rings, each a
list of arc indices, ``~i`` for arc ``i`` reversed, as in TopoJSON), ``bbox`` ``[west, south,
east, north]`` and ``point`` ``[lon, lat]`` (the area-weighted centroid of the largest ring,
where a label goes). An arc used by two countries is a land border; by one, a coastline.

Natural Earth is in the public domain; world-atlas is ISC-licensed (LICENSE.txt here).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SOURCE = "world-atlas 2.0.2 (Natural Earth admin-0 countries v4.1.0)"
HERE = Path(__file__).resolve().parent

# Units without an ISO 3166 numeric code in world-atlas, reviewed by hand: the code used in
# the views (Kosovo's user-assigned XKX, as the EU and the IMF use) and the UN member whose
# borders they count for in the gazetteer (a de facto unit's borders are its parent's).
NO_CODE = {
    "Kosovo": ("XKX", ""),
    "Somaliland": ("", "SOM"),
    "N. Cyprus": ("", "CYP"),
    "Indian Ocean Ter.": ("", "AUS"),
    "Siachen Glacier": ("", ""),
}

# Units whose ISO numeric code is their parent's: drawn without a code of their own, their
# borders counted for the parent.
SHARED_CODE = {"Ashmore and Cartier Is.": "AUS"}


def iso3_of(numeric: str) -> str:
    import pycountry

    country = pycountry.countries.get(numeric=numeric.zfill(3))
    if country is None:
        raise SystemExit(f"world-atlas id {numeric!r} is not an ISO 3166 numeric code")
    return country.alpha_3


def decode(arc: list[list[int]], transform: dict) -> list[tuple[float, float]]:
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    x = y = 0
    points = []
    for dx, dy in arc:
        x += dx
        y += dy
        points.append((x * sx + tx, y * sy + ty))
    return points


def ring_points(ring: list[int], lonlat: list[list[tuple[float, float]]]):
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = lonlat[~index][::-1] if index < 0 else lonlat[index]
        points += arc[1:] if points else arc
    return points


def centroid(points) -> tuple[float, float, float]:
    """(area, lon, lat) of a ring by the shoelace formula (area in square degrees)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def convert(source: Path, target: Path) -> None:
    topology = json.loads(source.read_text(encoding="utf-8"))
    transform = topology["transform"]
    lonlat = [decode(arc, transform) for arc in topology["arcs"]]
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        if name in SHARED_CODE:
            iso3, within = "", SHARED_CODE[name]
        elif "id" in geometry:
            iso3, within = iso3_of(geometry["id"]), ""
        elif name in NO_CODE:
            iso3, within = NO_CODE[name]
        else:
            raise SystemExit(f"{source.name}: {name!r} has no id and is not in NO_CODE: review it")
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [ring_points(polygon[0], lonlat) for polygon in polygons]
        everything = [p for polygon in polygons for ring in polygon
                      for p in ring_points(ring, lonlat)]
        xs, ys = [p[0] for p in everything], [p[1] for p in everything]
        _, lon, lat = max(centroid(ring) for ring in rings)
        countries.append({
            "iso3": iso3, "name": name, "within": within, "polygons": polygons,
            "bbox": [round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)],
            "point": [round(lon, 2), round(lat, 2)],
        })
    countries.sort(key=lambda c: (c["iso3"] or "~", c["name"]))
    codes = [c["iso3"] for c in countries if c["iso3"]]
    if len(codes) != len(set(codes)):
        raise SystemExit(f"{source.name}: an ISO3 code names two units")
    flat = [[v for point in arc for v in point] for arc in topology["arcs"]]
    out = {"source": SOURCE + ", " + source.name, "licence": "Natural Earth: public domain; "
           "world-atlas: ISC, Copyright 2013-2019 Michael Bostock (see LICENSE.txt)",
           "transform": transform, "arcs": flat, "countries": countries}
    target.write_text(json.dumps(out, separators=(",", ":"), ensure_ascii=False) + "\n",
                      encoding="utf-8")
    print(f"{target.name}: {len(countries)} units, {len(flat)} arcs, "
          f"{target.stat().st_size:,} bytes")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.split("\n\n")[2], file=sys.stderr)
        return 2
    package = Path(argv[0])
    for resolution in ("110m", "50m"):
        convert(package / f"countries-{resolution}.json", HERE / f"countries-{resolution}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
