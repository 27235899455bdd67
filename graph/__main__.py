"""Allow ``python -m graph`` as an alternative to the ``tkg`` command."""

from graph.cli import cli

if __name__ == "__main__":
    cli()
