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
