"""Model invariants of the ontology files: they parse cleanly, every term is declared and
documented, object properties range over classes, the OWL RL closure is consistent, and the
generated reference and namespace module are current."""

from __future__ import annotations

import logging
import re
import warnings
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from graph.errors import ParseError
from graph.namespaces import TKG
from graph.resources import ontology_files, shapes_file
from graph.sources import SourceFile, parse

ROOT = Path(__file__).resolve().parent.parent
TKG_NS = str(TKG)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    for path in ontology_files():
        g.parse(path, format="turtle")
    return g


def test_every_file_parses_without_warnings(caplog):
    caplog.set_level(logging.WARNING, logger="rdflib")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for path in [*ontology_files(), shapes_file()]:
            Graph().parse(path, format="turtle")
    assert not caplog.records, [r.getMessage() for r in caplog.records]


def test_every_file_opens_with_one_ontology_header():
    for path in [*ontology_files(), shapes_file()]:
        g = Graph().parse(path, format="turtle")
        headers = list(g.subjects(RDF.type, OWL.Ontology))
        assert len(headers) == 1, path.name
        header = headers[0]
        for prop in ("title", "description", "creator", "created", "modified", "license"):
            assert g.value(header, URIRef("http://purl.org/dc/terms/" + prop)) is not None, \
                f"{path.name} header lacks dcterms:{prop}"
        assert g.value(header, OWL.versionInfo) is not None


def _declared(g: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(TKG_NS)} | \
        {s for s in g.subjects(RDF.type, URIRef("http://purl.org/linked-data/cube#DataStructureDefinition"))}


def test_every_tkg_iri_used_anywhere_is_declared(ontology):
    declared = _declared(ontology)
    used = set()
    files = [*ontology_files(), shapes_file(), *sorted((ROOT / "data").glob("*.ttl"))]
    for path in files:
        for triple in Graph().parse(path, format="turtle"):
            used |= {t for t in triple if isinstance(t, URIRef) and str(t).startswith(TKG_NS)}
    assert used - declared == set(), f"undeclared terms: {sorted(used - declared)}"


def test_every_class_and_property_has_label_and_definition(ontology):
    for term in _declared(ontology):
        labels = [o for o in ontology.objects(term, RDFS.label) if isinstance(o, Literal)]
        assert any(lit.language == "en" for lit in labels), f"{term} has no rdfs:label@en"
        definitions = list(ontology.objects(term, SKOS.definition))
        assert any(d.language == "en" for d in definitions), f"{term} has no skos:definition@en"
        assert ontology.value(term, RDFS.isDefinedBy) is not None, f"{term} lacks isDefinedBy"


def test_every_object_property_ranges_over_a_class(ontology):
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        if not str(prop).startswith(TKG_NS):
            continue
        rng = ontology.value(prop, RDFS.range)
        assert rng is not None, f"{prop} has no range"
        assert not str(rng).startswith("http://www.w3.org/2001/XMLSchema#"), \
            f"object property {prop} ranges over a datatype ({rng})"
        assert (rng, RDF.type, OWL.Class) in ontology or rng in (RDF.List, SKOS.Concept), \
            f"{prop} ranges over {rng}, which is not declared as a class"


