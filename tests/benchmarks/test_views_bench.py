"""Benchmark: time to first draw of large views in headless Chromium, ours against pyvis.

Skipped unless pytest runs with ``--benchmark-enable``::

    pytest tests/benchmarks/test_views_bench.py --benchmark-enable -s

Each size gets a seeded synthetic flow network (:func:`bench_views.synthetic_network`:
random places over Africa and Europe, 1.5 legs per place). Our page (layout computed in
Python, physics off) and pyvis' default page for the same network (physics on; vis-network
inline, so it can draw offline) are opened in the same Chromium in the same run; the time
is measured in the page, from navigation start to vis-network's first ``afterDrawing``.
The assertion is a ratio against that baseline, never a fixed number of seconds. The table
printed at the end has the medians; ``TKG_BENCH_OUT=views.json`` also writes them.
"""

from __future__ import annotations

import json
import os

import pytest

from conftest import require

ROUNDS = int(os.environ.get("TKG_BENCH_ROUNDS", "3"))
#: Seconds after which a page that has not drawn counts as not drawing (pyvis' default).
PATIENCE = float(os.environ.get("TKG_BENCH_PATIENCE", "60"))
RESULTS: list[dict] = []

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def enabled(request):
    if not request.config.getoption("benchmark_enable"):
        pytest.skip("benchmarks run only with --benchmark-enable")
    from graph.views.browser import chromium_path

    require(chromium_path() is not None, "headless Chromium is not installed")


def test_first_draw_1000_nodes_against_pyvis(enabled, kg):
    from bench_views import bench

    (row,) = bench(sizes=(1000,), layouts=("geo", "force"), kg=kg, pyvis=True, runs=ROUNDS,
                   timeout=PATIENCE)
    RESULTS.append(row)
    pyvis = row["pyvis_s"] if row["pyvis_s"] is not None else PATIENCE
    assert row["geo_s"] is not None and row["force_s"] is not None
    assert row["geo_s"] * 3 < pyvis
    assert row["force_s"] * 3 < pyvis


def test_first_draw_5000_nodes(enabled, kg):
    from bench_views import bench

    (row,) = bench(sizes=(5000,), layouts=("geo", "force"), kg=kg, pyvis=False, runs=ROUNDS,
                   timeout=PATIENCE)
    RESULTS.append(row)
    assert row["geo_s"] is not None and row["force_s"] is not None


def test_first_draw_of_the_mali_view_with_its_basemap(enabled, kg):
    """The Mali route map with the basemap against the same page without it, same run."""
    from bench_views import bench_map

    row = bench_map(kg, runs=ROUNDS, timeout=PATIENCE, country="Mali")
    RESULTS.append({"nodes": row["stats"]["nodes"], "view": "Mali, geo",
                    "bytes": row["bytes"], "geo_s": row["basemap_s"],
                    "geo_no_basemap_s": row["no_basemap_s"]})
    assert row["bytes"] <= 1_500_000
    assert row["stats"]["basemapFeatures"] >= 170
    # The outlines (two resolutions, decoded and projected in the page) cost less than the
    # rest of the page: under twice the time of the same page without them.
    assert row["basemap_s"] < 2 * row["no_basemap_s"]


def teardown_module(module):
    if not RESULTS:
        return
    keys = sorted({k for row in RESULTS for k in row}, key=lambda k: (k != "nodes", k))
    print(f"\nfirst draw in headless Chromium (s, median of {ROUNDS}; pyvis: one run)")
    print("  ".join(f"{k:>22}" for k in keys))
    for row in RESULTS:
        print("  ".join(f"{row.get(k)!s:>22}" for k in keys))
    out = os.environ.get("TKG_BENCH_OUT")
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(RESULTS, handle, indent=2)
