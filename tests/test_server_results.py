"""Answer formats of the endpoint (graph.server.results): valid, lossless, cut at the cap."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graph.backends.memory import MemoryBackend
from graph.backends.oxigraph import OxigraphBackend
from graph.kg import KnowledgeGraph
from graph.server.results import GRAPH_FORMATS, RESULT_FORMATS, render

TERMS = Path(__file__).parent / "data" / "server-terms.ttl"
EX = "http://example.org/"
ROWS = f"SELECT ?p ?o WHERE {{ <{EX}a> ?p ?o FILTER(!isBlank(?o)) }} ORDER BY ?p ?o"


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def terms(request):
    """A small graph of awkward terms, in each backend."""
    backend = MemoryBackend() if request.param == "memory" else OxigraphBackend()
    backend.load(TERMS, "turtle", f"{EX}graph")
    return KnowledgeGraph(backend)


def _parsed(body: bytes, fmt: str) -> list[dict]:
    """Rows of a serialised answer, read back by pyoxigraph's strict parsers."""
    formats = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
               "tsv": ox.QueryResultsFormat.TSV}
    solutions = ox.parse_query_results(body, format=formats[fmt])
    names = [v.value for v in solutions.variables]
    return [{n: str(s[n]) for n in names if s[n] is not None} for s in solutions]


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_select_formats_are_lossless(terms, fmt):
    expected = _parsed(render(terms.execute(ROWS), "json").body, "json")
    assert len(expected) == 8
    assert any('"a \\"quoted\\", comma\\tand tab\\nnew line"' in r["o"] for r in expected)
    assert _parsed(render(terms.execute(ROWS), fmt).body, fmt) == expected


def test_select_csv(terms):
    body = render(terms.execute(ROWS), "csv").body.decode("utf-8")
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert rows[0] == ["p", "o"]
    values = {row[1] for row in rows[1:]}
    assert "a \"quoted\", comma\tand tab\nnew line" in values
    assert {"Timbuktu", "Tombouctou", "42", "</script><b>&amp;</b>"} <= values
    assert body.endswith("\r\n")


def test_same_answer_from_every_backend(kg_memory, kg_oxigraph):
    query = "SELECT ?c ?l WHERE { ?c a tkg:Country ; rdfs:label ?l } ORDER BY ?c LIMIT 20"
    for fmt in ("xml", "csv", "tsv"):
        assert render(kg_memory.execute(query), fmt).body == \
            render(kg_oxigraph.execute(query), fmt).body
    memory, oxigraph = (render(k.execute(query), "json").body for k in (kg_memory, kg_oxigraph))
    assert json.loads(memory) == json.loads(oxigraph)
    # Cut answers are rewritten, so they are identical too.
    assert render(kg_memory.execute(query), "json", 5).body == \
        render(kg_oxigraph.execute(query), "json", 5).body


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
def test_select_cut_at_the_cap(kg_oxigraph, fmt):
    query = "SELECT ?c WHERE { ?c a tkg:Country } ORDER BY ?c"
    full = render(kg_oxigraph.execute(query), fmt)
    cut = render(kg_oxigraph.execute(query), fmt, max_rows=5)
    assert (full.truncated, cut.truncated, cut.count) == (False, True, 5)
    assert full.count > 150
    if fmt == "csv":
        assert len(cut.body.decode().splitlines()) == 6
    else:
        rows = _parsed(cut.body, fmt)
        assert [r["c"] for r in rows] == [r["c"] for r in _parsed(full.body, fmt)[:5]]


def test_exactly_at_the_cap_is_not_truncated(kg_oxigraph):
    query = "SELECT ?c WHERE { VALUES ?c { place:MLI place:NER place:BFA } }"
    rendered = render(kg_oxigraph.execute(query), "json", max_rows=3)
    assert (rendered.count, rendered.truncated) == (3, False)


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
@pytest.mark.parametrize(("query", "answer"), [
    ("ASK { place:MLI a tkg:Country }", True), ("ASK { place:MLI a tkg:Flow }", False)])
def test_ask_formats(kg, fmt, query, answer):
    body = render(kg.execute(query), fmt).body
    if fmt == "json":
        assert json.loads(body) == {"head": {}, "boolean": answer}
    elif fmt == "xml":
        assert bool(ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)) is answer
    else:
        assert body.decode() == ("true" if answer else "false")


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_graph_formats_parse_back_to_the_same_graph(terms, fmt):
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    expected = Graph().parse(data=render(terms.execute(query), "nt").body, format="nt")
    assert len(expected) == 10
    rdflib_format = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld", "xml": "xml"}[fmt]
    got = Graph().parse(data=render(terms.execute(query), fmt).body, format=rdflib_format)
    assert isomorphic(got, expected)


def test_turtle_declares_only_the_prefixes_it_uses(kg):
    body = render(kg.execute("DESCRIBE place:MLI"), "turtle").body.decode()
    assert "@prefix place: <https://w3id.org/tkg/place/>" in body
    assert "@prefix mag:" not in body


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_graph_cut_at_the_cap(kg_oxigraph, fmt):
    query = "CONSTRUCT { ?c a tkg:Country } WHERE { ?c a tkg:Country }"
    cut = render(kg_oxigraph.execute(query), fmt, max_rows=7)
    assert (cut.count, cut.truncated) == (7, True)
    graph = Graph().parse(data=cut.body, format={"nt": "nt", "json-ld": "json-ld",
                                                 "xml": "xml"}.get(fmt, "turtle"))
    assert len(graph) == 7
