"""CLI commands: traverse and analyse (flows, routes, neighbours, who, country, analyze).

Each command parses its options, calls one public function of :mod:`graph.traverse` or
:mod:`graph.analysis` and hands the rows to :func:`graph.output.emit`. Library modules are
imported inside the commands so that ``tkg --help`` stays fast.
"""

from __future__ import annotations

import click

from graph.cli import cli, complete_entities, graph_options, load_graph, output_options
from graph.layouts import options
from graph.output import emit, emit_object

_PLACES = complete_entities("tkg:Place")
_CERTAINTY = click.option("--min-certainty", "min_certainty", default=None, metavar="GRADE",
                          shell_complete=complete_entities("tkg:CertaintyGrade"),
                          help="Lowest certainty grade kept (confirmed, reported, likely, "
                               "suspected, unsubstantiated).")
_COMMODITY = click.option("--commodity", default=None, metavar="C",
                          shell_complete=complete_entities("tkg:Commodity"),
                          help="Commodity; narrower ones match too (drugs finds cocaine).")


@cli.command()
@_COMMODITY
@click.option("--origin", default=None, metavar="P", shell_complete=_PLACES,
              help="Origin place (its parts match too).")
@click.option("--transit", default=None, metavar="P", shell_complete=_PLACES,
              help="Transit place (parts match too).")
@click.option("--destination", default=None, metavar="P", shell_complete=_PLACES,
              help="Destination place (parts match too).")
@click.option("--actor", default=None, metavar="A",
              shell_complete=complete_entities("tkg:Actor"),
              help="Only flows this actor is involved in.")
@_CERTAINTY
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


@cli.command()
@click.argument("source", shell_complete=_PLACES)
@click.argument("target", shell_complete=_PLACES)
@_COMMODITY
@_CERTAINTY
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


@cli.command()
@click.argument("entity", shell_complete=complete_entities())
@click.option("--depth", default=1, show_default=True, help="How many edges away to look.")
@_CERTAINTY
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


@cli.command()
@click.argument("commodity_or_place", metavar="COMMODITY|PLACE",
                shell_complete=complete_entities("tkg:Commodity", "tkg:Place"))
@_CERTAINTY
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


@cli.command()
@click.argument("name", shell_complete=complete_entities("tkg:Country"))
@_CERTAINTY
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


@cli.group()
def analyze() -> None:
    """Analyses: convergence, brokers, chokepoints, compare, duplicates, copying.

    Example: tkg analyze convergence --k 4
    """


@analyze.command()
@click.option("--k", "k", default=2, show_default=True,
              help="Minimum number of markets (or commodities).")
@click.option("--by", type=click.Choice(["market", "commodity"]), default="market",
              show_default=True, help="What is counted.")
@click.option("--of", "of", type=click.Choice(["actor", "place"]), default="actor",
              show_default=True, help="Actors or places.")
@click.option("--include-parts", is_flag=True,
              help="For places: count claims in their parts too.")
@_CERTAINTY
@graph_options
@output_options
def convergence(k, by, of, include_parts, min_certainty, data, backend, no_cache, fmt) -> None:
    """Actors (or places) spanning at least K markets or commodities.

    Example: tkg analyze convergence --k 4 --format json
    """
    from graph.analysis import convergence as run

    kg = load_graph(data, backend, no_cache)
    rows = run(kg, k=k, by=by, of=of, min_certainty=min_certainty, include_parts=include_parts)
    emit(rows, fmt, **options(f"convergence-{of}", fmt))


@analyze.command()
@_COMMODITY
@_CERTAINTY
@click.option("--top", default=None, type=int, help="Only the first N places.")
@graph_options
@output_options
def brokers(commodity, min_certainty, top, data, backend, no_cache, fmt) -> None:
    """Places ranked by betweenness centrality on the flow network.

    Example: tkg analyze brokers --commodity drugs
    """
    from graph.analysis import brokers as run

    kg = load_graph(data, backend, no_cache)
    rows = run(kg, commodity=commodity, min_certainty=min_certainty, top=top)
    emit(rows, fmt, **options("brokers", fmt))


