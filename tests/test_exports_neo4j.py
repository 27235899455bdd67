"""Neo4j export: the CSV files have the neo4j-admin shape, every relationship joins two
exported nodes, names are valid Cypher identifiers and load.cypher reads only real columns."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

import graph
from graph.exports import export
from graph.exports.neo4j import ARRAY_DELIMITER, property_graph

MINI = Path(__file__).parent / "data" / "exports" / "mini.ttl"
KB = "https://w3id.org/tkg/kb/"
PLACE = "https://w3id.org/tkg/place/"
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
COLUMN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*:(string|long|double|boolean)(\[\])?$")


@pytest.fixture(scope="module")
def mini():
    return graph.load([MINI])


@pytest.fixture(params=["mini", "bundled"])
def files(request, mini, kg, tmp_path):
    loaded = mini if request.param == "mini" else kg
    nodes, rels, script = export(loaded, "neo4j", tmp_path / "neo4j")
    with nodes.open(encoding="utf-8", newline="") as handle:
        node_rows = list(csv.reader(handle))
    with rels.open(encoding="utf-8", newline="") as handle:
        rel_rows = list(csv.reader(handle))
    return node_rows, rel_rows, script.read_text(encoding="utf-8")


def test_headers_have_the_import_shape(files):
    nodes, rels, _ = files
    assert nodes[0][:2] == ["id:ID", ":LABEL"]
    assert all(COLUMN.match(col) for col in nodes[0][2:]), nodes[0]
    assert len(set(nodes[0])) == len(nodes[0])
    assert rels[0] == [":START_ID", ":END_ID", ":TYPE", "index:long"]
    assert all(len(row) == len(nodes[0]) for row in nodes)
    assert all(len(row) == 4 for row in rels)


def test_every_relationship_joins_exported_nodes(files):
    nodes, rels, _ = files
    ids = [row[0] for row in nodes[1:]]
    assert len(ids) == len(set(ids))
    known = set(ids)
    dangling = [row for row in rels[1:] if row[0] not in known or row[1] not in known]
    assert not dangling, dangling[:5]


def test_labels_and_types_are_identifiers(files):
    nodes, rels, _ = files
    for row in nodes[1:]:
        labels = row[1].split(ARRAY_DELIMITER)
        assert labels[0] == "Resource"
        assert all(IDENTIFIER.match(label) for label in labels), row[1]
    assert all(IDENTIFIER.match(row[2]) for row in rels[1:])


def test_load_script_reads_only_real_columns(files):
    nodes, rels, script = files
    node_columns = {f"`{c}`" for c in nodes[0]}
    rel_columns = {f"`{c}`" for c in rels[0]}
    for statement in script.split(";\n"):
        used = set(re.findall(r"row\.(`[^`]+`)", statement))
        if "nodes.csv" in statement:
            assert used <= node_columns, used - node_columns
        elif "relationships.csv" in statement:
            assert used <= rel_columns, used - rel_columns
    for label in {label for row in nodes[1:] for label in row[1].split(ARRAY_DELIMITER)}:
        assert label == "Resource" or f"SET n:{label}\n" in script
    for rel_type in {row[2] for row in rels[1:]}:
        assert f"CREATE (a)-[r:{rel_type}]->(b)" in script
    assert "CREATE CONSTRAINT resource_id IF NOT EXISTS" in script


def test_small_graph_known_answers(mini):
    pg = property_graph(mini)
    nodes = {n["id"]: n for n in pg["nodes"]}
    network = nodes[KB + "actor-test-network"]
    assert {"Resource", "TraffickingNetwork", "CriminalNetwork", "CriminalActor",
            "Actor"} <= set(network["labels"])
    assert network["properties"]["altLabel"] == ["TTN"]
    assert network["properties"]["name"] == ["Test trafficking network"]
    flow = nodes[KB + "flow-test-cocaine"]
    assert flow["properties"]["startYear"] == [2019]
    rels = [r for r in pg["relationships"] if r["start"] == KB + "flow-test-cocaine"]
    route = sorted((r["index"], r["end"]) for r in rels if r["type"] == "ROUTE")
    assert route == [(1, PLACE + "GNB"), (2, PLACE + "MLI-north")]
    assert {r["type"] for r in rels} >= {"COMMODITY", "ORIGIN", "DESTINATION", "TRANSIT",
                                         "CERTAINTY", "QUALIFIED_INVOLVEMENT", "WAS_DERIVED_FROM"}
    involved = [r["start"] for r in pg["relationships"]
                if r["type"] == "INVOLVED_IN" and r["end"] == KB + "flow-test-cocaine"]
    assert len(involved) == 3
    # The schema is given by labels and types: no class or property becomes a node.
    assert "https://w3id.org/tkg/ontology#Flow" not in nodes
    assert "https://w3id.org/tkg/ontology#commodity" not in nodes
    assert not any(n.startswith("https://w3id.org/tkg/ontology") for n in nodes)
    assert pg["columns"]["startYear"] == "long" and pg["columns"]["lat"] == "double"
    assert pg["columns"]["altLabel"] == "string[]"


def test_values_are_written_by_type(mini, tmp_path):
    nodes, _, _ = export(mini, "neo4j", tmp_path / "n")
    with nodes.open(encoding="utf-8", newline="") as handle:
        rows = {row["id:ID"]: row for row in csv.DictReader(handle)}
    colombia = rows[PLACE + "COL"]
    assert float(colombia["long:double"]) == -72.0
    passage = rows[KB + "psg-test-exports-1"]
    assert passage["statesFact:boolean"] == "true"
    assert passage["paragraph:long"] == "1"
