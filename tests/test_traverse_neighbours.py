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


# -- the store steps: one bound query per depth instead of the whole graph ----------------------

STEPPED = [("Mali", 1, None), ("Mali", 2, "likely"), ("AQIM", 2, None), ("Libya", 2, "likely"),
           ("kb:flow-ocindex-2021-mali-arms-libya", 2, None), ("cocaine", 1, "suspected"),
           ("kb:doc-ocindex-2021-mali", 2, None), ("Niger", 3, "confirmed"),
           ("Jama'at Nusrat al-Islam wal-Muslimin", 2, None), ("place:LBY", 1, None)]


@pytest.fixture(scope="module")
def stores():
    return {"workspace": graph.open(), "oxigraph": graph.load(backend="oxigraph")}


@pytest.mark.parametrize("backend", ["workspace", "oxigraph"])
@pytest.mark.parametrize("entity, depth, grade", STEPPED, ids=str)
def test_stepping_through_the_store_finds_what_the_whole_graph_finds(kg_memory, stores, backend,
                                                                     entity, depth, grade):
    """On a store that binds many values, neighbours() reads the frontier's edges one depth
    at a time; the memory backend projects the whole graph. Same rows, same order."""
    store = stores[backend]
    assert store.backend.binds_many and not kg_memory.backend.binds_many
    found = neighbours(store, entity, depth=depth, min_certainty=grade)
    assert found == neighbours(kg_memory, entity, depth=depth, min_certainty=grade)
    assert found and max(r["distance"] for r in found) <= depth
    # No whole-graph projection was built on the store (it would then be reused).
    assert not store.is_cached(("claims", ("full_graph", None)))


def test_stepping_over_every_actor_and_place_of_the_small_network():
    store = graph.load([DATA / "network.ttl"], backend="oxigraph")
    whole = graph.load([DATA / "network.ttl"], backend="memory")
    names = [r["label"] for r in whole.query(
        "SELECT ?label WHERE { ?e a ?c ; rdfs:label ?label . "
        "VALUES ?c { tkg:ArmedGroup tkg:CriminalNetwork tkg:Country tkg:Flow } }")]
    assert len(names) > 5
    def outcome(kg, name, grade):
        try:
            return neighbours(kg, name, depth=2, min_certainty=grade)
        except QueryError as error:  # a claim below the grade is no node: the same error
            return str(error)

    errors = 0
    for name in names:
        for grade in (None, "likely"):
            found = outcome(store, name, grade)
            assert found == outcome(whole, name, grade), (name, grade)
            errors += isinstance(found, str)
    assert 0 < errors < len(names)


def test_one_step_from_a_passage_read_from_the_store(kg_memory, stores):
    """The explorer's network of a node without a name (a passage) reads one step from the
    store; the same entities, labels and edges as the whole graph's."""
    from graph.explore.network import _unnamed_neighbours
    from graph.traverse.neighbours import adjacent

    assert adjacent(kg_memory, "urn:x") is None  # memory: the whole graph serves
    passages = [r["p"] for r in kg_memory.query(
        "SELECT DISTINCT ?p WHERE { ?c prov:wasDerivedFrom ?p . ?p tkg:inDocument ?d }")][::3]
    assert len(passages) > 20
    for passage in [*passages, "https://w3id.org/tkg/kb/actor-aqim", "urn:no-such-node"]:
        whole = sorted(_unnamed_neighbours(kg_memory, passage), key=lambda r: r["id"])
        for store in stores.values():
            assert sorted(adjacent(store, passage), key=lambda r: r["id"]) == whole, passage
        assert whole or passage == "urn:no-such-node"


@pytest.mark.parametrize("name", ["kb:a>b", "kb:no-such-thing", "Malli"])
def test_a_name_that_matches_nothing_is_an_error_on_every_backend(kg_memory, stores, name):
    for kg in (kg_memory, *stores.values()):
        with pytest.raises(EntityNotFound):
            neighbours(kg, name)
