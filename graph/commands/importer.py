"""CLI commands: importer (see graph.commands)."""
