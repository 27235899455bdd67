"""Put the knowledge graph into a SPARQL server, and open a graph that a server already holds.

:func:`push` loads the data (validated, with the derived shortcut triples, from the cache when
nothing changed) and uploads it into one named graph on the server; :func:`connect` returns a
:class:`~graph.kg.KnowledgeGraph` that queries the server, so every named query, traversal
and view works on it unchanged. See :mod:`graph.backends.remote` for the server quirks this
absorbs, and ``docs/scale.md`` for running Virtuoso, Oxigraph server, Fuseki, GraphDB,
QLever or Amazon Neptune.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from graph.errors import BackendError

__all__ = ["connect", "push"]


def connect(url: str, *, graph: str | None = "auto", update_endpoint: str | None = None,
            graph_store: str | None = None, auth: tuple[str, str] | None = None,
            timeout: float = 60.0, server: str | None = None):
    """A :class:`~graph.kg.KnowledgeGraph` over data already on a SPARQL server.

    Nothing is uploaded. The server is asked once what it is (for its quirks) and whether it
    holds the graph :func:`push` writes (:data:`graph.backends.remote.KG_GRAPH`).

    Parameters
    ----------
    url : str
        The query endpoint (``http://localhost:8890/sparql``), or the root of an Oxigraph
        server (``http://localhost:7878``).
    graph : str, optional
        The named graph to query: ``"auto"`` (the pushed graph if present, else the server's
        default graph), an IRI, or ``""`` for the server's default graph.
    update_endpoint, graph_store, auth, timeout, server
        See :class:`graph.backends.remote.RemoteBackend`.

    Returns
    -------
    KnowledgeGraph

    Raises
    ------
    graph.errors.BackendError
        If the server cannot be reached.

    Examples
    --------
    >>> kg = connect("http://localhost:7878")                       # doctest: +SKIP
    >>> kg.query("flows", commodity="cocaine")[:1]                  # doctest: +SKIP
    """
    from graph.backends.remote import RemoteBackend
    from graph.kg import KnowledgeGraph

    backend = RemoteBackend(url, update_endpoint=update_endpoint, auth=auth, timeout=timeout,
                            graph_store=graph_store, graph=graph, server=server)
    backend.graph  # noqa: B018 - contact the server now, so a wrong URL fails here
    return KnowledgeGraph(backend)


def push(url: str, paths: Iterable[str | Path] | None = None, *, kg=None,
         method: str = "auto", graph: str | None = None, graph_store: str | None = None,
         update_endpoint: str | None = None, auth: tuple[str, str] | None = None,
         batch_size: int = 100_000, isql: str | None = None,
         load_dir: str | Path | None = None, isql_auth: tuple[str, str] = ("dba", "dba"),
         append: bool = False, validate: bool = True, use_cache: bool = True,
         timeout: float = 60.0, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Upload the knowledge graph into a SPARQL server.

    Parameters
    ----------
    url : str
        The server's query endpoint or root (see :func:`connect`).
    paths : iterable of str or Path, optional
        Data files or folders; the bundled data when omitted (ignored when ``kg`` is given).
    kg : KnowledgeGraph, optional
        An already loaded graph in the ``oxigraph`` backend to upload instead.
    method : {"auto", "gsp", "update", "virtuoso-bulk"}
        Graph Store Protocol requests, SPARQL ``INSERT DATA`` requests, or Virtuoso's bulk
        loader run through ``isql`` (needs ``isql`` and ``load_dir``). ``"auto"`` picks the
        bulk loader when those are given, else the Graph Store Protocol if the server has
        one, else SPARQL Update.
    graph : str, optional
        Named graph to fill (:data:`graph.backends.remote.KG_GRAPH` by default).
    graph_store, update_endpoint, auth, batch_size, isql, load_dir, isql_auth, timeout
        See :class:`graph.backends.remote.RemoteBackend`.
    append : bool
        Add to the graph instead of replacing it.
    validate, use_cache
        As for :func:`graph.load`.
    progress : callable, optional
        Called with a short description of each step.

    Returns
    -------
    dict
        ``triples`` uploaded, ``requests``, ``method``, ``graph``, ``server``, ``url``,
        ``seconds`` (upload only) and ``load_seconds``.

    Raises
    ------
    graph.errors.ValidationFailed
        If the data breaks the shapes (nothing is uploaded).
    graph.errors.BackendError
        If the server refuses or cannot be reached; the message quotes the server.

    Examples
    --------
    >>> push("http://localhost:7878")["triples"] > 10_000            # doctest: +SKIP
    True
    """
    import time

    from graph.backends.remote import KG_GRAPH, RemoteBackend

    began = time.perf_counter()
    if kg is None:
        from graph.load import load

        kg = load(paths, backend="oxigraph", validate=validate, use_cache=use_cache,
                  progress=progress)
    store = getattr(kg.backend, "store", None)
    if store is None:
        raise BackendError(f"push needs a graph in the oxigraph backend, not {kg.backend.name!r}")
    loaded = time.perf_counter() - began
    remote = RemoteBackend(url, update_endpoint=update_endpoint, auth=auth, timeout=timeout,
                           batch_size=batch_size, graph_store=graph_store,
                           graph=KG_GRAPH if graph is None else graph, isql=isql,
                           load_dir=load_dir, isql_auth=isql_auth)
    if progress:
        progress(f"uploading to {remote.server} at {url}")
    report = remote.upload(store, method=method, replace=not append, progress=progress)
    if kg.key and not append:
        remote.mark(kg.key)  # a later graph.load(backend=url) of the same files skips uploading
    return {**report, "url": url, "load_seconds": round(loaded, 3)}
