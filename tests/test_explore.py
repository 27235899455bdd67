"""graph.explore: the data of the explorer's pages, checked against the library's own
questions on the bundled data (flows, who, country, evidence, coverage, neighbours)."""

from __future__ import annotations

import pytest

from graph.errors import EntityNotFound, QueryError
from graph.evidence import evidence
from graph.explore import (
    describe,
    ego_network,
    entity_kind,
    find_entity,
    neighbourhood,
    rdf_description,
    search,
)
from graph.prefixes import PREFIXES
from graph.traverse import country, flows, who

KB, PLACE, TKG = (PREFIXES[p] for p in ("kb", "place", "tkg"))


# -- search ---------------------------------------------------------------------------------

def test_search_counts_every_match_by_class(kg):
    found = search(kg, "mali", per_kind=3)
    everything = kg.search("mali", 500)
    assert found["total"] == len(everything)
    counts = {g["kind"]: g["count"] for g in found["groups"]}
    assert counts["place"] == sum(1 for r in everything if kg.is_a(r["id"], "tkg:Place"))
    assert counts["claim"] == sum(1 for r in everything if kg.is_a(r["id"], "tkg:Claim"))
    assert sum(counts.values()) == found["total"]
    assert all(len(g["results"]) <= 3 for g in found["groups"])
    # An exact name comes first in its group.
    places = next(g for g in found["groups"] if g["kind"] == "place")
    assert places["results"][0]["short"] == "place:MLI"


def test_search_suggests_only_when_nothing_matches(kg):
    assert search(kg, "aqim")["suggestions"] == []
    missed = search(kg, "Nigr")
    assert missed["total"] == 0 and missed["suggestions"][0]["short"] == "place:NER"
    typo = search(kg, "Al-Qaeda in the Islamic Magreb")
    assert typo["total"] == 0
    assert typo["suggestions"][0]["short"] == "kb:actor-aqim"
    assert all(s["type"] for s in typo["suggestions"])  # things in the graph, not classes


def test_search_needs_text(kg):
    with pytest.raises(QueryError, match="empty"):
        search(kg, "  ")


# -- finding an entity ----------------------------------------------------------------------

@pytest.mark.parametrize("given", ["kb:actor-aqim", KB + "actor-aqim", "AQIM",
                                   "Al-Qaeda in the Islamic Maghreb"])
def test_find_entity_by_id_iri_or_name(kg, given):
    assert find_entity(kg, given) == KB + "actor-aqim"


@pytest.mark.parametrize("given", ["kb:aqim", "kb:<script>", "nothing-at-all-like-this"])
def test_unknown_entities_raise_with_suggestions(kg, given):
    with pytest.raises(EntityNotFound) as caught:
        find_entity(kg, given)
    if given == "kb:aqim":
        assert "Al-Qaeda in the Islamic Maghreb" in caught.value.suggestions


@pytest.mark.parametrize(("short", "kind"), [
    ("kb:actor-aqim", "actor"), ("place:LBY", "place"), ("place:sahel", "place"),
    ("com:cocaine", "commodity"), ("kb:flow-ocindex-2021-mali-arms-libya", "claim"),
    ("kb:relation-ocindex-2021-mali-aqim-alliance", "claim"),
    ("kb:doc-ocindex-2021-mali", "document"), ("kb:psg-ocindex-2021-mali-trade-1", "passage"),
    ("cert:reported", "other"),
])
def test_kinds(kg, short, kind):
    assert entity_kind(kg, short) == kind
    assert describe(kg, short)["kind"] == kind


# -- pages of each kind agree with the library's questions ----------------------------------

def test_actor_flows_carry_the_actors_role_and_evidence(kg):
    actor = "kb:actor-armed-groups-mali"
    page = describe(kg, actor)
    expected = {f["id"] for f in flows(kg, actor=actor)}
    assert {f["id"] for f in page["flows"]} == expected and expected
    arms = next(f for f in page["flows"] if f["short"] == "kb:flow-ocindex-2021-mali-arms-libya")
    assert arms["role"] == "receives"
    record = evidence(kg, arms["id"])
    assert arms["independent_lineages"] == record["independent_lineages"]
    assert [(s["section"], s["paragraph"]) for s in arms["evidence"]] == \
        [(s["section"], s["paragraph"]) for s in record["sources"]]
    # Claims that are not flows are listed apart, with their kind and roles.
    assert all(c["id"] not in expected for c in page["claims"])


def test_actor_claims_and_matches(kg):
    aqim = describe(kg, "kb:actor-aqim")
    kinds = {c["short"]: (c["kind"], c["roles"]) for c in aqim["claims"]}
    assert kinds["kb:activity-ocindex-2021-mali-kidnapping-for-ransom"] == \
        ("activity", ["perpetrates", "profits"])
    assert kinds["kb:relation-ocindex-2021-mali-aqim-alliance"][0] == "actor relation"
    assert {"place:sahel", "place:north-africa", "place:MLI-north"} <= \
        {p["short"] for p in aqim["places"]}
    allies = describe(kg, "kb:actor-aqim-allies-mali")
    assert {(m["relation"]["short"], m["other"]["short"]) for m in allies["matches"]} == {
        ("skos:closeMatch", "kb:actor-jnim"),
        ("skos:broadMatch", "kb:actor-islamist-extremist-groups-mali")}
    # The link is shown on the other actor's page too, marked as stated there.
    jnim = describe(kg, "kb:actor-jnim")
    assert ("kb:actor-aqim-allies-mali", True) in {(m["other"]["short"], m.get("inverse"))
                                                  for m in jnim["matches"]}


