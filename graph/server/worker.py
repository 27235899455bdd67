"""The query worker: a separate process reading the store (or holding a copy of it).

The endpoint never runs SPARQL in its own process. Each worker opens the graph (a checkpoint
of the server's on-disk Oxigraph store, an N-Quads snapshot for the memory backend, or a
connection to the remote store), then answers tasks
sent over a pipe, one at a time: parse and check the request (:mod:`graph.server.guard`),
run it through :meth:`graph.KnowledgeGraph.execute`, and serialise the answer
(:mod:`graph.server.results`). A worker that overruns the time limit is killed by the server
and replaced, which is the only reliable way to stop a running query (pyoxigraph cannot
cancel one, rdflib evaluates in pure Python without checkpoints).

Tasks are plain tuples; every reply is a :class:`Reply`. Updates are evaluated once, by the
writer (see :mod:`graph.server.pool`); before its next task a reader opens the newest store
checkpoint (Oxigraph) or applies the writer's change log (memory), never re-evaluating an
update.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["HEAVY_NICE", "Reply", "at_low_priority", "handle", "load_graph", "main"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    """A worker's answer to one task, ready to become an HTTP response."""

    #: HTTP status.
    status: int
    #: Response body.
    body: bytes = b""
    #: Media type of ``body``.
    media_type: str = "text/plain; charset=utf-8"
    #: Extra headers (row count, truncation).
    headers: dict[str, str] = field(default_factory=dict)
    #: Whether the worker's graph may have changed although the task failed (a failed update).
    dirty: bool = False
    #: For JSON tasks (the named-query examples): the value, instead of ``body``.
    value: Any = None
    #: For an update on the writer: how readers catch up (``("open", checkpoint)`` or
    #: ``("delta", changes)``).
    update: str | None = None
    #: Where the time of the task went, as ``(name, milliseconds)`` pairs (the worker's own
    #: time, then what the pool adds); the endpoint sends them as ``Server-Timing``.
    timing: tuple[tuple[str, float], ...] = ()


def error(status: int, message: str, dirty: bool = False) -> Reply:
    """A plain-text error reply (the message's first line is what clients show)."""
    return Reply(status, (message.rstrip() + "\n").encode("utf-8"), dirty=dirty)


# -- start-up -----------------------------------------------------------------------------------

def load_graph(spec: dict[str, Any]):
    """Build the worker's :class:`~graph.KnowledgeGraph` from the server's ``spec``.

    ``spec`` holds ``backend`` and one of: ``store`` (an Oxigraph store checkpoint, opened
    read-only), ``primary`` (the on-disk Oxigraph store, opened read-write by the writer),
    ``snapshot`` (an N-Quads file the server wrote) or, for a remote store, ``endpoint``
    and ``update_endpoint``.
    """
    from graph.backends import get
    from graph.kg import KnowledgeGraph

    if spec["backend"] == "remote":
        from graph.backends.remote import RemoteBackend

        backend = RemoteBackend(spec["endpoint"], update_endpoint=spec.get("update_endpoint"),
                                timeout=spec.get("timeout", 60.0))
    elif spec.get("store") or spec.get("primary"):
        import pyoxigraph as ox

        from graph.backends.oxigraph import OxigraphBackend

        if spec.get("primary"):
            backend = OxigraphBackend(path=spec["primary"])
        else:
            backend = OxigraphBackend()
            backend.store = ox.Store.read_only(spec["store"])
    else:
        backend = get(spec["backend"])()
        backend.load(spec["snapshot"], "nquads")
        if spec.get("role") == "writer":
            _ChangeLog.install(backend.dataset)
    return KnowledgeGraph(backend, spec.get("sources"), spec.get("key"))


def checkpoint(kg, folder: str) -> str:
    """Write a read-only snapshot of the writer's Oxigraph store into ``folder``; its path.

    A RocksDB checkpoint: the store's files hard-linked (copied across file systems), never
    changed afterwards, so readers may open it while the writer goes on writing.
    """
    import time
    from pathlib import Path

    target = Path(folder) / f"gen-{time.time_ns()}-{os.getpid()}"
    kg.backend.store.flush()
    kg.backend.store.backup(str(target))
    return str(target)


