"""graph.analysis.duplicates and ``tkg analyze duplicates``: one node per actor."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graph.analysis import duplicates
from graph.cli import cli
from graph.errors import QueryError
from graph.prefixes import PREFIXES

KB = PREFIXES["kb"]


def pair_of(pairs, a, b):
    wanted = {KB + a, KB + b}
    return next((p for p in pairs if {p["a"]["id"], p["b"]["id"]} == wanted), None)


@pytest.fixture(scope="module")
def pairs(kg):
    return duplicates(kg, min_score=0.0)


def test_pairs_are_ranked_with_their_evidence(pairs):
    assert pairs
    assert [p["score"] for p in pairs] == sorted((p["score"] for p in pairs), reverse=True)
    top = pairs[0]
    assert set(top) >= {"a", "b", "score", "names", "definitions", "context", "shared_words",
                        "shared_places", "shared_markets", "shared_commodities",
                        "shared_claims", "same_area", "link"}


@pytest.mark.parametrize("a, b, link", [
    # The audit's overlapping groups: linked, not merged.
    ("actor-is-aligned-groups-mali", "actor-is-sahel", "closeMatch"),
    ("actor-aqim-allies-mali", "actor-jnim", "closeMatch"),
    ("actor-corrupt-officials-mali", "actor-state-officials-mali", "broadMatch"),
    # A chain of broadMatch links relates its ends.
    ("actor-is-aligned-groups-mali", "actor-armed-groups-mali", "broadMatch"),
])
def test_the_audits_overlapping_actors_are_linked(pairs, a, b, link):
    pair = pair_of(pairs, a, b)
    assert pair is not None and pair["link"] == link


def test_the_narcotics_networks_are_one_actor(kg):
    rows = kg.query("SELECT ?a WHERE { ?a a tkg:TraffickingNetwork ; skos:altLabel ?l . "
                    "FILTER (CONTAINS(STR(?l), 'Tuareg-led narcotics')) }")
    assert [r["a"] for r in rows] == [KB + "actor-narcotics-networks-mali"]
    assert not kg.query("SELECT ?p WHERE { ?twin ?p ?o }",
                        twin=KB + "actor-arab-tuareg-led-narcotics-networks")


def test_no_strong_candidate_is_left_undecided(kg):
    """Every pair scoring 0.3 or more has been merged, linked or marked distinct."""
    assert duplicates(kg, min_score=0.3, unlinked=True) == []


def test_actors_of_different_countries_score_lower_than_their_names_suggest(pairs):
    pair = pair_of(pairs, "actor-security-forces-mali", "actor-security-forces-niger")
    assert pair["same_area"] is False
    assert pair["names"] > 0.5 and pair["score"] < pair["names"] / 2 + 0.2


def test_claims_naming_both_actors_are_counted_not_used_as_context(pairs):
    pair = pair_of(pairs, "actor-al-qaeda-affiliated-groups-burkina-faso",
                   "actor-is-affiliated-groups-burkina-faso")
    assert pair["shared_claims"] >= 1 and pair["link"] == "differentFrom"


@pytest.mark.parametrize("kwargs", [{"min_score": 1.5}, {"top": 0}])
def test_bad_arguments_are_errors(kg, kwargs):
    with pytest.raises(QueryError):
        duplicates(kg, **kwargs)


def test_cli_analyze_duplicates():
    result = CliRunner().invoke(cli, ["analyze", "duplicates", "--min-score", "0.3",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and all(r["score"] >= 0.3 and r["link"] for r in rows)
    result = CliRunner().invoke(cli, ["analyze", "duplicates", "--top", "3"])
    assert result.exit_code == 0 and "score" in result.output
