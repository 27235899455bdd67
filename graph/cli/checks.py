"""CLI commands: checks of the data (validate, coverage).

``tkg validate`` checks data files against the SHACL shapes (:mod:`graph.validate`);
``tkg coverage`` counts, per section of each source, the paragraphs that claims cite
(:mod:`graph.coverage`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.cli.options import graph_options, load_graph, output_options, progress_reporter
from graph.output import emit

__all__ = ["coverage", "validate"]


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-cache", is_flag=True, help="Check every file again.")
@click.option("--engine", type=click.Choice(["auto", "pyshacl", "rudof"]), default="auto",
              show_default=True,
              help="SHACL engine: auto uses pyrudof where it is proven to agree with pyshacl.")
@output_options
def validate(paths, no_cache: bool, engine: str, fmt: str) -> None:
    """Check data files (default: the bundled data) against the SHACL shapes.

    Exit status: 0 valid, 1 violations, 2 unusable input.

    Example: tkg validate data/ocindex-2021-mali.ttl
    """
    from graph.validate import validate as run_validate

    with progress_reporter() as progress:
        report = run_validate(list(paths) or None, use_cache=not no_cache, progress=progress,
                              engine=engine)
    if fmt == "table":
        click.echo(report.summary())
    else:
        emit(report.rows(), fmt)
    sys.exit(0 if report.conforms else 1)


@click.command()
@click.option("--document", default=None, metavar="ID",
              help="Only this source document: its id (kb:doc-...), short name or title.")
@graph_options
@output_options
def coverage(document: str | None, data, backend: str, no_cache: bool, fmt: str) -> None:
    """Per section of each source: factual paragraphs and how many claims cite them.

    Columns: passages (paragraphs that state facts), cited (those a claim cites), uncited ¶
    (the paragraph numbers no claim cites yet), share cited (cited / passages, 1.00 = all).

    Example: tkg coverage --document kb:doc-ocindex-2021-mali
    """
    from graph.coverage import coverage as run_coverage
    from graph.layouts import options

    kg = load_graph(data, backend, no_cache)
    emit(run_coverage(kg, document), fmt, **options("coverage", fmt))

