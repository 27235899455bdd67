"""The traverse and analyze commands: options, formats and the JSON contract."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli

NETWORK = str(Path(__file__).parent / "data" / "traverse" / "network.ttl")
DATA = ["--data", NETWORK, "--backend", "oxigraph"]


def run(*args: str, fmt: str = "json"):
    result = CliRunner().invoke(cli, [*args, *DATA, "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        return json.loads(result.output)
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(result.output)))
    return result.output


def test_flows_json_contract():
    rows = run("flows", "--commodity", "drugs", "--origin", "Colombia")
    (f1,) = rows
    assert {"id", "description", "commodity", "origins", "transits", "destinations", "actors",
            "mode", "period", "certainty", "sources"} <= set(f1)
    assert set(f1["commodity"]) >= {"id", "label"}
    assert [t["label"] for t in f1["transits"]] == ["Venezuela", "Guinea-Bissau"]
    assert all({"id", "label", "type", "role"} <= set(a) for a in f1["actors"])
    assert set(f1["certainty"]) >= {"id", "label"}
    assert set(f1["sources"][0]) >= {"document", "section", "paragraph"}


@pytest.mark.parametrize("options, expected", [
    ([], 7),
    (["--commodity", "arms"], 3),
    (["--transit", "Algeria"], 1),
    (["--destination", "Mali", "--min-certainty", "reported"], 3),
    (["--actor", "Test network A1"], 2),
    (["--period", "2019"], 5),
])
def test_flows_options(options, expected):
    assert len(run("flows", *options)) == expected


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_flows_formats(fmt):
    out = run("flows", "--commodity", "ammunition", fmt=fmt)
    if fmt == "json":
        assert out[0]["origins"][0]["label"] == "Algeria"
    elif fmt == "csv":
        assert out[0]["label"] == "F5 ammunition Algeria to Mali"
        assert out[0]["origins"] == "Algeria"
    else:
        assert "F5 ammunition" in out and "Algeria" in out


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_routes(fmt):
    out = run("routes", "Colombia", "Italy", "--commodity", "cocaine", fmt=fmt)
    if fmt == "json":
        assert [r["length"] for r in out] == [6, 6]
        assert set(out[0]["hops"][0]) >= {"from", "to", "flow", "commodity", "certainty"}
    elif fmt == "csv":
        assert out[0]["certainty"] == "suspected"
    else:
        assert "Colombia → Venezuela" in out


def test_routes_max_hops():
    assert run("routes", "Colombia", "Italy", "--max-hops", "5") == []


def test_neighbours():
    rows = run("neighbours", "F5 ammunition Algeria to Mali")
    assert {r["label"] for r in rows} >= {"Algeria", "Mali", "Ammunition"}
    assert len(run("neighbours", "F5 ammunition Algeria to Mali", "--depth", "2")) > len(rows)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_who(fmt):
    rows = run("who", "cocaine", "--min-certainty", "likely", fmt=fmt)
    if fmt == "json":
        (row,) = rows
        # Each row traces its claims: their ids and the passages they cite.
        assert [i.rsplit("/", 1)[1] for i in row.pop("claim_ids")] == ["flow-test-f1",
                                                                       "flow-test-f2"]
        assert {s["section"] for s in row.pop("sources")} and rows == [{
            "actor": {"id": "https://w3id.org/tkg/kb/actor-test-a1", "label": "Test network A1",
                      "type": "trafficking network"},
            "role": "transports",
            "commodities": [{"id": "https://w3id.org/tkg/vocab/commodity/cocaine",
                             "label": "Cocaine"}],
            "markets": [{"id": "https://w3id.org/tkg/vocab/index/cocaine-trade",
                         "label": "Cocaine trade"}],
            "claims": 2,
            "certainty": {"id": "https://w3id.org/tkg/vocab/certainty/reported",
                          "label": "reported", "level": 4}}]
    else:
        assert [(r["actor"], r["role"]) for r in rows] == [("Test network A1", "transports")]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_country(fmt):
    out = run("country", "Mali", fmt=fmt)
    if fmt == "json":
        assert set(out) >= {"country", "scores", "inbound", "outbound", "transit", "actors"}
        assert out["country"]["label"] == "Mali"
        assert len(out["inbound"]) == 3
    elif fmt == "csv":
        assert {r["section"] for r in out} == {"inbound", "outbound", "actor"}
    else:
        assert "F4 small arms Libya to Mali" in out


def test_analyze_convergence_contract():
    rows = run("analyze", "convergence", "--k", "2")
    assert [(r["actor"]["label"], r["count"]) for r in rows] == [
        ("Test armed group A3", 3), ("Test network A1", 2)]
    assert all({"actor", "markets", "commodities", "count"} <= set(r) for r in rows)
    places = run("analyze", "convergence", "--k", "3", "--of", "place")
    assert [r["place"]["label"] for r in places] == ["Mali"]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_analyze_brokers_and_chokepoints(fmt):
    brokers = run("analyze", "brokers", "--commodity", "cocaine", "--top", "1", fmt=fmt)
    chokepoints = run("analyze", "chokepoints", "--commodity", "cocaine", fmt=fmt)
    if fmt == "json":
        assert brokers[0]["place"]["label"] == "Libya"
        assert [r["place"]["label"] for r in chokepoints] == ["Guinea-Bissau", "Venezuela"]
    elif fmt == "csv":
        assert brokers[0]["place"] == "Libya"
        assert chokepoints[0]["pairs"] == "Colombia → Northern Mali"
    else:
        assert "Libya" in brokers and "Guinea-Bissau" in chokepoints


def test_analyze_compare_bundled():
    result = CliRunner().invoke(cli, ["analyze", "compare", "Mali", "--edition", "2021",
                                      "--edition", "2023", "--indicator", "Arms trafficking",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row["2021"] == 8.0 and set(row) == {"indicator", "country", "2021", "2023", "delta",
                                           "delta_editions"}
    assert row["delta"] == 0.0 and row["delta_editions"] == "2021-2023"


@pytest.mark.parametrize("args, message", [
    (["flows", "--commodity", "unobtainium"], "unobtainium"),
    (["who", "Atlantis"], "Atlantis"),
    (["routes", "Colombia", "Italy", "--max-hops", "0"], "max_hops"),
    (["flows", "--min-certainty", "sure-ish"], "sure-ish"),
    (["analyze", "convergence", "--k", "0"], "k must be"),
])
def test_errors(args, message):
    result = CliRunner().invoke(cli, [*args, *DATA])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
