"""Validation reports: grouped by file, labelled focus nodes, cache, exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import graph
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
