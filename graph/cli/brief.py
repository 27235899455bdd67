"""CLI commands: country briefs (``tkg brief``), thin over :func:`graph.brief.write_brief`."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli.options import graph_options, load_graph

__all__ = ["brief"]


@click.command()
@click.argument("country")
@click.option("--edition", default="latest", show_default=True, metavar="YEAR|latest",
              help="Index edition: 2021, 2023, 2025, or the latest with figures.")
@click.option("--format", "fmt", type=click.Choice(["html", "md", "pdf"]), default=None,
              help="Output format (default: from the -o suffix, else html). pdf needs Chromium.")
@click.option("-o", "--output", "output", type=click.Path(path_type=Path), metavar="PATH",
              help="File to write; html and md go to standard output without it.")
@graph_options
def brief(country: str, edition: str, fmt: str | None, output: Path | None, data, backend: str,
          no_cache: bool) -> None:
    """Write a country brief: scores, ranks, markets, actors, resilience, neighbours, evidence.

    Every sentence is generated from the graph's claims and Index figures, worded after each
    claim's certainty grade, and cites the evidence appendix (document, section, paragraph,
    source reliability, corroboration; single-source claims flagged).

    Example: tkg brief Mali --edition 2021 --format pdf -o mali-2021.pdf
    """
    from graph.brief import brief as make_brief
    from graph.brief import write_brief
    from graph.errors import QueryError

    if output is None:
        if fmt == "pdf":
            raise QueryError("--format pdf needs -o FILE.pdf")
        kg = load_graph(data, backend, no_cache)
        click.echo(make_brief(kg, country, edition=edition, fmt=fmt or "html"), nl=False)
        return
    kg = load_graph(data, backend, no_cache)
    info = write_brief(kg, country, output, edition=edition, fmt=fmt)
    click.echo(f"wrote {info['path']}: {info['country']} {info['edition']}, "
               f"{info['claims']} claims, {info['citations']} appendix entries", err=True)
