"""CLI commands: scale (see graph.commands)."""
