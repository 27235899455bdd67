"""Benchmark: drafting the seed profile (target: at most 5 s, docs/curation.md).

Skipped unless pytest runs with ``--benchmark-enable``::

    pytest tests/benchmarks/test_curation_bench.py --benchmark-enable -s

Each round drafts the whole seed with the vocabulary read again from the graph (the first
draft after loading a graph pays for that; later ones reuse it), on the Oxigraph backend.
"""

from __future__ import annotations

import pytest

SEED = "seeds/000_0b3dfc4151273e9a.txt"


@pytest.fixture(scope="module")
def enabled(request):
    if not request.config.getoption("benchmark_enable"):
        pytest.skip("benchmarks run only with --benchmark-enable")


def test_draft_seed_cold(enabled, benchmark, kg_oxigraph, shared_dir):
    from graph.curation import draft, read_text

    text = read_text(shared_dir / SEED)

    def cold():
        kg_oxigraph.clear_cache()  # the lexicon lives in the graph's cache
        return draft(kg_oxigraph, text, document="ocindex-2021-mali", title="Mali",
                     edition=2021)

    result = benchmark.pedantic(cold, rounds=3, iterations=1)
    assert result["claims"]
    assert benchmark.stats.stats.max <= 5.0
