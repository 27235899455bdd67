"""graph.evidence and ``tkg evidence``: sources, lineage, independent corroboration, conflicts."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graph.backends import IRI
from graph.cli import cli
from graph.errors import EntityNotFound
from graph.evidence import (
    corroboration,
    document_roots,
    evidence,
    independent_lineages,
    lineage_chain,
    lineages_of,
    resolve_claim,
)
from graph.prefixes import PREFIXES
from graph.query import expand_iri
from graph.traverse import flows

KB = PREFIXES["kb"]
KEYS = {"id", "label", "certainty", "sources", "independent_lineages", "supports", "conflicts"}
SOURCE_KEYS = {"document", "title", "reliability", "section", "paragraph", "certainty",
               "lineage"}

CLAIMS = """SELECT DISTINCT ?claim ?grade WHERE {
  ?claim a ?kind ; tkg:certainty/skos:prefLabel ?grade .
  VALUES ?kind { tkg:Flow tkg:Activity tkg:ActorRelation tkg:Event tkg:Finding } }"""


@pytest.fixture(scope="module")
def claims(kg):
    rows = kg.query(CLAIMS)
    assert len(rows) > 200, "the bundled data should hold some hundreds of claims"
    return {r["claim"]: str(r["grade"]) for r in rows}


def test_evidence_works_for_every_claim_and_keeps_its_own_grade(kg, claims):
    counts = independent_lineages(kg)
    for claim, grade in claims.items():
        record = evidence(kg, claim)
        assert set(record) == KEYS, claim
        assert record["id"] == claim
        # Corroboration is reported beside the grade, never folded into it.
        assert record["certainty"] == grade, claim
        assert record["sources"], claim
        for source in record["sources"]:
            assert set(source) == SOURCE_KEYS
            assert source["title"] and source["reliability"] in set("ABCDEF")
            assert source["lineage"][0]["document"] == source["document"]
        assert 1 <= record["independent_lineages"] == counts[claim]
        # At most one lineage for the claim's own sources plus one per supporting claim.
        backers = [s for s in record["supports"] if s["direction"] == "supported by"]
        assert record["independent_lineages"] <= 1 + len(backers)
        json.dumps(record)  # plain data


@pytest.mark.parametrize("name", [
    "flow-ocindex-2021-mali-arms-libya",
    "kb:flow-ocindex-2021-mali-arms-libya",
    KB + "flow-ocindex-2021-mali-arms-libya",
    f"<{KB}flow-ocindex-2021-mali-arms-libya>",
])
def test_a_claim_is_found_by_local_prefixed_or_full_name(kg, name):
    assert resolve_claim(kg, name) == KB + "flow-ocindex-2021-mali-arms-libya"


def test_an_unknown_claim_is_an_error_with_suggestions(kg):
    with pytest.raises(EntityNotFound, match="flow-ocindex-2021-mali-arms-libya"):
        evidence(kg, "flow-ocindex-2021-mali-arms-lybia")
    with pytest.raises(EntityNotFound):
        evidence(kg, "place:MLI")  # a place is not a claim


def test_an_independent_study_adds_a_lineage(kg):
    """ISS (an original of its own) supports the Index's Libya-Mali arms flow: two lineages."""
    record = evidence(kg, "kb:flow-ocindex-2021-mali-arms-libya")
    assert record["independent_lineages"] == 2
    iss = [s for s in record["supports"] if "iss-2022" in s["id"]]
    assert iss and all(s["independent"] and s["direction"] == "supported by" for s in iss)


def test_a_later_edition_of_the_same_index_is_not_independent(kg):
    """The 2023 profile restates the 2021 one (prov:wasRevisionOf): still one lineage."""
    record = evidence(kg, "kb:activity-ocindex-2021-mali-child-recruitment")
    later = [s for s in record["supports"] if "ocindex-2023-mali" in s["id"]]
    assert later and not any(s["independent"] for s in later)
    assert record["independent_lineages"] == 1


