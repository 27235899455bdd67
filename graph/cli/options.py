"""Options and helpers shared by every ``tkg`` command, declared once.

:func:`graph_options` (what is loaded: workspace, data files, backend, cache),
:func:`output_options` (``--format``), :func:`min_certainty_option`, shell completion of
entity names (:func:`complete_entities`), and :func:`load_graph`, which opens the graph the
way every command does. Library modules are imported inside the functions that use them so
that ``tkg --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from graph.output import FORMATS

__all__ = ["chosen_workspace", "commodity_option", "complete_entities", "graph_options",
           "load_graph", "min_certainty_option", "output_options", "progress_reporter",
           "remember"]


def output_options(func: Callable) -> Callable:
    """``--format table|json|csv``, declared once for every listing command."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True, help="Output format.")(func)


def remember(ctx: click.Context, param: click.Parameter, value):
    # Workspace choices are read by load_graph, so that every command gets them without
    # passing them through its own signature.
    if value:
        ctx.ensure_object(dict)[param.name] = value
    return value


def graph_options(func: Callable) -> Callable:
    """Options that choose what is loaded and where: workspace, data files, backend, cache."""
    func = click.option("--no-cache", is_flag=True,
                        help="Rebuild and revalidate even if nothing changed.")(func)
    func = click.option("--backend", default=None, metavar="NAME|URL",
                        help="Store: memory (rdflib) or oxigraph (in memory, from the files), "
                             "or a SPARQL endpoint URL. Default: the workspace store.")(func)
    func = click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
                        metavar="PATH",
                        help="Data file or folder to load instead of the workspace "
                             "(repeatable; loaded in memory).")(func)
    func = click.option("--no-rebuild", is_flag=True, expose_value=False, callback=remember,
                        help="Fail (exit 1) instead of rebuilding when files changed since "
                             "the last build.")(func)
    func = click.option("--workspace", "-w", metavar="DIR", expose_value=False,
                        callback=remember, type=click.Path(path_type=Path),
                        help="Workspace folder (default: $TKG_WORKSPACE, else the nearest "
                             "tkg.toml up from here, else the bundled knowledge base).")(func)
    return func


@contextlib.contextmanager
def progress_reporter() -> Iterator[Callable[[str], None] | None]:
    """A progress callback that shows a spinner on an interactive terminal, else nothing."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console

    console = Console(stderr=True)
    with console.status("working") as status:
        yield lambda message: status.update(message)


def _notify(message: str) -> None:
    click.echo(message, err=True)


def complete_entities(*classes: str) -> Callable:
    """A click ``shell_complete`` callback offering names of entities of ``classes``.

    It loads the bundled graph from the cache (or the --data given before it on the line)
    and never fails: completion that cannot load the graph offers nothing.
    """

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
        from click.shell_completion import CompletionItem

        try:
            from graph.load import load, open
            from graph.lookup import expand_id

            # No context is current while the shell asks: open the graph directly, and
            # never rebuild or print (a stale store completes nothing until tkg build).
            data = ctx.params.get("data")
            kg = load(list(data)) if data else open(rebuild="never", notify=lambda _: None)

            names = kg.index.complete(incomplete, [expand_id(c) for c in classes])
        except Exception:  # completion must never print a traceback into the shell
            return []
        return [CompletionItem(name) for name in names]

    return complete


def chosen_workspace():
    """The workspace this command runs in (``--workspace``, ``$TKG_WORKSPACE``, the folder)."""
    from graph.workspace import find_workspace

    obj = click.get_current_context().find_object(dict) or {}
    return find_workspace(obj.get("workspace"))


def load_graph(data, backend: str | None, no_cache: bool):
    """Open the graph the way every command does (shared by commands in other modules).

    The workspace store by default; files given with ``--data`` or an explicit ``--backend``
    are loaded in memory (or into the endpoint) instead.
    """
    from graph.load import load, open

    obj = click.get_current_context().find_object(dict) or {}
    with progress_reporter() as progress:
        if data or backend:
            return load(list(data) or None, backend=backend or "oxigraph",
                        use_cache=not no_cache, progress=progress)
        workspace = chosen_workspace()
        if no_cache:
            from graph.store import build

            build(workspace, full=True, use_cache=False, progress=progress)
        return open(workspace, rebuild="never" if obj.get("no_rebuild") else "auto",
                    progress=progress, notify=_notify)



def min_certainty_option(help: str | None = None) -> Callable:
    """``--min-certainty GRADE``, completed from the ontology's certainty grades."""
    return click.option("--min-certainty", "min_certainty", default=None, metavar="GRADE",
                        shell_complete=complete_entities("tkg:CertaintyGrade"),
                        help=help or "Lowest certainty grade kept (confirmed, reported, likely, "
                                     "suspected, unsubstantiated).")


def commodity_option() -> Callable:
    """``--commodity C``, completed from the commodities; narrower ones match too."""
    return click.option("--commodity", default=None, metavar="C",
                        shell_complete=complete_entities("tkg:Commodity"),
                        help="Commodity; narrower ones match too (drugs finds cocaine).")
