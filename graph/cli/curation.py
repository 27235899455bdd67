"""CLI commands: curation without Turtle (see :mod:`graph.curation`).

``tkg draft`` proposes claims from a text, ``tkg import claims`` turns a reviewed workbook
into Turtle, ``tkg export claims`` writes a curated document as a workbook. Each parses its
options and calls one library function.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.cli.options import graph_options, load_graph, output_options
from graph.output import emit

__all__ = ["claims_export", "claims_import", "draft"]


def _counts(rows: dict) -> list[dict]:
    return [{"sheet": name, "rows": count} for name, count in rows.items()]


@click.command()
@click.argument("text_file", type=click.Path(path_type=Path))
@click.option("--document", required=True, metavar="KEY",
              help="Document key (publisher-year-subject, e.g. ocindex-2021-mali) or kb:doc-KEY.")
@click.option("--title", required=True, help="The document's title.")
@click.option("--url", default=None, help="The document's address.")
@click.option("--edition", default=None, metavar="YEAR", help="Index edition, for Index pages.")
@click.option("--publisher", default=None,
              help="Publisher (for an Index page, taken from the graph when omitted).")
@click.option("--reliability", default=None, metavar="A-F",
              help="Admiralty reliability of the source (default: B for an Index page, else F).")
@click.option("--focus", default=None, metavar="PLACE",
              help="The country 'the country' means (default: the one named most).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              metavar="FILE.xlsx|FILE.ttl",
              help="Write the review workbook (.xlsx) or Turtle (.ttl); else list the proposals.")
@graph_options
@output_options
def draft(text_file: Path, document: str, title: str, url, edition, publisher, reliability,
          focus, output: Path | None, data, backend: str, no_cache: bool, fmt: str) -> None:
    """Draft claims from a profile's text (.txt, .md or .pdf) for a person to review.

    Splits the text into sections and paragraphs and proposes flows, activities, relations
    and events per paragraph, with the certainty its wording implies, the cue word, a
    confidence and the sentence offsets. Descriptions are left for the reviewer.

    Example: tkg draft mali.txt --document ocindex-2021-mali --title "Index 2021: Mali"
    --edition 2021 -o drafts/mali.xlsx
    """
    from graph.curation import draft as run_draft
    from graph.curation import read_text, write_review

    text = read_text(text_file)
    kg = load_graph(data, backend, no_cache)
    result = run_draft(kg, text, document=document, title=title, url=url, edition=edition,
                       publisher=publisher, reliability=reliability, focus=focus)
    if output is None:
        emit(result["claims"], fmt, columns=["id", "kind", "passage", "label", "certainty",
                                             "cue", "confidence"])
        return
    report = write_review(kg, result, output)
    emit(_counts(report["rows"]), fmt)
    if fmt == "table":
        click.echo(f"wrote {output} ({len(result['claims'])} proposals in "
                   f"{result['seconds']:.2f} s)")


@click.command("claims")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Turtle file to write (replaced atomically); standard output if omitted.")
@graph_options
@output_options
def claims_import(workbook: Path, output: Path | None, data, backend: str, no_cache: bool,
                  fmt: str) -> None:
    """Turn the accepted rows of a review workbook into Turtle that passes validation.

    Every problem (an unknown name, an empty required cell, a broken shape) is listed with
    its sheet, row and column, and nothing is written until none is left.

    Example: tkg import claims drafts/mali.xlsx -o data/ocindex-2021-mali.ttl
    """
    from graph.curation import import_claims

    kg = load_graph(data, backend, no_cache)
    report = import_claims(kg, workbook, output)
    stream = sys.stdout
    if output is None:
        sys.stdout.buffer.write(report["turtle"])
        sys.stdout.flush()
        stream = sys.stderr
    emit(_counts(report["rows"]), fmt, stream=stream)
    for warning in report["warnings"]:
        click.echo(f"warning: {warning}", err=True)


@click.command("claims")
@click.option("--document", required=True, metavar="ID",
              help="The document (kb:doc-KEY, its key or its title).")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              metavar="FILE.xlsx", help="The workbook to write.")
@graph_options
@output_options
def claims_export(document: str, output: Path, data, backend: str, no_cache: bool,
                  fmt: str) -> None:
    """Write the curated claims of one document as a review workbook.

    The workbook has the layout `tkg draft` writes, every row accepted; `tkg import claims`
    turns it back into the same graph.

    Example: tkg export claims --document kb:doc-ocindex-2021-mali -o mali.xlsx
    """
    from graph.curation import export_claims

    kg = load_graph(data, backend, no_cache)
    report = export_claims(kg, document, output)
    emit(_counts(report["rows"]), fmt)
    if fmt == "table":
        click.echo(f"wrote {output} from {report['file']}")
