"""convergence(): actors and places spanning several markets or commodities."""

from __future__ import annotations

from pathlib import Path

import pytest

import graph
from graph.analysis import convergence
from graph.errors import QueryError, UnknownName

DATA = Path(__file__).parent / "data" / "traverse"


@pytest.fixture(scope="module")
def net():
    return graph.load([DATA / "network.ttl"])


def counts(rows, key="actor"):
    return [(r[key]["label"], r["count"]) for r in rows]


@pytest.mark.parametrize("kwargs, expected", [
    # A3: small arms (arms), F8 cocaine, gold mine; A1: cocaine flows, illicit taxation.
    ({"k": 2}, [("Test armed group A3", 3), ("Test network A1", 2)]),
    ({"k": 3}, [("Test armed group A3", 3)]),
    ({"k": 1}, [("Test armed group A3", 3), ("Test network A1", 2), ("Test officials A2", 1)]),
    ({"k": 2, "min_certainty": "reported"}, [("Test armed group A3", 2),
                                             ("Test network A1", 2)]),
    ({"k": 3, "min_certainty": "reported"}, []),
    ({"k": 2, "by": "commodity"}, [("Test armed group A3", 3)]),
])
def test_actors(net, kwargs, expected):
    assert counts(convergence(net, **kwargs)) == expected


def test_actor_row(net):
    (a3,) = convergence(net, k=3)
    assert a3["actor"]["type"] == "armed group"
    assert [m["label"] for m in a3["markets"]] == [
        "Arms trafficking", "Cocaine trade", "Non-renewable resource crimes"]
    assert [c["label"] for c in a3["commodities"]] == ["Cocaine", "Gold", "Small arms"]


@pytest.mark.parametrize("kwargs, expected", [
    ({"k": 3}, [("Mali", 3)]),
    ({"k": 2}, [("Mali", 3), ("Algeria", 2), ("Libya", 2), ("Northern Mali", 2)]),
    ({"k": 2, "min_certainty": "reported"}, [("Mali", 2), ("Northern Mali", 2)]),
])
def test_places(net, kwargs, expected):
    assert counts(convergence(net, of="place", **kwargs), "place") == expected


def test_places_with_parts(net):
    # Mali gains northern Mali's gold mine; every region above Mali gains everything in it.
    rows = dict(counts(convergence(net, of="place", k=4, include_parts=True), "place"))
    assert rows["Mali"] == 4 and rows["World"] == 4
    assert "Northern Mali" not in rows


@pytest.mark.parametrize("kwargs, error, match", [
    ({"by": "colour"}, UnknownName, "colour"),
    ({"of": "planet"}, UnknownName, "planet"),
    ({"k": 0}, QueryError, "k must be"),
])
def test_errors(net, kwargs, error, match):
    with pytest.raises(error, match=match):
        convergence(net, **kwargs)


def test_real_armed_groups_span_four_markets(kg):
    rows = {r["actor"]["label"]: r for r in convergence(kg, k=4)}
    assert "armed groups in Mali" in rows
    assert {"Arms trafficking", "Cocaine trade"} <= {
        m["label"] for m in rows["armed groups in Mali"]["markets"]}


def test_real_agrees_with_named_query(kg):
    # The named query actors-by-market walks the same paths in SPARQL.
    expected: dict[str, set[str]] = {}
    for row in kg.query("actors-by-market"):
        expected.setdefault(row["actor"], set()).add(row["market"])
    found = {r["actor"]["id"]: {m["id"] for m in r["markets"]} for r in convergence(kg, k=1)}
    assert found == expected