def test_country_page_matches_tkg_country(kg):
    page = describe(kg, "place:MLI")
    profile = country(kg, "Mali")
    assert [f["id"] for f in page["inbound"]] == [f["id"] for f in profile["inbound"]]
    assert [f["id"] for f in page["transit"]] == [f["id"] for f in profile["transit"]]
    scores = {(s["indicator"]["label"], s["edition"]): s["value"] for s in profile["scores"]}
    shown = {(row["indicator"]["label"], e["edition"]): e["value"]
             for row in page["scores"] for e in row["editions"]}
    assert shown == scores
    # The change is the difference from the edition before, per indicator.
    for row in page["scores"]:
        for before, after in zip(row["editions"], row["editions"][1:], strict=False):
            if after["change"] is not None:
                assert after["change"] == pytest.approx(after["value"] - before["value"])
    assert "place:DZA" in {b["short"] for b in page["borders"]}


def test_region_page_uses_flows_and_who(kg):
    page = describe(kg, "place:sahel")
    assert page["scores"] == []
    assert {f["id"] for f in page["transit"]} == {f["id"] for f in flows(kg, transit="Sahel")}
    assert len(page["actors"]) == len(who(kg, "Sahel"))


def test_commodity_page(kg):
    page = describe(kg, "com:drugs")
    assert {f["id"] for f in page["flows"]} == {f["id"] for f in flows(kg, commodity="drugs")}
    assert "Cocaine" in {f["commodity"]["label"] for f in page["flows"]}


def test_claim_page(kg):
    page = describe(kg, "kb:flow-ocindex-2021-mali-arms-libya")
    assert page["claim_kind"] == "flow" and page["certainty"]["label"] == "reported"
    assert page["description"].startswith("Libya is a major supplier")
    assert [(leg["from"]["short"], leg["to"]["short"]) for leg in page["legs"]] == \
        [("place:LBY", "place:MLI")]
    assert [(a["actor"]["short"], a["roles"]) for a in page["actors"]] == \
        [("kb:actor-armed-groups-mali", ["receives"])]
    assert page["evidence"]["independent_lineages"] == 2
    assert page["evidence"]["sources"][0]["short"] == "kb:doc-ocindex-2021-mali"
    assert page["map"]["commodity"]["short"] == "com:arms"


def test_document_page(kg):
    page = describe(kg, "kb:doc-ocindex-2021-mali")
    citing = {p["short"]: {c["short"] for c in p["claims"]} for p in page["passages"]}
    assert "kb:flow-ocindex-2021-mali-arms-libya" in citing["kb:psg-ocindex-2021-mali-trade-1"]
    assert page["lineage"][0]["original"] is True
    assert all(c["cited"] == c["passages"] for c in page["coverage"])


def test_statements_and_mentions_are_generic(kg):
    page = describe(kg, "cert:suspected")
    mentions = {m["property"]["short"]: m for m in page["mentions"]}
    assert mentions["tkg:certainty"]["count"] == len(mentions["tkg:certainty"]["values"]) \
        + mentions["tkg:certainty"]["more"]
    assert mentions["tkg:certainty"]["count"] > 5


def test_rdf_description(kg):
    text, bindings = rdf_description(kg, "kb:flow-ocindex-2021-mali-arms-libya")
    triples = {(str(s), str(p), str(o)) for s, p, o in kg.execute(text, bindings).rows()}
    flow = KB + "flow-ocindex-2021-mali-arms-libya"
    assert (flow, PREFIXES["rdf"] + "type", TKG + "Flow") in triples
    assert (PLACE + "LBY", PREFIXES["rdfs"] + "label", "Libya") in triples
    assert any(p == TKG + "actor" and o == KB + "actor-armed-groups-mali"
               for _, p, o in triples)


@pytest.mark.parametrize("short", ["kb:actor-aqim", "kb:actor-armed-groups-mali", "place:MLI",
                                   "com:gold", "kb:flow-ocindex-2021-mali-arms-libya",
                                   "kb:doc-ocindex-2021-mali"])
def test_backends_give_the_same_pages(kg, kg_memory, short):
    assert describe(kg_memory, short) == describe(kg, short)


# -- network --------------------------------------------------------------------------------

def test_neighbourhood_is_cut_at_the_limit(kg):
    whole = neighbourhood(kg, "cert:reported", limit=1000)
    cut = neighbourhood(kg, "cert:reported", limit=5)
    assert len(cut["nodes"]) == 6 and len(cut["edges"]) == 5
    assert cut["more"] == len(whole["edges"]) - 5


def test_ego_network_is_view_data(kg):
    data = ego_network(kg, "kb:actor-aqim")
    n, legend = len(data["nodes"]), data["legend"]
    assert [node["id"] for node in data["nodes"]] == list(range(n))
    for edge in data["edges"]:
        assert 0 <= edge["from"] < n and 0 <= edge["to"] < n
        assert 0 <= edge["group"] < len(legend["groups"])
        assert data["claims"][edge["claims"][0]]["commodity"] == \
            legend["groups"][edge["group"]]["label"]
    assert all(0 <= node["kind"] < len(legend["kinds"]) for node in data["nodes"])
    relations = {legend["groups"][e["group"]]["label"] for e in data["edges"]}
    assert {"home place", "involved in"} <= relations
