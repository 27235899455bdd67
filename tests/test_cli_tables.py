"""Tables that explain themselves: per row a copyable id, its sources and its certainty."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.layouts import html
from graph.lookup import expand_id, short_id
from graph.output import citation, emit
from graph.traverse import flows


def table(*args, columns=200):
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.output


def test_short_ids_round_trip_for_every_claim(kg):
    from graph.claims import model

    for claim in model(kg).claims:
        short = short_id(claim)
        assert short.startswith("kb:") and expand_id(short) == claim
        assert kg.resolve(short) == claim  # what `tkg evidence` and friends accept


def test_flows_table_shows_ids_sources_and_certainty(kg):
    found = flows(kg, commodity="arms", origin="Libya")
    out = table("flows", "--commodity", "arms", "--origin", "Libya")
    header = out.splitlines()[0].split()
    assert header[0] == "id" and {"sources", "certainty"} <= set(header)
    for flow in found:
        # The id is whole on one line, copyable, and names the flow.
        assert short_id(flow["id"]) in out.split()
        assert flow["certainty"]["label"] in out
        for source in flow["sources"]:
            # document § section ¶ paragraph, with the document's short name.
            document = short_id(source["document"]).removeprefix("kb:doc-")
            assert document in citation(source) and f"¶{source['paragraph']}" in citation(source)
            assert f"¶{source['paragraph']}" in out


@pytest.mark.parametrize("args", [
    ["who", "cocaine"],
    ["routes", "Libya", "Mali", "--commodity", "arms"],
    ["country", "Mali"],
])
def test_listings_of_claims_show_sources(args):
    out = table(*args)
    assert "sources" in out.splitlines()[0] and "§" in out and "¶" in out
    assert "kb:" in out


@pytest.mark.parametrize("width", [80, 120, 200])
def test_tables_fit_the_terminal_and_never_cut_ids(kg, width):
    out = table("flows", "--commodity", "arms", "--origin", "Libya", columns=width)
    lines = [line for line in out.splitlines() if not line.startswith("id:")]
    assert max(len(line.rstrip()) for line in lines[:-1]) <= width
    assert "…" not in out
    for flow in flows(kg, commodity="arms", origin="Libya"):
        assert short_id(flow["id"]) in out.split()


def test_narrow_terminal_prints_one_block_per_row(monkeypatch):
    # A 50-character id and two long columns cannot share 60 columns: one block per row.
    out = io.StringIO()
    local = "flow-" + "x" * 45
    rows = [{"id": expand_id(f"kb:{local}"), "label": "a long label " * 10,
             "sources": [{"document": expand_id("kb:doc-report"), "section": "Drugs",
                          "paragraph": 2}] * 2}]
    monkeypatch.setenv("COLUMNS", "60")
    emit(rows, "table", out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["id:", f"kb:{local}"]
    assert max(len(line) for line in lines[1:]) <= 60  # only the whole id may overhang
    assert "report § Drugs ¶2" in out.getvalue()


def test_notebook_html_has_the_same_content_as_the_table(kg):
    found = flows(kg, commodity="arms", origin="Libya")
    page = html(found, "flows")
    for flow in found:
        assert f'href="{flow["id"]}"' in page and short_id(flow["id"]) in page
        assert citation(flow["sources"][0]) in page


def test_narrower_terminals_leave_out_optional_columns_and_say_so(kg):
    out = table("flows", "--commodity", "arms", "--origin", "Libya", columns=140)
    header = out.splitlines()[0].split()
    # The columns that trace a row stay; period, commodity and actors go first, named.
    assert {"id", "label", "certainty", "sources"} <= set(header)
    hidden = next(line for line in out.splitlines() if line.startswith("hidden at this width"))
    assert all(name in hidden for name in {"period", "commodity", "actors"} - set(header))
    assert "ocindex-2021-mali § Trade" in out  # a document's short name is never broken
