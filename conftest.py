"""Shared pytest setup: an isolated cache, the bundled graph for tests and doctests.

Lives at the repository root so that it serves both ``tests/`` and the doctests in
``graph/`` (``pytest --doctest-modules``), as networkx's conftest does.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
#: The read-only material next to the project (sources, the Index workbook), if present.
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_configure(config: pytest.Config) -> None:
    # Tests never read or write the user's cache.
    if "TKG_CACHE_DIR" not in os.environ:
        os.environ["TKG_CACHE_DIR"] = tempfile.mkdtemp(prefix="tkg-test-cache-")


def require(condition: bool, reason: str) -> None:
    """Skip the calling test when ``condition`` is false, except under CI where it must hold.

    Tests that need what a user's clone may lack (``../shared``, a browser, a SPARQL server)
    call this; with ``CI=true`` a missing requirement is a failure, not a skip.
    """
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _checkout_store() -> None:
    """Build this checkout's workspace store once, before any test runs a command.

    A command that finds the store missing or stale rebuilds it first and says so on
    standard error, which a test reading a command's JSON output would otherwise see.
    """
    from graph.store import build
    from graph.workspace import read_workspace

    build(read_workspace(ROOT))


@pytest.fixture(scope="session")
def kg():
    """The bundled knowledge base as every command opens it: this checkout's workspace store
    (on disk, Oxigraph, read-only), built on first use."""
    import graph

    return graph.open()


@pytest.fixture(scope="session")
def kg_memory():
    """The bundled ontology and data in the rdflib memory backend."""
    import graph

    return graph.load(backend="memory")


@pytest.fixture(scope="session")
def kg_oxigraph():
    """The bundled graph in the Oxigraph backend."""
    import graph

    return graph.load(backend="oxigraph")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` (skips outside CI when missing)."""
    require(SHARED.is_dir(), f"{SHARED} is not present (sources and Index workbook)")
    return SHARED


@pytest.fixture(autouse=True)
def _doctest_graph(request: pytest.FixtureRequest, doctest_namespace: dict) -> None:
    # Doctests use `kg` without loading it themselves (networkx's conftest does the same
    # with `nx`); loaded once per session and only for doctests.
    if isinstance(request.node, pytest.DoctestItem):
        doctest_namespace["kg"] = request.getfixturevalue("kg")
