"""Analyses that explain themselves: compare says its editions, chokepoints what it cut."""

from __future__ import annotations

import networkx as nx
from click.testing import CliRunner

from graph.analysis import chokepoints, compare
from graph.cli import cli
from graph.traverse import country, flow_network


def test_compare_uses_the_same_editions_for_every_country(kg):
    rows = compare(kg, ["Mali", "Niger", "Burkina Faso"])
    editions = {country(kg, c)["country"]["label"]: {s["edition"] for s in country(kg, c)["scores"]}
                for c in ("Mali", "Niger", "Burkina Faso")}
    common = sorted(set.intersection(*editions.values()))
    assert 2025 in editions["Mali"] and 2025 not in common  # Mali alone has 2025
    assert [k for k in rows[0] if k.isdigit()] == [str(y) for y in common]
    spans = {r["delta_editions"] for r in rows if r["delta"] is not None}
    assert spans == {f"{common[0]}-{common[-1]}"}
    for row in rows:
        first, last = row[str(common[0])], row[str(common[-1])]
        if first is None or last is None:
            assert row["delta"] is None
        else:
            assert abs(row["delta"] - (last - first)) < 1e-9


def test_compare_table_names_its_editions():
    result = CliRunner().invoke(cli, ["analyze", "compare", "Mali", "Niger", "Burkina Faso"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("editions: 2021, 2023 (those that score every country)")
    assert "delta: 2023 minus 2021" in last


def test_chokepoints_say_what_was_removed_and_what_it_cuts(kg):
    rows = chokepoints(kg)
    assert rows
    network = flow_network(kg)
    simple = nx.DiGraph([(u, v) for u, v in network.edges() if u != v])
    for row in rows:
        place = row["place"]["id"]
        assert row["pairs_cut"] == len(row["pairs"])
        assert row["share"] == round(row["pairs_cut"] / row["pairs_connected"], 6)
        without = simple.copy()
        without.remove_node(place)
        for pair in row["pairs"]:
            a, b = pair["origin"]["id"], pair["destination"]["id"]
            # Connected with the place, cut without it: the claim is checked independently.
            assert nx.has_path(simple, a, b) and not nx.has_path(without, a, b)
            stops = pair["path"].split(" → ")
            assert stops[0] == pair["origin"]["label"] and stops[-1] == pair["destination"]["label"]
            assert row["place"]["label"] in stops[1:-1]
            assert pair["flows"]  # the flows that state this pair
            for flow in pair["flows"]:
                legs = [(u, v) for u, v, d in network.edges(data=True) if d["flow"] == flow["id"]]
                assert a in {u for u, _ in legs} and b in {v for _, v in legs}


def test_chokepoints_table_explains_the_method():
    result = CliRunner().invoke(cli, ["analyze", "chokepoints"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "removed" in result.output.splitlines()[0]
    assert "passes through it" in result.output and "dominator trees" in result.output
    assert " of " in result.output and "kb:flow-" in result.output
