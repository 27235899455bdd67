"""What every backend must answer alike: the named queries with their parameters, compared as
sets of rows (shared by the backend contract suite and the remote-server tests)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph import query as named
from graph.backends.base import IRI

#: Parameter values for the bundled data, where a query's own example is not enough.
PARAMS = {"claim": IRI("https://w3id.org/tkg/kb/flow-ocindex-2021-mali-arms-libya"),
          "document": "kb:doc-ocindex-2021-mali"}


def normal(rows: list[dict]) -> set:
    """Rows as a set, blank nodes as ``_:`` (their labels differ from store to store)."""
    return {tuple(sorted((k, "_:" if isinstance(v, str) and v.startswith("_:") else v)
                         for k, v in row.items())) for row in rows}


def query_cases() -> Iterator:
    """Every named query (internal ones too) with its required parameters, and with all of
    them when some are optional, as pytest parameters ``(name, params)``."""
    for query in named.list_queries(include_internal=True):
        required = {p.name: PARAMS.get(p.name, p.example) for p in query.parameters
                    if p.required}
        yield pytest.param(query.name, required, id=f"{query.name}-required")
        if len(required) < len(query.parameters):
            every = {p.name: PARAMS.get(p.name, p.example) for p in query.parameters}
            yield pytest.param(query.name, every, id=f"{query.name}-all")
