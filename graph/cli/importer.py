"""CLI commands: ``tkg import ocindex`` (see :mod:`graph.importer`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.cli.options import output_options
from graph.output import emit

__all__ = ["import_", "ocindex"]


@click.group(name="import")
def import_() -> None:
    """Turn external data sets into Turtle the graph can load.

    Example: tkg import ocindex global_oc_index.xlsx --out ocindex.ttl
    """


@import_.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Turtle file to write (replaced atomically); standard output if omitted.")
@click.option("--countries", default=None, metavar="ISO3,...",
              help="Only these countries (ranks are still taken among all of them).")
@click.option("--known", multiple=True, type=click.Path(path_type=Path), metavar="PATH",
              help="Data file whose score observations take precedence: same values are left "
                   "out, different values are an error (repeatable).")
@output_options
def ocindex(workbook: Path, out: Path | None, countries: str | None, known, fmt: str) -> None:
    """Import the Global Organized Crime Index dataset workbook (2021 and 2023 sheets).

    Writes every indicator score, the printed averages and the derived world, continent and
    sub-region ranks as Data Cube observations, then a summary per edition; printed averages
    that differ from the recomputed mean are listed as warnings. A broken workbook is an error
    naming sheet, row and column, and nothing is written.

    Example: tkg import ocindex global_oc_index.xlsx --countries MLI,NER --out scores.ttl
    """
    from graph.importer import import_ocindex

    selected = None if countries is None else countries.replace(" ", ",").split(",")
    report = import_ocindex(workbook, out, selected, known=known)
    if out is None:
        sys.stdout.buffer.write(report.turtle())
        sys.stdout.flush()
        stream = sys.stderr
    else:
        stream = sys.stdout
    emit(report.rows(), fmt, stream=stream)
    if fmt == "table":
        click.echo(report.summary(), file=stream)
    else:
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
