"""CLI commands: server (see graph.commands)."""