class _ChangeLog:
    """The store operations an rdflib update makes, recorded to be applied by the readers.

    Triples added (with their blank nodes, so every copy holds the same ones) and patterns
    removed, in order: applied to an identical copy they give an identical copy.
    """

    current: list | None = None

    @classmethod
    def install(cls, dataset) -> None:
        store = dataset.store
        add, remove = store.add, store.remove

        def record_add(triple, context, quoted=False):
            if cls.current is not None:
                cls.current.append(("add", triple, _graph_id(context)))
            return add(triple, context, quoted)

        def record_remove(pattern, context=None):
            if cls.current is not None:
                cls.current.append(("remove", pattern, _graph_id(context)))
            return remove(pattern, context)

        store.add, store.remove = record_add, record_remove


def _graph_id(context):
    return None if context is None else getattr(context, "identifier", context)


def apply_changes(dataset, changes) -> None:
    """Apply a change log recorded by the writer (see :class:`_ChangeLog`) to ``dataset``."""
    store = dataset.store
    for kind, triple, graph in changes:
        context = None if graph is None else dataset.get_context(graph)
        if kind == "add":
            store.add(triple, context)
        else:
            store.remove(triple, context)


def _address_space() -> int | None:
    """Bytes of address space this process uses now (Linux), else ``None``."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _limit_memory(headroom_mb: int | None) -> None:
    """Let this process grow by at most ``headroom_mb`` MiB beyond what it holds now."""
    current = _address_space()
    if not headroom_mb or current is None:
        return
    import resource

    limit = current + headroom_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


_NETWORK_EVENTS = frozenset({
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
    "socket.sendto", "socket.sendmsg", "urllib.Request", "http.client.connect",
})


def _refuse_network(event: str, args: tuple) -> None:
    if event in _NETWORK_EVENTS:
        raise PermissionError("network access is disabled in query workers")


def isolate_network() -> str:
    """Cut this process off the network; return how: ``"namespace"`` or ``"python"``.

    Python code (rdflib) is stopped by an audit hook. Native code (pyoxigraph, which would
    send ``SERVICE`` and ``LOAD`` requests itself) is stopped only by moving the process into
    a network namespace of its own with no interfaces (Linux; as root, or where unprivileged
    user namespaces are allowed). The guard refuses both clauses anyway; this is the second
    line. Must run while the process has a single thread.
    """
    sys.addaudithook(_refuse_network)
    if not sys.platform.startswith("linux"):
        return "python"
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    clone_newuser, clone_newnet = 0x10000000, 0x40000000
    for flags in (clone_newnet, clone_newuser | clone_newnet):
        try:
            if libc.unshare(flags) == 0:
                return "namespace"
        except (OSError, AttributeError):
            break
    return "python"


def _harden(isolate: bool) -> str:
    # rdflib would fetch the IRIs of FROM / FROM NAMED / USING from the network or the disk.
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    # Ctrl-C in a terminal reaches the whole process group; the server stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:  # die with the server, even if it is killed without cleaning up
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    return isolate_network() if isolate else "open"


def main(conn, spec: dict[str, Any]) -> None:
    """Entry point of a worker process: load the graph, then answer tasks until EOF."""
    logging.basicConfig(level=logging.WARNING, format="tkg worker %(process)d: %(message)s")
    try:
        network = _harden(spec["backend"] != "remote")
        kg = load_graph(spec)
        len(kg)  # fail here, not on the first query, if the store is unusable
        generation = checkpoint(kg, spec["checkpoints"]) if spec.get("primary") else None
        _limit_memory(spec.get("query_memory_mb"))
    except BaseException as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    global _ROLE
    _ROLE = spec
    conn.send(("ready", os.getpid(), network, generation))
    while True:
        try:
            pending, task, *heavy = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        started = time.perf_counter()
        try:
            if heavy and heavy[0]:
                reply = at_low_priority(handle, kg, pending, task)
            else:
                reply = handle(kg, pending, task)
        except MemoryError:
            reply = error(503, "the query needed more memory than a worker may use")
        conn.send(replace(reply, timing=(("worker", 1000 * (time.perf_counter() - started)),)))


# -- tasks --------------------------------------------------------------------------------------

#: How much lower the CPU priority of a heavy task is (added to the worker's niceness).
HEAVY_NICE = 10


def at_low_priority(function, *args: Any) -> Any:
    """``function(*args)`` in a thread of lower CPU priority (Linux); its value or exception.

    Heavy queries (see :meth:`~graph.server.pool.WorkerPool.run`) run this way, so that on a
    busy machine the light ones, the server and its clients get the processor first. On
    Linux niceness belongs to a thread: the worker's own priority is untouched, and nothing
    needs restoring (an unprivileged process could not raise it again). Elsewhere the task
    runs at normal priority.

    Examples
    --------
    >>> at_low_priority(sum, [1, 2, 3])
    6
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        if sys.platform.startswith("linux"):
            thread = threading.get_native_id()
            try:
                nice = min(19, os.getpriority(os.PRIO_PROCESS, thread) + HEAVY_NICE)
                os.setpriority(os.PRIO_PROCESS, thread, nice)
            except OSError:
                pass
        try:
            outcome["value"] = function(*args)
        except BaseException as exc:
            outcome["error"] = exc

    runner = threading.Thread(target=run, name="tkg-heavy-task")
    runner.start()
    runner.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]