@analyze.command()
@_COMMODITY
@_CERTAINTY
@click.option("--top", default=None, type=int, help="Only the first N places.")
@graph_options
@output_options
def chokepoints(commodity, min_certainty, top, data, backend, no_cache, fmt) -> None:
    """Places whose removal cuts the most origin-to-destination pairs of flows.

    A pair is a flow's first and last stop; removing a place cuts it when every path
    between them in the flow network passes through that place. Each row names the place
    removed, the pairs it cuts with a path through it and the flows stating them.

    Example: tkg analyze chokepoints --commodity cocaine
    """
    from graph.analysis import chokepoints as run

    kg = load_graph(data, backend, no_cache)
    rows = run(kg, commodity=commodity, min_certainty=min_certainty, top=top)
    emit(rows, fmt, **options("chokepoints", fmt))


@analyze.command()
@click.argument("countries", nargs=-1, required=True, metavar="COUNTRY...",
                shell_complete=complete_entities("tkg:Country"))
@click.option("--edition", "editions", multiple=True, type=int, metavar="YEAR",
              help="Edition to show (repeatable; default: all).")
@click.option("--indicator", "indicators", multiple=True, metavar="NAME",
              help="Only this indicator (repeatable).")
@graph_options
@output_options
def compare(countries, editions, indicators, data, backend, no_cache, fmt) -> None:
    """Index scores of countries side by side, with the change from first to last edition.

    By default the editions that score every country given, so all are compared over the
    same span; the table's last line names them.

    Example: tkg analyze compare Mali --edition 2021 --edition 2023
    """
    from graph.analysis import compare as run

    kg = load_graph(data, backend, no_cache)
    rows = run(kg, list(countries), editions=editions or None, indicators=indicators or None)
    shown = [key for key in (rows[0] if rows else {}) if key.isdigit()]
    how = "given with --edition" if editions else "those that score every country"
    note = (f"editions: {', '.join(shown)} ({how}); delta: {shown[-1]} minus {shown[0]}, "
            "empty where either is missing" if len(shown) > 1 else None)
    emit(rows, fmt, **{**options("compare", fmt), **({"note": note} if fmt == "table" else {})})


@analyze.command()
@click.option("--min-score", default=0.3, show_default=True, type=click.FloatRange(0, 1),
              help="Lowest score reported.")
@click.option("--top", default=None, type=click.IntRange(min=1), help="At most N pairs.")
@click.option("--unlinked", is_flag=True, help="Only pairs no curator has decided on yet.")
@graph_options
@output_options
def duplicates(min_score, top, unlinked, data, backend, no_cache, fmt) -> None:
    """Pairs of actors that may be one group under two IRIs, best first, with the evidence.

    Example: tkg analyze duplicates --unlinked --min-score 0.25
    """
    from graph.analysis import duplicates as run

    kg = load_graph(data, backend, no_cache)
    emit(run(kg, min_score=min_score, top=top, unlinked=unlinked), fmt, columns=None
         if fmt != "table" else ["a", "b", "score", "shared_words", "shared_places",
                                  "shared_claims", "link"])


@analyze.command()
@click.option("--min-score", default=0.25, show_default=True, type=click.FloatRange(0, 1),
              help="Lowest overlap reported (pairs must also be 3x the mean).")
@click.option("--undeclared", is_flag=True, help="Only pairs whose lineage is not declared.")
@click.option("--top", default=None, type=click.IntRange(min=1), help="At most N pairs.")
@graph_options
@output_options
def copying(min_score, undeclared, top, data, backend, no_cache, fmt) -> None:
    """Pairs of documents whose claims overlap far beyond chance: probable copies.

    Example: tkg analyze copying --undeclared
    """
    from graph.analysis import copying as run

    kg = load_graph(data, backend, no_cache)
    emit(run(kg, min_score=min_score, undeclared=undeclared, top=top), fmt, columns=None
         if fmt != "table" else ["a", "b", "probable_copy", "score", "chance",
                                  "shared_claims", "shared_figures", "declared"])
