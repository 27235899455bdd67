"""Open the knowledge graph: one function for every kind of spec, and the in-memory loader.

:func:`open` is what everything calls: the CLI, the endpoint, notebooks. With no spec it
opens the workspace store of the current folder (or of the bundled knowledge base; see
:mod:`graph.workspace` and :mod:`graph.store`), which is built incrementally on disk and
read without reloading.

:func:`load` with explicit files or a backend name runs the in-memory pipeline instead:
collect, validate, build, materialise, cache, open a backend. It runs once per distinct
content of the input files; its result, the validated graph with derived shortcut triples,
is cached as N-Quads keyed by a hash of every input file and of the materialisation rules.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from graph import cache
from graph.backends import open_backend
from graph.errors import ValidationFailed
from graph.resources import queries_dir
from graph.sources import SourceFile, collect

__all__ = ["build_store", "load", "materialise_rules", "open"]


def materialise_rules() -> list[Path]:
    """The SPARQL Update files that derive shortcut triples, in the order they run."""
    return sorted((queries_dir() / "materialise").glob("*.ru"))


def build_store(sources: list[SourceFile], progress: Callable[[str], None] | None = None):
    """Parse ``sources`` into a fresh Oxigraph store and run the materialisation rules.

    Returns the :class:`graph.backends.oxigraph.OxigraphBackend`. Syntax errors raise
    :class:`graph.errors.ParseError` naming file, line and column.
    """
    from graph.backends.oxigraph import OxigraphBackend
    from graph.prefixes import sparql_prolog

    builder = OxigraphBackend()
    for source in sources:
        if progress:
            progress(f"loading {source.path.name}")
        builder.load(source.path, source.format, source.graph)
    prolog = sparql_prolog()
    for rule in materialise_rules():
        if progress:
            progress(f"deriving {rule.stem.split('-', 1)[-1]}")
        builder.update(prolog + rule.read_text(encoding="utf-8"))
    return builder


def _fill(target, path: Path, key: str) -> None:
    """Load the cached graph ``path`` (content hash ``key``) into ``target``.

    A backend that can tell it already holds that content (a remote store filled by an
    earlier load or ``tkg push``) skips the upload through its ``load_snapshot``.
    """
    load_snapshot = getattr(target, "load_snapshot", None)
    if load_snapshot is not None:
        load_snapshot(path, key)
    else:
        target.load(path, "nquads")


def open(spec: Any = None, *, workspace: str | Path | None = None, rebuild: str = "auto",
         progress: Callable[[str], None] | None = None,
         notify: Callable[[str], None] | None = None, **options: Any):
    """Open a knowledge graph from a spec: a workspace, files, or a SPARQL endpoint.

    Parameters
    ----------
    spec : None, str, Path, Workspace or list of paths
        ``None``: the workspace of the current folder (found as git finds a repository),
        or the bundled knowledge base outside any workspace. A folder holding a workspace
        file (``tkg.toml``), or a :class:`~graph.workspace.Workspace`: that workspace. A URL
        (``http://...``): a SPARQL 1.1 endpoint (see :func:`graph.connect`). A list of files
        or folders: those files with the bundled ontology, in memory (see :func:`load`).
    workspace : str or Path, optional
        The workspace folder, when ``spec`` is ``None`` (as ``--workspace`` in the CLI);
        ``$TKG_WORKSPACE`` is used when neither is given.
    rebuild : {"auto", "always", "never"}
        What to do when a workspace's files changed since its store was built (see
        :func:`graph.store.open_store`): rebuild small changes first and say so, always
        rebuild, or raise :class:`graph.store.StaleStore`.
    progress, notify : callable, optional
        Called with each step of long work, and with the one-line message about changed
        files (default: standard error).
    **options
        For a list of files: :func:`load`'s options (``backend``, ``validate``...); for a
        URL: the remote backend's options.

    Returns
    -------
    KnowledgeGraph

    Raises
    ------
    graph.errors.DataError
        A folder that is not a workspace, a bad workspace file, a missing path.
    graph.store.StaleStore
        Changed files with ``rebuild="never"`` (or a change too large to rebuild silently).
    graph.errors.ParseError, graph.errors.ValidationFailed
        A rebuild found a broken file; the store keeps its previous state.

    Examples
    --------
    >>> kg = open()
    >>> kg.backend.merged, kg.workspace is not None
    (True, True)
    """
    from graph.store import _stderr, open_store
    from graph.workspace import Workspace, find_workspace, read_workspace

    if notify is None:
        notify = _stderr
    if isinstance(spec, Workspace):
        return open_store(spec, rebuild=rebuild, progress=progress, notify=notify)
    if isinstance(spec, str) and spec.startswith(("http://", "https://")):
        from graph.push import connect

        return connect(spec, **options)
    if isinstance(spec, str | Path):
        return open_store(read_workspace(spec), rebuild=rebuild, progress=progress,
                          notify=notify)
    if spec is not None:
        return load(list(spec), progress=progress, **options)
    return open_store(find_workspace(workspace), rebuild=rebuild, progress=progress,
                      notify=notify)


def load(paths: Iterable[str | Path] | None = None, backend: str | None = None, *,
         validate: bool = True, use_cache: bool = True,
         progress: Callable[[str], None] | None = None, **backend_options: Any):
    """Load the bundled ontology with the bundled data (or ``paths``) into a backend.

    With neither ``paths`` nor ``backend`` this is :func:`open`: the workspace store of the
    current folder, or of the bundled knowledge base.

    Parameters
    ----------
    paths : iterable of str or Path, optional
        Data files or folders. The bundled ``data/`` when omitted. The ontology,
        vocabularies and gazetteer are always loaded.
    backend : str, optional
        ``"memory"`` (rdflib), ``"oxigraph"`` (pyoxigraph in memory) or the URL of a SPARQL
        1.1 endpoint, which receives the graph (see :func:`graph.backends.open_backend`).
        Omitted: the workspace store (with ``paths``: ``"memory"``).
    validate : bool
        Check every data file against the SHACL shapes first (cached per file).
    use_cache : bool
        Reuse the built graph when no input file has changed.
    progress : callable, optional
        Called with a short description of each step of long work.
    **backend_options
        Passed to the backend, e.g. ``update_endpoint`` for a remote store.

    Returns
    -------
    KnowledgeGraph

    Raises
    ------
    graph.errors.DataError
        If a path does not exist or a file is not RDF (:class:`graph.errors.ParseError`
        names the file and line).
    graph.errors.ValidationFailed
        If ``validate`` and a file breaks the shapes; nothing is cached then.
    graph.errors.UnknownName
        If ``backend`` is not a known backend name or URL.

    Examples
    --------
    >>> kg = load(backend="memory")
    >>> kg.backend.name
    'memory'
    """
    from graph.kg import KnowledgeGraph

    if backend is None:
        if paths is None and not backend_options:
            return open(progress=progress)
        backend = "memory"

    sources = collect(paths)
    key = cache.content_key([s.path for s in sources] + materialise_rules(), "graph")
    target = open_backend(backend, **backend_options)
    cached = cache.store_path(key, ".nq")
    if validate:
        # Per-file results are cached too, so a graph built once without validation is still
        # checked here before it is used; when everything is cached this reads a few small files.
        from graph.validate import check

        report = check(sources, use_cache=use_cache,
                       progress=(lambda name: progress(f"validating {name}")) if progress else None)
        if not report.conforms:
            raise ValidationFailed(report)
    if use_cache and cached.is_file():
        if progress:
            progress("reading cached graph")
        _fill(target, cached, key)
        return KnowledgeGraph(target, sources, key)
    builder = build_store(sources, progress)
    if use_cache:
        if progress:
            progress("writing the cache")
        # A private temporary name in the cache folder, renamed into place: concurrent
        # builds of the same content never see each other's half-written file.
        fd, tmp = tempfile.mkstemp(dir=cached.parent, prefix=f".{cached.name}.", suffix=".tmp")
        os.close(fd)
        builder.dump(Path(tmp), "nquads")
        os.replace(tmp, cached)
        dumped = cached
    if target.name == "oxigraph" and not backend_options:
        target = builder
    else:
        if not use_cache:
            dumped = Path(tempfile.mkstemp(suffix=".nq")[1])
            builder.dump(dumped, "nquads")
        if progress:
            progress(f"loading into {target.name}")
        if use_cache:
            _fill(target, dumped, key)
        else:
            target.load(dumped, "nquads")
        if not use_cache:
            dumped.unlink(missing_ok=True)
    return KnowledgeGraph(target, sources, key)
