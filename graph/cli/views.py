"""CLI commands: views (``tkg viz``), a thin skin over :func:`graph.views.view`."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli.options import graph_options, load_graph, min_certainty_option, output_options
from graph.output import emit

__all__ = ["viz"]


@click.command()
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              metavar="FILE.html", help="The HTML file to write (one self-contained page).")
@click.option("--commodity", metavar="NAME", help="Only flows of this commodity or a narrower one.")
@click.option("--country", metavar="NAME", help="Only flows through this country or region.")
@click.option("--actor", metavar="NAME", help="The ego network of this actor.")
@click.option("--layout", type=click.Choice(["geo", "force"]), default="geo", show_default=True,
              help="geo: places at their coordinates (a route map); force: spring layout.")
@min_certainty_option()
@click.option("--title", metavar="TEXT", help="Page title (default: made from the selection).")
@graph_options
@output_options
def viz(output: Path, commodity, country, actor, layout: str, min_certainty, title, data,
        backend: str, no_cache: bool, fmt: str) -> None:
    """Write an interactive network view (HTML, works offline) of the graph's flows.

    Lines are coloured by commodity, dashed when less certain and wider for more flows;
    hover over one for the claims, their certainty and their sources.

    Example: tkg viz --country Mali --layout geo -o mali.html
    """
    from graph.views import view

    kg = load_graph(data, backend, no_cache)
    info = view(kg, output, commodity=commodity, country=country, actor=actor, layout=layout,
                min_certainty=min_certainty, title=title)
    emit([info], fmt)
