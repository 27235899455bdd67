"""Workspaces and their store: found like git repositories, built incrementally, never stale.

Most tests use an empty workspace (the ontology and the analyst's own files) so that builds
take a second; the end-to-end test at the bottom uses the bundled knowledge base as the base
layer, as a new analyst would.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph
from graph.cli import cli
from graph.errors import DataError, ParseError, ValidationFailed
from graph.store import StaleStore, build, open_store, plan, read_manifest, status
from graph.workspace import ENV_VAR, find_workspace, init_workspace, read_workspace

ROSEWOOD = Path(__file__).parent / "data" / "workspace" / "test-rosewood-report.ttl"
LABEL = "Workspace test rosewood from Mali to China"
FLOW = "https://w3id.org/tkg/kb/flow-test-rosewood-report-mali-china"


def count_flows(kg) -> int:
    rows = kg.query("SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a tkg:Flow }")
    return rows[0]["n"]


def labels(kg) -> set[str]:
    rows = kg.query("SELECT ?label WHERE { ?f a tkg:Flow ; rdfs:label ?label }")
    return {r["label"] for r in rows}


@pytest.fixture
def ws(tmp_path):
    """An empty workspace (no bundled data), built once."""
    workspace = init_workspace(tmp_path / "ws", empty=True)
    build(workspace)
    return workspace


def add(ws, source: Path = ROSEWOOD, name: str | None = None) -> Path:
    target = ws.root / "data" / (name or source.name)
    shutil.copy(source, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- finding and creating workspaces ----------------------------------------------------------

def test_init_writes_the_workspace_files(tmp_path):
    ws = init_workspace(tmp_path / "mine")
    assert (ws.root / "tkg.toml").is_file() and (ws.root / "data").is_dir()
    assert "tkg build" in (ws.root / "README.md").read_text()
    assert ".tkg/" in (ws.root / ".gitignore").read_text()
    assert ws.bundled and ws.data_dirs == (ws.root / "data",)
    assert ws.state == ws.root / ".tkg"


def test_init_refuses_an_existing_workspace_and_changes_nothing(tmp_path):
    ws = init_workspace(tmp_path / "mine", empty=True)
    before = (ws.root / "tkg.toml").read_text()
    with pytest.raises(DataError, match="already a workspace"):
        init_workspace(ws.root)
    assert (ws.root / "tkg.toml").read_text() == before


def test_workspace_is_found_from_below_and_by_environment(tmp_path, monkeypatch):
    ws = init_workspace(tmp_path / "mine", empty=True)
    deep = ws.root / "data" / "notes"
    deep.mkdir()
    assert find_workspace(start=deep).root == ws.root
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.setenv(ENV_VAR, str(ws.root))
    assert find_workspace(start=elsewhere).root == ws.root
    monkeypatch.delenv(ENV_VAR)
    assert find_workspace(start=elsewhere).root is None  # the bundled knowledge base


def test_explicit_folder_that_is_not_a_workspace_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"not a workspace .*tkg init"):
        find_workspace(tmp_path)


@pytest.mark.parametrize(("text", "match"), [
    ("[workspace]\ndatta = ['data']\n", "unknown workspace setting 'datta'"),
    ("[workspace]\nbundled = 'yes'\n", "'bundled' must be a bool"),
    ("[workspace]\ndata = [1]\n", "must list folder names"),
    ("[workspace\n", "not valid TOML"),
])
def test_bad_workspace_file_names_the_file_and_setting(tmp_path, text, match):
    (tmp_path / "tkg.toml").write_text(text)
    with pytest.raises(DataError, match=match) as info:
        read_workspace(tmp_path)
    assert "tkg.toml" in str(info.value)


def test_missing_data_folder_is_an_error(tmp_path):
    (tmp_path / "tkg.toml").write_text("[workspace]\ndata = ['sources']\nbundled = false\n")
    with pytest.raises(DataError, match=r"data folder .*sources does not exist"):
        read_workspace(tmp_path).sources()


def test_same_file_name_as_a_bundled_file_is_an_error(tmp_path):
    ws = init_workspace(tmp_path / "mine")
    shutil.copy(ROSEWOOD, ws.root / "data" / "ocindex-2021-mali.ttl")
    with pytest.raises(DataError, match=r"same file name as .*ocindex-2021-mali\.ttl"):
        ws.sources()


def test_this_checkout_is_a_workspace_of_its_own_data():
    root = Path(__file__).resolve().parents[1]
    ws = find_workspace(start=root / "tests")
    assert ws.root == root and not ws.bundled
    assert ws.data_dirs == (root / "data",) and ws.ontology == root / "ontology"


# -- incremental builds -----------------------------------------------------------------------

def test_added_file_is_loaded_alone_and_answers_include_it(ws):
    before = open_store(ws, notify=None)
    assert LABEL not in labels(before)
    add(ws)
    report = build(ws)
    assert (report["loaded"], report["removed"]) == (1, 0)
    assert report["unchanged"] == len(ws.sources()) - 1
    kg = open_store(ws, notify=None)
    assert LABEL in labels(kg)
    assert count_flows(kg) == count_flows(before) + 1
    # the derived shortcuts of the new file are there: its legs and its transit
    legs = kg.query("SELECT ?from ?to WHERE { ?leg tkg:legOf ?f ; tkg:fromPlace ?from ; "
                    "tkg:toPlace ?to }", {"f": graph.backends.IRI(FLOW)})
    assert {(r["from"].rsplit("/", 1)[-1], r["to"].rsplit("/", 1)[-1]) for r in legs} == \
        {("MLI", "SEN"), ("SEN", "CHN")}


def test_nothing_to_do_when_nothing_changed(ws):
    add(ws)
    build(ws)
    store = read_manifest(ws)["store"]
    report = build(ws)
    assert report["changed"] is False and read_manifest(ws)["store"] == store


def test_touched_file_with_same_content_is_not_reloaded(ws):
    path = add(ws)
    build(ws)
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    assert not plan(ws).stale
    assert build(ws)["changed"] is False
    assert not plan(ws).touched  # the new time is remembered


def test_edited_file_replaces_exactly_its_own_triples(ws):
    kg0 = open_store(ws, notify=None)
    size0 = len(kg0)
    path = add(ws)
    build(ws)
    edit(path, LABEL, "Edited rosewood label")
    report = build(ws)
    assert report["loaded"] == 1
    kg = open_store(ws, notify=None)
    assert "Edited rosewood label" in labels(kg) and LABEL not in labels(kg)
    path.unlink()
    build(ws)
    kg = open_store(ws, notify=None)
    assert len(kg) == size0  # nothing of the file is left in the merged graph


def test_removing_a_file_keeps_triples_another_file_also_states(ws):
    # The second file restates the first one's document block: after the first file is
    # removed, the document must still be in the merged graph.
    first = add(ws)
    second = ws.root / "data" / "second-copy.ttl"
    text = first.read_text().replace("kb:psg-test-rosewood-report-1", "kb:psg-second-1")
    text = text.replace("kb:flow-test-rosewood-report-mali-china", "kb:flow-second")
    second.write_text(text.replace(LABEL, "Second copy of the rosewood flow"))
    build(ws)
    first.unlink()
    build(ws)
    kg = open_store(ws, notify=None)
    title = kg.query("SELECT ?t WHERE { kb:doc-test-rosewood-report dcterms:title ?t }")
    assert [r["t"] for r in title] == ["Test report on rosewood (fictional)"]
    assert labels(kg) == {"Second copy of the rosewood flow"}


def test_ontology_and_derived_graphs_are_per_file(ws):
    add(ws)
    build(ws)
    kg = open_store(ws, notify=None)
    graphs = {r["g"] for r in kg.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert "https://w3id.org/tkg/graph/test-rosewood-report" in graphs
    assert "https://w3id.org/tkg/graph/derived/test-rosewood-report" in graphs
    assert "https://w3id.org/tkg/graph/ontology/tkg" in graphs


def test_full_rebuild_gives_the_same_graph(ws):
    add(ws)
    build(ws)
    incremental = open_store(ws, notify=None)
    quads = sorted(str(q) for q in incremental.backend.store if "_:" not in str(q))
    build(ws, full=True)
    full = open_store(ws, notify=None)
    assert sorted(str(q) for q in full.backend.store if "_:" not in str(q)) == quads


# -- broken files and stale stores ------------------------------------------------------------

def test_syntax_error_changes_nothing_and_names_file_and_line(ws):
    add(ws)
    build(ws)
    store = read_manifest(ws)["store"]
    broken = ws.root / "data" / "broken.ttl"
    broken.write_text("@prefix kb: <https://w3id.org/tkg/kb/> .\n\nkb:a kb:b kb:c ;\n  kb:d .\n")
    with pytest.raises(ParseError) as info:
        build(ws)
    assert info.value.path.endswith("broken.ttl") and info.value.line == 4
    assert read_manifest(ws)["store"] == store
    with pytest.raises(StaleStore):
        open_store(ws, rebuild="never", notify=None)


def test_shape_violation_changes_nothing(ws):
    store = read_manifest(ws)["store"]
    path = add(ws)
    edit(path, "    tkg:certainty cert:likely ;\n", "")
    with pytest.raises(ValidationFailed, match="certainty"):
        build(ws)
    assert read_manifest(ws)["store"] == store


def test_stale_store_is_never_answered_from_silently(ws):
    add(ws)
    with pytest.raises(StaleStore, match=r"data/test-rosewood-report.ttl is new since the last "
                                         r"build: run tkg build"):
        open_store(ws, rebuild="never", notify=None)
    said = []
    kg = open_store(ws, notify=said.append)
    assert said == ["data/test-rosewood-report.ttl is new since the last build: rebuilding first"]
    assert LABEL in labels(kg)


def test_large_changes_are_not_rebuilt_silently(ws, monkeypatch):
    import graph.store

    monkeypatch.setattr(graph.store, "AUTO_REBUILD_BYTES", 10)
    add(ws)
    with pytest.raises(StaleStore, match="run tkg build"):
        open_store(ws, notify=None)
    assert open_store(ws, rebuild="always", notify=None)


def test_status_reports_every_state(ws):
    loaded = add(ws)
    build(ws)
    edit(loaded, LABEL, "Changed label")
    new = add(ws, name="another-rosewood.ttl")
    edit(new, "kb:flow-test-rosewood-report-mali-china", "kb:flow-another")
    (ws.root / "data" / "broken.ttl").write_text("kb:a kb:b .\n")
    report = status(ws)
    states = {row["file"]: row for row in report["files"]}
    assert states["data/test-rosewood-report.ttl"]["state"] == "changed"
    assert states["data/another-rosewood.ttl"]["state"] == "new"
    assert states["data/broken.ttl"]["state"] == "invalid"
    assert "broken.ttl:1" in states["data/broken.ttl"]["error"]
    assert report["store"]["bytes"] > 0
    (ws.root / "data" / "broken.ttl").unlink()
    new.unlink()
    loaded.unlink()
    report = status(ws)
    assert [(r["file"], r["state"]) for r in report["files"]] == \
        [("data/test-rosewood-report.ttl", "removed")]


def test_status_counts_claims_of_loaded_files(ws):
    add(ws)
    build(ws)
    [row] = [r for r in status(ws)["files"] if r["file"].startswith("data/")]
    assert (row["state"], row["claims"]) == ("loaded", 1)


# -- readers and builders at the same time ----------------------------------------------------

_READER = textwrap.dedent("""
    import sys, time
    from graph.store import _open_manifest, read_manifest
    from graph.workspace import read_workspace
    ws = read_workspace(sys.argv[1])
    deadline = time.time() + float(sys.argv[2])
    seen = []
    while time.time() < deadline:
        # Open what the manifest names, as every command does, without comparing the files
        # (the test changes them on purpose while this runs).
        kg = _open_manifest(ws, read_manifest(ws))
        rows = kg.query("SELECT (COUNT(DISTINCT ?f) AS ?n) (COUNT(DISTINCT ?l) AS ?m) "
                        "WHERE { ?f a tkg:Flow . OPTIONAL { ?l tkg:legOf ?f } }")
        seen.append((rows[0]["n"], rows[0]["m"]))
        del kg
    print(sorted(set(seen)))
