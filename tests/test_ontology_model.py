"""The ontology model (graph.ontology): read once per graph, equal on every backend, and
driven by the Turtle alone.

Expected values are read independently from the Turtle files with rdflib, never copied from
the model's own output.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

import graph
from graph.claims import model
from graph.namespaces import CERT, COM, PLACE, PRES, TKG
from graph.ontology import Ontology, load_ontology, read_ontology
from graph.resources import ontology_dir, ontology_files
from graph.views.style import Styler

PACKAGE = Path(graph.__file__).parent


def _vocab(name: str) -> Graph:
    return Graph().parse(ontology_dir() / "vocab" / name, format="turtle")


def _scale(g: Graph, cls) -> list[tuple[str, int]]:
    """(grade, level) of every member of ``cls`` in ``g``, firmest first."""
    found = [(str(s), int(g.value(s, TKG.level))) for s in g.subjects(RDF.type, cls)]
    return sorted(found, key=lambda item: (-item[1], item[0]))


@pytest.fixture(scope="module")
def onto(kg) -> Ontology:
    return kg.ontology


# -- what the model holds matches the Turtle ----------------------------------------------

def test_certainty_order_matches_the_certainty_vocabulary(onto):
    g = _vocab("certainty.ttl")
    expected = _scale(g, TKG.CertaintyGrade)
    assert len(expected) >= 5
    assert [(str(x.id), x.level) for x in onto.certainty] == expected
    for grade in onto.certainty:
        iri = URIRef(grade.id)
        assert grade.label == str(g.value(iri, SKOS.prefLabel))
        assert grade.hedge == str(g.value(iri, TKG.hedgeFrame))


def test_reliability_order_matches_the_admiralty_vocabulary(onto):
    expected = _scale(_vocab("admiralty.ttl"), TKG.ReliabilityGrade)
    assert [(str(x.id), x.level) for x in onto.reliability] == expected
    assert [g.level for g in onto.reliability] == sorted(
        (g.level for g in onto.reliability), reverse=True)


def test_scale_is_the_level_and_the_top_of_its_scheme(onto):
    g = _vocab("certainty.ttl")
    scheme = g.value(CERT.likely, SKOS.inScheme)
    top = max(int(g.value(s, TKG.level)) for s in g.subjects(SKOS.inScheme, scheme))
    assert onto.scale(CERT.likely) == (int(g.value(CERT.likely, TKG.level)), top)
    assert onto.scale(COM.cocaine) is None
    assert onto.level(None) is None


def test_cocaine_is_narrower_than_drugs(onto):
    g = _vocab("commodity.ttl")
    assert (COM.cocaine, SKOS.broader, COM.drugs) in g  # what the Turtle says
    assert onto.narrower_than(COM.cocaine, COM.drugs)
    assert str(COM.cocaine) in onto.descendants(COM.drugs)
    assert not onto.narrower_than(COM.drugs, COM.cocaine)
    assert str(COM.cocaine) not in onto.descendants(COM.arms)
    every_drug = {str(c) for c in g.transitive_subjects(SKOS.broader, COM.drugs)}
    assert onto.descendants(COM.drugs) == every_drug


def test_place_hierarchy_and_countries_match_the_gazetteer(onto):
    g = Graph().parse(ontology_dir() / "places.ttl", format="turtle")
    countries = {str(c) for c in g.subjects(RDF.type, TKG.Country)}
    assert set(onto.instances(TKG.Country)) >= countries
    for country in sorted(countries)[:20]:
        parents = {str(p) for p in g.objects(URIRef(country), TKG.partOf)}
        assert onto.part_of.get(country, frozenset()) >= parents
        assert onto.place_info[country]["iso3"] == str(g.value(URIRef(country), TKG.iso3))
    assert str(PLACE["MLI-north"]) in onto.descendants(PLACE.MLI, "partOf")


def test_classes_and_their_roots_follow_the_core_ontology(onto):
    g = Graph().parse(ontology_dir() / "tkg.ttl", format="turtle")
    for cls in g.subjects(RDFS.subClassOf, TKG.ArmedGroup):
        assert onto.is_subclass(cls, TKG.Actor)
        assert onto.root(cls) == str(TKG.Actor)
        assert onto.classes[str(cls)] == str(g.value(cls, RDFS.label))
    assert onto.root(TKG.Flow) == str(TKG.Claim)
    assert not onto.is_subclass(TKG.Flow, TKG.Actor)
    assert set(onto.classes) == {str(c) for c in g.subjects(RDF.type, URIRef(
        "http://www.w3.org/2002/07/owl#Class")) if str(c).startswith(str(TKG))}


def test_indicators_are_the_index_vocabulary(onto):
    g = Graph()
    for path in ontology_files():
        g.parse(path, format="turtle")
    kinds = set(g.transitive_subjects(RDFS.subClassOf, TKG.IndexIndicator))
    expected = {str(s) for k in kinds for s in g.subjects(RDF.type, k)}
    assert set(onto.indicators) == expected and len(expected) > 30


def test_presentation_hints_come_from_presentation_ttl(onto):
    g = Graph().parse(ontology_dir() / "presentation.ttl", format="turtle")
    for term, colour in g.subject_objects(PRES.colour):
        assert onto.hints[str(term)]["colour"] == str(colour)
    flagged = {str(s) for s, v in g.subject_objects(PRES.foundById) if v.toPython() is True}
    assert set(onto.found_by_id) == flagged and str(TKG.Claim) in flagged


# -- one model per graph, the same on every backend ----------------------------------------

def test_workspace_memory_and_oxigraph_graphs_give_equal_models(kg, kg_memory, kg_oxigraph):
    assert kg.ontology == kg_memory.ontology == kg_oxigraph.ontology
    assert kg.ontology == load_ontology()  # the bundled files alone, through the same loader


def test_the_model_is_read_once_per_graph_and_shared(kg):
    first = kg.ontology
    assert kg.ontology is first
    assert model(kg).ontology is first
    assert Styler(kg).hints is first.hints


def test_clear_cache_rereads_the_model_and_the_claims(kg_oxigraph):
    onto, claims = kg_oxigraph.ontology, model(kg_oxigraph)
    kg_oxigraph.clear_cache()
    assert kg_oxigraph.ontology is not onto and kg_oxigraph.ontology == onto
    assert model(kg_oxigraph) is not claims
    assert read_ontology(kg_oxigraph) == onto


# -- the Turtle drives it: a new grade needs no code ----------------------------------------

_RUMOURED = """
@prefix cert: <https://w3id.org/tkg/vocab/certainty/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix tkg: <https://w3id.org/tkg/ontology#> .
cert:rumoured a skos:Concept, tkg:CertaintyGrade ;
    skos:inScheme cert:grades ;
    skos:prefLabel "rumoured"@en ;
    tkg:hedgeFrame "It is rumoured that {}."@en ;
    tkg:level 0 .
