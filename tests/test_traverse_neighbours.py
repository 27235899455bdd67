"""neighbours(): breadth-first search in the full graph, both directions."""

from __future__ import annotations

from pathlib import Path

import pytest

import graph
from graph.errors import EntityNotFound, QueryError
from graph.traverse import neighbours

DATA = Path(__file__).parent / "data" / "traverse"


@pytest.fixture(scope="module")
def net():
    return graph.load([DATA / "network.ttl"])


def test_depth_one_of_a_flow(net):
    rows = neighbours(net, "F2 cocaine Mali to Libya")
    found = {(r["relation"], r["direction"], r["label"]) for r in rows}
    assert found == {
        ("origin", "out", "Mali"), ("transit", "out", "Niger"), ("destination", "out", "Libya"),
        ("commodity", "out", "Cocaine"), ("certainty", "out", "likely"),
        ("involved in", "in", "Test network A1"),
        ("prov:wasDerivedFrom", "out", "Synthetic traversal test document, Flows ¶1")}
    assert {r["distance"] for r in rows} == {1}


def test_depth_two_reaches_other_claims(net):
    rows = neighbours(net, "Test officials A2", depth=2)
    by_label = {r["label"]: r for r in rows}
    assert by_label["F1 cocaine Colombia to northern Mali"]["distance"] == 1
    colombia = by_label["Colombia"]
    assert colombia["distance"] == 2 and colombia["via"]["label"].startswith("F1")
    assert [r["distance"] for r in rows] == sorted(r["distance"] for r in rows)


def test_certainty_filter(net):
    assert neighbours(net, "Test officials A2", min_certainty="likely") == []
    labels = {r["label"] for r in neighbours(net, "Niger", min_certainty="reported")}
    assert "F2 cocaine Mali to Libya" not in labels


@pytest.mark.parametrize("entity, depth, error, match", [
    ("Atlantis", 1, EntityNotFound, "Atlantis"),
    ("Niger", 0, QueryError, "depth"),
])
def test_errors(net, entity, depth, error, match):
    with pytest.raises(error, match=match):
        neighbours(net, entity, depth=depth)


def test_real_aqim(kg):
    rows = neighbours(kg, "AQIM")
    assert any(r["relation"] == "involved in" and "northern Mali" in r["label"] for r in rows)