""")


def test_concurrent_build_and_query_never_tear(ws):
    """Readers see the store before or after each build, never a mix of the two."""
    path = add(ws)
    build(ws)
    with_file = count_flows(open_store(ws, notify=None))
    reader = subprocess.Popen([sys.executable, "-c", _READER, str(ws.root), "8"],
                              stdout=subprocess.PIPE, text=True)
    builds = 0
    deadline = time.time() + 6
    while time.time() < deadline:
        if path.exists():
            path.unlink()
        else:
            add(ws)
        build(ws)
        builds += 1
    out, _ = reader.communicate(timeout=60)
    assert reader.returncode == 0
    seen = eval(out)  # a list of (flows, legs) pairs printed by the reader
    assert builds >= 2
    # Two states only: with the file (one more flow and its two legs) and without it.
    flows = {n for n, _ in seen}
    assert flows <= {with_file, with_file - 1}
    by_flows = {}
    for n, m in seen:
        by_flows.setdefault(n, set()).add(m)
    assert all(len(legs) == 1 for legs in by_flows.values()), by_flows


_KILLED = textwrap.dedent("""
    import sys, time
    from graph.store import build
    from graph.workspace import read_workspace
    def progress(message):
        print(message, flush=True)
        if message == "loading into the store":
            time.sleep(60)
    build(read_workspace(sys.argv[1]), progress=progress)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_build_killed_half_way_leaves_the_old_state(ws):
    before = open_store(ws, notify=None)
    flows_before = count_flows(before)
    add(ws)
    child = subprocess.Popen([sys.executable, "-c", _KILLED, str(ws.root)],
                             stdout=subprocess.PIPE, text=True)
    for line in child.stdout:
        if line.strip() == "loading into the store":
            break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    manifest = read_manifest(ws)
    half_built = [p for p in (ws.state / "stores").iterdir()
                  if f"stores/{p.name}" != manifest["store"]]
    assert half_built, "the killed build should have started a store of its own"
    kg = graph.store._open_manifest(ws, manifest)
    assert count_flows(kg) == flows_before  # the old state answers
    report = build(ws)  # and the next build completes and cleans up
    assert report["loaded"] == 1
    assert [p.name for p in (ws.state / "stores").iterdir()
            if p.name != Path(read_manifest(ws)["store"]).name] == [Path(manifest["store"]).name]


