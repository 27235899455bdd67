"""CLI commands: reference documentation generated from the code and Turtle (ontology, docs).

Both call :mod:`graph.docs`.
"""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["docs", "ontology"]


@click.command()
@click.option("--markdown", "markdown", type=click.Path(path_type=Path), default=None,
              help="Write the reference as Markdown to this file (e.g. docs/ontology.md).")
def ontology(markdown: Path | None) -> None:
    """Print (or write) the reference documentation generated from the ontology files.

    Example: tkg ontology --markdown docs/ontology.md
    """
    from graph.docs import ontology_markdown

    text = ontology_markdown()
    if markdown is None:
        click.echo(text, nl=False)
    else:
        from graph.cache import write_atomic

        write_atomic(markdown, text.encode("utf-8"))
        click.echo(f"wrote {markdown}")


@click.command()
@click.option("--out", default="docs", show_default=True, type=click.Path(path_type=Path),
              help="Folder to write ontology.md and cli.md into.")
def docs(out: Path) -> None:
    """Regenerate the reference documentation (ontology and commands) from the code and Turtle.

    Example: tkg docs --out docs
    """
    from graph.docs import write_docs

    for path in write_docs(out):
        click.echo(f"wrote {path}")
