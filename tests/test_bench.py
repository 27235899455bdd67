"""Smoke test of the benchmark at 10k triples (the full run is ``tkg bench``, see docs/scale.md).

Speed targets are checked by the benchmark itself, as ratios within one run; here we check
that every part runs, that the three engines agree on what they return, and the output.
"""

from __future__ import annotations

import json

import pytest
from benchmarks.bench_scale import markdown, suite, targets
from click.testing import CliRunner

from graph import query as named
from graph.cli import cli


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """``tkg bench --sizes 10k --repeat 1 --format json --markdown ...``, run once."""
    folder = tmp_path_factory.mktemp("bench")
    result = CliRunner().invoke(cli, ["bench", "--sizes", "10k", "--repeat", "1",
                                      "--workdir", str(folder), "--format", "json",
                                      "--markdown", str(folder / "bench.md")])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    return [r for r in rows if r["group"] != "target"], \
        [r for r in rows if r["group"] == "target"], folder


def _row(rows, group, task):
    found = [r for r in rows if r["group"] == group and r["task"] == task]
    assert len(found) == 1, f"{group}/{task}: {found}"
    return found[0]


def test_every_part_ran_without_errors(run):
    rows, _, _ = run
    errors = [(r["task"], r["note"]) for r in rows if "rdflib:" in (r.get("note") or "")
              or "oxigraph:" in (r.get("note") or "") or r["group"] == "error"]
    assert not errors
    assert {r["group"] for r in rows} >= {"build", "load", "query", "memory", "projection",
                                          "traversal", "view", "validation"}


def test_load_is_measured_for_all_three(run):
    rows, _, _ = run
    load = _row(rows, "load", "load")
    assert load["rdflib"] > 0 and load["oxigraph"] > 0 and load["pyoxigraph"] > 0
    assert load["rows"] > 10_000
    first = _row(rows, "build", "first load (parse, materialise, cache)")
    assert "deriving legs" in first["note"] and "writing the cache" in first["note"]


def test_every_named_query_is_in_the_suite_and_agrees(run):
    rows, _, _ = run
    queries = {r["task"]: r for r in rows if r["group"] == "query"}
    assert {q.name for q in named.list_queries()} <= set(queries)
    for task, row in queries.items():
        assert row["rdflib"] and row["oxigraph"] and row["pyoxigraph"], task
        assert row.get("rows_differ") is None, f"{task}: {row['rows_differ']}"


def test_memory_is_measured_per_variant(run):
    rows, _, _ = run
    memory = _row(rows, "memory", "peak after load and queries (MB)")
    assert memory["pyoxigraph"] > 10 and memory["oxigraph"] > 10 and memory["rdflib"] > 10


def test_targets_are_checked(run):
    rows, found, _ = run
    assert len(found) == 6
    assert [t["task"] for t in found] == [t["task"] for t in targets(rows)]
    assert all(t["met"] in (True, False) for t in found), found


def test_markdown_report(run):
    rows, found, folder = run
    text = (folder / "bench.md").read_text(encoding="utf-8")
    assert text.startswith("Measured with `tkg bench --sizes 10k --repeat 1 --seed 0`")
    assert "| 10k | load | load |" in text
    assert text.count("\n| 10k |") == len(rows) + len(found)
    assert markdown({"rows": rows, "targets": found, "seconds": 1.0, "repeat": 1, "seed": 0})


def test_suite_binds_parameters_from_the_examples():
    examples = {"commodity": "https://w3id.org/tkg/vocab/commodity/arms",
                "country": "https://w3id.org/tkg/place/MLI"}
    entries = {e["task"]: e for e in suite(examples)}
    assert "<https://w3id.org/tkg/place/MLI>" in entries["reachable"]["text"]
    assert "claim-sources" not in entries  # no flow among the examples: skipped, not guessed
    assert entries["flows (one commodity and narrower)"]["params"] == \
        {"commodity": {"iri": examples["commodity"]}}


def test_cold_query_measures_both_commands_in_one_run():
    from benchmarks.bench_scale import cold_query

    result = cold_query(runs=1)
    assert result["command"] == "tkg query flows --param commodity=cocaine"
    assert result["tkg"] > 0 and result["baseline"] > 0
    assert result["ratio"] == round(result["tkg"] / result["baseline"], 2) or \
        abs(result["ratio"] - result["tkg"] / result["baseline"]) < 0.02
    assert result["met"] == (result["ratio"] <= 2.0)


def test_cold_query_rejects_no_runs():
    from benchmarks.bench_scale import cold_query

    from graph.errors import DataError

    with pytest.raises(DataError, match="at least 1"):
        cold_query(runs=0)


def test_bench_outside_a_checkout_says_where_the_benchmarks_are(tmp_path, monkeypatch):
    # The benchmarks live in tests/benchmarks/ of a clone, not in the installed package.
    import graph

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(graph, "__file__", str(tmp_path / "site-packages" / "graph" / "x.py"))
    result = CliRunner().invoke(cli, ["bench", "--cold-query"])
    assert result.exit_code == 2
    assert "tests/benchmarks/bench_scale.py" in result.output
    assert str(tmp_path) in result.output and "inside a clone" in result.output


def test_the_workspace_benchmark_times_every_target_and_traversal(tmp_path):
    # `tkg bench --workspace-store` at a tiny size: every target gets a row, each traversal
    # command its own, and the commands actually ran (a failing command raises).
    from benchmarks.bench_workspace import TARGETS, TRAVERSALS, workspace_bench

    rows = workspace_bench("2k", repeat=1, workdir=tmp_path, validate=False)
    assert {r["task"] for r in rows} == set(TARGETS)
    timed = [r["note"] for r in rows if r["task"] == "cold traversal"]
    assert [n.split()[1] for n in timed] == [t[0] for t in TRAVERSALS]
    assert not [n for n in timed if "stopped" in n]
    assert all(r["value"] > 0 for r in rows)
    evidence = next(n for n in timed if n.startswith("tkg evidence"))
    assert "{claim}" not in evidence and "flow" in evidence