#: The spec this worker was started with (the writer's tells where checkpoints go).
_ROLE: dict[str, Any] = {}


def _synchronise(kg, item: tuple) -> None:
    """Catch up with one accepted update: open a newer checkpoint, or apply a change log."""
    kind, value = item
    if kind == "open":
        import pyoxigraph as ox

        kg.backend.store = ox.Store.read_only(value)
    elif kind == "delta":
        apply_changes(kg.backend.dataset, value)
    else:
        raise ValueError(f"unknown synchronisation step {kind!r}")


def handle(kg, pending: tuple[str, ...], task: tuple) -> Reply:
    """Run one task on ``kg`` after catching up with ``pending`` (see :func:`_synchronise`).

    Tasks: ``("query", text, accept, fmt, max_rows)``, ``("named", name, params, accept,
    fmt, max_rows)``, ``("update", text)``, ``("examples",)``, ``("terms", changed)``,
    ``("view", params)``, ``("explore", action, *args)`` (:mod:`graph.server.explorer`),
    ``("ping",)``.
    """
    try:
        for item in pending:
            _synchronise(kg, item)
        kind, *args = task
        if kind == "query":
            return run_query(kg, *args)
        if kind == "named":
            return run_named(kg, *args)
        if kind == "update":
            return run_update(kg, *args)
        if kind == "examples":
            return Reply(200, value=examples(kg))
        if kind == "terms":
            from graph.server.terms import vocabulary

            # After an update the index cached with the graph is out of date.
            return Reply(200, value=vocabulary(kg, fresh=bool(args and args[0])))
        if kind == "view":
            from graph.server import view_requests

            return view_requests.handle(kg, *args)
        if kind == "explore":
            from graph.server import explorer

            return explorer.handle(kg, *args)
        if kind == "ping":
            return Reply(200, value=len(kg))
        return error(500, f"unknown task {kind!r}")
    except MemoryError:
        raise
    except Exception:
        # The traceback goes to the server's log, never to the client.
        traceback.print_exc(file=sys.stderr)
        # A failed catch-up or update may have left part of its changes: the server replaces
        # this worker.
        return error(500, "internal error while running the request (see the server log)",
                     dirty=bool(pending) or task[0] == "update")


def _prolog(base: str | None) -> str:
    """The project prefixes and the base IRI, on one line (error lines stay right)."""
    from graph.prefixes import PREFIXES

    declarations = " ".join(f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items())
    return (f"BASE <{base}> " if base else "") + declarations + " "


def run_query(kg, text: str, accept: str | None, fmt: str | None, max_rows: int | None,
              default_graphs: tuple[str, ...] = (), named_graphs: tuple[str, ...] = (),
              base: str | None = None, bindings: dict | None = None) -> Reply:
    """Check, run and serialise one query.

    ``default_graphs`` and ``named_graphs`` are the protocol's dataset (they replace the
    query's ``FROM`` clauses); ``base`` resolves relative IRIs (the endpoint's URL).
    """
    from graph.errors import TkgError
    from graph.server.guard import Refused, check_query
    from graph.server.protocol import HttpError, negotiate
    from graph.server.results import render

    try:
        plan = check_query(text, max_rows, tuple(default_graphs), tuple(named_graphs))
        fmt_name, media_type = negotiate(plan.form, accept, fmt)
    except (Refused, HttpError) as exc:
        return error(exc.status, exc.message)
    sparql = f"BASE <{base}> {plan.sparql}" if base else plan.sparql
    try:
        result = kg.execute(sparql, bindings)
        rendered = render(result, fmt_name, max_rows)
    except TkgError as exc:
        return error(400, str(exc))
    except MemoryError:
        raise
    except Exception as exc:  # raised while a lazy store evaluates the query
        _log.warning("query failed: %s: %s", type(exc).__name__, exc)
        return error(400, f"query failed: {_short(exc)}")
    headers = {"X-TKG-Rows": str(rendered.count)}
    if rendered.truncated:
        headers["X-TKG-Truncated"] = f"true; max-rows={max_rows}"
    charset = "" if media_type.endswith("+xml") or "charset" in media_type else "; charset=utf-8"
    return Reply(200, rendered.body, media_type + charset, headers)


