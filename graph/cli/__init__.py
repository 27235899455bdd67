"""The ``tkg`` command: a thin skin over the library.

Each command parses its options, calls one public library function and hands the rows to
:func:`graph.output.emit`. Library errors become one-line messages with an exit code here,
in one place (:class:`_Cli`); ``--debug`` shows the traceback instead.

One module per command family, each defining its commands without attaching them; this
module declares the main group and lists every command in :data:`COMMANDS`, so the listing
here is the whole command line. A family's module is imported only when one of its commands
runs (or ``--help`` lists them), so ``tkg query`` does not pay for the other thirteen.
Options shared by several commands are declared once in :mod:`graph.cli.options`. To add a
command: write it in the family's module (or a new ``graph/cli/<family>.py``), add it to
:data:`COMMANDS`, run ``tkg docs``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from graph.cli.options import remember
from graph.errors import TkgError

__all__ = ["COMMANDS", "cli"]


#: Every top-level command, by family: name -> (module in graph/cli/, attribute).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("workspace", "init"), "build": ("workspace", "build"),
    "status": ("workspace", "status"),
    "validate": ("checks", "validate"), "coverage": ("checks", "coverage"),
    "query": ("query", "query"), "search": ("query", "search"),
    "ontology": ("reference", "ontology"), "docs": ("reference", "docs"),
    "flows": ("traverse", "flows"), "routes": ("traverse", "routes"),
    "neighbours": ("traverse", "neighbours"), "who": ("traverse", "who"),
    "country": ("traverse", "country"),
    "analyze": ("analysis", "analyze"),
    "viz": ("views", "viz"),
    "brief": ("brief", "brief"),
    "evidence": ("evidence", "evidence"),
    "serve": ("server", "serve"),
    "import": ("importer", "import_"),
    "export": ("exports", "export"),
    "draft": ("curation", "draft"),
    "generate": ("scale", "generate"), "bench": ("scale", "bench"), "push": ("scale", "push"),
}

#: Subcommands that one family adds to another's group: curation's "claims" goes under
#: `tkg import` and `tkg export`.
_ATTACHED: dict[str, tuple[str, str]] = {
    "import": ("curation", "claims_import"), "export": ("curation", "claims_export"),
}


def _command(module: str, attribute: str) -> click.Command:
    return getattr(importlib.import_module(f"graph.cli.{module}"), attribute)


class _Cli(click.Group):
    """Maps library errors to messages and exit codes; handles closed pipes quietly; loads
    each command's module when the command is first asked for."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            command = _command(*COMMANDS[name])
            if name in _ATTACHED:
                command.add_command(_command(*_ATTACHED[name]))
            self.add_command(command, name)
        return self.commands.get(name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def load_all(self) -> dict[str, click.Command]:
        """Every command, loaded (for the reference docs and the tests)."""
        for name in COMMANDS:
            self.get_command(None, name)
        return self.commands

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
