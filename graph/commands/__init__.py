"""CLI command families beyond the core; each module adds its commands to :data:`graph.cli.cli`.

A module here only parses options, calls one public library function and emits the rows.
"""

#: Modules imported by graph.cli, in help order.
FAMILIES = ("traverse", "views", "brief", "server", "importer", "scale", "exports", "curation",
            "evidence")
