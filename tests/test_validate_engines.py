"""The "rudof" engine against pyshacl (the reference) on a corpus of valid and broken files.

The "rudof" engine is pyrudof for the core shapes and Oxigraph for the SPARQL-based
constraints (graph.shacl). The corpus: every shape fixture (tests/data/shapes/), the broken
files written for this comparison (tests/data/validation/, first line says what is broken)
and the bundled data files. The engines validate the same files: pyshacl one file at a
time, "rudof" in batches of files that cannot change each other's results; the test asserts
that they report the same results, down to the Violation rows a person reads. "auto" may
only use pyrudof for the SHACL features listed in graph.shacl.RUDOF_PROVEN, and the corpus
must exercise each of them.
"""

from __future__ import annotations

import importlib
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Namespace

from conftest import require
from graph import shacl
from graph.errors import DataError
from graph.resources import bundled_data_files, shapes_file
from graph.sources import collect, parse
from graph.validate import _reference_graph, _Union, check

#: The module (``graph.validate`` the attribute is the function of that name).
validate_module = importlib.import_module("graph.validate")
HERE = Path(__file__).parent / "data"
BROKEN = sorted((HERE / "validation").glob("*.ttl"))
SH = Namespace("http://www.w3.org/ns/shacl#")
SH_SHAPE = Namespace("https://w3id.org/tkg/shapes#")


CORPUS = sorted((HERE / "shapes").glob("*.ttl")) + BROKEN + bundled_data_files()


def _rows(report) -> Counter:
    """Violation rows with blank-node focus IDs (fresh on every parse) left out."""
    return Counter((v.file, v.focus if v.focus.startswith("http") else "_:", v.label, v.path,
                    v.shape, v.message, v.value) for v in report.violations)


@pytest.fixture(scope="module")
def rudof():
    """pyrudof is installed (the comparisons below need it)."""
    require(shacl.rudof_available(), "pyrudof is not installed (pip install pyrudof)")


@pytest.fixture(scope="module")
def reports(rudof):
    sources = collect(CORPUS)
    return {engine: check(sources, use_cache=False, engine=engine)
            for engine in ("pyshacl", "rudof")}


@pytest.fixture(scope="module")
def raw_results(rudof):
    """Each engine's raw results (with constraint components) on each broken file."""
    sources = collect(BROKEN)
    reference = tuple(s for s in sources if s.reference)
    ref_graph, _ = _reference_graph(reference, "engines-test")
    shapes = validate_module._shapes_graph("engines-test")
    found = {}
    for source in (s for s in sources if not s.reference):
        data = parse(source)
        union = _Union([data], ref_graph)
        owned = set(data.subjects())
        for engine in ("pyshacl", "rudof"):
            found[source.path.name, engine] = Counter(
                (str(r.focus) if str(r.focus).startswith("http") else "_:", str(r.shape),
                 r.path, str(r.value), r.message, r.component)
                for r in shacl.run(union, shapes, engine) if r.focus in owned)
    return found


def test_both_engines_ran(reports):
    assert reports["pyshacl"].engine == "pyshacl"
    assert reports["rudof"].engine == "rudof"


def test_engines_agree_on_focus_path_and_shape_for_every_file(reports):
    for path in CORPUS:
        keys = {engine: {(v.focus if v.focus.startswith("http") else v.label, v.path, v.shape)
                         for v in report.by_file().get(str(path), [])}
                for engine, report in reports.items()}
        assert keys["rudof"] == keys["pyshacl"], path.name


def test_violation_rows_are_identical_whichever_engine_ran(reports):
    pyshacl_rows, rudof_rows = _rows(reports["pyshacl"]), _rows(reports["rudof"])
    assert rudof_rows == pyshacl_rows, (
        f"only pyshacl: {pyshacl_rows - rudof_rows}\nonly rudof: {rudof_rows - pyshacl_rows}")


def test_raw_results_agree_down_to_the_constraint_component(raw_results):
    for name in {name for name, _ in raw_results}:
        assert raw_results[name, "rudof"] == raw_results[name, "pyshacl"], name


def test_corpus_files_behave_as_their_first_line_says(reports):
    by_file = reports["pyshacl"].by_file()
    for path in CORPUS:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        broken = first.startswith(("# Broken", "# Invalid"))
        assert broken == (str(path) in by_file), f"{path.name}: {first}"


def test_every_proven_constraint_is_exercised_by_the_corpus(raw_results):
    components = {key[-1] for found in raw_results.values() for key in found}
    constraints = {"class", "datatype", "languageIn", "lessThanOrEquals", "maxCount",
                   "maxInclusive", "minCount", "minInclusive", "nodeKind", "or", "pattern"}
    assert constraints <= shacl.RUDOF_PROVEN
    missing = {c for c in constraints
               if c[0].upper() + c[1:] + "ConstraintComponent" not in components}
    assert not missing, f"no broken file breaks {missing}"
    assert "SPARQLConstraintComponent" in components  # the constraints Oxigraph runs


def test_every_proven_path_and_target_kind_is_exercised_by_the_corpus(raw_results):
    shapes = {key[1].rsplit("#", 1)[1] for found in raw_results.values() for key in found}
    assert "Flow-route" in shapes  # sequence path with sh:zeroOrMorePath
    assert "Flow-place" in shapes  # sh:alternativePath
    assert {"Involvement-actor", "Involvement-role"} <= shapes  # sh:targetObjectsOf
    assert "ScoreObservation-source" in shapes or "IndicatorScore-indicator" in shapes  # sh:or


