"""CLI commands: analyses (tkg analyze convergence, brokers, chokepoints, compare, duplicates,
copying).

Each command parses its options, calls one public function of :mod:`graph.analysis` and
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
from graph.output import emit

__all__ = ["analyze"]


@click.group()
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
@min_certainty_option()
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
@commodity_option()
@min_certainty_option()
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
@commodity_option()
@min_certainty_option()
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
