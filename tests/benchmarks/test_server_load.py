"""Benchmark: the SPARQL endpoint under load (50 concurrent clients × 20 queries each).

Skipped unless pytest runs with ``--benchmark-enable``::

    pytest tests/benchmarks/test_server_load.py --benchmark-enable -s

Starts ``tkg serve`` in its own process (so that clients and server do not share an
interpreter), sends the examples of every named query from concurrent clients, and reports
p50 / p95 latency next to the in-process time of the same queries (the baseline measured in
the same run) and the latency of a single client. Settings from the environment:
``TKG_BENCH_BACKENDS`` (default ``oxigraph``; e.g. ``memory,oxigraph``),
``TKG_BENCH_CLIENTS`` (50), ``TKG_BENCH_QUERIES`` (20 per client) and ``TKG_BENCH_ONLY``
(comma-separated named queries; default: all).

``test_light_clients_beside_heavy_ones`` checks the fast lane: 50 clients send the light
named queries while 5 more send a query that runs into the time limit, over and over; the
light clients' p95 must stay within 1 s (``TKG_BENCH_HEAVY`` sets the number of heavy
clients, ``TKG_BENCH_RESULT_CACHE`` the server's result cache in MB, 0 to measure without
it). It prints where the light requests' time went (the server's ``Server-Timing``). The
same run from a shell: ``python tests/benchmarks/bench_server.py --heavy 5 --only
flows,country-scores,reachable,involvements,claim-sources``.
"""

from __future__ import annotations

import os

import pytest

pytest.importorskip("uvicorn")

from bench_server import run

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


LIGHT = ["flows", "country-scores", "reachable", "involvements", "claim-sources"]


def test_light_clients_beside_heavy_ones(request):
    if not request.config.getoption("benchmark_enable"):
        pytest.skip("benchmarks run only with --benchmark-enable")
    clients = int(os.environ.get("TKG_BENCH_CLIENTS", "50"))
    per_client = int(os.environ.get("TKG_BENCH_QUERIES", "20"))
    heavy = int(os.environ.get("TKG_BENCH_HEAVY", "5"))
    cache = os.environ.get("TKG_BENCH_RESULT_CACHE", "64")
    figures = run("oxigraph", clients, per_client, names=LIGHT, heavy_clients=heavy,
                  serve_options=("--result-cache", cache))
    print(f"\nendpoint load test with {heavy} heavy clients: {clients} light clients x "
          f"{per_client} queries, {figures['workers']} workers, result cache {cache} MB")
    for key in ("p50_ms", "p95_ms", "max_ms", "per_second"):
        print(f"  {key:>22}: {figures[key]:10.1f}")
    print(f"  heavy requests: {figures['heavy_requests']} {figures['heavy_statuses']}")
    for name, values in figures["breakdown_ms"].items():
        print(f"  {name:>22}: mean {values['mean']:8.1f}  p95 {values['p95']:8.1f}")
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["heavy_requests"] > 0
    assert figures["p95_ms"] <= 1000
