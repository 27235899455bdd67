"""The one emitter: table, JSON and CSV layouts, escaping for the terminal."""

from __future__ import annotations

import csv
import io
import json

import pytest

from graph.backends import IRI
from graph.errors import UnknownName
from graph.output import emit

ROWS = [
    {"country": IRI("https://w3id.org/tkg/place/MLI"), "score": 8.0,
     "origins": [{"id": "x", "label": "Libya"}, {"id": "y", "label": "Niger"}]},
    {"country": IRI("https://w3id.org/tkg/place/NER"), "score": 7.5, "origins": []},
]


def test_json_streams_rows_and_keeps_structure():
    out = io.StringIO()
    assert emit(ROWS, "json", out) == 2
    parsed = json.loads(out.getvalue())
    assert parsed[0]["origins"][1]["label"] == "Niger"
    assert parsed[0]["country"] == "https://w3id.org/tkg/place/MLI"


def test_json_for_no_rows_is_an_empty_list():
    out = io.StringIO()
    emit([], "json", out)
    assert json.loads(out.getvalue()) == []


def test_csv_flattens_nested_values_and_keeps_full_iris():
    out = io.StringIO()
    emit(ROWS, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0] == {"country": "https://w3id.org/tkg/place/MLI", "score": "8",
                       "origins": "Libya; Niger"}


def test_table_layout():
    out = io.StringIO()
    emit(ROWS, "table", out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["country", "score", "origins"]
    assert lines[2].split() == ["place:MLI", "8", "Libya;", "Niger"]


def test_terminal_output_strips_control_characters():
    out = io.StringIO()
    emit([{"label": "evil\x1b[2J\x07name"}], "table", out)
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()
    assert "evil" in out.getvalue() and "name" in out.getvalue()


def test_unknown_format_lists_formats():
    with pytest.raises(UnknownName, match="known formats: csv, json, table"):
        emit(ROWS, "xml")
