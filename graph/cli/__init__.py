"""The ``tkg`` command: a thin skin over the library.

Each command parses its options, calls one public function and hands the rows to
:func:`graph.output.emit`. Library errors become one-line messages with an exit code here,
in one place (:class:`_Cli`); ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from graph.errors import TkgError
from graph.output import FORMATS, emit

__all__ = ["cli", "complete_entities", "graph_options", "load_graph", "output_options"]


class _Cli(click.Group):
    """Maps library errors to messages and exit codes; handles closed pipes quietly."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TkgError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            # Output piped into `head` and the like: stop quietly, as other tools do.
            sys.stderr.close()
            ctx.exit(0)
        except (MemoryError, RecursionError, OSError) as exc:
            # Raised by parsers and stores below the library's own checks: one line too.
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {_describe(exc)}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


def _describe(exc: BaseException) -> str:
    """One line for an error the library did not raise itself."""
    text = " ".join(str(exc).split())
    if isinstance(exc, RecursionError):
        return f"input nested too deeply to process ({text})"
    if isinstance(exc, MemoryError):
        return f"out of memory{': ' + text if text else ''}"
    return text or type(exc).__name__


def output_options(func: Callable) -> Callable:
    """``--format table|json|csv``, declared once for every listing command."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True, help="Output format.")(func)


def _remember(ctx: click.Context, param: click.Parameter, value):
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
    func = click.option("--no-rebuild", is_flag=True, expose_value=False, callback=_remember,
                        help="Fail (exit 1) instead of rebuilding when files changed since "
                             "the last build.")(func)
    func = click.option("--workspace", "-w", metavar="DIR", expose_value=False,
                        callback=_remember, type=click.Path(path_type=Path),
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


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.option("--workspace", "-w", metavar="DIR", expose_value=False, callback=_remember,
              type=click.Path(path_type=Path), is_eager=True,
              help="Workspace folder for every command (as the command's own --workspace).")
@click.version_option(package_name="trafficking-kg")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Trafficking Knowledge Graph: load, validate, query and analyse trafficking networks.

    Run `tkg build` for the main job, `tkg COMMAND --help` for the details of a command.
    """
    ctx.ensure_object(dict)["debug"] = debug


@cli.command()
@click.option("--out", "out", default=None, type=click.Path(path_type=Path),
              help="Folder for the outputs, replaced atomically (default: build/ in the "
                   "workspace, or here).")
@click.option("--store-only", is_flag=True,
              help="Only bring the workspace store up to date; write no outputs.")
@graph_options
def build(out: Path | None, store_only: bool, data, backend: str | None, no_cache: bool) -> None:
    """Check every file, update the store (only what changed) and write the outputs.

    In a workspace the store in .tkg/ is updated incrementally: each changed, added or
    removed file is revalidated and its graph replaced. A broken file changes nothing and
    exits non-zero with the file, line and value. Then the merged graph, the overview map
    and a summary are written to --out.

    Example: tkg build --out build
    """
    from graph.build import build as run_build
    from graph.summary import summary_text

    workspace = None if data or backend else chosen_workspace()
    with progress_reporter() as progress:
        if workspace is not None:
            from graph.store import build as build_store

            report = build_store(workspace, full=no_cache, use_cache=not no_cache,
                                 progress=progress)
            click.echo(_store_line(report), err=True)
            if store_only:
                return
            if out is None and workspace.root is not None:
                out = workspace.root / "build"
        result = run_build(out or Path("build"), list(data) or None, backend=backend,
                           use_cache=not no_cache, progress=progress, workspace=workspace)
    click.echo(summary_text(result))
    click.echo(f"wrote {', '.join(result['files'])} to {result['out']}/")


def _store_line(report: dict) -> str:
    if not report["changed"]:
        return f"store up to date ({report['triples']:,} triples, {report['claims']:,} claims)"
    return (f"store updated in {report['seconds']:.1f} s: {report['loaded']} file(s) loaded, "
            f"{report['removed']} removed, {report['unchanged']} unchanged "
            f"({report['triples']:,} triples, {report['claims']:,} claims)")


