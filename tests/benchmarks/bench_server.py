"""Load test of the endpoint: many concurrent clients sending the named-query examples.

:func:`load_test` drives an endpoint that is already running; :func:`run` starts ``tkg serve``
in a separate process (so that clients and server do not share an interpreter), measures an
in-process baseline (the same queries through :meth:`KnowledgeGraph.execute`, serialised as
the endpoint does), runs a single-client pass and the load test, and stops the server. From
a shell::

    python tests/benchmarks/bench_server.py --backend oxigraph --clients 50 --queries 20
"""

from __future__ import annotations

import collections
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Sequence
from contextlib import contextmanager
from typing import Any

__all__ = ["baseline", "load_test", "run", "started_server"]


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


#: What the heavy clients of the load test send: a join over every triple twice, which
#: runs into the server's time limit.
HEAVY_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(?a != ?d) }"


def _server_timing(header: str) -> dict[str, float]:
    """``{"queue": 1.5, ...}`` from a ``Server-Timing: queue;dur=1.5, ...`` header."""
    found = {}
    for entry in header.split(","):
        name, _, rest = entry.strip().partition(";dur=")
        if name and rest:
            found[name] = float(rest)
    return found


def _breakdown(timings: Sequence[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Mean and p95 of each part of the requests' time (see :func:`load_test`)."""
    names = sorted({name for parts in timings for name in parts})
    return {name: {"mean": statistics.fmean(values), "p95": _percentile(values, 0.95)}
            for name in names
            for values in [[parts.get(name, 0.0) for parts in timings]]}


def load_test(url: str, queries: Sequence[str], clients: int = 50, per_client: int = 20,
              timeout: float = 120.0, heavy_clients: int = 0,
              heavy_query: str = HEAVY_QUERY) -> dict[str, Any]:
    """Send ``clients`` × ``per_client`` queries from concurrent clients; report latencies.

    Each client is a thread with its own keep-alive HTTP connection; client ``i`` sends the
    queries in turn starting from ``queries[i % len(queries)]`` (GET, SPARQL JSON). A request
    counts as an error unless it answers 200 with a SPARQL JSON body. Meanwhile
    ``heavy_clients`` more clients send ``heavy_query`` over and over until the others are
    done; their answers (503 when the time limit stops them) are counted apart.

    Returns
    -------
    dict
        ``requests``, ``errors``, ``error_samples`` (up to 5), ``p50_ms``, ``p95_ms``,
        ``max_ms``, ``mean_ms``, ``seconds`` (wall time) and ``per_second`` of the
        ordinary clients; ``breakdown_ms``: the mean and p95 of where their time went, from
        the server's ``Server-Timing`` header (``queue`` for a worker, the ``worker``'s own
        time, the ``transfer`` between the processes, the whole route in the ``app``) and
        ``outside`` it (the HTTP layer, the event loop and the client); ``heavy_requests``
        (sent) and ``heavy_statuses`` (of those answered before the ordinary clients were
        done) of the heavy ones.
    """
    if not queries:
        raise ValueError("load_test needs at least one query")
    parts = urllib.parse.urlsplit(url)
    latencies: list[float] = []
    errors: list[str] = []
    timings: list[dict[str, float]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        mine, failures, spent = [], [], []
        barrier.wait()
        for step in range(per_client):
            query = queries[(index + step) % len(queries)]
            target = f"{parts.path}?{urllib.parse.urlencode({'query': query})}"
            started = time.perf_counter()
            try:
                connection.request("GET", target,
                                   headers={"Accept": "application/sparql-results+json"})
                response = connection.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
                parts_ms = _server_timing(response.getheader("Server-Timing", ""))
                parts_ms["outside"] = 1000 * elapsed - parts_ms.get("app", 0.0)
                spent.append(parts_ms)
                if response.status != 200:
                    failures.append(f"HTTP {response.status}: {body[:200]!r}")
                else:
                    data = json.loads(body)
                    if "results" not in data and "boolean" not in data:
                        failures.append("not a SPARQL JSON answer")
                mine.append(elapsed)
            except (OSError, http.client.HTTPException, ValueError) as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port,
                                                        timeout=timeout)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors.extend(failures)
            timings.extend(spent)

    done = threading.Event()
    heavy_statuses: list[int] = []
    heavy_sent: list[int] = []

    def heavy(index: int) -> None:
        target = f"{parts.path}?{urllib.parse.urlencode({'query': heavy_query})}"
        while not done.is_set():
            with lock:
                heavy_sent.append(index)
            connection = http.client.HTTPConnection(parts.hostname, parts.port,
                                                    timeout=timeout)
            try:
                connection.request("GET", target)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = -1
                _ = exc
            finally:
                connection.close()
            with lock:
                heavy_statuses.append(status)

    heavies = [threading.Thread(target=heavy, args=(i,), daemon=True)
               for i in range(heavy_clients)]
    for thread in heavies:
        thread.start()
    if heavies:
        time.sleep(1.0)  # the heavy queries hold their workers before the others start
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    done.set()
    total = clients * per_client
    return {
        "requests": total,
        "errors": len(errors),
        "error_samples": errors[:5],
        "p50_ms": 1000 * _percentile(latencies, 0.50),
        "p95_ms": 1000 * _percentile(latencies, 0.95),
        "max_ms": 1000 * max(latencies, default=float("nan")),
        "mean_ms": 1000 * statistics.fmean(latencies) if latencies else float("nan"),
        "seconds": seconds,
        "per_second": total / seconds if seconds else float("nan"),
        "breakdown_ms": _breakdown(timings),
        "heavy_requests": len(heavy_sent),
        "heavy_statuses": dict(collections.Counter(heavy_statuses)),
    }


def baseline(kg, queries: Sequence[str], repeat: int = 3) -> dict[str, float]:
    """Median in-process latency of each query (execute + serialise as JSON), in ms.

    What the endpoint adds on top of this is HTTP, the worker round trip and queueing.
    """
    from graph.server.guard import check_query
    from graph.server.results import render

    times = []
    for query in queries:
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            render(kg.execute(check_query(query, 10_000).sparql), "json", 10_000)
            runs.append(time.perf_counter() - started)
        times.append(statistics.median(runs))
    return {"median_ms": 1000 * statistics.median(times), "max_ms": 1000 * max(times)}


@contextmanager
def started_server(*options: str, env: dict[str, str] | None = None, wait: float = 600.0):
    """Run ``tkg serve --port 0 OPTIONS`` in a child process; yield ``(url, process)``."""
    command = [sys.executable, "-m", "graph", "serve", "--port", "0", "--quiet", *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, **(env or {})})
    try:
        url = None
        deadline = time.monotonic() + wait
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            match = re.search(r"(http://\S+/sparql)", line)
            if match:
                url = match.group(1)
                break
        if url is None:
            process.kill()
            _, errors = process.communicate(timeout=30)
            raise RuntimeError(f"tkg serve did not start: {errors.strip()[-2000:]}")
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def run(backend: str = "oxigraph", clients: int = 50, per_client: int = 20,
        workers: int | None = None, names: Sequence[str] = (),
        heavy_clients: int = 0, serve_options: Sequence[str] = ()) -> dict[str, Any]:
    """Start ``tkg serve`` on ``backend``, load-test it with the named-query examples.

    ``names`` restricts the mix to those named queries (default: all of them);
    ``heavy_clients`` more clients send :data:`HEAVY_QUERY` meanwhile; ``serve_options``
    go to ``tkg serve`` (e.g. ``("--result-cache", "0")``).

    Returns the :func:`load_test` figures plus ``backend``, ``workers``, ``queries``,
    ``single_client_p50_ms`` (one client, no queueing, after a warm-up pass that sends every
    query to every worker) and ``baseline_ms``: the median over the queries of their
    in-process time, which is what the endpoint adds its HTTP, process and queueing costs to.
    """
    import graph

    options = ["--backend", backend] + (["--workers", str(workers)] if workers else []) \
        + list(serve_options)
    with started_server(*options) as (url, _):
        with urllib.request.urlopen(url.rsplit("/", 1)[0] + "/queries", timeout=120) as answer:
            listing = json.load(answer)
        unknown = sorted(set(names) - {q["name"] for q in listing})
        if unknown:
            raise ValueError(f"unknown named queries: {', '.join(unknown)}")
        queries = [q["example"] for q in listing if not names or q["name"] in names]
        with urllib.request.urlopen(url.rsplit("/", 1)[0] + "/health", timeout=30) as answer:
            health = json.load(answer)
        # A warm-up (one client sends every query to every worker: the first use of a query
        # text in a worker includes its parse), then one client alone: latency without queues.
        warm = load_test(url, queries, clients=1,
                         per_client=(health["workers"] + 1) * len(queries))
        single = load_test(url, queries, clients=1, per_client=3 * len(queries))
        figures = load_test(url, queries, clients, per_client, heavy_clients=heavy_clients)
    kg = graph.load(backend=backend)
    base = baseline(kg, queries)
    figures.update(backend=backend, workers=health["workers"], queries=len(queries),
                   single_client_p50_ms=single["p50_ms"], baseline_ms=base["median_ms"],
                   errors=figures["errors"] + single["errors"] + warm["errors"])
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Load-test the SPARQL endpoint.")
    parser.add_argument("--backend", default="oxigraph")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--queries", type=int, default=20, help="queries per client")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--only", default="", metavar="NAME,...",
                        help="named queries to send (default: all)")
    parser.add_argument("--heavy", type=int, default=0,
                        help="more clients sending HEAVY_QUERY meanwhile")
    parser.add_argument("--result-cache", default="64", metavar="MB",
                        help="the server's result cache (0: none)")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    figures = run(args.backend, args.clients, args.queries, args.workers, names,
                  heavy_clients=args.heavy, serve_options=("--result-cache", args.result_cache))
    for key, value in figures.items():
        print(f"{key:>18}: {value:.1f}" if isinstance(value, float) else f"{key:>18}: {value}")
    return 0 if figures["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
