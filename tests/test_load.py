"""Loading: file collection, the cache and its invalidation, bad input, the three backends."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import graph
from graph import cache
from graph.errors import DataError, ParseError, UnknownName, ValidationFailed
from graph.resources import bundled_data_files
from graph.sources import collect

SHAPES = Path(__file__).parent / "data" / "shapes"
VALID = SHAPES / "Flow-commodity-valid.ttl"
INVALID = SHAPES / "Flow-commodity-invalid-01.ttl"


@pytest.fixture()
def private_cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("TKG_CACHE_DIR", str(folder))
    return folder


def test_collect_lists_ontology_then_bundled_data():
    files = collect()
    assert files[0].path.name == "tkg.ttl" and all(f.reference for f in files[:5])
    assert [f.path for f in files if not f.reference] == bundled_data_files()
    assert len({f.graph for f in files}) == len(files)


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.ttl", "no such file or folder"),
    (lambda d: (d / "notes.txt").write_text("x") and d / "notes.txt", "unknown RDF file type"),
    (lambda d: (d / "empty").mkdir() or d / "empty", "folder contains no RDF files"),
])
def test_bad_paths_are_named(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(DataError, match=message) as info:
        collect([path])
    assert str(path) in str(info.value)


def test_two_files_with_one_name_are_refused(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(VALID, tmp_path / "a" / "x.ttl")
    shutil.copy(VALID, tmp_path / "b" / "x.ttl")
    with pytest.raises(DataError, match="same file name"):
        collect([tmp_path / "a" / "x.ttl", tmp_path / "b" / "x.ttl"])


def test_load_gives_flows_with_derived_legs(private_cache):
    kg = graph.load([VALID])
    legs = kg.query("flow-legs")
    # origin Libya -> route Niger -> destination Mali: two legs, in order
    assert [(r["index"], kg.label(r["from"]), kg.label(r["to"])) for r in legs] == \
        [(1, "Libya", "Niger"), (2, "Niger", "Mali")]
    reached = kg.query("reachable", source="Libya")
    assert reached == [{"place": kg.resolve("Mali"), "label": "Mali"},
                       {"place": kg.resolve("Niger"), "label": "Niger"}]


def test_syntax_error_names_file_and_line(tmp_path, private_cache):
    bad = tmp_path / "bad.ttl"
    text = VALID.read_text().replace("tkg:commodity com:cocaine ;", "tkg:commodity com:cocaine")
    bad.write_text(text)
    with pytest.raises(ParseError, match=rf"{bad}:\d+"):
        graph.load([bad])


def test_invalid_data_is_refused_and_not_cached(private_cache):
    with pytest.raises(ValidationFailed, match="Flow-commodity") as info:
        graph.load([INVALID])
    assert info.value.report.violations[0].file == str(INVALID)
    assert not list(private_cache.glob("*.nq"))


def test_unknown_backend_lists_known_ones(private_cache):
    with pytest.raises(UnknownName, match="known backends: memory, oxigraph, remote"):
        graph.load([VALID], backend="postgres")


def test_cache_is_reused_and_invalidated_by_any_change(tmp_path, private_cache):
    data = tmp_path / "flow.ttl"
    shutil.copy(VALID, data)
    calls = []
    kg = graph.load([data], progress=calls.append)
    assert any(c.startswith("deriving") for c in calls)
    entries = sorted(private_cache.glob("*.nq"))
    assert len(entries) == 1

    calls.clear()
    graph.load([data], progress=calls.append)
    assert calls == ["reading cached graph"]

    data.write_text(data.read_text().replace("com:cocaine", "com:heroin"))
    calls.clear()
    kg2 = graph.load([data], progress=calls.append)
    assert "reading cached graph" not in calls
    assert len(list(private_cache.glob("*.nq"))) == 2
    assert kg2.query("flows", commodity="heroin") and not kg.query("flows", commodity="heroin")


def test_no_cache_rebuilds_without_writing(tmp_path, private_cache):
    graph.load([VALID], use_cache=False)
    assert not list(private_cache.glob("*.nq"))


@pytest.mark.parametrize("query, params", [
    ("flows", {"commodity": "drugs"}),
    ("flow-legs", {}),
    ("country-scores", {"country": "Mali"}),
    ("actors-by-market", {}),
    ("passages", {}),
    ("claims-by-certainty", {}),
])
def test_backends_give_the_same_answers(kg, kg_oxigraph, query, params):
    def canon(rows):
        return sorted(tuple(sorted((k, str(v)) for k, v in r.items())) for r in rows)

    memory = canon(kg.query(query, params))
    assert memory, f"{query} returned nothing on the bundled data"
    assert memory == canon(kg_oxigraph.query(query, params))


def test_same_triple_count_in_both_backends(kg, kg_oxigraph):
    assert len(kg) == len(kg_oxigraph) > 5000


def test_cache_entries_are_written_atomically(tmp_path):
    target = tmp_path / "entry.json"
    cache.write_json(target, {"a": 1})
    assert cache.read_json(target) == {"a": 1}
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    assert cache.read_json(tmp_path / "missing.json") is None


def test_restated_declarations_are_one_triple_in_every_backend(kg, kg_oxigraph):
    # AQIM is declared in several source files; the union of the files is a set of triples.
    query = "SELECT ?label WHERE { ?actor rdfs:label ?label }"
    aqim = kg.resolve("AQIM")
    assert len(kg.query(query, actor=aqim)) == 1
    assert len(kg_oxigraph.query(query, actor=aqim)) == 1
    names_memory, names_oxigraph = kg.query("_entity-names"), kg_oxigraph.query("_entity-names")
    assert len(names_memory) == len(names_oxigraph)


def test_a_named_query_on_the_workspace_store_never_imports_rdflib():
    # rdflib costs a cold command more than the query itself on the bundled data: the query
    # path (import graph, open the store, resolve a parameter, run a named query, print) and
    # traversal stay without it; validation and rdflib-backed exports import it when used.
    import subprocess
    import sys

    code = ("import sys, graph; kg = graph.open(); "
            "rows = kg.query('flows', commodity='cocaine'); "
            "from graph.traverse import flows; found = flows(kg, commodity='cocaine'); "
            "print(len(rows) > 0, len(found) > 0, 'rdflib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).parent.parent, check=True)
    assert done.stdout.split() == ["True", "True", "False"], done.stderr
