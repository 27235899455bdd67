"""routes(): legs chained across flows through shared places and tkg:partOf."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import graph
from graph.errors import EntityNotFound, QueryError
from graph.namespaces import PLACE
from graph.traverse import routes

DATA = Path(__file__).parent / "data" / "traverse"


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def net(request):
    return graph.load([DATA / "network.ttl"], backend=request.param)


@pytest.fixture(scope="module")
def cycle():
    return graph.load([DATA / "cycle.ttl"])


def labels(rows):
    return [r["label"] for r in rows]


def test_chains_flows_through_part_of(net):
    # F1 ends in northern Mali; F2 and F8 leave Mali, which contains it; F3 leaves Libya.
    found = routes(net, "Colombia", "Italy", commodity="cocaine")
    # The junction northern Mali / Mali is one stop, not a hop.
    assert labels(found) == [
        "Colombia → Venezuela → Guinea-Bissau → Northern Mali (in Mali) → Algeria → Libya → Italy",
        "Colombia → Venezuela → Guinea-Bissau → Northern Mali (in Mali) → Niger → Libya → Italy"]
    route = found[1]
    assert route["stops"][3] == {**route["path"][3], "within": route["path"][4]}
    assert route["length"] == 6
    assert [h["flow"]["label"].split()[0] for h in route["hops"]] == [
        "F1", "F1", "F1", "F2", "F2", "F3"]
    assert route["hops"][3]["from"]["label"] == "Mali"
    assert route["certainty"]["label"] == "suspected"  # F3 is the weakest link
    assert [f["label"].split()[0] for f in route["flows"]] == ["F1", "F2", "F3"]
    assert set(route["hops"][0]) >= {"from", "to", "flow", "commodity", "certainty"}


@pytest.mark.parametrize("kwargs, expected", [
    ({"max_hops": 5}, 0),                   # the routes need six legs
    ({"min_certainty": "likely"}, 0),       # F3 (suspected) is the only way into Italy
    ({"limit": 1}, 1),
    ({}, 2),
])
def test_bounds_and_certainty(net, kwargs, expected):
    assert len(routes(net, "Colombia", "Italy", commodity="cocaine", **kwargs)) == expected


def test_commodity_family(net):
    # Arriving in Libya with cocaine does not continue with F6 (small arms) to Algeria...
    assert labels(routes(net, "Colombia", "Algeria")) == [
        "Colombia → Venezuela → Guinea-Bissau → Northern Mali (in Mali) → Algeria"]
    # ...while arms legs chain with each other (small arms and ammunition: one market).
    assert labels(routes(net, "Libya", "Mali", commodity="arms")) == [
        "Libya → Mali", "Libya → Algeria → Mali"]


def test_targets_include_parts(net):
    assert labels(routes(net, "Colombia", "Mali")) == [
        "Colombia → Venezuela → Guinea-Bissau → Northern Mali"]
    assert routes(net, "Italy", "Colombia") == []


def test_cycle_terminates(cycle):
    assert labels(routes(cycle, "Senegal", "Sierra Leone")) == [
        "Senegal → Guinea → Sierra Leone", "Senegal → Guinea → Sierra Leone"]
    found = routes(cycle, "Senegal", "Sierra Leone")
    assert [r["certainty"]["label"] for r in found] == ["reported", "likely"]
    assert labels(routes(cycle, "Guinea", "Senegal")) == ["Guinea → Sierra Leone → Senegal"]


@pytest.mark.parametrize("kwargs, error, match", [
    ({"source": "Atlantis"}, EntityNotFound, "Atlantis"),
    ({"commodity": "moonshine dust"}, EntityNotFound, "moonshine dust"),
    ({"max_hops": 0}, QueryError, "max_hops"),
    ({"limit": -1}, QueryError, "limit"),
])
def test_errors(net, kwargs, error, match):
    args = {"source": "Colombia", "target": "Italy", **kwargs}
    with pytest.raises(error, match=match):
        routes(net, args.pop("source"), args.pop("target"), **args)


# -- the bundled Mali data: facts the sources state -------------------------------------

def test_real_arms_from_libya_reach_mali(kg):
    found = routes(kg, "Libya", "Mali", commodity="arms")
    assert found
    assert "Libya" in {r["hops"][0]["from"]["label"] for r in found}
    assert "Arms" in {h["commodity"]["label"] for r in found for h in r["hops"]}


def test_real_cocaine_from_latin_america_to_europe_through_mali(kg):
    mali = {str(PLACE.MLI), str(PLACE["MLI-north"])}
    found = routes(kg, "Latin America", "Europe", commodity="cocaine")
    assert any(mali & {p["id"] for p in r["path"]} for r in found)


def _related(kg, a, b):
    from graph.claims import model

    m = model(kg)
    return a in m.ancestors(b, "partOf") or b in m.ancestors(a, "partOf")


def test_real_cocaine_routes_are_plausible(kg):
    # The first-hour report: Latin America → Northern Mali → Mali → Agadez Region → West
    # Africa → Europe stepped up and down the place hierarchy as if each step were a leg.
    found = routes(kg, "Latin America", "Europe", commodity="cocaine")
    assert found
    for route in found:
        stops = [s["id"] for s in route["stops"]]
        wholes = [s["within"]["id"] for s in route["stops"] if "within" in s]
        # No stop is the same as, a part of or a whole of another stop or junction.
        places = stops + wholes
        for i, a in enumerate(stops):
            for b in places[i + 1:]:
                if b != route["stops"][i].get("within", {}).get("id"):
                    assert not _related(kg, a, b), (route["label"], a, b)
        # A leg never joins a place and its own part or whole.
        assert not any(_related(kg, h["from"]["id"], h["to"]["id"]) for h in route["hops"])
        # The length counts legs: one per hop, and each hop is a leg of one of the flows.
        assert route["length"] == len(route["hops"]) == len(route["stops"]) - 1
        assert {h["flow"]["id"] for h in route["hops"]} == {f["id"] for f in route["flows"]}
        # The weakest certainty is the weakest of the legs'; sources are the flows' passages.
        assert route["certainty"]["level"] == min(h["certainty"]["level"] for h in route["hops"])
        assert route["sources"] and all(s["paragraph"] for s in route["sources"])
    labels_found = labels(found)
    assert not any("West Africa → Europe" in label and "Mali" in label for label in labels_found)
    assert "Latin America → Northern Mali → Europe" in labels_found
    assert ("Latin America → Northern Mali (in Mali) → Agadez Region (in Niger) → Algeria → "
            "Europe") in labels_found


def test_junction_may_depart_from_a_part_of_the_arrival(net):
    # Arriving in a region and leaving from a place inside it is one stop too.
    from graph.claims import model

    m = model(net)
    found = routes(net, "Colombia", "Italy", commodity="cocaine")
    for route in found:
        for stop in route["stops"]:
            if "within" in stop:
                assert stop["within"]["id"] in m.ancestors(stop["id"], "partOf")


def test_same_stops_through_the_same_flows_are_one_route(kg):
    found = routes(kg, "Latin America", "Europe", commodity="cocaine")
    keys = [(r["label"], frozenset(f["id"] for f in r["flows"])) for r in found]
    assert len(keys) == len(set(keys))
    assert "Latin America → Guinea (in West Africa) → Europe" in labels(found)


# -- the store path: legs read one step at a time give the whole snapshot's answers -------

STORE_CASES = [
    ("Latin America", "Europe", {"commodity": "cocaine"}),
    ("Latin America", "Europe", {"commodity": "cocaine", "limit": 3}),
    ("Libya", "Mali", {}),
    ("Libya", "Mali", {"commodity": "arms", "min_certainty": "likely"}),
    ("Libya", "Niger", {"max_hops": 2}),
    ("West Africa", "Libya", {"commodity": "people"}),
    ("Mali", "Europe", {"min_certainty": "suspected", "max_hops": 4}),
    ("West Africa", "North Africa", {"limit": 10}),
]


@pytest.mark.parametrize("wide", [0, 16, 10**6], ids=["bound", "default", "exact"])
@pytest.mark.parametrize(("source", "target", "kwargs"), STORE_CASES, ids=str)
def test_store_search_gives_the_whole_snapshots_routes(kg, kg_memory, monkeypatch, wide, source,
                                                       target, kwargs):
    """The workspace store reads only the legs the search follows (``wide`` sets how far the
    reverse search reads before a bound serves); rdflib reads every claim. Same routes."""
    from graph.claims import clear_cache

    monkeypatch.setattr(importlib.import_module("graph.traverse.routes"), "_WIDE", wide)
    assert kg.backend.binds_many and not kg_memory.backend.binds_many
    expected = routes(kg_memory, source, target, **kwargs)
    clear_cache(kg)  # no whole snapshot to fall back on: the store path runs
    assert routes(kg, source, target, **kwargs) == expected
    assert not kg.is_cached("claims"), "the store path read every claim"


@pytest.mark.parametrize("wide", [0, 10**6], ids=["bound", "exact"])
@pytest.mark.parametrize(("source", "target", "kwargs"), [
    ("Colombia", "Italy", {"commodity": "cocaine"}),
    ("Colombia", "Italy", {"commodity": "cocaine", "max_hops": 5}),
    ("Colombia", "Algeria", {}),
    ("Libya", "Mali", {"commodity": "arms"}),
    ("Colombia", "Mali", {}),
    ("Italy", "Colombia", {}),  # none
], ids=str)
def test_store_search_on_the_small_network(monkeypatch, wide, source, target, kwargs):
    from graph.claims import clear_cache

    monkeypatch.setattr(importlib.import_module("graph.traverse.routes"), "_WIDE", wide)
    memory = graph.load([DATA / "network.ttl"], backend="memory")
    store = graph.load([DATA / "network.ttl"], backend="oxigraph")
    clear_cache(store)
    assert routes(store, source, target, **kwargs) == routes(memory, source, target, **kwargs)


def test_store_search_through_a_cycle():
    memory = graph.load([DATA / "cycle.ttl"], backend="memory")
    store = graph.load([DATA / "cycle.ttl"], backend="oxigraph")
    for source, target in (("Senegal", "Sierra Leone"), ("Guinea", "Senegal")):
        assert routes(store, source, target) == routes(memory, source, target)
