"""Validation reports: grouped by file, labelled focus nodes, cache, exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import graph
from graph.sources import collect
from graph.validate import validate

SHAPES = Path(__file__).parent / "data" / "shapes"


def test_bundled_data_is_valid():
    report = validate()
    assert report.conforms, report.summary()
    assert len(report.files) > 20


def test_violations_name_file_label_property_message(tmp_path):
    bad = tmp_path / "two-problems.ttl"
    text = (SHAPES / "Flow-commodity-invalid-01.ttl").read_text()
    bad.write_text(text.replace("tkg:endYear 2021", "tkg:endYear 2010"))
    report = validate([bad])
    found = {(v.label, v.path, v.shape) for v in report.violations}
    assert found == {("Test flow", "tkg:commodity", "shape:Flow-commodity"),
                     ("Test flow", "tkg:startYear", "shape:Claim-period")}
    assert list(report.by_file()) == [str(bad)]
    text = report.summary()
    assert str(bad) in text
    assert "Test flow tkg:commodity: A flow moves exactly one commodity" in text


def test_blank_node_focus_is_described_by_its_holder():
    report = validate([SHAPES / "Involvement-role-invalid-01.ttl"])
    assert report.violations[0].label == "tkg:qualifiedInvolvement of Test flow"
    assert report.violations[0].value == "com:arms"


def test_results_are_cached_per_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TKG_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "one.ttl"
    shutil.copy(SHAPES / "Flow-commodity-valid.ttl", data)
    seen = []
    validate([data], progress=seen.append)
    assert seen == ["ontology and vocabularies", "one.ttl"]
    seen.clear()
    validate([data], progress=seen.append)
    assert seen == []
    data.write_text(data.read_text().replace("Test flow", "Renamed flow"))
    validate([data], progress=seen.append)
    assert seen == ["one.ttl"]


def test_validate_is_exported():
    assert graph.validate is validate


def test_every_data_file_is_listed_in_the_data_readme():
    from graph.resources import bundled_data_files, data_dir

    readme = (data_dir() / "README.md").read_text(encoding="utf-8")
    for path in bundled_data_files():
        stem = path.name
        family = stem.split("-", 2)[0] + "-" + stem.split("-", 2)[1] + "-*.ttl"
        assert f"`{stem}`" in readme or f"`{family}`" in readme, f"{stem} not in data/README.md"


# --- several files per engine run -------------------------------------------------------

CORPUS = Path(__file__).parent / "data" / "validation"
ACTOR = """@prefix kb: <https://w3id.org/tkg/kb/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix tkg: <https://w3id.org/tkg/ontology#> .
kb:actor-same a tkg:CriminalNetwork ; rdfs:label {labels} .
"""


def _rows(report):
    """Violation rows, blank-node focus IDs (fresh on every parse) left out."""
    return sorted((v.file, v.focus if v.focus.startswith("http") else "_:", v.label, v.path,
                   v.shape, v.message, v.value) for v in report.violations)


def _count_runs(monkeypatch) -> list:
    from graph import shacl

    runs = []
    real = shacl.run

    def counting(union, shapes, engine, **options):
        runs.append(engine)
        return real(union, shapes, engine, **options)

    monkeypatch.setattr(shacl, "run", counting)
    return runs


def test_batched_results_equal_one_run_per_file():
    files = sorted(CORPUS.glob("*.ttl")) + sorted(SHAPES.glob("*-invalid-*.ttl"))[:12]
    from graph.sources import collect
    from graph.validate import check

    together = validate(files, use_cache=False, engine="pyshacl")
    apart = check(collect(files), use_cache=False, engine="pyshacl", batch_triples=1)
    assert _rows(together) == _rows(apart)
    broken = {str(f) for f in files
              if f.read_text(encoding="utf-8").startswith(("# Broken", "# Invalid"))}
    assert set(together.by_file()) == broken


def test_a_file_that_names_a_node_another_file_describes_is_validated_apart(monkeypatch):
    runs = _count_runs(monkeypatch)
    a, b = CORPUS / "shared-node-a.ttl", CORPUS / "shared-node-b.ttl"
    report = validate([a, b], use_cache=False, engine="pyshacl")
    assert len(runs) == 3  # reference, then a and b in runs of their own
    # validated with a, b's actor would be typed (by a) and b would pass
    assert {(v.file, v.shape) for v in report.violations} == {
        (str(b), "shape:ActorRelation-subject"), (str(b), "shape:ActorRelation-object")}


@pytest.mark.parametrize(("second", "runs_expected"), [
    ('"Same network"@en', 2),  # the same description: one run for both files
    ('"Another name"@en', 3),  # described differently: validated apart
])
def test_files_describing_a_node_alike_share_a_run(tmp_path, monkeypatch, second,
                                                   runs_expected):
    one, two = tmp_path / "one.ttl", tmp_path / "two.ttl"
    one.write_text(ACTOR.replace("{labels}", '"Same network"@en'))
    two.write_text(ACTOR.replace("{labels}", second))
    # Batching is off while the shapes hold SPARQL constraints (they may read any triple):
    # test it on the shapes without them.
    import importlib

    from rdflib import Graph

    from graph import shacl
    from graph.resources import shapes_file

    proven = shacl.proven_shapes(Graph().parse(shapes_file()))
    monkeypatch.setattr(importlib.import_module("graph.validate"), "_shapes_graph",
                        lambda key: proven)
    runs = _count_runs(monkeypatch)
    report = validate([one, two], use_cache=False, engine="pyshacl")
    assert len(runs) == runs_expected
    assert report.conforms


def test_a_violation_on_a_node_two_files_describe_alike_is_reported_in_both(tmp_path):
    labels = '"Same network"@en , "Second name"@en'
    one, two = tmp_path / "one.ttl", tmp_path / "two.ttl"
    one.write_text(ACTOR.replace("{labels}", labels))
    two.write_text(ACTOR.replace("{labels}", labels))
    report = validate([one, two], use_cache=False, engine="pyshacl")
    assert [(v.file, v.shape) for v in report.violations] == [
        (str(one), "shape:Actor-label"), (str(two), "shape:Actor-label")]


def test_results_cached_by_one_engine_serve_the_other(tmp_path, monkeypatch):
    from graph import shacl

    monkeypatch.setenv("TKG_CACHE_DIR", str(tmp_path / "cache"))
    bad = CORPUS / "flow-many-problems.ttl"
    first = validate([bad], engine="pyshacl")
    assert first.engine == "pyshacl" and not first.conforms
    again = validate([bad], engine="rudof" if shacl.rudof_available() else "pyshacl")
    assert again.engine == ""  # nothing ran: every result came from the cache
    assert _rows(again) == _rows(first)


def test_a_syntax_error_in_a_batch_names_its_file(tmp_path):
    from graph.errors import ParseError

    good = tmp_path / "a-good.ttl"
    shutil.copy(SHAPES / "Flow-commodity-valid.ttl", good)
    broken = tmp_path / "b-broken.ttl"
    broken.write_text("@prefix kb: <https://w3id.org/tkg/kb/> .\nkb:x kb:y \"open .\n")
    with pytest.raises(ParseError, match=r"b-broken\.ttl"):
        validate([good, broken], use_cache=False)


def test_progress_names_every_file_of_a_batch(tmp_path, monkeypatch):
    monkeypatch.setenv("TKG_CACHE_DIR", str(tmp_path / "cache"))
    seen = []
    validate([CORPUS / "shared-node-a.ttl", CORPUS / "text-values.ttl"], progress=seen.append)
    assert seen == ["ontology and vocabularies", "shared-node-a.ttl", "text-values.ttl"]


def test_a_node_made_a_focus_by_another_file_keeps_the_files_apart(monkeypatch):
    runs = _count_runs(monkeypatch)
    a, b = CORPUS / "target-objects-a.ttl", CORPUS / "target-objects-b.ttl"
    report = validate([a, b], use_cache=False, engine="pyshacl")
    assert len(runs) == 3  # b's tkg:qualifiedInvolvement points at a node a describes
    assert [(v.file, v.shape, v.value) for v in report.violations] == [
        (str(b), "shape:Involvement-role", "com:arms")]


def test_a_cached_result_names_the_file_where_it_is_now(tmp_path, monkeypatch):
    monkeypatch.setenv("TKG_CACHE_DIR", str(tmp_path / "cache"))
    text = (SHAPES / "Flow-commodity-invalid-01.ttl").read_text()
    first, second = tmp_path / "a" / "flow.ttl", tmp_path / "b" / "flow.ttl"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(text)
    assert {v.file for v in validate([first]).violations} == {str(first)}
    seen = []
    report = validate([second], progress=seen.append)
    assert seen == []  # same name and bytes: served from the cache
    assert {v.file for v in report.violations} == {str(second)}


def test_files_shared_between_processes_give_the_same_report(monkeypatch, tmp_path):
    # Many files to validate are split between worker processes; the report (rows, order,
    # engine) is the one a single process gives, broken files included.
    import importlib

    module = importlib.import_module("graph.validate")  # graph.validate is the function
    broken = sorted((SHAPES.parent / "validation").glob("*.ttl"))
    files = [*sorted(SHAPES.glob("*.ttl"))[:24], *broken]
    sources = collect(files)
    monkeypatch.setenv("TKG_CACHE_DIR", str(tmp_path / "one"))
    alone = module.check(sources, use_cache=False, processes=1)
    monkeypatch.setattr(module, "PARALLEL_BYTES", 1)
    seen = []
    monkeypatch.setenv("TKG_CACHE_DIR", str(tmp_path / "two"))
    shared = module.check(sources, use_cache=True, processes=2, progress=seen.append)
    assert "files in 2 processes" in seen[1] and "2 of 2 shares of files checked" in seen
    def rows(report):  # blank-node focus ids are fresh on every parse
        return [{**r, "focus": r["focus"] if r["focus"].startswith("http") else "_:"}
                for r in report.rows()]

    assert rows(shared) == rows(alone) and not shared.conforms
    assert shared.engine == alone.engine
    # the workers cached each file's results: nothing is validated again
    seen.clear()
    assert rows(module.check(sources, processes=2, progress=seen.append)) == rows(alone)
    assert seen == []
