"""country(): scores by edition, flows in, out and through, actors present."""

from __future__ import annotations

from pathlib import Path

import pytest

import graph
from graph.errors import EntityNotFound
from graph.traverse import country, country_rows

DATA = Path(__file__).parent / "data" / "traverse"


@pytest.fixture(scope="module")
def net():
    return graph.load([DATA / "network.ttl"])


def first_words(flows):
    return sorted(f["label"].split()[0] for f in flows)


def test_synthetic_profile(net):
    mali = country(net, "Mali")
    assert mali["country"] == {"id": "https://w3id.org/tkg/place/MLI", "label": "Mali",
                               "iso3": "MLI"}
    assert mali["scores"] == [] and mali["ranks"] == []
    assert first_words(mali["inbound"]) == ["F1", "F4", "F5"]
    assert first_words(mali["outbound"]) == ["F2", "F8"]
    assert first_words(mali["transit"]) == []
    algeria = country(net, "DZA")
    assert first_words(algeria["transit"]) == ["F8"]
    actors = {(r["actor"]["label"], r["role"]) for r in mali["actors"]}
    assert ("Test network A1", "taxes") in actors
    assert ("Test officials A2", "colludes") in actors


def test_certainty_filter(net):
    mali = country(net, "Mali", min_certainty="reported")
    assert first_words(mali["outbound"]) == []
    assert "Test officials A2" not in {r["actor"]["label"] for r in mali["actors"]}


def test_rows(net):
    sections = [r["section"] for r in country_rows(country(net, "Mali"))]
    assert sections.count("inbound") == 3 and sections.count("outbound") == 2


@pytest.mark.parametrize("name", ["Atlantis", "northern Mali"])
def test_not_a_country(net, name):
    with pytest.raises(EntityNotFound, match=name):
        country(net, name)


def test_real_mali(kg):
    mali = country(kg, "Mali")
    arms = {s["edition"]: s["value"] for s in mali["scores"]
            if s["indicator"]["label"] == "Arms trafficking"}
    assert arms[2021] == 8.0  # Index 2021 profile of Mali
    assert {2021, 2023} <= {s["edition"] for s in mali["scores"]}
    assert any(o["label"] == "Libya" and f["commodity"]["label"] == "Arms"
               for f in mali["inbound"] for o in f["origins"])
    assert any(f["commodity"]["label"] == "Cocaine" for f in mali["transit"])
    assert "armed groups in Mali" in {r["actor"]["label"] for r in mali["actors"]}


@pytest.mark.parametrize("backend", ["workspace", "oxigraph"])
@pytest.mark.parametrize("min_certainty", [None, "likely"])
def test_store_selection_gives_the_same_profile_as_reading_every_claim(
        kg, kg_oxigraph, kg_memory, backend, min_certainty):
    """For every country of the bundled claims (and two with scores only), the stores read
    only the claims located in the country; the memory backend and the same store's whole
    snapshot read every claim. The profiles must be identical."""
    from graph.claims import clear_cache, model

    store = kg if backend == "workspace" else kg_oxigraph
    m = model(kg_memory)
    places = set().union(*(m.ancestors(p, "partOf") for c in m.claims.values()
                           for p in c.places))
    countries = sorted(p for p in places if kg_memory.is_a(p, "tkg:Country"))
    assert len(countries) > 10
    countries += ["Italy", "Japan"]  # no claim located there
    clear_cache(store)
    scoped = {c: dict(country(store, c, min_certainty=min_certainty)) for c in countries}
    assert not store.is_cached("claims"), "the scoped path read the whole snapshot"
    whole = {c: dict(country(kg_memory, c, min_certainty=min_certainty)) for c in countries}
    assert sum(1 for p in whole.values() if p["inbound"] or p["outbound"]) > 10
    assert scoped == whole
    model(store)
    assert {c: dict(country(store, c, min_certainty=min_certainty)) for c in countries} == whole
    clear_cache(store)