"""


def test_a_certainty_grade_added_to_a_copy_of_the_vocabulary_joins_the_model(tmp_path):
    copies = []
    for path in ontology_files():
        copy = tmp_path / path.relative_to(ontology_dir())
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, copy)
        copies.append(copy)
    vocab = tmp_path / "vocab" / "certainty.ttl"
    vocab.write_text(vocab.read_text(encoding="utf-8") + _RUMOURED, encoding="utf-8")
    before, after = load_ontology(), load_ontology(copies)
    assert [g.label for g in after.certainty] == [g.label for g in before.certainty] + ["rumoured"]
    assert after.certainty[-1].hedge == "It is rumoured that {}."
    assert after.scale(CERT.rumoured) == (0, before.certainty[0].level)


def test_a_graph_stating_a_new_grade_gets_it_in_every_consumer(tmp_path):
    extra = tmp_path / "rumoured.ttl"
    extra.write_text(_RUMOURED, encoding="utf-8")
    kg = graph.load([extra], backend="oxigraph", validate=False, use_cache=False)
    assert kg.ontology.certainty[-1].id == str(CERT.rumoured)
    assert [g["label"] for g in Styler(kg).grades()][-1] == "rumoured"
    assert model(kg).min_level("rumoured") == 0


def test_a_graph_stating_its_own_hint_overrides_the_bundled_one(tmp_path):
    extra = tmp_path / "hint.ttl"
    g = Graph()
    g.add((COM.cocaine, PRES.colour, Literal("#123456")))
    g.serialize(extra, format="turtle")
    kg = graph.load([extra], backend="oxigraph", validate=False, use_cache=False)
    assert kg.ontology.hints[str(COM.cocaine)]["colour"] == "#123456"
    assert Styler(kg).commodity(COM.cocaine)["colour"] == "#123456"


# -- no consumer reads the ontology on its own ---------------------------------------------

CONSUMERS = ["kg.py", "lookup.py", "claims.py", "generate.py", "docs.py", "views/style.py",
             "views/model.py", "exports/ftm.py", *(f"traverse/{p.name}" for p in
             sorted((PACKAGE / "traverse").glob("*.py"))),
             *(f"analysis/{p.name}" for p in sorted((PACKAGE / "analysis").glob("*.py")))]


def _code_strings(path: Path) -> list[str]:
    """String constants of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docs]


