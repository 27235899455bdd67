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


# -- the search table, kept on disk per store state ---------------------------------------------

SEARCHES = ["islamic maghreb", "Mali", "  cote  d'ivoire ", "Côte d’Ivoire", "CÔTE", "aqim",
            "hashish", "gold", "cocaine", "wagner", "a", "x", "ISS", "sahel", "actor-aqim",
            "kb:actor", "doc-ocindex", "§", "é", "libya mali", "arms from", "zzzz-nothing",
            "reported", "LBY", "ML"]


@pytest.fixture(scope="module")
def by_the_rule(kg_memory) -> dict[str, list[str]]:
    """Each search's hits by the documented ranking, checked entity by entity on the whole
    index: label matches (an exact label first), then other names, then descriptions; by
    label within each."""
    descriptions = {r["entity"]: str(r["text"]) for r in kg_memory.query("_descriptions")}
    return {text: _rule(kg_memory, descriptions, text) for text in SEARCHES}


def _rule(kg, descriptions: dict[str, str], text: str) -> list[str]:
    from graph.lookup import normalise

    needle, index, scored = normalise(text), kg.index, []
    for iri, entity in index.entities.items():
        label = normalise(entity.label)
        ranks = [0 if label == needle else 1] if needle in label else []
        ranks += [2] if any(needle in normalise(n) for n in entity.names) else []
        ranks += [3] if needle in normalise(descriptions.get(iri, "")) else []
        if ranks and index.kind(iri):
            scored.append((ranks[0], entity.label.casefold(), str(iri)))
    return [iri for _, _, iri in sorted(scored)]


@pytest.mark.parametrize("backend", ["workspace", "oxigraph", "memory"])
def test_search_read_from_the_stored_table_ranks_as_the_rule_says(by_the_rule, backend, tmp_path,
                                                                   monkeypatch):
    """The first search folds every name into a table kept on disk; a later process searches
    that table without the entity index. Both give the hits of the documented rule."""
    import graph

    monkeypatch.setenv("TKG_CACHE_DIR", str(tmp_path))
    opener = {"workspace": graph.open, "oxigraph": lambda: graph.load(backend="oxigraph"),
              "memory": lambda: graph.load(backend="memory")}[backend]
    first = opener()
    hits = {text: first.search(text, limit=1000) for text in SEARCHES}
    assert list(tmp_path.glob("*.search.json")), "the table is kept on disk"
    later = opener()
    assert sum(bool(h) for h in hits.values()) > 15
    for text in SEARCHES:
        assert later.search(text, limit=1000) == hits[text], text
        assert [h["id"] for h in hits[text]] == by_the_rule[text], text
    assert "index" not in later.__dict__  # the later process never read the entity index
