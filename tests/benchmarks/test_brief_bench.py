"""Benchmark: generating country briefs (the targets of the brief issue).

Skipped unless pytest runs with ``--benchmark-enable``::

    pytest tests/benchmarks/test_brief_bench.py --benchmark-enable -s

* Mali's 2021 brief as HTML (route map and charts included) on a freshly loaded graph, so
  each round pays for reading the brief's snapshot of the graph too (``cold``), and again
  with the snapshot kept, as a session writing several briefs would: target 2 s.
* The Markdown briefs of all 193 countries, latest edition each, on the bundled graph plus
  every country's figures imported from the Index workbook (``../shared``): target
  2 minutes, snapshot included.

Both run on Oxigraph, the store ``tkg brief`` opens by default.
"""

from __future__ import annotations

import pytest

from conftest import require

pytestmark = pytest.mark.benchmark

#: Targets stated in the issue, in seconds.
MALI_TARGET, ALL_TARGET = 2.0, 120.0


@pytest.fixture(scope="module")
def enabled(request):
    if not request.config.getoption("benchmark_enable"):
        pytest.skip("benchmarks run only with --benchmark-enable")


@pytest.fixture(scope="module")
def kg_ox(enabled):
    import graph

    return graph.load(backend="oxigraph")


def test_mali_brief_cold(benchmark, kg_ox):
    from graph.brief import brief
    from graph.traverse import clear_cache

    page = benchmark.pedantic(brief, args=(kg_ox, "Mali"), kwargs={"edition": 2021},
                              setup=lambda: clear_cache(kg_ox), rounds=3, iterations=1)
    assert page.startswith("<!DOCTYPE html>")
    assert benchmark.stats.stats.median < MALI_TARGET


def test_mali_brief_warm(benchmark, kg_ox):
    from graph.brief import brief

    brief(kg_ox, "Mali", edition=2021)
    benchmark.pedantic(brief, args=(kg_ox, "Mali"), kwargs={"edition": 2021}, rounds=5,
                       iterations=1)
    assert benchmark.stats.stats.median < MALI_TARGET


def test_all_193_markdown_briefs(benchmark, enabled, shared_dir, tmp_path_factory):
    workbook = shared_dir / "ocindex" / "global_oc_index.xlsx"
    require(workbook.is_file(), f"{workbook} is missing")
    import graph
    from graph.brief import brief
    from graph.brief.collect import snapshot
    from graph.importer import import_ocindex
    from graph.resources import bundled_data_files
    from graph.traverse import clear_cache

    out = tmp_path_factory.mktemp("world") / "ocindex.ttl"
    import_ocindex(workbook, out=out, known=bundled_data_files())
    world = graph.load([*bundled_data_files(), out], backend="oxigraph", validate=False)

    def all_briefs() -> int:
        countries = [c for c in snapshot(world).observations if world.is_a(c, "tkg:Country")]
        for country in countries:
            brief(world, country, fmt="md")
        return len(countries)

    count = benchmark.pedantic(all_briefs, setup=lambda: clear_cache(world), rounds=1,
                               iterations=1)
    assert count == 193
    assert benchmark.stats.stats.median < ALL_TARGET
