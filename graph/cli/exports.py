"""CLI commands: exports (see graph.cli).

``tkg export`` parses its options and calls :func:`graph.exports.export`; the formats, their
options and every check live in the library. It is also a group, so that ``tkg export claims``
(in :mod:`graph.cli.curation`) can sit beside the formats without changing their usage.
"""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli.options import graph_options, load_graph, min_certainty_option

__all__ = ["export"]


@click.group("export", invoke_without_command=True)
@click.option("--format", "-f", "fmt", default=None, metavar="FORMAT",
              help="turtle, trig, nquads, json-ld, graphml, gexf, csv, ftm or neo4j "
                   "(default: from the file ending of --output).")
@click.option("--output", "-o", "output", type=click.Path(path_type=Path), default=None,
              help="File to write (a folder for csv and neo4j).")
@click.option("--network", default=None, metavar="NAME",
              help="graphml, gexf, csv: flows (default), actors, markets or full.")
@click.option("--commodity", default=None, metavar="NAME",
              help="graphml, gexf, csv: only flows of this commodity or a narrower one.")
@min_certainty_option("graphml, gexf, csv: only claims graded at least this certain.")
@click.option("--list", "list_", is_flag=True, help="List the export formats and exit.")
@graph_options
@click.pass_context
def export(ctx: click.Context, fmt: str | None, output: Path | None, network: str | None,
           commodity: str | None, min_certainty: str | None, list_: bool, data, backend: str,
           no_cache: bool) -> None:
    """Write the graph for other tools: RDF, Gephi/Cytoscape, spreadsheets, Aleph, Neo4j.

    `tkg export claims` writes one document's claims as a review workbook instead.

    Example: tkg export --format graphml --commodity cocaine -o cocaine.graphml
    """
    from graph import exports
    from graph.output import emit

    if ctx.invoked_subcommand is not None:
        return
    if list_:
        emit(exports.formats(), "table", columns=["name", "output", "summary", "options"])
        return
    if output is None:
        raise click.UsageError("give the file (or folder) to write with -o PATH")
    name = fmt or exports.format_for_path(output)
    exports.get(name)  # an unknown format fails before the graph is loaded
    kg = load_graph(data, backend, no_cache)
    written = exports.export(kg, name, output, network=network, commodity=commodity,
                             min_certainty=min_certainty)
    for path in written:
        click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
