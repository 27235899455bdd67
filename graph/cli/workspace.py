"""CLI commands: the workspace (init, build, status).

``tkg init`` creates a workspace, ``tkg build`` brings its store up to date and writes the
outputs, ``tkg status`` says which source files the store holds (:mod:`graph.workspace`,
:mod:`graph.store`, :mod:`graph.build`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.cli.options import chosen_workspace, graph_options, output_options, progress_reporter
from graph.output import emit

__all__ = ["build", "init", "status"]


@click.command()
@click.argument("folder", default=".", type=click.Path(path_type=Path))
@click.option("--empty", is_flag=True,
              help="Leave the bundled knowledge base out: only your own files are loaded.")
def init(folder: Path, empty: bool) -> None:
    """Create a workspace in FOLDER: tkg.toml, data/ for your sources, a short README.

    Commands run in FOLDER or below it then answer from this workspace: the bundled
    knowledge base (unless --empty) with your own files on top.

    Example: tkg init my-research
    """
    from graph.workspace import init_workspace

    ws = init_workspace(folder, empty=empty)
    click.echo(f"created workspace {ws.root}\n"
               f"add source files to {ws.root / 'data'}/, then run: tkg build")


@click.command()
@click.option("--out", "out", default=None, type=click.Path(path_type=Path),
              help="Folder for the outputs, replaced atomically (default: build/ in the "
                   "workspace, or here).")
@click.option("--store-only", is_flag=True,
              help="Only bring the workspace store up to date; write no outputs.")
@graph_options
def build(out: Path | None, store_only: bool, data, backend: str | None, no_cache: bool) -> None:
    """Check every file, update the store (only what changed) and write the outputs.

    In a workspace the store in .tkg/ is updated incrementally: each changed, added or
    removed file is revalidated and its graph replaced. A broken file changes nothing and
    exits non-zero with the file, line and value. Then the merged graph, the overview map
    and a summary are written to --out.

    Example: tkg build --out build
    """
    from graph.build import build as run_build
    from graph.summary import summary_text

    workspace = None if data or backend else chosen_workspace()
    with progress_reporter() as progress:
        if workspace is not None:
            from graph.store import build as build_store

            report = build_store(workspace, full=no_cache, use_cache=not no_cache,
                                 progress=progress)
            click.echo(_store_line(report), err=True)
            if store_only:
                return
            if out is None and workspace.root is not None:
                out = workspace.root / "build"
        result = run_build(out or Path("build"), list(data) or None, backend=backend,
                           use_cache=not no_cache, progress=progress, workspace=workspace)
    click.echo(summary_text(result))
    click.echo(f"wrote {', '.join(result['files'])} to {result['out']}/")


def _store_line(report: dict) -> str:
    if not report["changed"]:
        return f"store up to date ({report['triples']:,} triples, {report['claims']:,} claims)"
    return (f"store updated in {report['seconds']:.1f} s: {report['loaded']} file(s) loaded, "
            f"{report['removed']} removed, {report['unchanged']} unchanged "
            f"({report['triples']:,} triples, {report['claims']:,} claims)")


@click.command()
@click.option("--no-check", is_flag=True,
              help="Do not parse and validate changed files (faster; no 'invalid' state).")
@output_options
def status(no_check: bool, fmt: str) -> None:
    """Each source file of the workspace: loaded, changed, new, invalid or removed.

    Also the store's size and when it was built. Exit status 1 when the store does not
    match the files (run tkg build).

    Example: tkg status --format json
    """
    from graph.store import status as workspace_status

    with progress_reporter():
        report = workspace_status(chosen_workspace(), check=not no_check)
    if fmt == "json":
        import json

        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        emit(report["files"], fmt, columns=["file", "state", "claims", "triples", "error"])
        if fmt == "table":
            store = report["store"]
            click.echo(f"workspace: {report['workspace']}", err=True)
            click.echo("store: none yet (run tkg build)" if store is None else
                       f"store: {store['triples']:,} triples, {store['bytes'] / 1e6:.1f} MB, "
                       f"built {store['built']}", err=True)
    if report["store"] is None or any(f["state"] != "loaded" for f in report["files"]):
        sys.exit(1)

