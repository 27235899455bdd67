"""The endpoint's result cache (issue 20, fault 7): light answers without a worker, never stale.

Under load, a light request's time was almost all waiting for a worker (see docs/endpoint.md,
"Light clients beside heavy ones"). Answers of light read-only queries are now kept by the
server, keyed by query, format, dataset and the store's update version, and served with
``X-TKG-Cache: hit`` until the next update.
"""

from __future__ import annotations

import threading
import time

import pytest

from graph.server.cache import ResultCache, cacheable, normalise

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette")

from graph.server import running  # noqa: E402

TOKEN = "cache-token"
COMMENTS = "SELECT ?c WHERE { place:MLI rdfs:comment ?c } ORDER BY ?c LIMIT 50"
# Counts every triple three times over: runs into any time limit, yet its top-level LIMIT
# makes it light, so two of them hold both workers.
HOLDS_A_WORKER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } LIMIT 1"
COUNTRIES = "SELECT ?c WHERE { ?c a tkg:Country } ORDER BY ?c LIMIT 10"


def _client(url: str):
    return httpx.Client(base_url=url.rsplit("/sparql", 1)[0], timeout=60)


def _timing(response) -> dict[str, float]:
    parts = {}
    for entry in response.headers["Server-Timing"].split(","):
        name, _, value = entry.strip().partition(";dur=")
        parts[name] = float(value)
    return parts


# -- the cache alone ------------------------------------------------------------------------------

def test_cache_is_bounded_in_bytes_and_drops_the_least_recently_used():
    cache = ResultCache(8_000)
    body = b"x" * 900  # with its key, just under an eighth of the capacity
    for n in range(20):
        assert cache.put(("q", n), body, n)
        assert cache.stats()["bytes"] <= 8_000
    kept = [n for n in range(20) if cache.get(("q", n)) is not None]
    assert kept == list(range(12, 20))  # the eight newest fit
    assert cache.get(("q", 12)) == 12  # now the most recently used
    cache.put(("q", 20), body, 20)
    assert cache.get(("q", 13)) is None and cache.get(("q", 12)) == 12
    assert not cache.put(("big",), b"x" * 1_000, "over an eighth")
    assert cache.get(("big",)) is None
    cache.clear()
    assert cache.stats()["entries"] == cache.stats()["bytes"] == 0


def test_a_disabled_cache_keeps_nothing():
    cache = ResultCache(0)
    assert not cache.put(("ASK {}",), b"{}", "answer")
    assert cache.get(("ASK {}",)) is None
    with pytest.raises(ValueError, match="0 or more bytes"):
        ResultCache(-1)


@pytest.mark.parametrize("text", [
    "SELECT (NOW() AS ?t) WHERE {} LIMIT 1",
    "SELECT ?x WHERE { BIND(rand () AS ?x) } LIMIT 1",
    "SELECT (STRUUID() AS ?u) WHERE {} LIMIT 1",
    "SELECT (UUID() AS ?u) WHERE {} LIMIT 1",
    "SELECT (BNODE() AS ?b) WHERE {} LIMIT 1",
])
def test_answers_that_change_between_runs_are_not_cacheable(text):
    assert not cacheable(text)


def test_only_surrounding_white_space_is_normalised():
    assert normalise("\n ASK { ?s ?p 'a  b' } ") == "ASK { ?s ?p 'a  b' }"
    assert normalise("ASK { ?s ?p 'a  b' }") != normalise("ASK { ?s ?p 'a b' }")


# -- in the endpoint ------------------------------------------------------------------------------

def test_a_light_answer_is_served_again_without_a_worker(kg_oxigraph):
    with running(kg_oxigraph, workers=1, timeout=5) as url, _client(url) as client:
        first = client.get("/sparql", params={"query": COUNTRIES})
        again = client.get("/sparql", params={"query": "  " + COUNTRIES + "\n"})
        assert (first.status_code, again.status_code) == (200, 200)
        assert first.headers["X-TKG-Cache"] == "miss"
        assert again.headers["X-TKG-Cache"] == "hit"
        assert again.content == first.content
        assert again.headers["X-TKG-Rows"] == first.headers["X-TKG-Rows"] == "10"
        assert set(_timing(first)) == {"queue", "worker", "transfer", "app"}
        assert set(_timing(again)) == {"app"}  # no worker, no queue
        # Another format is another entry.
        xml = client.get("/sparql", params={"query": COUNTRIES},
                         headers={"Accept": "application/sparql-results+xml"})
        assert xml.headers["X-TKG-Cache"] == "miss"
        assert xml.headers["content-type"].startswith("application/sparql-results+xml")
        # Heavy (no LIMIT) and volatile queries always run.
        full = client.get("/sparql", params={"query": COUNTRIES.replace(" LIMIT 10", "")})
        assert full.status_code == 200 and "X-TKG-Cache" not in full.headers
        uuids = {client.get("/sparql", params={"query": "SELECT (STRUUID() AS ?u) WHERE {} "
                                                        "LIMIT 1"}).json()
                 ["results"]["bindings"][0]["u"]["value"] for _ in range(3)}
        assert len(uuids) == 3
        stats = client.get("/health").json()["cache"]
        assert stats["hits"] == 1 and stats["entries"] == 2


