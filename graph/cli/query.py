"""CLI commands: questions to the graph (query, search).

``tkg query`` runs a named query (:mod:`graph.query`), a .rq file or SPARQL text under the
same guards as the endpoint (:mod:`graph.guarded`); ``tkg search`` finds entities by name.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.cli.options import graph_options, load_graph, output_options
from graph.output import emit

__all__ = ["query", "search"]


@click.command()
@click.argument("query", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="Query parameter (repeatable).")
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds the query may run (0: no limit); Ctrl-C stops it at once.")
@click.option("--max-rows", default=None, type=click.IntRange(min=1),
              help="Print at most this many rows (or triples); a note says when cut.")
@click.option("--allow-service", is_flag=True,
              help="Let SERVICE clauses send requests to other servers (refused otherwise).")
@graph_options
@output_options
def query(query: str | None, params, list_: bool, timeout: float, max_rows: int | None,
          allow_service: bool, data, backend: str, no_cache: bool, fmt: str) -> None:
    """Run a named query, a .rq file, or SPARQL from standard input (-).

    Example: tkg query flows --param commodity=cocaine --format json
    """
    from graph import query as named
    from graph.guarded import answer, check_sparql, run_limited

    if list_:
        emit(({"name": q.name, "summary": q.summary,
               "parameters": ", ".join(f"{p.name} ({p.type}{', required' if p.required else ''})"
                                       for p in q.parameters)}
              for q in named.list_queries()), fmt)
        return
    if not query:
        raise click.UsageError("give a query name, a .rq file or - (or use --list)")
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        values[key.strip()] = value
    text = sys.stdin.read() if query == "-" else None
    if text is None and not query.endswith(".rq") \
            and not all(c.isalnum() or c in "-_" for c in query):
        text = query
    if text is not None and values:
        raise click.UsageError("--param works with named queries and .rq files only")
    if text is not None:
        sparql = check_sparql(text, allow_service=allow_service, max_rows=max_rows)
    elif query.endswith(".rq") and Path(query).is_file():
        check_sparql(Path(query).read_text(encoding="utf-8"), allow_service=allow_service)
    kg = load_graph(data, backend, no_cache)
    if text is None:
        rows = run_limited(kg.query, query, values, timeout=timeout or None)
        cut = max_rows is not None and len(rows) > max_rows
        emit(rows[:max_rows] if cut else rows, fmt)
    else:
        _kind, payload, cut = run_limited(answer, kg, sparql, fmt, max_rows,
                                         timeout=timeout or None)
        if isinstance(payload, list):
            emit(payload, "table")
        else:
            sys.stdout.buffer.write(payload)
    if cut:
        click.echo(f"(cut to {max_rows} rows: --max-rows)", err=True)


@click.command()
@click.argument("text")
@click.option("--limit", default=50, show_default=True, help="Maximum number of results.")
@graph_options
@output_options
def search(text: str, limit: int, data, backend: str, no_cache: bool, fmt: str) -> None:
    """Find entities whose label, alternative label or description contains TEXT.

    Example: tkg search "islamic state"
    """
    kg = load_graph(data, backend, no_cache)
    emit(kg.search(text, limit), fmt, columns=["label", "type", "prefixed", "id"])

