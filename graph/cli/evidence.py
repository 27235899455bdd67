"""CLI commands: evidence (``tkg evidence``), a thin skin over :func:`graph.evidence.evidence`."""

from __future__ import annotations

import click

from graph.cli.options import graph_options, load_graph, output_options
from graph.output import emit, emit_object

__all__ = ["evidence"]


@click.command()
@click.argument("claim")
@graph_options
@output_options
def evidence(claim: str, data, backend: str, no_cache: bool, fmt: str) -> None:
    """Where a claim comes from and how many independent lineages stand behind it.

    CLAIM is a flow, activity, actor relation, event or finding: its full IRI, prefixed
    name (kb:flow-...) or local name. Lists each source passage with its document,
    reliability, section, paragraph and lineage (what the document was derived or quoted
    from), the number of independent lineages, and the claims that support it or conflict
    with it (with the reason). The certainty is the source's own grade; corroboration is
    reported beside it, never folded in. With --format json, prints one object.

    Example: tkg evidence kb:flow-ocindex-2021-mali-arms-libya
    """
    from graph.evidence import evidence as evidence_of
    from graph.evidence import evidence_rows

    kg = load_graph(data, backend, no_cache)
    record = evidence_of(kg, claim)
    if fmt == "json":
        emit_object(record)
        return
    emit(evidence_rows(record), fmt,
         columns=["kind", "item", "reliability", "where", "certainty", "detail"])
