"""``tkg query`` safety: no outbound requests, a time limit, a row cap, Ctrl-C (issue 20).

An outside test found that ``tkg query`` with ``SERVICE <http://127.0.0.1:.../>`` really sent
the request (both backends) and then printed a traceback, that Ctrl-C was ignored during a
long query, and that an update got a confusing "expected CONSTRUCT".
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from servers import children

from graph.cli import cli

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture
def listener():
    """A loopback socket that counts the connections made to it (and answers nothing)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(2)
                try:
                    seen.append(connection.recv(4096))
                except OSError:
                    seen.append(b"")
                connection.sendall(b"HTTP/1.1 500 No\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join(timeout=5)
    server.close()


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_service_is_refused_without_a_request(listener, backend):
    port, seen = listener
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    result = CliRunner().invoke(cli, ["query", query, "--backend", backend])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: SERVICE is refused (found SERVICE "
                                    f"<http://127.0.0.1:{port}/sparql>)")
    assert "--allow-service" in result.output
    assert "Traceback" not in result.output
    time.sleep(0.3)
    assert seen == []


def test_service_in_a_query_file_is_refused(listener, tmp_path):
    port, seen = listener
    path = tmp_path / "remote.rq"
    path.write_text(f"# summary: asks elsewhere\nASK {{ SERVICE <http://127.0.0.1:{port}/> "
                    "{ ?s ?p ?o } }\n")
    result = CliRunner().invoke(cli, ["query", str(path)])
    assert result.exit_code == 2 and "SERVICE is refused" in result.output
    assert seen == []


def test_allow_service_lets_the_request_through(listener):
    port, seen = listener
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    result = CliRunner().invoke(cli, ["query", query, "--allow-service", "--timeout", "30"])
    # The listener answers 500: the query fails, in one line.
    assert result.exit_code != 0
    assert result.output.startswith("error: ")
    assert "Traceback" not in result.output
    assert seen and seen[0].startswith((b"POST /sparql", b"GET /sparql"))


def test_an_update_is_named_as_such():
    result = CliRunner().invoke(cli, ["query", "DELETE WHERE { ?s ?p ?o }"])
    assert result.exit_code == 2
    assert "this is a SPARQL Update, not a query" in result.output
    assert "--update-token-env" in result.output


def test_max_rows_cuts_the_answer():
    query = "SELECT ?c WHERE { ?c a tkg:Country } ORDER BY ?c"
    result = CliRunner().invoke(cli, ["query", query, "--max-rows", "5", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "c" and len(lines) == 6
    assert "(cut to 5 rows: --max-rows)" in result.stderr
    named = CliRunner().invoke(cli, ["query", "flows", "--param", "commodity=cocaine",
                                     "--max-rows", "2", "--format", "csv"])
    assert named.exit_code == 0 and len(named.stdout.splitlines()) == 3


def test_timeout_stops_a_long_query():
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["query", SLOW, "--timeout", "1"])
    assert result.exit_code == 2
    assert "ran longer than the time limit of 1 s and was stopped" in result.output
    assert time.monotonic() - started < 30



@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to see the query process")
def test_ctrl_c_stops_a_long_query_at_once():
    process = subprocess.Popen([sys.executable, "-m", "graph", "query", SLOW, "--timeout", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not children(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        (child,) = children(process.pid)
        time.sleep(1.0)  # the query is running in the child now
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        started = time.monotonic()
        _, errors = process.communicate(timeout=30)
        assert time.monotonic() - started < 5
        assert process.returncode == 130
        assert errors.strip().endswith("interrupted")
        assert "Traceback" not in errors
        assert not Path(f"/proc/{child}").exists() or \
            Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
