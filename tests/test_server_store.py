"""One store behind every worker: updates are evaluated once (issue 20, faults 1 and 3).

Workers used to hold copies of the graph and replay every accepted update themselves, inside
the time limit of their next task: updates with ``STRUUID()``, ``RAND()``, ``NOW()`` or blank
nodes gave each worker its own answer, and slow updates replayed by replacement workers
starved every later query. Now one writer applies an update and the readers open its result
(an Oxigraph store checkpoint) or apply its change log (memory backend).
"""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette")

from graph.server import running  # noqa: E402

TOKEN = "store-test-token"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PROBE = "SELECT ?u ?b ?t WHERE { kb:probe rdfs:comment ?u ; rdfs:seeAlso ?b ; kb:at ?t }"


def _client(url: str):
    return httpx.Client(base_url=url.rsplit("/sparql", 1)[0], timeout=60)


def _update(client, text: str):
    return client.post("/sparql", content=text.encode(), headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})


def _answers(client, query: str, times: int) -> set[tuple]:
    seen = set()
    for _ in range(times):
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 200, response.text
        rows = response.json()["results"]["bindings"]
        seen.add(tuple(sorted((k, v["value"]) for row in rows for k, v in row.items())))
    return seen


def _wait_healthy(client, workers: int, limit: float = 60.0) -> dict:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        health = client.get("/health").json()
        if health["status"] == "ok" and health["workers"] == workers:
            return health
        time.sleep(0.2)
    raise AssertionError(f"the endpoint did not recover: {health}")


@pytest.mark.parametrize("name", ["memory", "oxigraph"])
def test_every_worker_sees_the_same_update(name, request):
    kg = request.getfixturevalue("kg_memory" if name == "memory" else "kg_oxigraph")
    with running(kg, workers=2, timeout=2, update_token=TOKEN) as url, _client(url) as client:
        response = _update(client, "INSERT { GRAPH kb:probes { kb:probe rdfs:comment ?u ; "
                                   "rdfs:seeAlso [] ; kb:at ?t } } "
                                   "WHERE { BIND(STRUUID() AS ?u) BIND(NOW() AS ?t) }")
        assert response.status_code == 204, response.text
        # Every answer, from either worker, is the one the writer wrote.
        answers = _answers(client, PROBE, 8)
        assert len(answers) == 1, answers
        (answer,) = answers
        assert len(answer) == 3  # one row: uuid, blank node, time
        # A worker killed for a slow query is replaced; the replacement replays nothing and
        # answers the same.
        assert client.get("/sparql", params={"query": SLOW}).status_code == 503
        health = client.get("/health").json()
        assert (health["status"], health["unhealthy"]) == ("degraded", 1), health
        assert health["writer"] == "ok"
        _wait_healthy(client, 2)
        assert _answers(client, PROBE, 8) == answers
        assert client.get("/health").json()["updates"] == 1


def test_a_slow_update_is_stopped_and_changes_nothing(kg_oxigraph):
    with running(kg_oxigraph, workers=1, timeout=1.5, queue_timeout=30,
                 update_token=TOKEN) as url, _client(url) as client:
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH kb:slow { ?s ?p ?o } }"
        response = _update(client, "INSERT { GRAPH kb:slow { ?a rdfs:comment 'x' } } "
                                   "WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        assert response.status_code == 503
        assert "nothing of it was applied" in response.text
        # Queries go on meanwhile, and the restarted writer takes the next update.
        assert _answers(client, count, 2) == {(("n", "0"),)}
        deadline = time.monotonic() + 60
        while client.get("/health").json()["writer"] != "ok" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _update(client, "INSERT DATA { GRAPH kb:slow { kb:a rdfs:comment 'y' } }"
                       ).status_code == 204
        assert _answers(client, count, 2) == {(("n", "1"),)}


def test_serving_a_given_store(kg_oxigraph, tmp_path):
    # The seam for a workspace: an on-disk store is served as it is, and updates stay in it.
    path = tmp_path / "store"
    store = ox.Store(str(path))
    store.add(ox.Quad(ox.NamedNode("https://w3id.org/tkg/kb/x"),
                      ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("only here"), ox.NamedNode("https://w3id.org/tkg/kb/g")))
    store.flush()
    del store
    with running(kg_oxigraph, workers=1, update_token=TOKEN, store_path=path) as url, \
            _client(url) as client:
        assert _answers(client, "SELECT ?l WHERE { ?s rdfs:label ?l }", 1) == {
            (("l", "only here"),)}
        assert _update(client, "INSERT DATA { GRAPH kb:g { kb:y rdfs:label 'added' } }"
                       ).status_code == 204
    labels = {q.object.value for q in ox.Store.read_only(str(path))}
    assert labels == {"only here", "added"}


def test_update_errors_name_the_line_of_the_request(kg_oxigraph):
    # The predeclared prefixes are one line ahead of the text (they used to be 28 lines).
    with running(kg_oxigraph, workers=1, update_token=TOKEN) as url, _client(url) as client:
        response = _update(client, "\n\nINSERT DATA { <http://x/%zz> <http://x/p> 1 }")
        assert response.status_code == 400
        assert response.text.startswith("update failed: error at 3:")
        # A failed update changed nothing and the writer goes on.
        assert _update(client, "INSERT DATA { GRAPH kb:g { kb:a rdfs:label 'ok' } }"
                       ).status_code == 204
