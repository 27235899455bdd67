"""The export registry, its errors, atomic writing and the `tkg export` command."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph
from graph import exports
from graph.cli import cli
from graph.errors import ExportError, UnknownName

MINI = Path(__file__).parent / "data" / "exports" / "mini.ttl"
ALL = ["csv", "ftm", "gexf", "graphml", "json-ld", "neo4j", "nquads", "trig", "turtle"]
#: Where each format writes, relative to the output path: a file, or files in a folder.
OUTPUT = {"turtle": "g.ttl", "trig": "g.trig", "nquads": "g.nq", "json-ld": "g.jsonld",
          "graphml": "g.graphml", "gexf": "g.gexf", "ftm": "g.ftm.json", "csv": "legs",
          "neo4j": "neo4j"}
FOLDER_FILES = {"csv": ["nodes.csv", "edges.csv"],
                "neo4j": ["nodes.csv", "relationships.csv", "load.cypher"]}


@pytest.fixture(scope="module")
def mini():
    return graph.load([MINI])


def test_registry_lists_every_format():
    assert exports.known() == ALL
    rows = {r["name"]: r for r in exports.formats()}
    assert sorted(rows) == ALL
    assert {n for n, r in rows.items() if r["output"] == "folder"} == {"csv", "neo4j"}
    assert rows["graphml"]["options"] == "network, commodity, min_certainty"


def test_unknown_format_lists_the_formats(mini, tmp_path):
    with pytest.raises(UnknownName, match="unknown export format 'xlsx'; known export "
                                          "formats: csv, ftm, gexf, graphml, json-ld"):
        exports.export(mini, "xlsx", tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("fmt", "target", "options", "message"), [
    ("turtle", "g.ttl", {"commodity": "cocaine"},
     r"export format 'turtle' takes no option 'commodity' \(options: none\)"),
    ("ftm", "g.ftm.json", {"network": "flows"}, "takes no option 'network'"),
    ("turtle", ".", {}, r"is a folder; format 'turtle' writes one file, such as .*graph\.ttl"),
    ("csv", "file.txt", {}, "exists and is not a folder"),
    ("turtle", "file.txt/g.ttl", {}, r"file\.txt/g\.ttl: cannot write"),
    ("graphml", "g.graphml", {"network": "actors", "commodity": "cocaine"},
     "commodity filters the flows network only, not 'actors'"),
])
def test_bad_requests_name_the_problem(mini, tmp_path, fmt, target, options, message):
    (tmp_path / "file.txt").write_text("keep me")
    with pytest.raises(ExportError, match=message):
        exports.export(mini, fmt, tmp_path / target, **options)
    assert (tmp_path / "file.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_unknown_network_lists_the_networks(mini, tmp_path):
    with pytest.raises(UnknownName, match="unknown network 'roads'; known networks: actors, "
                                          "flows, full, markets"):
        exports.export(mini, "graphml", tmp_path / "g.graphml", network="roads")


@pytest.mark.parametrize(("name", "fmt"), [
    ("a.ttl", "turtle"), ("a.TRIG", "trig"), ("a.nq", "nquads"), ("a.jsonld", "json-ld"),
    ("a.graphml", "graphml"), ("a.gexf", "gexf"), ("a.ftm.json", "ftm"), ("a.ijson", "ftm"),
])
def test_format_from_file_name(name, fmt):
    assert exports.format_for_path(Path("out") / name) == fmt


def test_format_from_file_name_fails_clearly():
    with pytest.raises(ExportError, match=r"entities\.json: cannot tell the export format .* "
                                          r"give one of csv, ftm"):
        exports.format_for_path("entities.json")


@pytest.mark.parametrize("fmt", ALL)
def test_every_format_writes_what_it_returns(mini, tmp_path, fmt):
    target = tmp_path / OUTPUT[fmt]
    written = exports.export(mini, fmt, target)
    expected = [target / f for f in FOLDER_FILES[fmt]] if fmt in FOLDER_FILES else [target]
    assert written == expected
    assert all(p.is_file() and p.stat().st_size > 0 for p in written)
    # Nothing else is left behind (no temporary files).
    assert sorted(p.name for p in tmp_path.rglob("*")) == \
        sorted({target.name, *(p.name for p in written)})


def _broken_writer(kg, path):
    with exports.atomic_file(path) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")


def test_failed_writer_leaves_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "g.ttl"
    target.write_text("old")
    monkeypatch.setattr(exports, "_REGISTRY", dict(exports._REGISTRY))
    exports.register(exports.ExportFormat("broken", f"{__name__}:_broken_writer", "x"))
    with pytest.raises(RuntimeError, match="disk full"):
        exports.export(None, "broken", target)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["g.ttl"]


def test_written_files_get_ordinary_permissions(tmp_path):
    target = tmp_path / "x.txt"
    with exports.atomic_file(target) as tmp:
        tmp.write_text("x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


def test_register_adds_a_format(tmp_path, monkeypatch):
    monkeypatch.setattr(exports, "_REGISTRY", dict(exports._REGISTRY))
    exports.register(exports.ExportFormat("nt", "graph.exports.rdf:write_nquads",
                                          "N-Triples-like", (".nt",)))
    assert "nt" in exports.known()
    assert exports.format_for_path("a.nt") == "nt"


# -- the command ---------------------------------------------------------------------------

def _run(*args: str):
    return CliRunner().invoke(cli, [*args], catch_exceptions=False)


@pytest.mark.parametrize("fmt", ALL)
def test_command_writes_each_format(tmp_path, fmt):
    target = tmp_path / OUTPUT[fmt]
    result = _run("export", "--format", fmt, "-o", str(target), "--data", str(MINI),
                  "--backend", "memory")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    names = FOLDER_FILES.get(fmt, [target.name])
    assert [line.split()[1].rsplit("/", 1)[-1] for line in lines] == names
    assert all(line.startswith("wrote ") and line.endswith(" bytes)") for line in lines)


def test_command_takes_the_format_from_the_file_name(tmp_path):
    result = _run("export", "-o", str(tmp_path / "flows.gexf"), "--data", str(MINI),
                  "--commodity", "drugs", "--min-certainty", "reported")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "flows.gexf").read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "excel", "-o", "x.xlsx"], "unknown export format 'excel'; known export "
                                            "formats: csv, ftm, gexf"),
    (["-o", "x.xlsx"], "cannot tell the export format from the file name"),
    (["--format", "turtle", "--commodity", "cocaine", "-o", "x.ttl"], "takes no option"),
    (["--format", "csv", "--commodity", "nosuch", "-o", "legs"], "nosuch"),
])
def test_command_errors_are_one_line(tmp_path, args, message):
    result = CliRunner().invoke(cli, ["export", *args, "--data", str(MINI)],
                                catch_exceptions=False)
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not Path("x.xlsx").exists() and not Path("x.ttl").exists()


def test_command_needs_an_output():
    result = CliRunner().invoke(cli, ["export", "--format", "turtle"])
    assert result.exit_code == 2
    assert "give the file (or folder) to write with -o PATH" in result.output


def test_command_lists_formats():
    result = _run("export", "--list")
    assert result.exit_code == 0
    for name in ALL:
        assert name in result.output
