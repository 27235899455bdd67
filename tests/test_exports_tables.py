"""CSV exports for spreadsheets: one row per leg, safe against formula injection."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest

import graph
from graph.exports import export
from graph.exports.tables import safe_cell

MINI = Path(__file__).parent / "data" / "exports" / "mini.ttl"
PLACE = "https://w3id.org/tkg/place/"


@pytest.fixture(scope="module")
def mini():
    return graph.load([MINI])


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_edges_are_legs_with_flow_facts(mini, tmp_path):
    nodes, edges = export(mini, "csv", tmp_path / "legs")
    legs = sorted(rows(edges), key=lambda r: int(r["leg_index"]))
    stops = [mini.label(PLACE + code) for code in ("COL", "GNB", "MLI-north", "europe")]
    assert [(r["from_label"], r["to_label"]) for r in legs] == list(itertools.pairwise(stops))
    first = legs[0]
    assert list(first)[:5] == ["from", "from_label", "to", "to_label", "id"]
    assert first["from"] == PLACE + "COL"
    assert first["commodity_label"] == "Cocaine" and first["certainty_label"] == "reported"
    assert first["period"] == "2019-2021"
    assert first["flow_label"] == "Test cocaine flow"
    assert len(first["actors"].split("; ")) == 3
    places = {r["id"]: r for r in rows(nodes)}
    assert set(places) == {PLACE + c for c in ("COL", "GNB", "MLI-north", "europe")}
    assert places[PLACE + "COL"]["lon"] == "-72.0"  # a number is never escaped


def test_files_open_in_excel_with_accents(mini, tmp_path):
    nodes, _ = export(mini, "csv", tmp_path / "legs")
    raw = nodes.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw


def test_formula_cells_are_neutralised(mini, tmp_path):
    nodes, _ = export(mini, "csv", tmp_path / "actors", network="actors")
    labels = {r["label"] for r in rows(nodes)}
    assert "'=HYPERLINK(\"http://example.org\")" in labels
    assert not any(label.startswith(("=", "+", "-", "@")) for label in labels)


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Mali", "Mali"), ("", ""), (-1.5, -1.5), (3, 3),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_commodity_filter_leaves_empty_tables_with_headers(mini, tmp_path):
    _, edges = export(mini, "csv", tmp_path / "none", commodity="heroin")
    assert rows(edges) == []
    header = edges.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("from,from_label,to,to_label,id,flow,")


def test_bundled_graph_has_a_row_per_leg(kg, tmp_path):
    from graph.traverse.projections import flow_network

    _, edges = export(kg, "csv", tmp_path / "legs")
    assert len(rows(edges)) == flow_network(kg).number_of_edges()
