"""The remote backend against real SPARQL servers (Oxigraph server and Virtuoso), and its parts.

The servers are started by ``.ci/servers.sh start`` (see tests/servers.py). Without them the
server tests skip; under ``CI=true`` they fail. Every named query must give the same rows on
both servers as on the local Oxigraph backend, so the server quirks stay absorbed.
"""

from __future__ import annotations

import socket

import pyoxigraph as ox
import pytest
import servers
from contract import PARAMS, normal, query_cases

import graph
from conftest import require
from graph import query as named
from graph.backends.remote import (
    KG_GRAPH,
    SKOLEM,
    RemoteBackend,
    endpoints,
    plus_paths,
    query_form,
    transitive_subqueries,
    triple_chunks,
    values_at_end,
    wrap_union_branches,
)
from graph.errors import BackendError, QueryError, UnknownName
from graph.push import connect, push

SERVER_NAMES = list(servers.SERVERS)
TKG = "https://w3id.org/tkg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

def _server_url(name: str) -> str:
    url = servers.url(name)
    require(url is not None, f"no {name} server: run .ci/servers.sh start "
                             f"(sets {servers.SERVERS[name]})")
    return url


@pytest.fixture(scope="module", params=SERVER_NAMES)
def remote(request, kg_oxigraph):
    """The bundled graph pushed to each server, and a graph connected to it."""
    url = _server_url(request.param)
    report = push(url, kg=kg_oxigraph, method="gsp")
    assert report["server"] == request.param
    return request.param, connect(url)


@pytest.mark.server
@pytest.mark.parametrize(("name", "params"), list(query_cases()))
def test_named_queries_answer_as_locally(remote, kg_oxigraph, name, params):
    server, kg = remote
    expected = normal(kg_oxigraph.query(name, params))
    assert normal(kg.query(name, params)) == expected, f"{name} differs on {server}"


@pytest.mark.server
def test_traversal_answers_as_locally(remote, kg_oxigraph):
    from graph.traverse import flow_network, flows, routes

    _, kg = remote
    assert [f["id"] for f in flows(kg, commodity="drugs")] == \
        [f["id"] for f in flows(kg_oxigraph, commodity="drugs")]
    assert [r["label"] for r in routes(kg, "Libya", "Mali")] == \
        [r["label"] for r in routes(kg_oxigraph, "Libya", "Mali")]
    assert sorted(flow_network(kg).edges()) == sorted(flow_network(kg_oxigraph).edges())


@pytest.mark.server
def test_reachability_includes_the_start_reached_through_a_cycle(remote, kg_oxigraph):
    # Virtuoso's own p+ leaves the start out when a cycle leads back to it.
    _, kg = remote
    text = "SELECT DISTINCT ?place WHERE { ?source tkg:flowsTo+ ?place }"
    for place in ("Libya", "Mali", "Niger"):
        source = kg_oxigraph.resolve(place)
        assert normal(kg.query(text, source=source)) == \
            normal(kg_oxigraph.query(text, source=source))


@pytest.mark.server
def test_server_errors_name_the_endpoint(remote):
    _, kg = remote
    with pytest.raises(QueryError, match=kg.backend.endpoint):
        kg.query("SELECT ?s WHERE { ?s ?p }")


@pytest.mark.server
def test_virtuoso_partial_answers_are_errors(kg_oxigraph):
    # Out of time, Virtuoso answers 200 with the rows found so far (here none) and says so
    # only in a header: that must not pass for an empty answer.
    url = _server_url("virtuoso")
    push(url, kg=kg_oxigraph, method="gsp")
    hurried = connect(url, timeout=5)
    heavy = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
             "FILTER (?c != ?f && ?f != ?i) }")
    with pytest.raises(QueryError, match="incomplete answer") as caught:
        hurried.query(heavy)
    assert "S1TAT" in str(caught.value) and "Activity" not in str(caught.value)
    assert hurried.query("countries")  # the same backend still answers what fits in time


