"""docs/json.md documents the --format json keys of every command; each is checked here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli

DOC = Path(__file__).resolve().parents[1] / "docs" / "json.md"
SHAPES = Path(__file__).parent / "data" / "shapes"
BULLET = re.compile(r"^- ((?:`[^`]+`(?:, )?)+)(?:\.\.\.)?:")


def documented() -> dict[str, set[str]]:
    """Section title ("flows", "analyze compare") -> the keys its bullets name."""
    sections: dict[str, set[str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## `tkg ([a-z ]+?)(?: --[a-z-]+)?`$", line)
        if heading:
            current = sections.setdefault(heading.group(1), set())
        elif current is not None and (bullet := BULLET.match(line)):
            current.update(re.findall(r"`([^`]+)`", bullet.group(1)))
    return sections


def run(args):
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output  # validate exits 1 on violations
    return json.loads(result.output)


def keys_of(row) -> set[str]:
    # Edition years (compare) are documented as examples of one family of keys.
    return {"<year>" if k.isdigit() else k for k in row}


def expected(keys: set[str]) -> set[str]:
    return {"<year>" if k.isdigit() else k for k in keys}


COMMANDS = {
    "flows": ["flows", "--commodity", "cocaine"],
    "routes": ["routes", "Libya", "Mali", "--commodity", "arms"],
    "who": ["who", "cocaine"],
    "neighbours": ["neighbours", "AQIM"],
    "country": ["country", "Mali"],
    "analyze convergence": ["analyze", "convergence"],
    "analyze brokers": ["analyze", "brokers"],
    "analyze chokepoints": ["analyze", "chokepoints"],
    "analyze compare": ["analyze", "compare", "Mali", "Niger"],
    "search": ["search", "aqim"],
    "coverage": ["coverage", "--document", "kb:doc-ocindex-2021-mali"],
    "validate": ["validate", str(SHAPES / "Place-lat-invalid-01.ttl")],
    "query": ["query", "flows", "--param", "commodity=cocaine"],
}


def test_every_command_with_json_is_documented():
    sections = documented()
    assert set(COMMANDS) | {"viz", "generate", "bench"} <= set(sections)
    assert all(sections.values())


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_json_matches_the_documented_keys(name):
    data = run(COMMANDS[name])
    keys = expected(documented()[name])
    rows = [data] if isinstance(data, dict) else data
    assert rows, name
    for row in rows:
        assert keys_of(row) == keys, (name, keys_of(row) ^ keys)


def test_nested_conventions_hold():
    flow = run(COMMANDS["flows"])[0]
    assert set(flow["commodity"]) == {"id", "label"}  # ref
    assert set(flow["certainty"]) == {"id", "label", "level"}  # grade
    assert set(flow["sources"][0]) == {"passage", "document", "title", "section",
                                       "paragraph", "label"}  # source
    route = run(COMMANDS["routes"])[0]
    assert set(route["hops"][0]) == {"from", "to", "flow", "commodity", "certainty", "leg"}
    pair = run(COMMANDS["analyze chokepoints"])[0]["pairs"][0]
    assert set(pair) == {"origin", "destination", "label", "path", "flows"}


def test_viz_and_generate(tmp_path):
    viz = run(["viz", "--country", "Mali", "-o", str(tmp_path / "m.html")])
    assert [set(r) for r in viz] == [documented()["viz"]]
    generated = run(["generate", "--triples", "1k", "--seed", "1", "-o",
                     str(tmp_path / "s.nt")])
    assert [set(r) for r in generated] == [documented()["generate"]]


def test_bench_cold_query():
    (row,) = run(["bench", "--cold-query", "--repeat", "1"])
    assert set(row) == documented()["bench"]
