"""CLI commands: server (``tkg serve``, the SPARQL endpoint; see :mod:`graph.server`)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from graph.cli.options import graph_options, progress_reporter

__all__ = ["serve"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback: only this machine can connect).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port; 0 picks a free one.")
@click.option("--update-token-env", "token_env", metavar="VAR", default=None,
              help="Accept SPARQL Update with the bearer token stored in environment "
                   "variable VAR (read-only without it).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.001),
              help="Seconds a query may run.")
@click.option("--queue-timeout", default=30.0, show_default=True,
              type=click.FloatRange(min=0.001),
              help="Seconds a request may wait for a free worker before 503 (busy).")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Rows (or triples) an answer may hold; longer answers are cut.")
@click.option("--max-request-bytes", default=1_000_000, show_default=True,
              type=click.IntRange(min=1), help="Largest accepted URL or request body.")
@click.option("--workers", default=None, type=click.IntRange(min=1),
              help="Query worker processes, each with a copy of the graph [default: 2-4].")
@click.option("--query-memory", "memory_mb", default=2048, show_default=True,
              type=click.IntRange(min=0), metavar="MB",
              help="Memory a query may take beyond the loaded graph (0: no limit).")
@click.option("--cors-origin", "cors", multiple=True, metavar="ORIGIN",
              help="Let pages from ORIGIN query the endpoint ('*' for any; repeatable).")
@click.option("--store", "store", default=None, metavar="DIR",
              type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Serve this on-disk Oxigraph store as it is (updates persist there) "
                   "instead of a private copy of the graph.")
@click.option("--result-cache", "cache_mb", default=64.0, show_default=True,
              type=click.FloatRange(min=0), metavar="MB",
              help="Memory for answers of light queries, served again until the next update "
                   "(0: no result cache).")
@click.option("--quiet", is_flag=True, help="Log errors only, not every request.")
@graph_options
def serve(host: str, port: int, token_env: str | None, timeout: float, queue_timeout: float,
          max_rows: int,
          max_request_bytes: int, workers: int | None, memory_mb: int | None, cors,
          store: Path | None, cache_mb: float, quiet: bool, data, backend: str,
          no_cache: bool) -> None:
    """Serve the graph as a SPARQL 1.1 endpoint, with a query page, until Ctrl-C.

    Read-only unless --update-token-env names a variable holding the update token.
    A --backend URL passes queries through to that SPARQL server.

    Example: tkg serve --port 8000   (then open http://127.0.0.1:8000/)
    """
    from graph.extras import need

    for module in ("starlette", "uvicorn"):
        need(module, "server", "tkg serve")
    from graph.server import open_graph
    from graph.server import serve as run_server

    token = None
    if token_env:
        token = os.environ.get(token_env, "")
        if not token.strip():
            raise click.BadParameter(f"environment variable {token_env} is not set or empty",
                                     param_hint="--update-token-env")
    with progress_reporter() as progress:
        kg = open_graph(data, backend, no_cache, progress)

    def ready(url: str) -> None:
        mode = "accepts updates with the token" if token else "read-only"
        click.echo(f"SPARQL endpoint at {url} ({mode}; query page {url[:-len('sparql')]}); "
                   "Ctrl-C stops it", err=False)

    run_server(kg, host, port, log_level="warning" if quiet else "info", on_ready=ready,
               update_token=token, timeout=timeout, queue_timeout=queue_timeout,
               max_rows=max_rows,
               max_request_bytes=max_request_bytes, workers=workers, query_memory_mb=memory_mb,
               cors_origins=cors, store_path=store, cache_mb=cache_mb)
