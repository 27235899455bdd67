"""who(): actors and roles for a commodity or a place, with per-involvement certainty."""

from __future__ import annotations

from pathlib import Path

import pytest

import graph
from graph.errors import EntityNotFound
from graph.traverse import who

DATA = Path(__file__).parent / "data" / "traverse"


@pytest.fixture(scope="module")
def net():
    return graph.load([DATA / "network.ttl"])


def rows(found):
    return [(r["actor"]["label"], r["role"], r["claims"], r["certainty"]["label"]) for r in found]


@pytest.mark.parametrize("name, min_certainty, expected", [
    ("cocaine", None, [("Test armed group A3", "transports", 1, "suspected"),
                       ("Test network A1", "transports", 2, "reported"),
                       ("Test officials A2", "colludes", 1, "suspected")]),
    ("drugs", None, [("Test armed group A3", "transports", 1, "suspected"),
                     ("Test network A1", "transports", 2, "reported"),
                     ("Test officials A2", "colludes", 1, "suspected")]),
    ("cocaine", "likely", [("Test network A1", "transports", 2, "reported")]),
    ("cocaine", "reported", [("Test network A1", "transports", 1, "reported")]),
    ("arms", None, [("Test armed group A3", "receives", 1, "reported")]),
    ("gold", None, [("Test armed group A3", "controls", 1, "reported")]),
    ("northern Mali", None, [("Test armed group A3", "controls", 1, "reported"),
                             ("Test network A1", "transports", 1, "reported"),
                             ("Test officials A2", "colludes", 1, "suspected")]),
    ("Mali", "reported", [("Test armed group A3", "controls", 1, "reported"),
                          ("Test armed group A3", "receives", 1, "reported"),
                          ("Test network A1", "taxes", 1, "reported"),
                          ("Test network A1", "transports", 1, "reported")]),
    ("Italy", None, []),
])
def test_who(net, name, min_certainty, expected):
    assert rows(who(net, name, min_certainty=min_certainty)) == expected


def test_markets_and_commodities(net):
    (a1,) = [r for r in who(net, "Mali", min_certainty="reported")
             if r["actor"]["label"] == "Test network A1" and r["role"] == "taxes"]
    assert a1["actor"]["type"] == "trafficking network"
    assert [m["label"] for m in a1["markets"]] == ["Extortion and protection racketeering"]
    assert a1["commodities"] == []


def test_unknown_name(net):
    with pytest.raises(EntityNotFound, match="Atlantis"):
        who(net, "Atlantis")


def test_real_who_moves_cocaine(kg):
    everyone = {r["actor"]["label"] for r in who(kg, "cocaine")}
    firm = {r["actor"]["label"] for r in who(kg, "cocaine", min_certainty="reported")}
    assert "armed groups in Mali" in firm
    # State complicity is only suspected: shown at "suspected", hidden above it.
    assert "Malian state officials at national and local level" in everyone - firm


# -- the store's selection (scoped path) answers as reading every claim ----------------------

def _terms(kg_memory, facet: str) -> list[str]:
    """Every commodity (facet "commodity") or place (facet "place") the bundled claims name,
    with everything above it (drugs above cocaine, Mali above northern Mali)."""
    from graph.claims import model

    m = model(kg_memory)
    found: set[str] = set()
    for claim in m.claims.values():
        if facet == "place":
            for place in claim.places:
                found |= m.ancestors(place, "partOf")
        else:
            for commodity in claim.values.get("commodity", ()):
                found |= m.ancestors(commodity)
    return sorted(found)


@pytest.mark.parametrize("facet", ["commodity", "place"])
@pytest.mark.parametrize("backend", ["workspace", "oxigraph"])
@pytest.mark.parametrize("min_certainty", [None, "likely"])
def test_store_selection_gives_the_same_actors_as_reading_every_claim(
        kg, kg_oxigraph, kg_memory, backend, facet, min_certainty):
    """For every commodity and every place of the bundled claims, the workspace store and
    Oxigraph select the claims by query and read only those; the memory backend (which
    cannot bind many values) and the same store's whole snapshot read every claim. All
    three answers must be identical, row for row."""
    from graph.claims import clear_cache, model

    store = kg if backend == "workspace" else kg_oxigraph
    assert store.backend.binds_many and not kg_memory.backend.binds_many
    terms = _terms(kg_memory, facet)
    assert len(terms) > 10
    clear_cache(store)
    scoped = {t: list(who(store, t, min_certainty=min_certainty)) for t in terms}
    assert not store.is_cached("claims"), "the scoped path read the whole snapshot"
    whole = {t: list(who(kg_memory, t, min_certainty=min_certainty)) for t in terms}
    assert sum(1 for rows in whole.values() if rows) > len(terms) // 2  # not vacuous
    assert scoped == whole
    model(store)  # now the same store answers from its whole snapshot
    assert {t: list(who(store, t, min_certainty=min_certainty)) for t in terms} == whole
    clear_cache(store)


def test_store_selection_on_the_small_network():
    from graph.claims import clear_cache

    net_oxigraph = graph.load([DATA / "network.ttl"], backend="oxigraph")
    clear_cache(net_oxigraph)
    assert rows(who(net_oxigraph, "Mali", min_certainty="reported")) == [
        ("Test armed group A3", "controls", 1, "reported"),
        ("Test armed group A3", "receives", 1, "reported"),
        ("Test network A1", "taxes", 1, "reported"),
        ("Test network A1", "transports", 1, "reported")]
    assert rows(who(net_oxigraph, "Italy")) == []
    assert not net_oxigraph.is_cached("claims")


@pytest.mark.parametrize("term", ["drugs", "Mali", "Africa"])
def test_claims_read_in_several_values_blocks(kg_oxigraph, kg_memory, monkeypatch, term):
    """A scoped snapshot binds at most graph.kg.VALUES_BLOCK claims per query (Oxigraph
    turns slow on larger VALUES blocks); with blocks of 7, each claim's rows still come
    together and the answer is the same as from every claim."""
    import graph.kg
    from graph.claims import clear_cache

    monkeypatch.setattr(graph.kg, "VALUES_BLOCK", 7)
    clear_cache(kg_oxigraph)
    found = list(who(kg_oxigraph, term))
    assert not kg_oxigraph.is_cached("claims")
    assert sum(r["claims"] for r in found) > 7  # several blocks were read
    assert found == list(who(kg_memory, term))
    clear_cache(kg_oxigraph)


def test_selection_in_several_values_blocks(kg_oxigraph, monkeypatch):
    """The places (a region and its parts) are bound a few at a time; the claims selected
    are the same as with one block."""
    import importlib

    module = importlib.import_module("graph.traverse.who")  # graph.traverse.who: the function
    africa = kg_oxigraph.ontology.descendants(kg_oxigraph.resolve("Africa"), "partOf")
    assert len(africa) > 2
    whole = module.claims_at(kg_oxigraph, africa)
    monkeypatch.setattr(importlib.import_module("graph.kg"), "VALUES_BLOCK", 2)
    assert module.claims_at(kg_oxigraph, africa) == whole
    assert len(whole) > 10