@pytest.mark.server
@pytest.mark.parametrize("server", SERVER_NAMES)
@pytest.mark.parametrize("method", ["gsp", "update"])
def test_small_batches_keep_lists_and_involvements(server, method, tmp_path):
    # A batch far smaller than a flow's triples: blank nodes must travel with their parent.
    url = _server_url(server)
    from graph.generate import generate

    generate(tmp_path / "g.nt", 3000, seed=5)
    local = graph.load([tmp_path / "g.nt"], backend="oxigraph", validate=False)
    target = f"https://w3id.org/tkg/graph/test-{method}"
    backend = RemoteBackend(url, graph=target, batch_size=200)
    report = backend.upload(local.backend.store, method=method)
    assert report["requests"] > 5
    kg = connect(url, graph=target)
    # Every place of every route, with the place after it: the lists arrived whole.
    routes = ("SELECT ?flow ?place ?next WHERE { ?flow tkg:route/rdf:rest* ?cell . "
              "?cell rdf:first ?place OPTIONAL { ?cell rdf:rest/rdf:first ?next } }")
    expected = normal(local.query(routes))
    assert len(expected) > 40
    assert normal(kg.query(routes)) == expected
    involvement = ("SELECT ?claim ?actor ?role WHERE { ?claim tkg:qualifiedInvolvement ?i . "
                   "?i tkg:actor ?actor ; tkg:role ?role }")
    assert normal(kg.query(involvement)) == normal(local.query(involvement))
    assert not kg.query(f"ASK {{ ?s ?p ?o FILTER (STRSTARTS(STR(?s), '{SKOLEM}')) }}") and \
        not kg.execute(f"ASK {{ ?s ?p ?o FILTER (STRSTARTS(STR(?s), '{SKOLEM}')) }}").boolean
    backend.update(f"DROP SILENT GRAPH <{target}>")


@pytest.mark.server
def test_virtuoso_bulk_loader(kg_oxigraph):
    url = _server_url("virtuoso")
    settings = servers.settings()
    require("TKG_TEST_VIRTUOSO_ISQL" in settings, "TKG_TEST_VIRTUOSO_ISQL is not set")
    target = "https://w3id.org/tkg/graph/test-bulk"
    report = push(url, kg=kg_oxigraph, method="virtuoso-bulk", graph=target,
                  isql=settings["TKG_TEST_VIRTUOSO_ISQL"],
                  load_dir=settings["TKG_TEST_VIRTUOSO_LOAD_DIR"])
    assert report["method"] == "virtuoso-bulk"
    kg = connect(url, graph=target)
    assert normal(kg.query("flow-legs")) == normal(kg_oxigraph.query("flow-legs"))
    kg.backend.update(f"DROP SILENT GRAPH <{target}>")


@pytest.mark.server
@pytest.mark.parametrize("server", SERVER_NAMES)
def test_load_into_a_server_then_reuse_it(server, monkeypatch):
    url = _server_url(server)
    kg = graph.load(backend=url)
    assert kg.backend.snapshot_key() == kg.key
    assert kg.query("reachable", source="Libya")

    def no_upload(*args, **kwargs):
        raise AssertionError("the server already holds this graph")

    monkeypatch.setattr(RemoteBackend, "upload", no_upload)
    again = graph.load(backend=url)
    assert normal(again.query("flows", commodity="cocaine")) == \
        normal(kg.query("flows", commodity="cocaine"))


@pytest.mark.server
@pytest.mark.parametrize("server", SERVER_NAMES)
def test_push_command(server):
    import json

    from click.testing import CliRunner

    from graph.cli import cli

    url = _server_url(server)
    result = CliRunner().invoke(cli, ["push", url, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)[0]
    assert report["graph"] == KG_GRAPH and report["triples"] > 10_000


# -- without servers ------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_server_names_the_url():
    url = f"http://127.0.0.1:{_free_port()}/sparql"
    with pytest.raises(BackendError, match=f"{url}.*cannot reach"):
        connect(url)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"endpoint": "ftp://example.org/sparql"}, BackendError, "not an http"),
    ({"endpoint": "http://example.org/sparql", "server": "blazegraph"}, UnknownName,
     "unknown server 'blazegraph'"),
])
def test_bad_backend_settings(kwargs, error, match):
    with pytest.raises(error, match=match):
        RemoteBackend(**kwargs)


def test_unknown_upload_method():
    backend = RemoteBackend("http://127.0.0.1:1/sparql", server="generic")
    with pytest.raises(UnknownName, match="unknown upload method 'ftp'"):
        backend.upload(ox.Store(), method="ftp")


