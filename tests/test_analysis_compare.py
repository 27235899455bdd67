"""compare(): Index scores side by side and changes between editions."""

from __future__ import annotations

from pathlib import Path

import pytest

import graph
from graph.analysis import compare
from graph.errors import DataError, EntityNotFound, QueryError
from graph.traverse import country

DATA = Path(__file__).parent / "data" / "traverse"


@pytest.fixture(scope="module")
def scores():
    return graph.load([DATA / "scores.ttl"])


def table(rows):
    return [(r["indicator"]["label"], r["country"]["label"], r.get("2021"), r.get("2023"),
             r["delta"]) for r in rows]


def test_side_by_side_by_hand(scores):
    assert table(compare(scores, ["Niger", "Chad"])) == [
        ("Arms trafficking", "Niger", 6.0, 7.5, 1.5),
        ("Arms trafficking", "Chad", 5.0, None, None),
        ("Cocaine trade", "Niger", 4.0, 3.5, -0.5),
        ("Cocaine trade", "Chad", 2.0, 2.5, 0.5),
        ("Criminality", "Niger", 5.12, 5.5, 0.38)]
    assert {r["delta_editions"] for r in compare(scores, ["Niger"])} == {"2021-2023"}


def test_order_follows_the_countries_given(scores):
    rows = compare(scores, ["TCD", "NER"], indicators=["cocaine trade"])
    assert table(rows) == [("Cocaine trade", "Chad", 2.0, 2.5, 0.5),
                           ("Cocaine trade", "Niger", 4.0, 3.5, -0.5)]


def test_editions_without_scores_are_columns_of_none(scores):
    rows = compare(scores, ["Niger"], editions=[2019, 2023], indicators=["Arms trafficking"])
    assert rows == [{"indicator": rows[0]["indicator"], "country": rows[0]["country"],
                     "2019": None, "2023": 7.5, "delta": None, "delta_editions": None}]


def test_country_scores_by_edition(scores):
    from graph.traverse import country

    niger = country(scores, "Niger")
    assert [(s["indicator"]["label"], s["edition"], s["value"]) for s in niger["scores"]] == [
        ("Arms trafficking", 2021, 6.0), ("Cocaine trade", 2021, 4.0),
        ("Criminality", 2021, 5.12), ("Arms trafficking", 2023, 7.5),
        ("Cocaine trade", 2023, 3.5), ("Criminality", 2023, 5.5)]


def test_mali_2021_to_2023(kg):
    rows = compare(kg, ["Mali"], editions=(2021, 2023))
    scores = {(s["indicator"]["label"], s["edition"]): s["value"]
              for s in country(kg, "Mali")["scores"]}
    assert rows
    for row in rows:
        label = row["indicator"]["label"]
        assert row["country"]["label"] == "Mali"
        assert row["2021"] == scores.get((label, 2021))
        assert row["2023"] == scores.get((label, 2023))
        if row["2021"] is not None and row["2023"] is not None:
            assert row["delta"] == pytest.approx(row["2023"] - row["2021"])
    arms = next(r for r in rows if r["indicator"]["label"] == "Arms trafficking")
    assert arms["2021"] == 8.0  # Index 2021 profile of Mali


def test_two_countries_side_by_side(kg):
    rows = compare(kg, ["Mali", "Niger"], indicators=["Arms trafficking"])
    assert [r["country"]["label"] for r in rows] == ["Mali", "Niger"][:len(rows)]
    assert all(r["indicator"]["label"] == "Arms trafficking" for r in rows)


def test_single_edition_has_no_delta(kg):
    rows = compare(kg, "Mali", editions=[2021])
    assert rows and all(r["delta"] is None for r in rows)
    assert all(set(r) == {"indicator", "country", "2021", "delta", "delta_editions"} for r in rows)


@pytest.mark.parametrize("args, kwargs, error, match", [
    ([[]], {}, DataError, "at least one country"),
    ([["Atlantis"]], {}, EntityNotFound, "Atlantis"),
    ([["Mali"]], {"editions": ["last year"]}, QueryError, "last year"),
    ([["Mali"]], {"indicators": ["happiness"]}, EntityNotFound, "happiness"),
])
def test_errors(kg, args, kwargs, error, match):
    with pytest.raises(error, match=match):
        compare(kg, *args, **kwargs)


def test_default_delta_spans_the_editions_that_score_the_indicator(kg):
    # Niger has no 2025 scores in the bundled data: its delta is still 2021 -> 2023.
    rows = compare(kg, ["Mali", "Niger"], indicators=["Anti-money laundering"])
    by_country = {r["country"]["label"]: r for r in rows}
    niger = by_country["Niger"]
    assert niger["delta_editions"] == "2021-2023"
    assert niger["delta"] == round(niger["2023"] - niger["2021"], 4)
