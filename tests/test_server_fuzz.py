"""A bounded property-based pass over the endpoint's HTTP interface (issue 20): whatever the
request, the answer is never a server error (5xx other than the documented 503s), and the
OpenAPI document at ``/openapi.json`` describes the routes the server has."""

from __future__ import annotations

import urllib.parse

import pytest

httpx = pytest.importorskip("httpx")
hypothesis = pytest.importorskip("hypothesis")
pytest.importorskip("starlette")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from graph.server import running  # noqa: E402

TOKEN = "fuzz-token"
FRAGMENTS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "?s", "?p", "?o",
             "place:MLI", "tkg:Country", "a", ".", ";", "FROM", "<urn:x>", "GRAPH", "FILTER",
             "(", ")", "LIMIT", "5", "'x'", "\"y\"@en", "SERVICE", "<http://127.0.0.1:9/>",
             "INSERT", "DELETE", "DATA", "BASE", "PREFIX", "x:", "#", "\\u0041", "OPTIONAL",
             "UNION", "VALUES", "BIND", "AS", "COUNT(*)", "*", "<s>", "1.5", "true", "_:b"]
queries = st.one_of(st.text(max_size=200),
                    st.lists(st.sampled_from(FRAGMENTS), max_size=25).map(" ".join))
graphs = st.lists(st.one_of(st.sampled_from(["urn:x", "http://a/b", "relative", ""]),
                            st.text(max_size=20)), max_size=3)
media = st.sampled_from(["application/sparql-query", "application/sparql-update",
                         "application/x-www-form-urlencoded", "text/plain", "",
                         "application/sparql-query; charset=utf-16",
                         "application/sparql-update; charset=utf-8"])
accept = st.sampled_from(["", "*/*", "text/csv", "application/ld+json", "text/html",
                          "application/sparql-results+xml;q=0.5, text/turtle", "x/y"])


@pytest.fixture(scope="module")
def client(kg_oxigraph):
    with running(kg_oxigraph, workers=2, timeout=3, queue_timeout=30, max_rows=50,
                 update_token=TOKEN) as url, \
            httpx.Client(base_url=url.rsplit("/sparql", 1)[0], timeout=60) as client:
        yield client


def _ok(response) -> None:
    assert response.status_code < 500 or response.status_code == 503, \
        (response.status_code, response.text[:300])


def test_openapi_lists_the_routes(client):
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/", "/sparql", "/queries", "/queries/{name}", "/terms",
                                      "/views", "/views/{filter}/{value}", "/health",
                                      "/entity/{id}"}
    for path in ("/", "/sparql", "/queries", "/terms", "/health"):
        assert client.get(path).status_code == 200
    assert "bearer" in str(document["paths"]["/sparql"]["post"]["security"])


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=queries, default=graphs, named=graphs, accept=accept)
def test_get_never_fails_on_the_server(client, query, default, named, accept):
    params = [("query", query)] + [("default-graph-uri", g) for g in default] \
        + [("named-graph-uri", g) for g in named]
    _ok(client.get("/sparql", params=params, headers={"Accept": accept} if accept else {}))


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=queries, content_type=media, using=graphs, token=st.booleans())
def test_post_never_fails_on_the_server(client, body, content_type, using, token):
    headers = {"Content-Type": content_type} if content_type else {}
    if token:
        headers["Authorization"] = f"Bearer {TOKEN}"
    params = [("using-graph-uri", g) for g in using]
    _ok(client.post("/sparql", params=params, content=body.encode("utf-8"), headers=headers))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(name=st.text(min_size=1, max_size=30).filter(lambda n: "/" not in n and n not in ".."),
       value=st.text(max_size=30))
def test_named_queries_and_views_never_fail_on_the_server(client, name, value):
    name = urllib.parse.quote(name, safe="")
    _ok(client.get(f"/queries/{name}", params={"commodity": value}))
    _ok(client.get(f"/views/country/{name}"))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(q=st.one_of(st.text(max_size=40), st.sampled_from(["tkg:", "kb:actor-", "<http", ":"])),
       iris=st.lists(st.text(max_size=40), max_size=3),
       limit=st.one_of(st.text(max_size=6), st.integers(-5, 10**20).map(str)))
def test_terms_never_fail_on_the_server(client, q, iris, limit):
    response = client.get("/terms", params=[("q", q), ("limit", limit),
                                            *(("iri", i) for i in iris)])
    _ok(response)
    assert response.status_code in (200, 400), response.text[:300]
    if response.status_code == 200:
        assert isinstance(response.json(), list)