def test_every_concept_is_in_a_scheme_with_english_label_and_definition(ontology):
    concepts = set(ontology.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 100
    for concept in concepts:
        assert ontology.value(concept, SKOS.inScheme) is not None, concept
        labels = ontology.objects(concept, SKOS.prefLabel)
        assert any(lbl.language == "en" for lbl in labels), concept
    # Places are data, not definitions; vocabulary concepts all say what they mean.
    for concept in concepts:
        assert ontology.value(concept, SKOS.definition) is not None, f"{concept} has no definition"


def test_index_vocabularies_match_both_editions(ontology):
    counts = {}
    for edition in (2021, 2023):
        ed = URIRef(f"https://w3id.org/tkg/vocab/index/edition-{edition}")
        for kind in ("CriminalMarket", "CriminalActorType", "ResilienceIndicator"):
            members = {c for c in ontology.subjects(RDF.type, TKG[kind])
                       if (c, TKG.measuredIn, ed) in ontology}
            counts[(edition, kind)] = len(members)
    assert counts == {(2021, "CriminalMarket"): 10, (2021, "CriminalActorType"): 4,
                      (2021, "ResilienceIndicator"): 12, (2023, "CriminalMarket"): 15,
                      (2023, "CriminalActorType"): 5, (2023, "ResilienceIndicator"): 12}


def test_every_commodity_reaches_a_market_or_is_a_grouping(ontology):
    for commodity in ontology.subjects(RDF.type, TKG.Commodity):
        chain = [commodity, *ontology.transitive_objects(commodity, SKOS.broader)]
        markets = [m for c in chain for m in ontology.objects(c, TKG.market)]
        narrower = list(ontology.subjects(SKOS.broader, commodity))
        assert markets or narrower, f"{commodity} belongs to no Index market"


def test_certainty_grades_are_ordered_and_mapped_to_admiralty(ontology):
    grades = list(ontology.subjects(RDF.type, TKG.CertaintyGrade))
    levels = sorted(int(ontology.value(g, TKG.level)) for g in grades)
    assert levels == list(range(1, len(grades) + 1)) and len(grades) >= 3
    for grade in grades:
        mapped = list(ontology.objects(grade, SKOS.exactMatch)) + \
            list(ontology.objects(grade, SKOS.closeMatch))
        assert any("admiralty" in str(m) for m in mapped), grade


def test_owl_rl_closure_is_consistent(ontology):
    owlrl = pytest.importorskip("owlrl")
    closed = Graph()
    closed += ontology
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    # OWL RL marks inconsistencies by typing a node owl:Nothing or reporting them in the graph.
    assert not list(closed.subjects(RDF.type, OWL.Nothing))
    errors = [o for o in closed.objects(None, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error"))]
    assert not errors, errors[:3]


@pytest.mark.parametrize("text, line", [
    ("@prefix x: <http://x/> .\nx:a x:b x:c .\nx:d x:e \"open .\n", 3),
    ("@prefix x: <http://x/> .\nx:a x:b x:c ;\n x:d .\n", 3),
    ("@prefix x: <http://x/> .\n\n\nx:a x:b .\n", 4),
])
def test_syntax_error_is_reported_with_file_and_line(tmp_path, text, line):
    path = tmp_path / "broken.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError, match=re.escape(f"{path}:{line}")) as info:
        parse(SourceFile(path, "turtle", "urn:test"))
    assert info.value.line == line and info.value.path == str(path)


def test_generated_reference_is_current():
    from graph.docs import ontology_markdown

    checked_in = ROOT / "docs" / "ontology.md"
    assert checked_in.is_file(), "run: tkg ontology --markdown docs/ontology.md"
    assert checked_in.read_text(encoding="utf-8") == ontology_markdown(), \
        "docs/ontology.md is stale; run: tkg ontology --markdown docs/ontology.md"


def test_reference_documents_every_term():
    from graph.docs import ontology_markdown

    text = ontology_markdown()
    g = Graph()
    for path in ontology_files():
        g.parse(path)
    for term in _declared(g):
        if str(term).startswith(TKG_NS):
            assert f"`tkg:{str(term)[len(TKG_NS):]}`" in text, term


def test_generated_cli_reference_is_current_and_complete():
    from graph.cli import cli
    from graph.docs import cli_markdown

    text = cli_markdown()
    for name in cli.list_commands(None):
        assert f"## tkg {name}\n" in text, f"command {name} missing from the reference"
    checked_in = ROOT / "docs" / "cli.md"
    assert checked_in.is_file() and checked_in.read_text(encoding="utf-8") == text, \
        "docs/cli.md is stale; run: tkg docs"
