"""CLI commands: exports (see graph.commands)."""