def test_a_news_summary_takes_the_lineage_of_the_report_it_summarises(kg):
    roots = document_roots(kg)
    assert roots[KB + "doc-nan-media-unodc-sahel-drugs"] == [
        KB + "doc-unodc-sahel-drug-trafficking"]
    # Two rewrites of one Index page are one lineage.
    assert (roots[KB + "doc-financialcrime-world-mauritania-crime-hub"]
            == roots[KB + "doc-financialcrime-world-mauritania-criminal-haven"])


def test_a_quoting_passage_takes_the_lineage_of_what_it_quotes(kg):
    record = evidence(kg, "kb:finding-boingboing-2022-niger-mayor-cocaine-extremists-mafia-like")
    chain = record["sources"][0]["lineage"]
    assert [step["relation"] for step in chain] == [None, "wasQuotedFrom", "wasRevisionOf"]
    assert chain[-1]["original"] is True


def test_the_lineage_chain_of_an_original_is_itself(kg):
    chain = lineage_chain(kg, KB + "doc-iss-2022-arms-libya-niger")
    assert [s["document"] for s in chain] == [KB + "doc-iss-2022-arms-libya-niger"]
    assert chain[0]["original"] is True


def test_an_edition_difference_is_reported_as_a_change_not_a_contradiction(kg):
    record = evidence(kg, "kb:finding-ocindex-enact-niger-mafia-style-groups-low")
    (conflict,) = record["conflicts"]
    assert conflict["reason_label"] == "different edition or period"
    assert conflict["is_contradiction"] is False


def test_corroboration_reports_the_best_reliability_beside_the_grade(kg):
    c = corroboration(kg, "kb:event-nan-media-unodc-sahel-drugs-fachi-seizure-2022")
    # The UNODC summary (C) and the blog post (C) are independent: two lineages, grade kept.
    assert c == {"certainty": "reported", "independent_lineages": 2, "best_reliability": "C"}


def test_flows_carry_their_independent_lineages_and_filter_on_them(kg):
    every = flows(kg, commodity="cocaine")
    assert every and all(isinstance(f["independent_lineages"], int) for f in every)
    strong = flows(kg, commodity="cocaine", min_lineages=2)
    assert strong and len(strong) < len(every)
    assert all(f["independent_lineages"] >= 2 for f in strong)


@pytest.mark.parametrize("commodity", ["cocaine", "arms", "gold"])
def test_the_lineages_flows_report_are_those_of_the_whole_graph(commodity):
    # flows() reads a few claims and hands their passages to the lineage count; a fresh
    # graph each way, so neither answer is taken from the other's tables.
    import graph

    whole = independent_lineages(graph.open())
    found = flows(graph.open(), commodity=commodity)
    assert found
    iri = {f["id"]: str(expand_iri(f["id"])) for f in found}
    assert {f["id"]: f["independent_lineages"] for f in found} == \
        {f["id"]: whole.get(iri[f["id"]], 0) for f in found}


# -- the CLI -------------------------------------------------------------------------------------

