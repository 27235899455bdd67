"""Optional dependencies: what the Quickstart installs works; the rest says how to get it."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import MissingExtra
from graph.extras import EXTRAS, need

ROOT = Path(__file__).resolve().parents[1]


def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_server_is_installed_by_the_quickstart():
    # `pip install .` must give a working `tkg serve`: its packages are default dependencies.
    names = {d.split(">")[0].split("=")[0].strip() for d in project()["dependencies"]}
    assert {"starlette", "uvicorn"} <= names


def test_extras_named_in_hints_exist_in_pyproject():
    declared = project()["optional-dependencies"]
    for extra, packages in EXTRAS.items():
        assert extra in declared
        listed = {d.split(">")[0].split("=")[0].strip() for d in declared[extra]}
        assert set(packages) <= listed | {"starlette", "uvicorn"}


def test_frame_without_pandas_gives_the_install_hint(kg, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    hint = r"kg\.frame\(\) needs pandas.*pip install '\.\[pandas\]'"
    with pytest.raises(MissingExtra, match=hint):
        kg.frame("flows-per-commodity")


def test_serve_without_the_server_packages_is_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "starlette", None)
    result = CliRunner().invoke(cli, ["serve", "--port", "0"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: tkg serve needs starlette, which is not installed: pip install '.[server]' "
        "(in a clone of the repository; or pip install 'trafficking-kg[server]')")


def test_need_returns_the_module():
    assert need("json", "pandas", "x").dumps([1]) == "[1]"
