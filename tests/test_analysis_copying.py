"""graph.analysis.copying and ``tkg analyze copying``: undeclared copies of documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph
from graph.analysis import copying
from graph.cli import cli
from graph.errors import QueryError
from graph.prefixes import PREFIXES

KB = PREFIXES["kb"]
LINEAGE = Path(__file__).parent / "data" / "lineage"


def pair_of(pairs, a, b):
    wanted = {KB + a, KB + b}
    return next((p for p in pairs if {p["a"]["id"], p["b"]["id"]} == wanted), None)


@pytest.fixture(scope="module")
def synthetic():
    return graph.load([LINEAGE])


def test_an_undeclared_rewrite_is_flagged_with_its_evidence(synthetic):
    (pair,) = copying(synthetic, undeclared=True)
    assert {pair["a"]["id"], pair["b"]["id"]} == {KB + "doc-original", KB + "doc-rewrite"}
    assert pair["probable_copy"] == KB + "doc-rewrite"  # the D-graded of the two
    assert pair["declared"] is False and "NOT declared" in pair["verdict"]
    assert pair["score"] == 1.0 and pair["score"] >= 3 * pair["chance"]
    assert pair["shared_figures"] == ["215", "40"]
    assert "Flow / cocaine / LBY" in pair["shared_claims"]


def test_independent_documents_are_not_flagged(synthetic):
    flagged = copying(synthetic, min_score=0.0)
    ids = {frozenset((p["a"]["id"], p["b"]["id"])) for p in flagged}
    assert ids == {frozenset((KB + "doc-original", KB + "doc-rewrite"))}


@pytest.mark.parametrize("a, b", [
    # financialcrime-world rewrites of Index pages, against the Index profile ...
    ("doc-financialcrime-world-mali", "doc-ocindex-2021-mali"),
    # ... two rewrites of one page ...
    ("doc-financialcrime-world-mauritania-crime-hub",
     "doc-financialcrime-world-mauritania-criminal-haven"),
    # ... and a rewrite against a news report on the same page.
    ("doc-arraedlg-libya-ocindex-2021", "doc-financialcrime-world-libya"),
])
def test_the_financialcrime_world_rewrites_are_flagged(kg, a, b):
    pair = pair_of(copying(kg), a, b)
    assert pair is not None
    assert pair["declared"] is True  # the data now states their lineage


def test_flagged_pairs_score_far_above_chance(kg):
    flagged = copying(kg)
    assert flagged and all(p["score"] >= 3 * p["chance"] for p in flagged)


@pytest.mark.parametrize("kwargs", [{"min_score": -0.1}, {"top": 0}])
def test_bad_arguments_are_errors(kg, kwargs):
    with pytest.raises(QueryError):
        copying(kg, **kwargs)


def test_cli_analyze_copying():
    result = CliRunner().invoke(cli, ["analyze", "copying", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert any("financialcrime-world-mali" in r["a"]["id"] + r["b"]["id"] for r in rows)
