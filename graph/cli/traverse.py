"""CLI commands: traverse (flows, routes, neighbours, who, country).

Each command parses its options, calls one public function of :mod:`graph.traverse` and
hands the rows to :func:`graph.output.emit`. Library modules are imported inside the
commands so that ``tkg --help`` stays fast.
"""

from __future__ import annotations

import click

from graph.cli.options import (
    commodity_option,
    complete_entities,
    graph_options,
    load_graph,
    min_certainty_option,
    output_options,
)
from graph.layouts import options
from graph.output import emit, emit_object

__all__ = ["country", "flows", "neighbours", "routes", "who"]

_PLACES = complete_entities("tkg:Place")


@click.command()
@commodity_option()
@click.option("--origin", default=None, metavar="P", shell_complete=_PLACES,
              help="Origin place (its parts match too).")
@click.option("--transit", default=None, metavar="P", shell_complete=_PLACES,
              help="Transit place (parts match too).")
@click.option("--destination", default=None, metavar="P", shell_complete=_PLACES,
              help="Destination place (parts match too).")
@click.option("--actor", default=None, metavar="A",
              shell_complete=complete_entities("tkg:Actor"),
              help="Only flows this actor is involved in.")
@min_certainty_option()
@click.option("--period", default=None, metavar="YEARS",
              help="Years the flow must overlap, e.g. 2021 or 2015-2021.")
@click.option("--min-lineages", default=None, type=click.IntRange(min=1), metavar="N",
              help="Only flows backed by at least N independent lineages of sources.")
@graph_options
@output_options
def flows(commodity, origin, transit, destination, actor, min_certainty, period, min_lineages,
          data, backend, no_cache, fmt) -> None:
    """List flows by commodity, place, actor, certainty and period.

    Example: tkg flows --commodity drugs --transit Mali --format json
    """
    from graph.traverse import flows as find_flows

    kg = load_graph(data, backend, no_cache)
    rows = find_flows(kg, commodity=commodity, origin=origin, transit=transit,
                      destination=destination, actor=actor, min_certainty=min_certainty,
                      period=period, min_lineages=min_lineages)
    emit(rows, fmt, **options("flows", fmt))


@click.command()
@click.argument("source", shell_complete=_PLACES)
@click.argument("target", shell_complete=_PLACES)
@commodity_option()
@min_certainty_option()
@click.option("--max-hops", default=6, show_default=True, help="Longest route searched (legs).")
@click.option("--limit", default=100, show_default=True, help="Most routes returned.")
@graph_options
@output_options
def routes(source, target, commodity, min_certainty, max_hops, limit, data, backend, no_cache,
           fmt) -> None:
    """Multi-leg routes from SOURCE to TARGET, chaining flows through shared places.

    Example: tkg routes "Latin America" Europe --commodity cocaine
    """
    from graph.traverse import routes as find_routes

    kg = load_graph(data, backend, no_cache)
    rows = find_routes(kg, source, target, commodity=commodity, min_certainty=min_certainty,
                       max_hops=max_hops, limit=limit)
    emit(rows, fmt, **options("routes", fmt))


@click.command()
@click.argument("entity", shell_complete=complete_entities())
@click.option("--depth", default=1, show_default=True, help="How many edges away to look.")
@min_certainty_option()
@graph_options
@output_options
def neighbours(entity, depth, min_certainty, data, backend, no_cache, fmt) -> None:
    """Entities within --depth edges of ENTITY, over every kind of edge.

    Example: tkg neighbours AQIM --depth 2
    """
    from graph.traverse import neighbours as find_neighbours

    kg = load_graph(data, backend, no_cache)
    rows = find_neighbours(kg, entity, depth=depth, min_certainty=min_certainty)
    emit(rows, fmt, **options("neighbours", fmt))


@click.command()
@click.argument("commodity_or_place", metavar="COMMODITY|PLACE",
                shell_complete=complete_entities("tkg:Commodity", "tkg:Place"))
@min_certainty_option()
@graph_options
@output_options
def who(commodity_or_place, min_certainty, data, backend, no_cache, fmt) -> None:
    """Actors involved in a commodity or at a place, with their roles.

    Example: tkg who cocaine --min-certainty reported
    """
    from graph.traverse import who as find_who

    kg = load_graph(data, backend, no_cache)
    rows = find_who(kg, commodity_or_place, min_certainty=min_certainty)
    emit(rows, fmt, **options("who", fmt))


@click.command()
@click.argument("name", shell_complete=complete_entities("tkg:Country"))
@min_certainty_option()
@graph_options
@output_options
def country(name, min_certainty, data, backend, no_cache, fmt) -> None:
    """A country profile: Index scores by edition, flows in, out and through it, actors.

    With --format json, prints one object; tables and CSV list one row per item.

    Example: tkg country Mali --format json
    """
    from graph.traverse import country as profile_of
    from graph.traverse import country_rows

    kg = load_graph(data, backend, no_cache)
    profile = profile_of(kg, name, min_certainty=min_certainty)
    if fmt == "json":
        emit_object(profile)
        return
    emit(country_rows(profile), fmt, **options("country", fmt))