def test_only_the_sparql_constraints_are_unproven():
    shapes = Graph().parse(shapes_file())
    assert shacl._unproven_terms(shapes) <= {"sparql", "select", "prefixes",
                                             "SPARQLConstraint", "declare", "prefix",
                                             "namespace"}
    assert shacl.rudof_supports(shacl.proven_shapes(shapes))
    assert shacl.sparql_supported(shapes)


def test_auto_uses_rudof_with_the_sparql_constraints_in_oxigraph(rudof):
    shapes = Graph().parse(shapes_file())
    assert shacl.choose("auto", shacl.proven_shapes(shapes)) == "rudof"
    assert shacl.choose("auto", shapes) == "rudof"
    assert [str(c[0]).rsplit("#", 1)[1] for c in shacl._sparql_constraints(shapes)] == [
        "Claim-conflict", "Involvement-incriminating"]


def test_a_sparql_constraint_oxigraph_cannot_run_like_pyshacl_goes_to_pyshacl(rudof):
    # A node shape that picks its focus nodes by sh:targetNode: not one the Oxigraph runner
    # joins, so "auto" leaves the shapes to pyshacl and "rudof" refuses them.
    shapes = Graph().parse(shapes_file())
    holder = next(shapes.subjects(SH.property, SH_SHAPE["Claim-conflict"]))
    shapes.add((holder, SH.targetNode, SH_SHAPE["some-node"]))
    assert not shacl.sparql_supported(shapes)
    assert shacl.choose("auto", shapes) == "pyshacl"
    with pytest.raises(DataError, match="cannot run these shapes"):
        shacl.choose("rudof", shapes)


def test_auto_falls_back_to_pyshacl_for_an_unproven_feature():
    shapes = shacl.proven_shapes(Graph().parse(shapes_file()))
    shapes.add((SH["extra-shape"], SH.hasValue, SH["x"]))
    assert not shacl.rudof_supports(shapes)
    assert shacl.choose("auto", shapes) == "pyshacl"


def test_auto_falls_back_to_pyshacl_without_pyrudof(monkeypatch):
    monkeypatch.setattr(shacl, "rudof_available", lambda: False)
    assert shacl.choose("auto", Graph().parse(shapes_file())) == "pyshacl"
    with pytest.raises(DataError, match=r"pip install 'trafficking-kg\[rudof\]'"):
        shacl.choose("rudof", Graph())


def test_unknown_engine_is_refused_before_anything_runs():
    with pytest.raises(DataError, match=r"unknown validation engine 'jena'.*pyshacl"):
        check(collect([BROKEN[0]]), engine="jena")


@pytest.mark.parametrize(("text", "expected"), [
    ('"He said "no" \\ then"@fr', 'He said "no" \\ then'),
    ('"8.25"^^xsd:decimal', "8.25"),
    ('"typed"^^<http://example.org/dt>', "typed"),
    ('"line\nbreak"', "line\nbreak"),
    ("https://w3id.org/tkg/kb/actor-t", "https://w3id.org/tkg/kb/actor-t"),
    ("_:b12", "b12"),
])
def test_rudof_terms_are_read_back(text, expected):
    assert str(shacl._rudof_term(text)) == expected


def test_rudof_paths_are_written_as_rudof_reports_them():
    shapes = Graph().parse(shapes_file())
    shape = Namespace("https://w3id.org/tkg/shapes#")
    tkg = "https://w3id.org/tkg/ontology#"
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    assert shacl._rudof_path(shapes.value(shape["Flow-route"], SH.path), shapes) == (
        f"({tkg}route / ({rdf}rest)* / {rdf}first)")
    assert shacl._rudof_path(shapes.value(shape["Flow-place"], SH.path), shapes) == (
        f"({tkg}origin | {tkg}route | {tkg}destination)")


@pytest.mark.parametrize("engine", ["pyshacl", "rudof"])
def test_cli_engine_option_gives_the_same_rows(rudof, engine):
    import json

    from click.testing import CliRunner

    from graph.cli import cli

    bad = HERE / "validation" / "score-problems.ttl"
    result = CliRunner().invoke(cli, ["validate", str(bad), "--no-cache", "--engine", engine,
                                      "--format", "json"])
    assert result.exit_code == 1, result.output
    rows = json.loads(result.output[result.output.index("["):])
    expected = check(collect([bad]), use_cache=False, engine="pyshacl")
    assert sorted(tuple(r.values()) for r in rows) == sorted(
        tuple(r.values()) for r in expected.rows())


def test_auto_falls_back_to_pyshacl_when_pyrudof_fails(rudof, monkeypatch):
    def broken(text, shapes):
        raise RuntimeError("simulated pyrudof failure")

    bad = HERE / "validation" / "score-problems.ttl"
    expected = check(collect([bad]), use_cache=False, engine="pyshacl")
    monkeypatch.setattr(shacl, "_run_rudof", broken)
    report = check(collect([bad]), use_cache=False, engine="auto")
    assert report.engine == "rudof"  # chosen, then replaced by pyshacl run by run
    assert report.rows() == expected.rows()
    with pytest.raises(DataError, match="pyrudof could not validate: simulated"):
        check(collect([bad]), use_cache=False, engine="rudof")
