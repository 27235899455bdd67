"""Projections: the flow network, the bipartite graphs and the full graph."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import graph
from graph.errors import EntityNotFound
from graph.namespaces import CERT, COM, KB, PLACE, TKG
from graph.traverse import (
    actor_commodity_graph,
    actor_market_graph,
    clear_cache,
    flow_network,
    full_graph,
)

DATA = Path(__file__).parent / "data" / "traverse"

EDGE_KEYS = {"flow", "commodity", "commodity_label", "certainty", "certainty_label",
             "certainty_level", "description", "start", "end", "actors", "sources"}
NODE_KEYS = {"label", "type", "lat", "lon", "iso3"}


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def net(request):
    return graph.load([DATA / "network.ttl"], backend=request.param)


def p(code: str) -> str:
    return str(PLACE[code])


def test_flow_network_has_one_edge_per_leg(net):
    graph_ = flow_network(net)
    assert isinstance(graph_, nx.MultiDiGraph)
    # F1 3 legs, F2 2, F3 1, F4 1, F5 1, F6 1, F8 2.
    assert graph_.number_of_edges() == 11
    f1 = [(u, v) for u, v, d in sorted(graph_.edges(data=True), key=lambda e: e[2]["leg_index"])
          if d["flow"] == str(KB["flow-test-f1"])]
    assert f1 == [(p("COL"), p("VEN")), (p("VEN"), p("GNB")), (p("GNB"), p("MLI-north"))]


def test_flow_network_attributes(net):
    graph_ = flow_network(net)
    for _, attrs in graph_.nodes(data=True):
        assert set(attrs) >= NODE_KEYS
    assert graph_.nodes[p("LBY")]["iso3"] == "LBY"
    assert isinstance(graph_.nodes[p("LBY")]["lat"], float)
    assert graph_.nodes[p("MLI-north")]["iso3"] is None
    for _, _, key, attrs in graph_.edges(keys=True, data=True):
        assert set(attrs) >= EDGE_KEYS
        assert key.startswith(attrs["flow"] + "-leg-")
    (data,) = [d for _, _, d in graph_.edges(p("MLI"), data=True)
               if d["flow"] == str(KB["flow-test-f2"])]
    assert data["commodity"] == str(COM.cocaine) and data["commodity_label"] == "Cocaine"
    assert (data["certainty"], data["certainty_label"], data["certainty_level"]) == (
        str(CERT.likely), "likely", 3)
    assert (data["start"], data["end"]) == (2015, 2018)
    assert data["actors"][0]["label"] == "Test network A1"
    assert {"id", "label", "type", "role"} <= set(data["actors"][0])
    assert data["sources"][0]["section"] == "Flows" and data["sources"][0]["paragraph"] == 1


def test_flow_network_filters(net):
    arms = flow_network(net, commodity="arms")
    assert {d["commodity_label"] for _, _, d in arms.edges(data=True)} == {
        "Small arms", "Ammunition"}
    firm = flow_network(net, min_certainty="reported")
    assert {d["certainty_label"] for _, _, d in firm.edges(data=True)} == {"reported"}
    # The involvement of A2 in F1 is only suspected: dropped at "likely".
    (leg,) = [d for _, v, d in flow_network(net, min_certainty="likely").edges(data=True)
              if v == p("VEN")]
    assert [a["label"] for a in leg["actors"]] == ["Test network A1"]
    (leg,) = [d for _, v, d in flow_network(net).edges(data=True) if v == p("VEN")]
    assert [a["label"] for a in leg["actors"]] == ["Test network A1", "Test officials A2"]


def test_flow_network_is_cached_and_clearable(net):
    assert flow_network(net, "cocaine") is flow_network(net, "Cocaine")
    before = flow_network(net, "cocaine")
    clear_cache(net)
    assert flow_network(net, "cocaine") is not before


@pytest.mark.parametrize("kwargs, match", [
    ({"commodity": "cocaïne powder"}, "cocaïne powder"),
    ({"min_certainty": "sure"}, "sure"),
    ({"commodity": "Mali"}, "Mali"),
])
def test_flow_network_errors(net, kwargs, match):
    with pytest.raises(EntityNotFound, match=match):
        flow_network(net, **kwargs)


def test_actor_commodity_graph(net):
    bip = actor_commodity_graph(net)
    a1, a3 = str(KB["actor-test-a1"]), str(KB["actor-test-a3"])
    assert {bip.nodes[n]["label"] for n in bip[a3]} == {"Small arms", "Cocaine", "Gold"}
    assert {bip.nodes[n]["label"] for n in bip[a1]} == {"Cocaine"}
    assert bip[a1][str(COM.cocaine)]["weight"] == 2  # F1 and F2
    assert bip.nodes[a1]["bipartite"] == 0 and bip.nodes[str(COM.cocaine)]["bipartite"] == 1
    firm = actor_commodity_graph(net, min_certainty="reported")
    assert not firm.has_edge(a3, str(COM.cocaine))  # F8 is suspected
    assert not firm.has_node(str(KB["actor-test-a2"]))


def test_actor_market_graph(net):
    bip = actor_market_graph(net)
    labels = {bip.nodes[n]["label"] for n in bip[str(KB["actor-test-a1"])]}
    # Cocaine flows, and illicit taxation through its activity type's market.
    assert labels == {"Cocaine trade", "Extortion and protection racketeering"}


def test_full_graph(net):
    graph_ = full_graph(net)
    f2 = str(KB["flow-test-f2"])
    assert graph_.nodes[f2]["category"] == "claim" and graph_.nodes[f2]["certainty_level"] == 3
    relations = {(d["relation"], v) for _, v, d in graph_.out_edges(f2, data=True)}
    assert {("origin", p("MLI")), ("transit", p("NER")), ("destination", p("LBY"))} <= relations
    # Legs are collapsed: no node is a leg, and the flowsTo shortcut is not an edge.
    assert not any(str(TKG.Leg) in d["classes"] for _, d in graph_.nodes(data=True))
    assert not any(d["predicate"] == str(TKG.flowsTo) for _, _, d in graph_.edges(data=True))
    (edge,) = graph_.get_edge_data(str(KB["actor-test-a1"]), f2).values()
    assert edge["roles"] == ["transports"] and edge["certainty"] == str(CERT.likely)
    assert graph_.nodes[str(KB["psg-test-traverse-flows-1"])]["label"] == (
        "Synthetic traversal test document, Flows ¶1")


def test_full_graph_certainty_filter(net):
    graph_ = full_graph(net, min_certainty="reported")
    assert str(KB["flow-test-f2"]) not in graph_
    assert str(KB["flow-test-f1"]) in graph_
    assert not graph_.has_edge(str(KB["actor-test-a2"]), str(KB["flow-test-f1"]))


def test_real_flow_network(kg):
    graph_ = flow_network(kg, commodity="arms")
    assert graph_.has_edge(p("LBY"), p("MLI"))
    cocaine = flow_network(kg, commodity="cocaine")
    assert cocaine.has_edge(p("latin-america"), p("MLI-north"))
    assert cocaine.has_edge(p("MLI-north"), p("europe"))
