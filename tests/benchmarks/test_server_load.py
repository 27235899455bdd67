"""Benchmark: the SPARQL endpoint under load (50 concurrent clients × 20 queries each).

Skipped unless pytest runs with ``--benchmark-enable``::

    pytest tests/benchmarks/test_server_load.py --benchmark-enable -s

Starts ``tkg serve`` in its own process (so that clients and server do not share an
interpreter), sends the examples of every named query from concurrent clients, and reports
p50 / p95 latency next to the in-process time of the same queries (the baseline measured in
the same run) and the latency of a single client. Settings from the environment:
``TKG_BENCH_BACKENDS`` (default ``oxigraph``; e.g. ``memory,oxigraph``),
``TKG_BENCH_CLIENTS`` (50), ``TKG_BENCH_QUERIES`` (20 per client) and ``TKG_BENCH_ONLY``
(comma-separated named queries; default: all). The same run from a shell:
``python -m graph.server.bench --backend oxigraph``.
"""

from __future__ import annotations

import os

import pytest

pytest.importorskip("uvicorn")

from graph.server.bench import run

BACKENDS = [b.strip() for b in os.environ.get("TKG_BENCH_BACKENDS", "oxigraph").split(",")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_server_under_load(request, backend):
    if not request.config.getoption("benchmark_enable"):
        pytest.skip("benchmarks run only with --benchmark-enable")
    clients = int(os.environ.get("TKG_BENCH_CLIENTS", "50"))
    per_client = int(os.environ.get("TKG_BENCH_QUERIES", "20"))
    names = [n for n in os.environ.get("TKG_BENCH_ONLY", "").split(",") if n]
    figures = run(backend, clients, per_client, names=names)
    print(f"\nendpoint load test, {backend}: {clients} clients x {per_client} queries "
          f"({figures['queries']} distinct), {figures['workers']} workers")
    for key in ("p50_ms", "p95_ms", "max_ms", "per_second", "single_client_p50_ms",
                "baseline_ms"):
        print(f"  {key:>22}: {figures[key]:10.1f}")
    assert figures["requests"] == clients * per_client
    assert figures["errors"] == 0, figures["error_samples"]