# -- the analyst's loop, end to end through the CLI -------------------------------------------

def test_add_a_source_and_see_it_everywhere(tmp_path, monkeypatch):
    runner = CliRunner()
    root = tmp_path / "research"
    result = runner.invoke(cli, ["init", str(root)])
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(root)
    shutil.copy(ROSEWOOD, root / "data")

    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert (root / "build" / "overview.html").is_file()

    result = runner.invoke(cli, ["flows", "--commodity", "timber", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert LABEL in {f["label"] for f in json.loads(result.output)}

    result = runner.invoke(cli, ["country", "Mali", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert LABEL in result.output

    view = tmp_path / "mali.html"
    result = runner.invoke(cli, ["viz", "--country", "Mali", "-o", str(view)])
    assert result.exit_code == 0, result.output
    assert LABEL in view.read_text(encoding="utf-8")

    exported = tmp_path / "tables"  # CSV exports are a folder of tables
    result = runner.invoke(cli, ["export", "--format", "csv", "-o", str(exported)])
    assert result.exit_code == 0, result.output
    assert any(LABEL in p.read_text(encoding="utf-8") for p in exported.glob("*.csv"))

    # The bundled base layer is there too.
    result = runner.invoke(cli, ["flows", "--commodity", "cocaine", "--format", "json"])
    assert any("Latin America" in f["label"] for f in json.loads(result.output))

    # A broken file: the build fails naming it, the store keeps the old state.
    (root / "data" / "broken.ttl").write_text("@prefix kb: <https://w3id.org/tkg/kb/> .\n"
                                              "kb:a kb:b\n")
    result = runner.invoke(cli, ["build"])
    assert result.exit_code != 0
    assert "broken.ttl:" in result.output
    result = runner.invoke(cli, ["flows", "--commodity", "timber", "--no-rebuild"])
    assert result.exit_code == 1
    assert "data/broken.ttl is new since the last build: run tkg build" in result.output

    result = runner.invoke(cli, ["status", "--format", "json"])
    assert result.exit_code == 1
    states = {f["file"]: f["state"] for f in json.loads(result.output)["files"]}
    assert states["data/broken.ttl"] == "invalid"
    assert states["data/test-rosewood-report.ttl"] == "loaded"


def test_the_data_readme_workflow_runs_as_written(tmp_path, monkeypatch):
    """The commands of data/README.md's workspace example, run in order as a user would."""
    import re
    import shlex

    from graph.resources import data_dir

    readme = (data_dir() / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Where your files go: a workspace", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines()]
    commands = [c for c in commands if c]
    assert [c.split()[0] for c in commands] == ["tkg", "cd", "cp", "tkg", "tkg", "tkg"]
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for command in commands:
        words = shlex.split(command)
        if words[0] == "cd":
            monkeypatch.chdir(words[1])
        elif words[0] == "cp":  # the analyst's own file: our fixture, under the name given
            shutil.copy(ROSEWOOD, Path(words[2]) / "test-rosewood-report.ttl")
        else:
            result = runner.invoke(cli, words[1:])
            assert result.exit_code == 0, (command, result.output)
    assert "Cocaine" in result.output
    result = runner.invoke(cli, ["status", "--format", "json"])
    rows = {f["file"]: f for f in json.loads(result.output)["files"]}
    assert rows["data/test-rosewood-report.ttl"]["state"] == "loaded"
    assert rows["data/test-rosewood-report.ttl"]["claims"] == 1
