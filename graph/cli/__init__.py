"""The ``tkg`` command: a thin skin over the library.

Each command parses its options, calls one public library function and hands the rows to
:func:`graph.output.emit`. Library errors become one-line messages with an exit code here,
in one place (:class:`_Cli`); ``--debug`` shows the traceback instead.

One module per command family, each defining its commands without attaching them; this
module declares the main group and adds every command below, so the listing here is the
whole command line. Options shared by several commands are declared once in
:mod:`graph.cli.options`. To add a command: write it in the family's module (or a new
``graph/cli/<family>.py``), add it to :data:`COMMANDS`, run ``tkg docs``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.cli import (
    analysis,
    brief,
    checks,
    curation,
    evidence,
    exports,
    importer,
    query,
    reference,
    scale,
    server,
    traverse,
    views,
    workspace,
)
from graph.cli.options import remember
from graph.errors import TkgError

__all__ = ["COMMANDS", "cli"]


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


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.option("--workspace", "-w", metavar="DIR", expose_value=False, callback=remember,
              type=click.Path(path_type=Path), is_eager=True,
              help="Workspace folder for every command (as the command's own --workspace).")
@click.version_option(package_name="trafficking-kg")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Trafficking Knowledge Graph: load, validate, query and analyse trafficking networks.

    Run `tkg build` for the main job, `tkg COMMAND --help` for the details of a command.
    """
    ctx.ensure_object(dict)["debug"] = debug


#: Every top-level command, by family (``tkg --help`` lists them alphabetically).
COMMANDS: tuple[click.Command, ...] = (
    workspace.init, workspace.build, workspace.status,
    checks.validate, checks.coverage,
    query.query, query.search,
    reference.ontology, reference.docs,
    traverse.flows, traverse.routes, traverse.neighbours, traverse.who, traverse.country,
    analysis.analyze,
    views.viz,
    brief.brief,
    evidence.evidence,
    server.serve,
    importer.import_,
    exports.export,
    curation.draft,
    scale.generate, scale.bench, scale.push,
)
for _command in COMMANDS:
    cli.add_command(_command)
# Curation adds a "claims" subcommand to `tkg import` and to `tkg export`.
importer.import_.add_command(curation.claims_import)
exports.export.add_command(curation.claims_export)