@pytest.mark.parametrize(("url", "server", "expected"), [
    ("http://h:7878", "oxigraph", ("http://h:7878/query", "http://h:7878/update",
                                   "http://h:7878/store")),
    ("http://h:7878/query", "oxigraph", ("http://h:7878/query", "http://h:7878/update",
                                         "http://h:7878/store")),
    ("http://h:8890/sparql", "virtuoso", ("http://h:8890/sparql", "http://h:8890/sparql",
                                          "http://h:8890/sparql-graph-crud")),
    ("http://h:3030/ds/query", "fuseki", ("http://h:3030/ds/query", "http://h:3030/ds/update",
                                          "http://h:3030/ds/data")),
    ("http://h/sparql", "generic", ("http://h/sparql", "http://h/sparql", None)),
])
def test_endpoints(url, server, expected):
    found = endpoints(url, server)
    assert (found["query"], found["update"], found["store"]) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT * { ?s tkg:flowsTo+ ?o }", "SELECT * { ?s (tkg:flowsTo/tkg:flowsTo*) ?o }"),
    ("SELECT * { ?s ^tkg:partOf+/tkg:x ?o }", "SELECT * { ?s ^(tkg:partOf/tkg:partOf*)/tkg:x ?o }"),
    ("SELECT * { ?s <http://e.org/p>+ ?o }",
     "SELECT * { ?s (<http://e.org/p>/<http://e.org/p>*) ?o }"),
    ('SELECT * { ?s ?p "tkg:a+" FILTER (?n + 1 > 0) } # tkg:b+',
     'SELECT * { ?s ?p "tkg:a+" FILTER (?n + 1 > 0) } # tkg:b+'),
    ("SELECT * { ?s tkg:a* ?o }", "SELECT * { ?s tkg:a* ?o }"),
])
def test_plus_paths(text, expected):
    assert plus_paths(text) == expected


@pytest.mark.parametrize(("text", "rewritten"), [
    ("SELECT * { ?s tkg:flowsTo+ ?o . ?o rdfs:label ?l }", True),
    ("SELECT * { place:MLI tkg:flowsTo+ ?o }", True),
    ("SELECT * { ?s tkg:flowsTo+ place:MLI }", False),     # the object must be a variable
    ("SELECT * { ?s tkg:flowsTo+ ?o ; rdfs:label ?l }", False),  # ';' would change subject
    ('SELECT * { ?s ?p "?s tkg:flowsTo+ ?o ." }', False),  # inside a string
    ("SELECT * { ?s tkg:a/tkg:flowsTo+ ?o }", False),      # part of a longer path
])
def test_transitive_subqueries(text, rewritten):
    result = transitive_subqueries(text)
    assert ("OPTION (TRANSITIVE" in result) == rewritten
    if rewritten:
        assert "tkg:flowsTo+" not in result and "t_distinct" in result


def test_rewrites_mean_the_same(kg_oxigraph):
    """Each Virtuoso rewrite of every named query answers as the original (on Oxigraph)."""
    from graph.backends.values import bind_values

    store = kg_oxigraph.backend.store
    from graph.prefixes import PREFIXES

    def rows(text):
        return normal([{str(i): (t.value if t is not None else None) for i, t in enumerate(s)}
                        for s in store.query(text, use_default_graph_as_union=True,
                                             prefixes=PREFIXES)])

    for query in named.list_queries(include_internal=True):
        params = {p.name: PARAMS.get(p.name, p.example) for p in query.parameters}
        bound = named.bind_all(query, params, kg_oxigraph.resolve)
        at_start = bind_values(query.sparql, bound)
        original = rows(at_start)
        twice = values_at_end(at_start, bound)
        for variant in (plus_paths(at_start), twice, wrap_union_branches(at_start),
                        wrap_union_branches(twice)):
            assert rows(variant) == original, query.name


def test_query_form():
    assert query_form("# c\nPREFIX a: <http://a/>\nask {}") == "ASK"
    assert query_form("DESCRIBE <http://a>") == "DESCRIBE"
    assert query_form("define sql:x 1 SELECT * {}") == "SELECT"


def test_chunks_never_split_blank_node_structures(tmp_path):
    from graph.generate import generate

    generate(tmp_path / "g.nt", 2000, seed=9)
    store = ox.Store()
    store.load(path=str(tmp_path / "g.nt"), format=ox.RdfFormat.N_TRIPLES)
    # A blank node shared by two triples cannot go with both: it becomes an IRI.
    shared = ox.BlankNode("shared")
    store.add(ox.Quad(ox.NamedNode("http://e.org/a"), ox.NamedNode("http://e.org/p"), shared))
    store.add(ox.Quad(ox.NamedNode("http://e.org/b"), ox.NamedNode("http://e.org/p"), shared))
    chunks = list(triple_chunks(store, 25))
    assert len(chunks) > 20
    assert sum(len(c) for c in chunks) == len(store)
    for chunk in chunks:
        subjects = {t.subject for t in chunk if isinstance(t.subject, ox.BlankNode)}
        objects = {t.object for t in chunk if isinstance(t.object, ox.BlankNode)}
        assert subjects == objects, "each blank node travels with the triple that refers to it"
    skolemised = {t.object.value for c in chunks for t in c if isinstance(t.object, ox.NamedNode)
                  and t.object.value.startswith(SKOLEM)}
    assert skolemised == {SKOLEM + "shared"}
