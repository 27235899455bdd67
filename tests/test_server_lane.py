"""The fast lane (issue 20, fault 7): heavy queries never hold every worker.

With two workers, two or three anonymous heavy queries used to hold both until the time
limit, and light queries queued behind them (30 s, then 503). Heavy tasks now leave one
reader free: a light query (a named query's text, an ASK, a small LIMIT) is answered at once.
"""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette")

from graph.server import running  # noqa: E402
from graph.server.worker import HEAVY_NICE, at_low_priority  # noqa: E402

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.parametrize("light", [
    "ASK { place:MLI a tkg:Country }",
    "SELECT ?c WHERE { ?c a tkg:Country } LIMIT 10",
])
def test_light_queries_pass_heavy_ones(kg_oxigraph, light):
    with running(kg_oxigraph, workers=2, timeout=4, queue_timeout=30) as url:
        statuses: list[int] = []

        def heavy() -> None:
            with httpx.Client(timeout=60) as client:
                statuses.append(client.get(url, params={"query": HEAVY}).status_code)

        threads = [threading.Thread(target=heavy) for _ in range(3)]
        for thread in threads:
            thread.start()
        time.sleep(0.8)
        with httpx.Client(timeout=60) as client:
            health = client.get(url.replace("/sparql", "/health")).json()
            assert health["heavy"] == 1  # one heavy query runs, the others wait
            started = time.monotonic()
            answer = client.get(url, params={"query": light})
            took = time.monotonic() - started
        assert answer.status_code == 200, answer.text
        assert took < 2.0, took  # not behind the heavy ones (4 s each)
        for thread in threads:
            thread.join()
        assert statuses.count(503) == 3  # each ran into the time limit, in turn


def test_a_reader_stays_free_while_one_is_replaced(kg_oxigraph):
    # A heavy query that runs into the time limit has its worker killed and replaced; until
    # the replacement has loaded the graph one reader is left, and the next heavy query must
    # not take it (it did: light queries then waited behind it for the whole time limit).
    with running(kg_oxigraph, workers=2, timeout=2, queue_timeout=30) as url:
        health_url = url.replace("/sparql", "/health")
        statuses: list[int] = []

        def heavy() -> None:
            with httpx.Client(timeout=60) as client:
                statuses.append(client.get(url, params={"query": HEAVY}).status_code)

        threads = [threading.Thread(target=heavy) for _ in range(2)]
        for thread in threads:
            thread.start()
        seen: list[dict] = []
        with httpx.Client(timeout=60) as client:
            deadline = time.monotonic() + 20
            while any(t.is_alive() for t in threads) and time.monotonic() < deadline:
                seen.append(client.get(health_url).json())
                time.sleep(0.02)
        for thread in threads:
            thread.join()
        assert statuses == [503, 503]
        assert any(h["workers"] == 1 for h in seen)  # a replacement was observed
        starved = [h for h in seen if h["heavy"] >= h["workers"]]
        assert not starved, starved[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread niceness is Linux's")
def test_heavy_tasks_run_at_a_lower_cpu_priority_and_the_worker_keeps_its_own():
    def own_nice() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = own_nice()
    assert at_low_priority(own_nice) == min(19, before + HEAVY_NICE)
    assert own_nice() == before  # the calling thread (the worker's loop) is untouched
    with pytest.raises(MemoryError, match="too big"):
        at_low_priority(_fail, MemoryError("too big"))


def _fail(exc: BaseException) -> None:
    raise exc