def run_named(kg, name: str, params: list[tuple[str, str]], accept: str | None,
              fmt: str | None, max_rows: int | None) -> Reply:
    """Run the named query ``name`` with parameter values given as text (entities by name)."""
    from graph import query as named
    from graph.errors import TkgError, UnknownName

    try:
        prepared = named.get(name)
    except UnknownName as exc:
        return error(404, str(exc))
    values: dict[str, str] = {}
    for key, value in params:
        if key in values:
            return error(400, f"parameter {key!r} given twice")
        values[key] = value
    try:
        bindings = named.bind_all(prepared, values, kg.resolve)
    except TkgError as exc:
        return error(400, str(exc))
    return run_query(kg, prepared.sparql, accept, fmt, max_rows, bindings=bindings)


def _apply_update(kg, text: str) -> None:
    kg.backend.update(_prolog(None) + text)


def run_update(kg, text: str, default_graphs: tuple[str, ...] = (),
               named_graphs: tuple[str, ...] = (), base: str | None = None) -> Reply:
    """Check and apply one SPARQL Update (the server has checked the token).

    ``default_graphs`` and ``named_graphs`` are the protocol's ``using-graph-uri`` and
    ``using-named-graph-uri``; ``base`` resolves relative IRIs. The writer's reply tells
    the readers how to catch up: ``("open", checkpoint)`` (Oxigraph) or ``("delta",
    changes)`` (memory).
    """
    from graph.server.guard import Refused, check_update

    try:
        text = check_update(text, tuple(default_graphs), tuple(named_graphs))
    except Refused as exc:
        return error(exc.status, exc.message)
    if base:
        text = f"BASE <{base}> {text}"
    # An Oxigraph update is one transaction: a failed one changes nothing.
    transactional = bool(_ROLE.get("primary"))
    _ChangeLog.current = []
    try:
        _apply_update(kg, text)
    except MemoryError:
        raise
    except Exception as exc:
        return error(400, f"update failed: {_short(exc)}", dirty=not transactional)
    finally:
        changes, _ChangeLog.current = _ChangeLog.current, None
    if _ROLE.get("primary"):
        return Reply(204, update=("open", checkpoint(kg, _ROLE["checkpoints"])))
    if _ROLE.get("role") == "writer":
        return Reply(204, update=("delta", changes))
    return Reply(204)


def examples(kg) -> list[dict[str, Any]]:
    """Every named query with example values bound: what the query page offers.

    The example binds the documented examples of the required parameters, or of the first
    parameter when none is required (examples of several optional parameters, combined,
    may match nothing). Entities are resolved here, so the SPARQL runs anywhere.
    """
    from graph import query as named
    from graph.backends.values import bind_values
    from graph.errors import TkgError

    listing = []
    for query in named.list_queries():
        # The required parameters, or else the first one: examples combined may match nothing.
        with_example = [p for p in query.parameters if p.example]
        chosen = [p for p in with_example if p.required] or with_example[:1]
        values = {p.name: p.example for p in chosen}
        example = query.sparql
        bound = {}
        for name, value in values.items():
            try:
                bound.update(named.bind_all(query, {name: value}, kg.resolve))
            except TkgError:
                continue
        try:
            example = bind_values(query.sparql, bound)
        except TkgError:
            bound = {}
        listing.append({
            "name": query.name,
            "summary": query.summary,
            "tags": list(query.tags),
            "parameters": [{"name": p.name, "type": p.type, "description": p.description,
                            "example": p.example, "required": p.required,
                            "classes": list(p.classes)} for p in query.parameters],
            "example_values": {name: values[name] for name in bound},
            "sparql": query.sparql,
            "example": example,
        })
    return listing


def _short(exc: BaseException, limit: int = 500) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[:limit] + "..."