@pytest.mark.parametrize("module", CONSUMERS)
def test_consumers_name_no_namespace_and_query_no_ontology(module):
    strings = _code_strings(PACKAGE / module)
    assert not [s for s in strings if "w3id.org/tkg" in s], f"{module} spells out a namespace"
    sparql = [s for s in strings if "SELECT" in s or "WHERE" in s]
    for needle in ("skos:broader", "rdfs:subClassOf", "tkg:level", "tkg:partOf", "owl:Class",
                   "tkg:CertaintyGrade", "pres:"):
        assert not [s for s in sparql if needle in s], f"{module} queries {needle} itself"
    for name in ("vocabulary-structure", "_class-hierarchy", "certainty-grades"):
        assert name not in strings, f"{module} runs the named query {name} itself"


# -- errors name what is wrong -------------------------------------------------------------

def test_a_broken_file_is_named_with_its_line(tmp_path):
    from graph.errors import ParseError

    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix x: <http://example.org/> .\nx:a x:b\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"broken\.ttl:\d+"):
        load_ontology([broken])


@pytest.mark.parametrize("relation", ["narrower", "partof", ""])
def test_an_unknown_relation_lists_the_known_ones(onto, relation):
    from graph.errors import UnknownName

    with pytest.raises(UnknownName, match="broader, partOf, subClassOf"):
        onto.ancestors(COM.cocaine, relation)


def test_a_commodity_branch_without_colour_takes_one_from_the_palette(tmp_path):
    g = Graph().parse(ontology_dir() / "presentation.ttl", format="turtle")
    palette = str(g.value(TKG.Commodity, PRES.palette)).split()
    extra = tmp_path / "own-goods.ttl"
    extra.write_text(
        "@prefix com: <https://w3id.org/tkg/vocab/commodity/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix tkg: <https://w3id.org/tkg/ontology#> .\n"
        "com:own-goods a skos:Concept, tkg:Commodity ; skos:inScheme com:commodities ;\n"
        '    skos:prefLabel "own goods"@en .\n'
        "com:own-widgets a skos:Concept, tkg:Commodity ; skos:inScheme com:commodities ;\n"
        '    skos:prefLabel "own widgets"@en ; skos:broader com:own-goods .\n', encoding="utf-8")
    kg = graph.load([extra], backend="oxigraph", validate=False, use_cache=False)
    style = Styler(kg).commodity(COM["own-widgets"])
    assert style["key"] == str(COM["own-goods"])  # the top of its branch
    assert len(palette) >= 8 and style["colour"] in palette
    assert Styler(kg).commodity(COM["own-goods"])["colour"] == style["colour"]


def test_the_ontology_kept_in_the_cache_is_the_one_the_store_answers(tmp_path, monkeypatch):
    # A cold command reads the ontology from the cache (per state of the store); it must be
    # what the query gives, IRIs still IRIs.
    from graph import query as named
    from graph.backends.base import IRI
    from graph.ontology import _build, _bundled_hints

    monkeypatch.setenv("TKG_CACHE_DIR", str(tmp_path))
    first = graph.open()
    assert first.key and not list(tmp_path.glob("*.ontology.json"))
    assert first.ontology and len(list(tmp_path.glob("*.ontology.json"))) == 1
    again = graph.open().ontology  # a fresh graph: from the file
    fresh = _build(first.execute(named.get("ontology").sparql).iterdicts(), _bundled_hints())
    assert again == fresh
    assert all(isinstance(g.id, IRI) for g in again.certainty)
