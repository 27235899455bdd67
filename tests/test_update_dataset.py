"""Queries and updates see the same dataset, in both local backends (issue 20, fault 2).

The default graph is the union of the named graphs (one per source file). Oxigraph used to
ignore ``FROM`` under that setting and to run update ``WHERE`` clauses over its real, empty
default graph; these tests pin the rules of ``docs/endpoint.md`` on the bundled data and on
small hand-made graphs, and check that the memory backend answers the same.
"""

from __future__ import annotations

import pytest

import graph
from graph.backends.memory import MemoryBackend
from graph.backends.oxigraph import OxigraphBackend
from graph.backends.rewrite import DEFAULT_GRAPH
from graph.prefixes import sparql_prolog

BACKENDS = ["memory", "oxigraph"]
PROLOG = sparql_prolog()


def _count(kg, where: str) -> int:
    rows = kg.execute(f"SELECT (COUNT(*) AS ?n) {where}").dicts()
    return int(rows[0]["n"])


@pytest.fixture(params=BACKENDS)
def fresh(request):
    """The bundled graph, loaded anew (the tests change it)."""
    return graph.load(backend=request.param)


@pytest.mark.parametrize("name", BACKENDS)
def test_from_is_honoured(name, kg, kg_oxigraph):
    kg = kg if name == "memory" else kg_oxigraph
    assert _count(kg, "WHERE { ?s ?p ?o }") > 10_000
    assert _count(kg, "FROM <urn:none> WHERE { ?s ?p ?o }") == 0
    graphs = [row["g"] for row in kg.execute(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g").dicts()]
    one = graphs[0]
    in_graph = _count(kg, f"WHERE {{ GRAPH <{one}> {{ ?s ?p ?o }} }}")
    assert 0 < in_graph < _count(kg, "WHERE { ?s ?p ?o }")
    assert _count(kg, f"FROM <{one}> WHERE {{ ?s ?p ?o }}") == in_graph
    # FROM NAMED alone: an empty default graph, only the named graph for GRAPH.
    assert _count(kg, f"FROM NAMED <{one}> WHERE {{ ?s ?p ?o }}") == 0
    assert _count(kg, f"FROM NAMED <{one}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == in_graph


def test_update_where_sees_what_queries_see(fresh):
    countries = _count(fresh, "WHERE { ?c a tkg:Country }")
    assert countries > 100
    fresh.backend.update(PROLOG + "INSERT { GRAPH kb:checked { ?c rdfs:comment 'seen' } } "
                                  "WHERE { ?c a tkg:Country }")
    assert _count(fresh, "WHERE { GRAPH kb:checked { ?c rdfs:comment 'seen' } }") == countries


def test_delete_where_empties_what_queries_see(fresh):
    fresh.backend.update(PROLOG + "DELETE WHERE { ?c a tkg:Country }")
    assert _count(fresh, "WHERE { ?c a tkg:Country }") == 0
    assert _count(fresh, "WHERE { GRAPH ?g { ?c a tkg:Country } }") == 0
    assert _count(fresh, "WHERE { ?s ?p ?o }") > 0
    fresh.backend.update("DELETE WHERE { ?s ?p ?o }")
    assert _count(fresh, "WHERE { ?s ?p ?o }") == 0


UPDATES = [
    "INSERT DATA { GRAPH <http://x/g1> { <http://x/s> a <http://x/C> ."
    " <http://x/t> a <http://x/C> } GRAPH <http://x/g2> { <http://x/s> a <http://x/C> } }",
    # A prefix declared once holds for every operation of the request.
    "PREFIX dc: <http://purl.org/dc/terms/> CLEAR SILENT GRAPH <http://x/none> ;"
    " INSERT { GRAPH <http://x/r> { ?c a dc:B } } WHERE { ?c a <http://x/C> }",
    "INSERT DATA { <http://x/d> <http://x/p> 1 }",
    "INSERT { ?c <http://x/seen> true } WHERE { ?c a <http://x/C> }",
    "DELETE { ?s a <http://x/C> } WHERE { ?s a <http://x/C> FILTER(?s = <http://x/s>) }",
    "INSERT { GRAPH <http://x/n> { ?s ?p ?g } } USING NAMED <http://x/g1>"
    " WHERE { GRAPH ?g { ?s ?p ?o } }",
    "INSERT { GRAPH <http://x/u> { ?s ?p ?o } } USING <http://x/g2> WHERE { ?s ?p ?o }",
    "DELETE WHERE { ?s <http://x/seen> ?o }",
]


def _quads(backend) -> set[tuple]:
    rows = backend.execute("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").dicts()
    return {(r["s"], r["p"], r["o"], r["g"]) for r in rows}


def test_both_backends_apply_updates_alike():
    results = []
    for backend in (MemoryBackend(), OxigraphBackend()):
        for text in UPDATES:
            backend.update(text)
        results.append(_quads(backend))
    memory, oxigraph = results
    assert memory == oxigraph
    x = "http://x/"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert memory == {
        # <s> a <C> was deleted from the default graph, so from every graph.
        (f"{x}t", rdf_type, f"{x}C", f"{x}g1"),
        (f"{x}s", rdf_type, "http://purl.org/dc/terms/B", f"{x}r"),
        (f"{x}t", rdf_type, "http://purl.org/dc/terms/B", f"{x}r"),
        # USING NAMED <g1>: GRAPH ?g saw g1 only.
        (f"{x}t", rdf_type, f"{x}g1", f"{x}n"),
        # Written without GRAPH: kept in the updates graph (the seen flags were deleted).
        (f"{x}d", f"{x}p", 1, DEFAULT_GRAPH),
    }


@pytest.mark.parametrize("backend", [MemoryBackend, OxigraphBackend])
def test_using_replaces_the_union(backend):
    store = backend()
    store.update(UPDATES[0])
    store.update("INSERT { GRAPH <http://x/u> { ?s a <http://x/D> } } USING <http://x/g2> "
                 "WHERE { ?s a <http://x/C> }")
    assert {q[0] for q in _quads(store) if q[3] == "http://x/u"} == {"http://x/s"}
