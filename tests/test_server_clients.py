"""Real SPARQL clients, used unchanged, against the endpoint: SPARQLWrapper and rdflib's
SPARQLStore must get the same answers to the named queries as the library itself."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore

SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
httpx = pytest.importorskip("httpx")

from graph.backends._rdflib import from_term  # noqa: E402
from graph.backends.base import IRI, plain_literal  # noqa: E402
from graph.server import running  # noqa: E402

#: Named queries and the parameter values the endpoint's examples use.
NAMED = ["flows", "country-scores", "reachable", "involvements", "actors-by-market"]
MALI = "https://w3id.org/tkg/place/MLI"


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def served(request):
    """``(url, kg, examples)``: an endpoint over the bundled data, in each backend."""
    kg = request.getfixturevalue("kg_memory" if request.param == "memory" else "kg_oxigraph")
    with running(kg, workers=2) as url:
        listing = httpx.get(url.rsplit("/sparql", 1)[0] + "/queries", timeout=120).json()
        yield url, kg, {q["name"]: q for q in listing}


def _text(value) -> str:
    # Blank-node labels differ between copies of the graph (each worker loads its own).
    text = str(value)
    return "_:" if text.startswith("_:") else text


def _expected(kg, example) -> set[tuple]:
    rows = kg.query(example["name"], example["example_values"])
    assert rows, f"{example['name']} has no answer on the bundled data"
    return {tuple(sorted((k, _text(v)) for k, v in row.items() if v is not None))
            for row in rows}


def _plain_json(term: dict):
    if term["type"] == "uri":
        return IRI(term["value"])
    if term["type"] == "bnode":
        return f"_:{term['value']}"
    return plain_literal(term["value"], term.get("datatype"))


def _rows_json(bindings: list[dict]) -> set[tuple]:
    return {tuple(sorted((k, _text(_plain_json(t))) for k, t in row.items()))
            for row in bindings}


def _rows_xml(document) -> set[tuple]:
    rows = set()
    for result in document.getElementsByTagName("result"):
        row = []
        for binding in result.getElementsByTagName("binding"):
            term = next(n for n in binding.childNodes if n.nodeType == n.ELEMENT_NODE)
            text = "".join(t.data for t in term.childNodes if t.nodeType == t.TEXT_NODE)
            if term.tagName == "uri":
                value = IRI(text)
            elif term.tagName == "bnode":
                value = f"_:{text}"
            else:
                value = plain_literal(text, term.getAttribute("datatype") or None)
            row.append((binding.getAttribute("name"), _text(value)))
        rows.add(tuple(sorted(row)))
    return rows


@pytest.mark.parametrize("name", NAMED)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_json_and_xml(served, name, method):
    from SPARQLWrapper import JSON, XML, SPARQLWrapper

    url, kg, examples = served
    expected = _expected(kg, examples[name])
    client = SPARQLWrapper(url)
    client.setMethod(method)
    client.setQuery(examples[name]["example"])
    client.setReturnFormat(JSON)
    assert _rows_json(client.query().convert()["results"]["bindings"]) == expected
    client.setReturnFormat(XML)
    assert _rows_xml(client.query().convert()) == expected


@pytest.mark.parametrize("name", NAMED)
def test_sparqlwrapper_csv_and_tsv(served, name):
    from SPARQLWrapper import CSV, JSON, TSV, SPARQLWrapper

    url, _, examples = served
    client = SPARQLWrapper(url)
    client.setQuery(examples[name]["example"])
    client.setReturnFormat(JSON)
    answer = client.query().convert()
    variables = answer["head"]["vars"]
    def lexical_form(term: dict | None) -> str:
        if term is None:
            return ""
        return "_:" if term["type"] == "bnode" else term["value"]

    lexical = {tuple(lexical_form(row.get(v)) for v in variables)
               for row in answer["results"]["bindings"]}
    client.setReturnFormat(CSV)
    table = list(csv.reader(io.StringIO(client.query().convert().decode("utf-8"), newline="")))
    assert table[0] == variables
    assert {tuple(_text(value) for value in row) for row in table[1:]} == lexical
    client.setReturnFormat(TSV)
    solutions = ox.parse_query_results(client.query().convert(),
                                       format=ox.QueryResultsFormat.TSV)
    assert {tuple("" if s[v] is None else "_:" if isinstance(s[v], ox.BlankNode) else s[v].value
                  for v in variables) for s in solutions} == lexical


def test_sparqlwrapper_ask(served):
    from SPARQLWrapper import JSON, XML, SPARQLWrapper

    client = SPARQLWrapper(served[0])
    for fmt in (JSON, XML):
        client.setReturnFormat(fmt)
        client.setQuery("ASK { place:MLI a tkg:Country }")
        answer = client.query().convert()
        assert (answer["boolean"] if fmt == JSON else
                answer.getElementsByTagName("boolean")[0].firstChild.data == "true")


@pytest.mark.parametrize("fmt", ["xml", "turtle", "json-ld", "n3", "rdf+xml"])
def test_sparqlwrapper_describe(served, fmt):
    from SPARQLWrapper import SPARQLWrapper

    url, kg, _ = served
    expected = Graph().parse(data=kg.execute("DESCRIBE place:MLI").serialize("nt"), format="nt")
    client = SPARQLWrapper(url)
    client.setQuery("DESCRIBE place:MLI")
    client.setReturnFormat(fmt)
    answer = client.query().convert()
    if isinstance(answer, bytes):  # Turtle and N3 come back as text
        answer = Graph().parse(data=answer, format="turtle")
    assert isomorphic(Graph() + answer, expected)


@pytest.mark.parametrize("name", NAMED)
def test_rdflib_sparqlstore_select(served, name):
    url, kg, examples = served
    graph = Graph(SPARQLStore(url))
    result = graph.query(examples[name]["example"])
    rows = {tuple(sorted((str(v), _text(from_term(row[v]))) for v in result.vars
                         if row[v] is not None)) for row in result}
    assert rows == _expected(kg, examples[name])


def test_rdflib_sparqlstore_graph_api(served):
    url, kg, _ = served
    graph = Graph(SPARQLStore(url))
    mali = URIRef(MALI)
    expected = Graph().parse(data=kg.execute(
        "CONSTRUCT { place:MLI ?p ?o } WHERE { place:MLI ?p ?o }").serialize("nt"), format="nt")
    assert set(graph.triples((mali, None, None))) == set(expected)
    assert graph.query("ASK { place:MLI a tkg:Country }").askAnswer is True
    described = graph.query("DESCRIBE place:MLI").graph
    assert isomorphic(Graph() + described, Graph().parse(
        data=kg.execute("DESCRIBE place:MLI").serialize("nt"), format="nt"))
    assert str(graph.value(mali, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) == "Mali"
