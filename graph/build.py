"""The main job: load and validate everything, then write the merged graph, views and summary.

Outputs are written to a staging folder next to the target and swapped in at the end, so a
build that fails (bad data, full disk) leaves the previous outputs untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from graph.load import load
from graph.summary import summary, summary_text

__all__ = ["build"]


def _write_turtle(kg, path: Path) -> None:
    from rdflib import Dataset, Graph

    from graph.namespaces import bind

    dataset = Dataset()
    dataset.parse(path.with_name("graph.nq"), format="nquads")
    merged = bind(Graph())
    for context in dataset.graphs():
        merged += context
    merged.serialize(destination=str(path), format="longturtle")


def _write_views(kg, folder: Path, progress) -> list[str]:
    """Write the interactive overview if the views are available; return the files written."""
    try:
        from graph.views import overview
    except ImportError:
        return []
    if progress:
        progress("drawing the overview view")
    path = folder / "overview.html"
    overview(kg, path)
    return [path.name]


def _swap(staging: Path, out: Path) -> None:
    """Replace ``out`` with ``staging`` so that readers never see a half-written folder."""
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        if old.exists():
            shutil.rmtree(old)
        os.replace(out, old)
        os.replace(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)


def build(out: str | Path = "build", paths: Iterable[str | Path] | None = None, *,
          backend: str | None = None, use_cache: bool = True,
          progress: Callable[[str], None] | None = None, workspace=None) -> dict[str, Any]:
    """Load, validate and write the graph, the overview view and a summary into ``out``.

    With neither ``paths`` nor ``backend`` the graph is the workspace store (``workspace``,
    default: the one of the current folder), brought up to date first; otherwise the files
    are loaded in memory (see :func:`graph.load`).

    Writes ``graph.nq`` (N-Quads, one named graph per source file plus the derived
    shortcuts), ``graph.ttl`` (the merged graph in Turtle), ``summary.json`` and
    ``summary.txt`` (counts per class, flows per commodity, countries, claims per certainty
    grade, source coverage) and ``overview.html``.

    Returns
    -------
    dict
        The summary, plus ``"out"`` (the folder) and ``"files"`` (names written).

    Raises
    ------
    graph.errors.ValidationFailed
        If the data breaks the shapes; ``out`` is left as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> result = build(pathlib.Path(tempfile.mkdtemp()) / "out")
    >>> sorted(result["files"])[:3]
    ['graph.nq', 'graph.ttl', 'overview.html']
    """
    out = Path(out)
    if paths is None and backend is None:
        from graph.load import open

        kg = open(workspace, rebuild="always", progress=progress)
    else:
        kg = load(paths, backend=backend or "oxigraph", validate=True, use_cache=use_cache,
                  progress=progress)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        if progress:
            progress("writing graph.nq and graph.ttl")
        kg.serialize(staging / "graph.nq", "nquads")
        _write_turtle(kg, staging / "graph.ttl")
        files = ["graph.nq", "graph.ttl"]
        files += _write_views(kg, staging, progress)
        if progress:
            progress("summarising")
        data = summary(kg)
        (staging / "summary.json").write_text(
            json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        (staging / "summary.txt").write_text(summary_text(data) + "\n", encoding="utf-8")
        files += ["summary.json", "summary.txt"]
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {**data, "out": str(out), "files": files}
