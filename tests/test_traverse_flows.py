"""flows(): commodity, place, actor, certainty and period filters."""

from __future__ import annotations

from pathlib import Path

import pytest

import graph
from graph.errors import EntityNotFound, QueryError
from graph.traverse import flows

DATA = Path(__file__).parent / "data" / "traverse"
CONTRACT = {"id", "description", "commodity", "origins", "transits", "destinations", "actors",
            "mode", "period", "certainty", "sources"}


@pytest.fixture(scope="module")
def net():
    return graph.load([DATA / "network.ttl"])


def names(rows):
    return [r["label"].split()[0] for r in rows]


@pytest.mark.parametrize("kwargs, expected", [
    ({}, ["F1", "F2", "F3", "F4", "F5", "F6", "F8"]),
    ({"commodity": "drugs"}, ["F1", "F2", "F3", "F8"]),
    ({"commodity": "arms"}, ["F4", "F5", "F6"]),
    ({"commodity": "ammunition"}, ["F5"]),
    ({"origin": "Mali"}, ["F2", "F8"]),
    ({"destination": "Mali"}, ["F1", "F4", "F5"]),  # F1 ends in northern Mali
    ({"destination": "northern Mali"}, ["F1"]),
    ({"transit": "Algeria"}, ["F8"]),
    ({"transit": "Africa"}, ["F1", "F2", "F8"]),
    ({"actor": "Test network A1"}, ["F1", "F2"]),
    ({"actor": "Test officials A2"}, ["F1"]),
    ({"actor": "Test officials A2", "min_certainty": "likely"}, []),
    ({"min_certainty": "reported"}, ["F1", "F4", "F5", "F6"]),
    ({"min_certainty": "likely"}, ["F1", "F2", "F4", "F5", "F6"]),
    ({"min_certainty": "https://w3id.org/tkg/vocab/certainty/likely"},
     ["F1", "F2", "F4", "F5", "F6"]),
    ({"period": 2019}, ["F1", "F3", "F5", "F6", "F8"]),
    ({"period": "2016-2017"}, ["F1", "F2", "F3", "F5", "F6", "F8"]),
    ({"period": (2021, None)}, ["F1", "F3", "F4", "F5", "F6", "F8"]),
    ({"commodity": "cocaine", "origin": "Mali", "min_certainty": "likely"}, ["F2"]),
])
def test_filters(net, kwargs, expected):
    assert names(flows(net, **kwargs)) == expected


def test_record_contract(net):
    (f1,) = flows(net, origin="Colombia")
    assert set(f1) >= CONTRACT
    assert f1["commodity"]["label"] == "Cocaine"
    assert [t["label"] for t in f1["transits"]] == ["Venezuela", "Guinea-Bissau"]  # route order
    assert [o["label"] for o in f1["origins"]] == ["Colombia"]
    assert [d["label"] for d in f1["destinations"]] == ["Northern Mali"]
    assert f1["certainty"]["label"] == "reported" and f1["certainty"]["level"] == 4
    assert [(a["label"], a["type"], a["role"], a["certainty"]["label"]) for a in f1["actors"]] == [
        ("Test network A1", "trafficking network", "transports", "reported"),
        ("Test officials A2", "state actor", "colludes", "suspected")]
    assert f1["sources"] == [{"passage": "https://w3id.org/tkg/kb/psg-test-traverse-flows-1",
                              "document": "https://w3id.org/tkg/kb/doc-test-traverse",
                              "title": "Synthetic traversal test document", "section": "Flows",
                              "paragraph": 1,
                              "label": "Synthetic traversal test document, Flows ¶1"}]
    (f2,) = flows(net, origin="Mali", transit="Niger")
    assert f2["period"] == {"start": 2015, "end": 2018, "label": "2015-2018"}


def test_actor_certainty_overrides_claim(net):
    (f1,) = flows(net, origin="Colombia", min_certainty="likely")
    assert [a["label"] for a in f1["actors"]] == ["Test network A1"]


@pytest.mark.parametrize("kwargs, error, match", [
    ({"commodity": "unobtainium"}, EntityNotFound, "unobtainium"),
    ({"origin": "Atlantis"}, EntityNotFound, "Atlantis"),
    ({"actor": "nobody at all"}, EntityNotFound, "nobody at all"),
    ({"min_certainty": "certain-ish"}, EntityNotFound, "certain-ish"),
    ({"period": "soon"}, QueryError, "soon"),
    ({"period": "2020-2010"}, QueryError, "ends before"),
])
def test_errors(net, kwargs, error, match):
    with pytest.raises(error, match=match):
        flows(net, **kwargs)


# -- the bundled Mali data: facts the sources state -------------------------------------

def test_real_drugs_include_cocaine(kg):
    assert "Cocaine" in {f["commodity"]["label"] for f in flows(kg, commodity="drugs")}


def test_real_arms_include_heavy_machine_guns_from_libya(kg):
    found = flows(kg, commodity="arms", origin="Libya", destination="Mali")
    assert "Heavy machine guns" in {f["commodity"]["label"] for f in found}


def test_real_mali_includes_northern_mali(kg):
    found = flows(kg, commodity="cocaine", origin="Latin America", transit="Mali")
    assert any(t["label"] == "Northern Mali" for f in found for t in f["transits"])
    assert all(f["sources"] for f in found)


@pytest.fixture(scope="module")
def net_oxigraph():
    return graph.load([DATA / "network.ttl"], backend="oxigraph")


@pytest.fixture(scope="module")
def bundled_memory():
    return graph.load(backend="memory")


SCOPED_FILTERS = [
    {"commodity": "drugs"}, {"commodity": "arms", "origin": "Libya"},
    {"commodity": "cocaine", "transit": "Mali", "min_certainty": "likely"},
    {"destination": "Europe"}, {"origin": "Libya", "period": "2015-2021"},
    {"transit": "Niger", "min_certainty": "suspected"}, {"commodity": "gold"},
    {"actor": "Jama'at Nusrat al-Islam wal-Muslimin"},
    {"commodity": "people", "destination": "Algeria"},
]


@pytest.mark.parametrize("kwargs", SCOPED_FILTERS, ids=str)
def test_store_selection_gives_the_same_flows_as_reading_every_claim(kg, bundled_memory, kwargs):
    """The workspace store selects candidate flows by query and reads only those claims; the
    memory backend reads every claim. Both must give exactly the same records."""
    from graph.claims import clear_cache

    assert kg.backend.binds_many and not bundled_memory.backend.binds_many
    clear_cache(kg)  # no full snapshot to fall back on: the scoped path runs
    assert flows(kg, **kwargs) == flows(bundled_memory, **kwargs)


@pytest.mark.parametrize("kwargs, expected", [
    ({"commodity": "drugs"}, ["F1", "F2", "F3", "F8"]),
    ({"commodity": "arms"}, ["F4", "F5", "F6"]),
])
def test_store_selection_on_the_small_network(net_oxigraph, kwargs, expected):
    from graph.claims import clear_cache

    clear_cache(net_oxigraph)
    assert names(flows(net_oxigraph, **kwargs)) == expected
