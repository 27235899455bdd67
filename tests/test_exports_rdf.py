"""RDF exports are lossless: re-importing each file gives a graph isomorphic to the loaded one."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

import graph
from graph.exports import export
from graph.exports.rdf import jsonld_context
from graph.prefixes import PREFIXES

MINI = Path(__file__).parent / "data" / "exports" / "mini.ttl"


@pytest.fixture(scope="module")
def mini():
    return graph.load([MINI])


@pytest.fixture(params=["mini", "bundled"])
def loaded(request, mini, kg):
    return mini if request.param == "mini" else kg


def _plain(term):
    # RDF 1.1: "x" and "x"^^xsd:string are the same literal; oxrdflib (the workspace store)
    # spells out the datatype, rdflib's parsers leave it implicit.
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def merged(kg) -> Graph:
    """The loaded graph with every named graph merged, as the source of truth."""
    out = Graph()
    for s, p, o, _ in kg.rdflib_graph.quads((None, None, None, None)):
        out.add((s, p, _plain(o)))
    return out


def same_graph(a: Graph, b: Graph) -> bool:
    """Whether ``a`` and ``b`` are isomorphic.

    Triples without blank nodes must be equal as sets; only the triples with blank nodes
    need the (slow) isomorphism test, which this keeps small.
    """
    def split(g: Graph) -> tuple[set, Graph]:
        ground, blank = set(), Graph()
        for triple in g:
            if any(isinstance(t, BNode) for t in triple):
                blank.add(triple)
            else:
                ground.add(triple)
        return ground, blank

    (ground_a, blank_a), (ground_b, blank_b) = split(a), split(b)
    return ground_a == ground_b and isomorphic(blank_a, blank_b)


def named_graphs(dataset: Dataset) -> dict[str, Graph]:
    found = {}
    for g in dataset.graphs():
        # A workspace store's default graph is the merge of its named graphs, not a graph
        # of its own: the quad formats write only the named graphs.
        if len(g) and g.identifier != DATASET_DEFAULT_GRAPH_ID:
            copy = Graph()
            for s, p, o in g:
                copy.add((s, p, _plain(o)))
            found[str(g.identifier)] = copy
    return found


@pytest.mark.parametrize(("fmt", "name", "parser"), [
    ("turtle", "g.ttl", "turtle"), ("json-ld", "g.jsonld", "json-ld"),
])
def test_merged_formats_round_trip(loaded, tmp_path, fmt, name, parser):
    [path] = export(loaded, fmt, tmp_path / name)
    back = Graph().parse(path, format=parser)
    source = merged(loaded)
    assert len(back) == len(source)
    assert same_graph(back, source)


@pytest.mark.parametrize(("fmt", "name"), [("trig", "g.trig"), ("nquads", "g.nq")])
def test_quad_formats_keep_every_named_graph(loaded, tmp_path, fmt, name):
    [path] = export(loaded, fmt, tmp_path / name)
    back = named_graphs(Dataset().parse(path, format=fmt))
    source = named_graphs(loaded.rdflib_graph)
    assert sorted(back) == sorted(source)
    # Derived triples keep their own graph(s): one for an in-memory load, one per source
    # file below .../derived/ in a workspace store.
    assert any(g.startswith("https://w3id.org/tkg/graph/derived") for g in back)
    for name_ in source:
        assert same_graph(back[name_], source[name_]), name_


def test_derived_triples_are_exported(mini, tmp_path):
    [path] = export(mini, "turtle", tmp_path / "g.ttl")
    back = Graph().parse(path)
    flow = URIRef("https://w3id.org/tkg/kb/flow-test-cocaine")
    transits = set(back.objects(flow, URIRef(PREFIXES["tkg"] + "transit")))
    assert transits == {URIRef(PREFIXES["place"] + "GNB"), URIRef(PREFIXES["place"] + "MLI-north")}
    legs = set(back.subjects(URIRef(PREFIXES["tkg"] + "legOf"), flow))
    assert len(legs) == 3


def test_blank_nodes_survive(mini, tmp_path):
    # Involvements and the route list are blank nodes in the data.
    [path] = export(mini, "json-ld", tmp_path / "g.jsonld")
    back = Graph().parse(path, format="json-ld")
    flow = URIRef("https://w3id.org/tkg/kb/flow-test-cocaine")
    involvements = list(back.objects(flow, URIRef(PREFIXES["tkg"] + "qualifiedInvolvement")))
    assert len(involvements) == 3 and all(isinstance(i, BNode) for i in involvements)


def test_jsonld_has_project_context_and_compact_names(mini, tmp_path):
    [path] = export(mini, "json-ld", tmp_path / "g.jsonld")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["@context"] == jsonld_context() == PREFIXES
    node = next(n for n in doc["@graph"] if n["@id"] == "kb:flow-test-cocaine")
    assert node["@type"] == ["tkg:Flow"]
    assert node["tkg:commodity"] == [{"@id": "com:cocaine"}]
    assert node["tkg:startYear"] == [{"@value": "2019", "@type": "xsd:integer"}]
    assert node["rdfs:label"] == [{"@value": "Test cocaine flow", "@language": "en"}]


def test_jsonld_is_valid_for_a_strict_processor(mini, tmp_path):
    # Oxigraph's JSON-LD 1.1 parser expands the compact names with the context alone.
    [path] = export(mini, "json-ld", tmp_path / "g.jsonld")
    triples = {(q.subject, q.predicate, q.object)
               for q in ox.parse(path=str(path), format=ox.RdfFormat.JSON_LD)}
    assert len(triples) == len(merged(mini))
    assert (ox.NamedNode("https://w3id.org/tkg/kb/flow-test-cocaine"),
            ox.NamedNode(PREFIXES["tkg"] + "commodity"),
            ox.NamedNode(PREFIXES["com"] + "cocaine")) in triples


def test_oxigraph_backend_exports_the_same_graph(kg, kg_oxigraph, tmp_path):
    [a] = export(kg, "turtle", tmp_path / "memory.ttl")
    [b] = export(kg_oxigraph, "turtle", tmp_path / "oxigraph.ttl")
    assert same_graph(Graph().parse(a), Graph().parse(b))


def test_turtle_declares_project_prefixes(mini, tmp_path):
    [path] = export(mini, "turtle", tmp_path / "g.ttl")
    text = path.read_text(encoding="utf-8")
    assert "@prefix kb: <https://w3id.org/tkg/kb/> ." in text
    assert "kb:flow-test-cocaine" in text
