"""``tkg serve`` (graph.cli.server): options, refusals, a real start and a clean stop."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from servers import children

httpx = pytest.importorskip("httpx")
pytest.importorskip("uvicorn")

from benchmarks.bench_server import started_server  # noqa: E402

from graph.cli import cli  # noqa: E402


@pytest.mark.parametrize(("args", "env", "match"), [
    (["--update-token-env", "TKG_TEST_NO_SUCH_VARIABLE"], {},
     "environment variable TKG_TEST_NO_SUCH_VARIABLE is not set or empty"),
    (["--update-token-env", "TKG_TEST_EMPTY"], {"TKG_TEST_EMPTY": " "},
     "environment variable TKG_TEST_EMPTY is not set or empty"),
    (["--backend", "http://127.0.0.1:9/sparql", "--data", "data"], {},
     "--data cannot be combined with the remote store http://127.0.0.1:9/sparql"),
    (["--timeout", "0"], {}, "x>=0.001"),
    (["--port", "70000"], {}, "0<=x<=65535"),
])
def test_serve_refuses_bad_options(args, env, match):
    result = CliRunner().invoke(cli, ["serve", *args], env=env)
    assert result.exit_code == 2
    assert match in result.output


def test_serve_help_shows_an_example():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "Example: tkg serve --port 8000" in result.output



def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the workers")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_serve_starts_answers_and_leaves_no_worker_behind(stop):
    env = {"TKG_TEST_TOKEN": "command-test-token"}
    with started_server("--backend", "oxigraph", "--workers", "2",
                        "--update-token-env", "TKG_TEST_TOKEN", env=env) as (url, process):
        assert url.startswith("http://127.0.0.1:")
        with httpx.Client(timeout=30) as client:
            answer = client.get(url, params={"query": "ASK { place:MLI a tkg:Country }"})
            assert answer.json()["boolean"] is True
            update = client.post(url, content=b"INSERT DATA { place:MLI rdfs:comment 'c' }",
                                 headers={"Content-Type": "application/sparql-update",
                                          "Authorization": "Bearer command-test-token"})
            assert update.status_code == 204
        workers = [pid for pid in children(process.pid) if _alive(pid)]
        assert len(workers) >= 2  # the workers (and multiprocessing's resource tracker)
        # The token is read from the environment, never shown in the command line.
        assert "command-test-token" not in Path(f"/proc/{process.pid}/cmdline").read_text()
        os.kill(process.pid, stop)
        process.wait(timeout=30)
        if stop == signal.SIGTERM:
            # uvicorn shuts down gracefully, then re-raises the signal it caught.
            assert process.returncode in (0, -signal.SIGTERM)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers)


def test_serve_a_given_store(tmp_path):
    import pyoxigraph as ox

    path = tmp_path / "store"
    store = ox.Store(str(path))
    store.add(ox.Quad(ox.NamedNode("https://w3id.org/tkg/kb/x"),
                      ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("from the store"), ox.NamedNode("https://w3id.org/tkg/kb/g")))
    store.flush()
    del store
    with started_server("--store", str(path), "--workers", "1") as (url, _process), \
            httpx.Client(timeout=30) as client:
        answer = client.get(url, params={"query": "SELECT ?l WHERE { kb:x rdfs:label ?l }"})
        rows = answer.json()["results"]["bindings"]
        assert [r["l"]["value"] for r in rows] == ["from the store"]
        count = client.get(url, params={"query": "ASK { place:MLI a tkg:Country }"})
        assert count.json()["boolean"] is False  # the bundled data is not what is served
