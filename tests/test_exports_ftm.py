"""FollowTheMoney export: every entity validates with the followthemoney library, and the
mapping (read from ontology/alignments/ftm-alignments.ttl) gives the known answers."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDFS, Graph, Literal, URIRef

import graph
from conftest import require
from graph.exports import export
from graph.exports.ftm import ALIGNMENT_NS, entities, entity_id, read_alignment
from graph.resources import ontology_dir

HAVE_FTM = importlib.util.find_spec("followthemoney") is not None
if HAVE_FTM:
    from followthemoney import model, registry

MINI = Path(__file__).parent / "data" / "exports" / "mini.ttl"
KB = "https://w3id.org/tkg/kb/"
TKG = "https://w3id.org/tkg/ontology#"
ALIGNMENT = ontology_dir() / "alignments" / "ftm-alignments.ttl"


@pytest.fixture(autouse=True)
def _needs_followthemoney():
    require(HAVE_FTM, "followthemoney is not installed: pip install 'trafficking-kg[exports]'")


@pytest.fixture(scope="module")
def mini():
    return graph.load([MINI])


@pytest.fixture(scope="module")
def found(mini):
    return {e["id"]: e for e in entities(mini)}


def check_entities(rows: list[dict]) -> None:
    """Validate FtM entity dictionaries the way Aleph and the ftm tools would read them."""
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), "duplicate entity ids"
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        assert registry.entity.validate(row["id"]), row["id"]
        schema = model.get(row["schema"])
        assert schema is not None and not schema.abstract, row
        # Re-parsing as untrusted input changes nothing: every value is clean and valid.
        proxy = model.get_proxy(row, cleaned=False)
        assert proxy.to_dict() == row, row["id"]
        assert schema.validate(row) is None
        required = {name for s in schema.schemata for name in s.required}
        missing = [name for name in required if not row["properties"].get(name)]
        assert not missing, f"{row['id']} lacks {missing}"
        for name, values in row["properties"].items():
            prop = schema.get(name)
            assert prop is not None and not prop.stub, f"{row['id']}: {name}"
            if prop.type == registry.entity:
                for target in values:
                    assert target in by_id, f"{row['id']}.{name} -> missing {target}"
                    assert model.get(by_id[target]["schema"]).is_a(prop.range), \
                        f"{row['id']}.{name} -> {target} is not a {prop.range.name}"


def test_every_entity_of_the_small_graph_validates(found):
    check_entities(list(found.values()))


def test_every_entity_of_the_bundled_graph_validates(kg):
    rows = entities(kg)
    check_entities(rows)
    schemata = {row["schema"] for row in rows}
    assert {"Organization", "PublicBody", "LegalEntity", "Event", "Note", "Document",
            "Documentation", "UnknownLink"} <= schemata


def test_actor_schemata_and_topics(found):
    customs = found["tkg-kb-actor-test-customs"]
    assert customs["schema"] == "PublicBody"  # government body + state-embedded actor
    assert customs["properties"]["topics"] == ["crime", "gov"]
    assert customs["properties"]["country"] == ["ml"]  # northern Mali lies in Mali
    network = found["tkg-kb-actor-test-network"]
    assert network["schema"] == "Organization"
    assert network["properties"]["alias"] == ["TTN"]
    assert network["properties"]["topics"] == ["crime", "crime.traffick"]
    assert "country" not in network["properties"]  # the Sahel is no country...
    assert "home place: Sahel" in network["properties"]["notes"][0]  # ...so notes keep it
    politician = found["tkg-kb-actor-test-politician"]
    assert politician["schema"] == "LegalEntity"
    assert politician["properties"]["topics"] == ["gov", "role.pol"]


def test_flow_becomes_an_event_with_its_route_in_words(found):
    flow = found["tkg-kb-flow-test-cocaine"]
    props = flow["properties"]
    assert flow["schema"] == "Event"
    assert props["name"] == ["Test cocaine flow"]
    assert sorted(props["involved"]) == ["tkg-kb-actor-test-customs", "tkg-kb-actor-test-network",
                                         "tkg-kb-actor-test-politician"]
    assert sorted(props["country"]) == ["co", "gw", "ml"]  # origin and transits; Europe is none
    assert (props["startDate"], props["endDate"]) == (["2019"], ["2021"])
    assert props["keywords"] == ["Cocaine"]
    assert props["topics"] == ["crime.traffick.drug"]
    assert props["proof"] == ["tkg-kb-doc-test-exports"]
    assert props["sourceUrl"] == ["https://example.org/report"]
    assert props["summary"] == ["flow; certainty: reported (level 4 of 5)"]
    notes = props["notes"][0].splitlines()
    assert "route: Guinea-Bissau → Northern Mali".casefold() in \
        [line.casefold() for line in notes]
    assert "origin: Colombia" in notes and "destination: Europe" in notes
    assert any("Test customs service" in line and "certainty: suspected (level 2 of 5)" in line
               and "colludes" in line for line in notes)
    assert "source: Export test report, Drugs ¶1" in notes
    assert notes[-1] == "id: kb:flow-test-cocaine"


def test_relations_become_links_that_fit_ftm(found):
    links = [e for e in found.values() if e["id"].startswith("tkg-kb-relation-")]
    by_node = {}
    for link in links:
        by_node.setdefault(link["properties"]["recordId"][0].rsplit("/", 1)[-1], []).append(link)
    [membership] = by_node["relation-test-membership"]
    assert membership["schema"] == "Membership"
    assert membership["properties"]["member"] == ["tkg-kb-actor-test-politician"]
    assert membership["properties"]["organization"] == ["tkg-kb-actor-test-network"]
    # FtM's Membership needs an organisation; a politician (LegalEntity) is not one.
    [fallback] = by_node["relation-test-membership-of-person"]
    assert fallback["schema"] == "UnknownLink"
    assert fallback["properties"]["role"] == ["membership"]
    protection = by_node["relation-test-protection"]
    assert len(protection) == 2  # one link per object actor
    assert {p["properties"]["object"][0] for p in protection} == {
        "tkg-kb-actor-test-network", "tkg-kb-actor-test-politician"}
    summary = protection[0]["properties"]["summary"][0]
    assert summary.startswith("actor relation; certainty: reported (level 4 of 5)")
    assert "source: Export test report, Actors ¶3" in summary


def test_documents_and_passages(found):
    doc = found["tkg-kb-doc-test-exports"]
    assert doc["schema"] == "Document"
    props = doc["properties"]
    assert props["title"] == ["Export test report"] and props["fileName"] == ["Export test report"]
    assert props["publishedAt"] == ["2022"] and props["sourceUrl"] == ["https://example.org/report"]
    assert "reliability: B" in props["summary"][0]
    docs = [e for e in found.values() if e["schema"] == "Documentation"]
    # Links (relations) are no FtM Things, so only the flow (1 passage) and finding (2) get one.
    assert sorted((d["properties"]["entity"][0], d["properties"]["role"][0]) for d in docs) == [
        ("tkg-kb-finding-test-weak-borders", "Actors ¶3"),
        ("tkg-kb-finding-test-weak-borders", "Drugs ¶1"),
        ("tkg-kb-flow-test-cocaine", "Drugs ¶1")]
    assert {d["properties"]["document"][0] for d in docs} == {"tkg-kb-doc-test-exports"}


def test_finding_becomes_a_note(found):
    note = found["tkg-kb-finding-test-weak-borders"]
    assert note["schema"] == "Note"
    assert note["properties"]["country"] == ["ml"]
    assert "assessment: weakness" in note["properties"]["notes"][0]


def test_ids_are_stable(mini, found):
    assert [e["id"] for e in entities(mini)] == list(found)
    assert entity_id(KB + "actor-aqim") == "tkg-kb-actor-aqim"
    assert entity_id("urn:x:y") == entity_id("urn:x:y") != entity_id("urn:x:z")


def test_file_is_json_lines_that_ftm_validate_accepts(mini, tmp_path):
    from followthemoney.cli.cli import cli as ftm_cli

    [path] = export(mini, "ftm", tmp_path / "mini.ftm.json")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(entities(mini))
    rows = [json.loads(line) for line in lines]
    check_entities(rows)
    out = tmp_path / "validated.ftm.json"
    result = CliRunner().invoke(ftm_cli, ["validate", "-i", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(lines)


# -- the alignment file: model invariants --------------------------------------------------

@pytest.fixture(scope="module")
def alignment_graph() -> Graph:
    return Graph().parse(ALIGNMENT)


def test_every_actor_class_has_an_ftm_schema(alignment_graph):
    core = Graph().parse(ontology_dir() / "tkg.ttl")
    actor = URIRef(TKG + "Actor")
    classes = set(core.transitive_subjects(RDFS.subClassOf, actor))
    schema = URIRef(ALIGNMENT_NS + "schema")
    unmapped = sorted(str(c) for c in classes if alignment_graph.value(c, schema) is None)
    assert not unmapped, f"add a tkgftm:schema for {unmapped}"
    for name in ("Flow", "Activity", "Event", "Finding", "ActorRelation", "SourceDocument",
                 "Passage"):
        assert alignment_graph.value(URIRef(TKG + name), schema) is not None, name


def test_every_name_in_the_alignment_exists_in_ftm(alignment_graph):
    kinds = {"schema": set(), "topic": set(), "property": set(), "edgeEnd": set()}
    for _, p, o in alignment_graph:
        if str(p).startswith(ALIGNMENT_NS) and isinstance(o, Literal):
            kinds[str(p)[len(ALIGNMENT_NS):]].add(str(o))
    assert kinds["schema"] and all(model.get(n) is not None for n in kinds["schema"])
    assert kinds["topic"] <= set(registry.topic.names)
    all_props = {name for s in model.schemata.values() for name in s.properties}
    assert kinds["property"] <= all_props
    assert kinds["edgeEnd"] == {"source", "target"}


def test_annotation_properties_are_documented(alignment_graph):
    from rdflib import OWL, RDF, SKOS

    declared = set(alignment_graph.subjects(RDF.type, OWL.AnnotationProperty))
    used = {p for _, p, _ in alignment_graph if str(p).startswith(ALIGNMENT_NS)}
    assert used <= declared
    for term in declared:
        assert alignment_graph.value(term, RDFS.label).language == "en"
        assert alignment_graph.value(term, SKOS.definition).language == "en"


def test_alignment_is_read_from_the_graph_or_the_file(mini):
    from graph.exports._store import GraphIndex, quad_store

    from_graph = read_alignment(GraphIndex(quad_store(mini)))
    from_file = read_alignment()
    assert from_graph.schemata == from_file.schemata
    assert from_file.edge_ends == {TKG + "subjectActor": "source", TKG + "objectActor": "target"}