def test_a_cached_light_query_is_answered_while_every_worker_is_busy(kg_oxigraph):
    with running(kg_oxigraph, workers=2, timeout=6, queue_timeout=30) as url, \
            _client(url) as client:
        assert client.get("/sparql", params={"query": COUNTRIES}).status_code == 200
        statuses: list[int] = []

        def hold(limit: int) -> None:
            # Two different texts: the same one asked twice would run once (shared).
            text = HOLDS_A_WORKER.replace("LIMIT 1", f"LIMIT {limit}")
            with _client(url) as own:
                statuses.append(own.get("/sparql", params={"query": text}).status_code)

        threads = [threading.Thread(target=hold, args=(n,)) for n in (1, 2)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 5
        while client.get("/health").json()["idle"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.get("/health").json()["idle"] == 0  # both workers are busy
        started = time.monotonic()
        answer = client.get("/sparql", params={"query": COUNTRIES})
        took = time.monotonic() - started
        assert answer.status_code == 200 and answer.headers["X-TKG-Cache"] == "hit"
        assert took < 2.0, took  # not behind the held workers (6 s each)
        for thread in threads:
            thread.join()
        assert statuses == [503, 503]


def test_the_same_query_asked_meanwhile_waits_for_the_one_run(kg_oxigraph):
    # After an update empties the cache, many clients asking the same query must not each
    # queue for a worker: one runs it, the others share its answer.
    with running(kg_oxigraph, workers=1, timeout=3, queue_timeout=30) as url, \
            _client(url) as client:
        holder = threading.Thread(target=lambda: _client(url).get(
            "/sparql", params={"query": HOLDS_A_WORKER}))
        holder.start()
        deadline = time.monotonic() + 5
        while client.get("/health").json()["idle"] and time.monotonic() < deadline:
            time.sleep(0.05)
        answers: list = []

        def ask() -> None:
            with _client(url) as own:
                answers.append(own.get("/sparql", params={"query": COUNTRIES}))

        askers = [threading.Thread(target=ask) for _ in range(8)]
        for thread in askers:
            thread.start()
        for thread in [*askers, holder]:
            thread.join()
        assert [a.status_code for a in answers] == [200] * 8
        assert sorted(a.headers["X-TKG-Cache"] for a in answers) == ["hit"] * 7 + ["miss"]
        assert len({a.content for a in answers}) == 1


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_an_update_is_never_answered_from_before_it(request, backend):
    kg = request.getfixturevalue(f"kg_{backend}")
    with running(kg, workers=2, timeout=5, update_token=TOKEN) as url, _client(url) as client:
        def comments():
            response = client.get("/sparql", params={"query": COMMENTS})
            assert response.status_code == 200, response.text
            return ([b["c"]["value"] for b in response.json()["results"]["bindings"]],
                    response.headers["X-TKG-Cache"])

        before, _ = comments()
        assert comments() == (before, "hit")
        headers = {"Content-Type": "application/sparql-update",
                   "Authorization": f"Bearer {TOKEN}"}
        for n in range(3):
            text = f"INSERT DATA {{ GRAPH kb:test {{ place:MLI rdfs:comment 'cache test {n}' }} }}"
            assert client.post("/sparql", content=text.encode(),
                               headers=headers).status_code == 204
            # Every worker, and the cache, answer with the update applied.
            for _ in range(4):
                now, _ = comments()
                assert now == sorted(before + [f"cache test {i}" for i in range(n + 1)])
        # A refused update (a syntax error) also empties the cache: nothing is kept from
        # before a request that reached the writer.
        assert client.post("/sparql", content=b"INSERT DATA {", headers=headers
                           ).status_code == 400
        assert comments()[1] == "miss"
        text = "DELETE WHERE { GRAPH kb:test { place:MLI rdfs:comment ?c } }"
        assert client.post("/sparql", content=text.encode(), headers=headers).status_code == 204
        for _ in range(4):
            assert comments()[0] == before


def test_the_cache_can_be_turned_off(kg_oxigraph):
    with running(kg_oxigraph, workers=1, cache_mb=0) as url, _client(url) as client:
        for _ in range(2):
            answer = client.get("/sparql", params={"query": COUNTRIES})
            assert answer.status_code == 200 and "X-TKG-Cache" not in answer.headers
        assert client.get("/health").json()["cache"]["capacity"] == 0
