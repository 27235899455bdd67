"""GraphML and GEXF exports (read back with networkx) and the flattening they rely on."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import graph
from graph.exports import export
from graph.exports.networks import NETWORKS, flatten

MINI = Path(__file__).parent / "data" / "exports" / "mini.ttl"
PLACE = "https://w3id.org/tkg/place/"
FLOW = "https://w3id.org/tkg/kb/flow-test-cocaine"
LEGS = [(PLACE + "COL", PLACE + "GNB"), (PLACE + "GNB", PLACE + "MLI-north"),
        (PLACE + "MLI-north", PLACE + "europe")]


@pytest.fixture(scope="module")
def mini():
    return graph.load([MINI])


def read(path: Path):
    return nx.read_graphml(path, force_multigraph=True) if path.suffix == ".graphml" \
        else nx.read_gexf(path)


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_flow_network_round_trip(mini, tmp_path, suffix):
    [path] = export(mini, suffix[1:], tmp_path / f"flows{suffix}")
    net = read(path)
    assert net.is_directed()
    legs = sorted(((u, v, d) for u, v, d in net.edges(data=True) if d["flow"] == FLOW),
                  key=lambda e: e[2]["leg_index"])
    assert [(u, v) for u, v, _ in legs] == LEGS
    first = legs[0][2]
    assert first["commodity_label"] == "Cocaine"
    assert first["certainty_label"] == "reported" and first["certainty_level"] == 4
    assert first["period"] == "2019-2021"
    assert first["actors"].count("; ") == 2
    assert "Test customs service" in first["actors"]
    assert "colludes" in first["actors_role"] and "transports" in first["actors_role"]
    assert "Export test report, Drugs ¶1" in first["sources"]
    mali = net.nodes[PLACE + "COL"]
    assert mali["label"] == "Colombia" and mali["iso3"] == "COL"
    assert (mali["lat"], mali["lon"]) == (4.0, -72.0)
    # Missing values are dropped, not written as empty or "None".
    assert "iso3" not in net.nodes[PLACE + "europe"]


def test_graphml_keeps_years_and_leg_ids(mini, tmp_path):
    [path] = export(mini, "graphml", tmp_path / "flows.graphml")
    net = nx.read_graphml(path, force_multigraph=True)
    keys = {k for u, v, k, d in net.edges(keys=True, data=True) if d["flow"] == FLOW}
    assert len(keys) == 3 and all(k.startswith(FLOW + "-leg-") for k in keys)
    data = next(d for _, _, d in net.edges(data=True) if d["flow"] == FLOW)
    assert (data["start"], data["end"]) == (2019, 2021)


def test_gexf_has_positions_and_a_timeline(mini, tmp_path):
    [path] = export(mini, "gexf", tmp_path / "flows.gexf")
    text = path.read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    net = nx.read_gexf(path)  # a DiGraph here: no two legs join the same places
    assert net.nodes[PLACE + "COL"]["viz"]["position"] == {"x": -72.0, "y": 4.0, "z": 0.0}
    edge = next(d for _, _, d in net.edges(data=True) if d["flow"] == FLOW)
    assert edge["id"].startswith(FLOW + "-leg-")
    assert (edge["start"], edge["end"]) == ("2019-01-01", "2021-12-31")
    assert (edge["start_year"], edge["end_year"]) == (2019, 2021)


@pytest.mark.parametrize(("options", "legs"), [
    ({}, 3),
    ({"commodity": "drugs"}, 3),      # a broader commodity includes cocaine
    ({"commodity": "heroin"}, 0),
    ({"min_certainty": "confirmed"}, 0),
])
def test_filters(mini, tmp_path, options, legs):
    [path] = export(mini, "graphml", tmp_path / "f.graphml", **options)
    assert nx.read_graphml(path).number_of_edges() == legs


def test_min_certainty_filters_actors_by_their_own_grade(mini, tmp_path):
    [path] = export(mini, "graphml", tmp_path / "f.graphml", min_certainty="reported")
    data = next(d for _, _, d in nx.read_graphml(path).edges(data=True))
    assert "Test customs service" not in data["actors"]  # involvement graded suspected
    assert "Test trafficking network" in data["actors"]


@pytest.mark.parametrize("network", sorted(NETWORKS))
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_every_network_on_the_bundled_graph(kg, tmp_path, network, fmt):
    [path] = export(kg, fmt, tmp_path / f"n.{fmt}", network=network)
    net = read(path)
    assert net.number_of_nodes() > 20 and net.number_of_edges() > 20
    for _, data in net.nodes(data=True):
        assert data.get("label")


# -- flattening (stand-in graphs with known answers) ----------------------------------------

def test_flatten_scalars_lists_and_records():
    net = nx.MultiDiGraph(commodity=None, title="t")
    net.add_node("a", label="A", lat=None, tags={"y", "x"}, score=float("nan"), empty="")
    net.add_node("b", label="B")
    net.add_edge("a", "b", key="e1", actors=[{"id": "x", "label": "X", "role": "taxes"},
                                           {"id": "y", "label": "Y", "role": None}],
               sources=[{"document": "d", "section": "S", "paragraph": 1}], ok=True)
    flat = flatten(net)
    assert flat.graph == {"title": "t"}
    assert flat.nodes["a"] == {"label": "A", "tags": "x; y"}
    assert flat.edges["a", "b", "e1"] == {
        "actors": "X; Y", "actors_id": "x; y", "actors_role": "taxes",
        "sources": "d, S, 1", "sources_document": "d", "sources_section": "S",
        "sources_paragraph": "1", "ok": True}
    assert net.nodes["a"]["lat"] is None  # the input is not changed


def test_flatten_gives_each_attribute_one_type():
    net = nx.Graph()
    net.add_node("a", size=1, code=5)
    net.add_node("b", size=2.5, code="x")
    flat = flatten(net)
    assert (flat.nodes["a"]["size"], flat.nodes["b"]["size"]) == (1.0, 2.5)
    assert (flat.nodes["a"]["code"], flat.nodes["b"]["code"]) == ("5", "x")


def test_flatten_numbers_repeated_keys_and_keeps_them():
    net = nx.MultiDiGraph()
    net.add_edge("a", "b", key="tkg:partOf")
    net.add_edge("b", "c", key="tkg:partOf")
    flat = flatten(net)
    assert sorted(k for _, _, k in flat.edges(keys=True)) == [0, 1]
    assert {d["edge_key"] for _, _, d in flat.edges(data=True)} == {"tkg:partOf"}


def test_flatten_renames_an_edge_type_for_gexf():
    net = nx.DiGraph()
    net.add_edge("a", "b", type="alliance", start=2020)
    flat = flatten(net, gexf=True)
    assert flat.edges["a", "b"] == {"edge_type": "alliance", "start": "2020-01-01",
                                    "start_year": 2020}
