"""Entity lookup by label, alternative label, code or id, and text search."""

from __future__ import annotations

import pytest

from graph.errors import AmbiguousEntity, EntityNotFound
from graph.lookup import normalise, prefixed


@pytest.mark.parametrize("name", [
    "United Arab Emirates", "uae", "UAE", "ARE", "AE", "place:ARE",
    "https://w3id.org/tkg/place/ARE"])
def test_every_kind_of_name_finds_the_uae(kg, name):
    assert prefixed(kg.resolve(name)) == "place:ARE"


@pytest.mark.parametrize("name, expected", [
    ("cote d'ivoire", "place:CIV"), ("Côte d’Ivoire", "place:CIV"), ("Ivory Coast", "place:CIV"),
    ("northern Mali", "place:MLI-north"), ("AQIM", "kb:actor-aqim"),
    ("Al-Qaeda in the Islamic Maghreb", "kb:actor-aqim"), ("hashish", "com:cannabis-resin"),
    ("likely", "cert:likely"), ("Arms trafficking", "ind:arms-trafficking"),
])
def test_labels_and_alternative_labels(kg, name, expected):
    assert prefixed(kg.resolve(name)) == expected


def test_unknown_name_suggests_close_names(kg):
    with pytest.raises(EntityNotFound, match="did you mean 'Mali'"):
        kg.resolve("Malli")


def test_class_restriction(kg):
    with pytest.raises(EntityNotFound):
        kg.resolve("Mali", classes=["tkg:Commodity"])
    assert prefixed(kg.resolve("gold", classes=["tkg:Commodity"])) == "com:gold"


def test_ambiguity_is_reported_with_candidates():
    from graph.lookup import EntityIndex

    index = EntityIndex([("http://x/a", "label", "Same"), ("http://x/b", "label", "Same")],
                        [], [], {})
    with pytest.raises(AmbiguousEntity, match="'same' matches several entities: Same"):
        index.resolve("same")


def test_claims_do_not_shadow_concepts(kg):
    # Claim labels never win over actors, places or concepts with the same name.
    assert prefixed(kg.resolve("Arms")) == "com:arms"


def test_search_finds_labels_alternative_labels_and_descriptions(kg):
    hits = kg.search("islamic maghreb")
    assert hits[0]["prefixed"] == "kb:actor-aqim" and hits[0]["type"] == "violent extremist group"
    assert any(h["prefixed"] == "com:cannabis-resin" for h in kg.search("hashish"))
    assert kg.search("zzzz-nothing") == []


def test_normalise():
    assert normalise("  São  Tomé ") == "sao tome"
