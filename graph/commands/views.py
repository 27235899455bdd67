"""CLI commands: views (see graph.commands)."""
