"""Store backends, chosen by name from one registry and imported only when used.

``memory`` keeps the graph in an rdflib in-memory dataset; ``oxigraph`` keeps it in a
pyoxigraph store (fast SPARQL, same answers); a URL (``http://...``) or ``remote`` connects
to a SPARQL 1.1 server. Third parties can :func:`register` their own.
"""

from __future__ import annotations

import importlib
from typing import Any

from graph.backends.base import IRI, Backend, Lit, Result
from graph.errors import UnknownName

__all__ = ["IRI", "Backend", "Lit", "Result", "get", "known", "open_backend", "register"]

_REGISTRY: dict[str, str] = {
    "memory": "graph.backends.memory:MemoryBackend",
    "oxigraph": "graph.backends.oxigraph:OxigraphBackend",
    "remote": "graph.backends.remote:RemoteBackend",
}


def register(name: str, target: str) -> None:
    """Register a backend class under ``name``, given as ``"module:ClassName"``."""
    _REGISTRY[name] = target


def known() -> list[str]:
    """Names of the registered backends.

    Examples
    --------
    >>> known()
    ['memory', 'oxigraph', 'remote']
    """
    return sorted(_REGISTRY)


def get(name: str) -> type:
    """Import and return the backend class registered as ``name``.

    Raises
    ------
    graph.errors.UnknownName
        If ``name`` is not registered; the message lists the known names.

    Examples
    --------
    >>> get("nosuch")
    Traceback (most recent call last):
    ...
    graph.errors.UnknownName: unknown backend 'nosuch'; known backends: memory, oxigraph, remote
    """
    if name not in _REGISTRY:
        raise UnknownName("backend", name, known())
    module, _, attr = _REGISTRY[name].partition(":")
    return getattr(importlib.import_module(module), attr)


def open_backend(spec: str, **options: Any) -> Backend:
    """Create a backend from a name or an endpoint URL (which means ``remote``)."""
    if spec.startswith(("http://", "https://")):
        options.setdefault("endpoint", spec)
        spec = "remote"
    return get(spec)(**options)
