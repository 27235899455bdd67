"""CLI commands: traverse (see graph.commands)."""
