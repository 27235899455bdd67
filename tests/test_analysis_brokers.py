"""brokers() (betweenness) and chokepoints() (dominators) on the flow network."""

from __future__ import annotations

from pathlib import Path

import pytest

import graph
from graph.analysis import brokers, chokepoints
from graph.errors import EntityNotFound, QueryError

DATA = Path(__file__).parent / "data" / "traverse"


@pytest.fixture(scope="module")
def net():
    return graph.load([DATA / "network.ttl"])


@pytest.fixture(scope="module")
def cycle():
    return graph.load([DATA / "cycle.ttl"])


def scores(rows):
    return {r["place"]["label"]: r["betweenness"] for r in rows}


def test_betweenness_by_hand(net):
    # Cocaine legs: COL→VEN→GNB→N.Mali, MLI→NER→LBY, MLI→DZA→LBY, LBY→ITA.
    # VEN: COL→GNB, COL→N.Mali; GNB: COL→N.Mali, VEN→N.Mali; NER and DZA: half of MLI→LBY
    # and of MLI→ITA each; LBY: MLI→ITA, NER→ITA, DZA→ITA.
    assert scores(brokers(net, commodity="cocaine", normalized=False)) == {
        "Libya": 3.0, "Venezuela": 2.0, "Guinea-Bissau": 2.0, "Algeria": 1.0, "Niger": 1.0}
    # Normalised by (n-1)(n-2) = 8 * 7 for the nine cocaine places.
    assert scores(brokers(net, commodity="cocaine"))["Libya"] == round(3 / 56, 6)


def test_betweenness_certainty(net):
    assert scores(brokers(net, commodity="cocaine", min_certainty="likely",
                          normalized=False)) == {"Venezuela": 2.0, "Guinea-Bissau": 2.0,
                                                 "Niger": 1.0}


def test_betweenness_cycle(cycle):
    rows = brokers(cycle, normalized=False)
    assert scores(rows) == {"Guinea": 1.0, "Senegal": 1.0, "Sierra Leone": 1.0}
    senegal = next(r for r in rows if r["place"]["label"] == "Senegal")
    assert (senegal["in_legs"], senegal["out_legs"]) == (1, 2)


def test_top(net):
    assert [r["place"]["label"] for r in brokers(net, commodity="cocaine", top=1)] == ["Libya"]


def test_chokepoints_by_hand(net):
    # Pairs: COL→N.Mali (F1), MLI→LBY (F2, F8), LBY→ITA (F3). MLI→LBY has two paths.
    rows = chokepoints(net, commodity="cocaine")
    assert [(r["place"]["label"], r["pairs_cut"]) for r in rows] == [
        ("Guinea-Bissau", 1), ("Venezuela", 1)]
    assert rows[0]["share"] == round(1 / 3, 6)
    assert [p["label"] for p in rows[0]["pairs"]] == ["Colombia → Northern Mali"]


def test_chokepoints_certainty(net):
    # Without F8 (suspected) Niger is the only way from Mali to Libya.
    rows = chokepoints(net, commodity="cocaine", min_certainty="likely")
    assert [(r["place"]["label"], r["pairs_cut"]) for r in rows] == [
        ("Guinea-Bissau", 1), ("Niger", 1), ("Venezuela", 1)]


def test_chokepoints_cycle(cycle):
    assert chokepoints(cycle) == []


@pytest.mark.parametrize("func", [brokers, chokepoints])
@pytest.mark.parametrize("kwargs, error, match", [
    ({"commodity": "stardust"}, EntityNotFound, "stardust"),
    ({"top": 0}, QueryError, "top"),
])
def test_errors(net, func, kwargs, error, match):
    with pytest.raises(error, match=match):
        func(net, **kwargs)


def test_real_northern_mali_brokers_cocaine(kg):
    assert "Northern Mali" in scores(brokers(kg, commodity="cocaine"))
    cut = {p["label"] for r in chokepoints(kg, commodity="cocaine")
           if r["place"]["label"] == "Northern Mali" for p in r["pairs"]}
    assert "Latin America → Middle East" in cut


@pytest.mark.parametrize("kwargs", [{}, {"commodity": "cocaine"}, {"commodity": "arms"},
                                    {"min_certainty": "likely"}, {"normalized": False},
                                    {"commodity": "drugs", "min_certainty": "suspected"}],
                         ids=str)
def test_brokers_from_the_store_equal_the_whole_snapshot(kg, kg_memory, kwargs):
    """The workspace store builds the network from three flat queries; rdflib from every
    claim. Same places, scores and leg counts."""
    from graph.claims import clear_cache

    expected = brokers(kg_memory, **kwargs)
    assert expected
    clear_cache(kg)
    assert brokers(kg, **kwargs) == expected
    assert not kg.is_cached("claims"), "the store path read every claim"


@pytest.mark.parametrize("kwargs", [{"commodity": "cocaine"}, {"min_certainty": "likely"}, {}],
                         ids=str)
def test_brokers_from_the_store_on_the_small_network(kwargs):
    from graph.claims import clear_cache

    memory = graph.load([DATA / "network.ttl"], backend="memory")
    store = graph.load([DATA / "network.ttl"], backend="oxigraph")
    clear_cache(store)
    assert brokers(store, **kwargs) == brokers(memory, **kwargs)
