"""Rich display in Jupyter: results, flows, routes and profiles show the CLI's table."""

from __future__ import annotations

import json

from graph.layouts import html
from graph.lookup import short_id
from graph.output import citation
from graph.traverse import country, country_rows, flows, routes, who


def test_flows_render_as_the_cli_table_with_links(kg):
    found = flows(kg, commodity="cocaine")
    page = found._repr_html_()
    assert page == html(found, "flows")
    for flow in found:
        assert f'<a href="{flow["id"]}">{short_id(flow["id"])}</a>' in page
        assert all(citation(s) in page for s in flow["sources"])
    # Still plain data: a list of dicts, JSON as before.
    assert isinstance(found, list) and json.loads(json.dumps(found))[0]["id"] == found[0]["id"]


def test_routes_and_who_render_their_tables(kg):
    page = routes(kg, "Libya", "Mali", commodity="arms")._repr_html_()
    assert "<th>legs</th>" in page and "<th>weakest certainty</th>" in page
    assert "strongest certainty" in who(kg, "cocaine")._repr_html_()


def test_profile_renders_its_rows(kg):
    profile = country(kg, "Mali")
    page = profile._repr_html_()
    assert page == html(country_rows(profile), "country")
    assert "8.00" in page and "<td" in page
    assert isinstance(profile, dict) and profile["country"]["label"] == "Mali"


def test_query_results_render(kg):
    rows = kg.query("flows", commodity="cocaine")
    page = rows._repr_html_()
    assert page.startswith("<table>") and "<th>flow</th>" in page
    assert all(short_id(r["flow"]) in page for r in rows)


def test_values_are_escaped():
    page = html([{"label": "<script>alert(1)</script>"}])
    assert "<script>" not in page and "&lt;script&gt;" in page
