"""Files that validate also load, and files that cannot load fail in one line (issue 20,
fault 5): a 17 MB literal passed ``tkg validate`` and then crashed ``tkg query --data`` with
``MemoryError: Reached the buffer maximal size of 16777216`` and a traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graph.backends.memory import MemoryBackend
from graph.cli import cli

HEADER = ("@prefix kb: <https://w3id.org/tkg/kb/> .\n"
          "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")
SIZE = 17 * 1024 * 1024  # over pyoxigraph's 16 MiB token buffer


@pytest.fixture(scope="module")
def big_literal(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.ttl"
    path.write_text(HEADER + 'kb:thing rdfs:comment "' + "x" * SIZE + '" .\n')
    return path


def test_a_huge_literal_validates(big_literal):
    result = CliRunner().invoke(cli, ["validate", str(big_literal)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("backend", ["oxigraph", "memory"])
def test_a_huge_literal_loads(big_literal, backend):
    query = "SELECT (STRLEN(?c) AS ?n) WHERE { kb:thing rdfs:comment ?c }"
    result = CliRunner().invoke(cli, ["query", query, "--data", str(big_literal), "--backend",
                                      backend, "--format", "csv", "--timeout", "300"])
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["n", str(SIZE)]


def test_deep_nesting_is_one_line_in_validate_and_load(tmp_path):
    path = tmp_path / "deep.ttl"
    path.write_text(HEADER + "kb:a kb:b " + "(" * 100_000 + ")" * 100_000 + " .\n")
    for args in (["validate", str(path)], ["query", "ASK {}", "--data", str(path)]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert result.output.startswith(f"error: {path}: ")
        assert "recursion" in result.output
        assert "Traceback" not in result.output and len(result.output.splitlines()) == 1


def test_nquads_lines_are_split_at_line_ends_only(tmp_path):
    # U+2028 is allowed raw inside an N-Quads literal and is not a line end; CRLF is.
    path = tmp_path / "odd.nq"
    path.write_bytes('<http://x/s> <http://x/p> "a\u2028b" <http://x/g> .\r\n'
                     '<http://x/s> <http://x/q> "c" <http://x/g> .\n'.encode())
    backend = MemoryBackend()
    backend.load(path, "nquads")
    rows = backend.execute("SELECT ?p ?o WHERE { GRAPH <http://x/g> { ?s ?p ?o } } "
                           "ORDER BY ?p").dicts()
    assert [(r["p"], r["o"]) for r in rows] == [("http://x/p", "a\u2028b"),
                                                 ("http://x/q", "c")]


def test_the_endpoint_serves_a_huge_literal(big_literal):
    pytest.importorskip("starlette")
    import httpx

    import graph
    from graph.server import running

    kg = graph.load([big_literal], backend="oxigraph")
    with running(kg, workers=1) as url, httpx.Client(timeout=120) as client:
        query = "SELECT (STRLEN(?c) AS ?n) WHERE { kb:thing rdfs:comment ?c }"
        rows = client.get(url, params={"query": query}).json()["results"]["bindings"]
        assert rows[0]["n"]["value"] == str(SIZE)
