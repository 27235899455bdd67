"""The SPARQL 1.1 endpoint over a knowledge graph (needs the ``server`` extra).

>>> from graph.server import running
>>> with running(kg, workers=1) as url:            # doctest: +SKIP
...     print(url)
http://127.0.0.1:53211/sparql

:func:`create_app` builds the Starlette application, :func:`serve` runs it with uvicorn
(``tkg serve``), :func:`running` runs it in a background thread. Modules: :mod:`.app`
(routes), :mod:`.protocol` (requests and content negotiation), :mod:`.guard` (what is
refused and capped), :mod:`.results` (answer formats), :mod:`.pool` and :mod:`.worker`
(queries run in worker processes under a time limit), :mod:`.html` (the query page and
the one door from text to HTML), :mod:`.terms` (the terms the SPARQL editor completes),
:mod:`.explorer` and :mod:`.pages` (search and entity pages, content negotiation, network
views, from :mod:`graph.explore`). Starlette and uvicorn are imported only when these are
used. The load test is ``tests/benchmarks/bench_server.py`` in a checkout (not installed).
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app", "open_graph", "running", "serve"]

_LAZY = {
    "create_app": "graph.server.app",
    "open_graph": "graph.server.app",
    "running": "graph.server.app",
    "serve": "graph.server.app",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'graph.server' has no attribute {name!r}")