def test_cli_evidence_json_has_exactly_the_documented_keys():
    result = CliRunner().invoke(cli, ["evidence", "kb:flow-ocindex-2021-mali-small-arms-central",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert set(record) == KEYS
    assert record["certainty"] == "reported" and record["independent_lineages"] == 2


def test_cli_evidence_table_lists_sources_and_lineages():
    result = CliRunner().invoke(cli, ["evidence", "flow-ocindex-2021-mali-arms-libya"])
    assert result.exit_code == 0, result.output
    assert "2 independent lineage(s)" in result.output
    assert "Global Organized Crime Index 2021: Mali" in result.output


def test_cli_evidence_unknown_claim_fails_with_a_hint():
    result = CliRunner().invoke(cli, ["evidence", "flow-nothing-like-this"])
    assert result.exit_code != 0
    assert "flow-nothing-like-this" in result.output


def test_cli_flows_min_lineages():
    result = CliRunner().invoke(cli, ["flows", "--commodity", "arms", "--min-lineages", "2",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and all(r["independent_lineages"] >= 2 for r in rows)
    assert IRI(KB + "flow-ocindex-2021-mali-arms-libya") in {r["id"] for r in rows}


def test_an_edge_of_several_flows_counts_shared_sources_once(kg):
    from graph.evidence import combined_lineages

    arms, ammo = ("kb:flow-ocindex-2021-mali-arms-libya",
                  "kb:flow-ocindex-2021-mali-ammunition-libya")
    single = independent_lineages(kg)
    assert single[resolve_claim(kg, arms)] == single[resolve_claim(kg, ammo)] == 2
    # Both rest on the same Index paragraph and the same ISS article: two, not four.
    assert combined_lineages(kg, [arms, ammo]) == 2


def test_lineages_read_for_a_few_claims_equal_those_of_the_whole_graph(claims):
    # Two fresh opens of the same store: one reads only the claims asked about (following
    # their sources' lineage step by step), the other every claim at once.
    import graph

    whole = independent_lineages(graph.open())
    scoped_kg = graph.open()
    assert scoped_kg.backend.binds_many
    assert lineages_of(scoped_kg, list(claims)) == {c: whole.get(c, 0) for c in claims}
    assert max(whole.values()) >= 2  # claims backed by several lineages are among them


# -- the store selects: one claim's evidence without the whole evidence table -------------------

@pytest.mark.parametrize("backend", ["workspace", "oxigraph"])
def test_one_claims_evidence_read_from_the_store_is_that_of_the_whole_table(claims, kg_memory,
                                                                           backend):
    """On a store that binds many values, evidence() reads only the claim, the claims linked
    to it and their sources' lineage; the rdflib memory backend builds the whole table. Both
    must give the same record for every claim of the bundled data."""
    import graph
    from graph.evidence import _TABLES

    store = graph.open() if backend == "workspace" else graph.load(backend="oxigraph")
    assert store.backend.binds_many and not kg_memory.backend.binds_many
    for claim in claims:
        assert evidence(store, claim) == evidence(kg_memory, claim), claim
    assert store not in _TABLES  # no answer came from the whole table
    linked = [c for c in claims if evidence(kg_memory, c)["conflicts"]]
    assert linked, "the bundled data should hold conflicting claims"


def test_an_unknown_claim_read_from_the_store_still_gets_suggestions():
    import graph

    store = graph.open()
    with pytest.raises(EntityNotFound, match="flow-ocindex-2021-mali-arms-libya"):
        evidence(store, "flow-ocindex-2021-mali-arms-lybia")
    for name in ("place:MLI", "arms from libya", "a>b"):  # no claim; no IRI at all
        with pytest.raises(EntityNotFound, match="no claim matches"):
            evidence(store, name)


def test_a_sources_lineage_read_from_the_store_is_that_of_the_whole_table(kg_memory):
    """lineage_chain (the explorer's document page) follows one source's lineage step by step
    on a store; the same chain as the whole table's, for every document and every passage."""
    import graph
    from graph.evidence import _TABLES, _tables

    store = graph.load(backend="oxigraph")
    whole = _tables(kg_memory)
    assert len(whole.documents) > 20
    derived = 0
    for document in whole.documents:
        chain = lineage_chain(store, document)
        assert chain == lineage_chain(kg_memory, document), document
        derived += len(chain) > 1
    assert derived > 5, "the bundled data should hold summaries, rewrites or later editions"
    for claim in whole.claims.values():
        for p in claim["passages"]:
            assert lineage_chain(store, p["document"], p["passage"]) == \
                lineage_chain(kg_memory, p["document"], p["passage"]), p["passage"]
    assert store not in _TABLES