@cli.command()
@click.argument("folder", default=".", type=click.Path(path_type=Path))
@click.option("--empty", is_flag=True,
              help="Leave the bundled knowledge base out: only your own files are loaded.")
def init(folder: Path, empty: bool) -> None:
    """Create a workspace in FOLDER: tkg.toml, data/ for your sources, a short README.

    Commands run in FOLDER or below it then answer from this workspace: the bundled
    knowledge base (unless --empty) with your own files on top.

    Example: tkg init my-research
    """
    from graph.workspace import init_workspace

    ws = init_workspace(folder, empty=empty)
    click.echo(f"created workspace {ws.root}\n"
               f"add source files to {ws.root / 'data'}/, then run: tkg build")


@cli.command()
@click.option("--no-check", is_flag=True,
              help="Do not parse and validate changed files (faster; no 'invalid' state).")
@output_options
def status(no_check: bool, fmt: str) -> None:
    """Each source file of the workspace: loaded, changed, new, invalid or removed.

    Also the store's size and when it was built. Exit status 1 when the store does not
    match the files (run tkg build).

    Example: tkg status --format json
    """
    from graph.store import status as workspace_status

    with progress_reporter():
        report = workspace_status(chosen_workspace(), check=not no_check)
    if fmt == "json":
        import json

        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        emit(report["files"], fmt, columns=["file", "state", "claims", "triples", "error"])
        if fmt == "table":
            store = report["store"]
            click.echo(f"workspace: {report['workspace']}", err=True)
            click.echo("store: none yet (run tkg build)" if store is None else
                       f"store: {store['triples']:,} triples, {store['bytes'] / 1e6:.1f} MB, "
                       f"built {store['built']}", err=True)
    if report["store"] is None or any(f["state"] != "loaded" for f in report["files"]):
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-cache", is_flag=True, help="Check every file again.")
@click.option("--engine", type=click.Choice(["auto", "pyshacl", "rudof"]), default="auto",
              show_default=True,
              help="SHACL engine: auto uses pyrudof where it is proven to agree with pyshacl.")
@output_options
def validate(paths, no_cache: bool, engine: str, fmt: str) -> None:
    """Check data files (default: the bundled data) against the SHACL shapes.

    Exit status: 0 valid, 1 violations, 2 unusable input.

    Example: tkg validate data/ocindex-2021-mali.ttl
    """
    from graph.validate import validate as run_validate

    with progress_reporter() as progress:
        report = run_validate(list(paths) or None, use_cache=not no_cache, progress=progress,
                              engine=engine)
    if fmt == "table":
        click.echo(report.summary())
    else:
        emit(report.rows(), fmt)
    sys.exit(0 if report.conforms else 1)


@cli.command()
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


@cli.command()
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


@cli.command()
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


@cli.command()
@click.option("--out", default="docs", show_default=True, type=click.Path(path_type=Path),
              help="Folder to write ontology.md and cli.md into.")
def docs(out: Path) -> None:
    """Regenerate the reference documentation (ontology and commands) from the code and Turtle.

    Example: tkg docs --out docs
    """
    from graph.docs import write_docs

    for path in write_docs(out):
        click.echo(f"wrote {path}")


@cli.command()
@click.option("--document", default=None, metavar="ID",
              help="Only this source document: its id (kb:doc-...), short name or title.")
@graph_options
@output_options
def coverage(document: str | None, data, backend: str, no_cache: bool, fmt: str) -> None:
    """Per section of each source: factual paragraphs and how many claims cite them.

    Columns: passages (paragraphs that state facts), cited (those a claim cites), uncited ¶
    (the paragraph numbers no claim cites yet), share cited (cited / passages, 1.00 = all).

    Example: tkg coverage --document kb:doc-ocindex-2021-mali
    """
    from graph.coverage import coverage as run_coverage
    from graph.layouts import options

    kg = load_graph(data, backend, no_cache)
    emit(run_coverage(kg, document), fmt, **options("coverage", fmt))


def _register_families() -> None:
    import importlib

    from graph.commands import FAMILIES

    for family in FAMILIES:
        importlib.import_module(f"graph.commands.{family}")


_register_families()
