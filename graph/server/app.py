"""The SPARQL endpoint: a Starlette application over a knowledge graph, and ways to run it.

:func:`create_app` builds the ASGI application; :func:`serve` runs it with uvicorn (the
``tkg serve`` command); :func:`running` runs it in a background thread for notebooks and
tests. Routes:

``/sparql``
    SPARQL 1.1 Protocol (GET, POST form, POST ``application/sparql-query`` /
    ``application/sparql-update``). Without a query: the Service Description, or the query
    page for a browser.
``/``
    The explorer's search page (``?q=`` searches labels, alternative labels and
    descriptions, results by kind); with ``?query=`` the query page, as before.
``/entity/{short id}``
    An entity's page (one template per kind: actor, place, commodity, claim, document),
    or by content negotiation on the same URL its description as Turtle or JSON-LD;
    ``/entity/{id}/network`` its expandable network view, ``/entity/{id}/neighbours`` the
    neighbours a click adds (JSON). See :mod:`graph.server.explorer`.
``/queries``, ``/queries/{name}``
    The named queries with their example SPARQL (JSON); run one with its parameters given
    in the URL (entities by name, e.g. ``/queries/flows?commodity=cocaine``).
``/terms``
    The graph's classes, properties and labelled entities for the query editor's completion
    (JSON): ``/terms?q=tkg:Fl`` (by short id) or ``/terms?q=Mal`` (by label), and
    ``/terms?iri=...`` (the labels of given IRIs); ``class=tkg:Commodity`` keeps the
    instances of a class (with its subclasses). At most 200 terms an answer (``limit``,
    20 by default); a ``limit`` that is not a positive whole number is refused (400). See
    :mod:`graph.server.terms`.
``/views``, ``/views/{filter}/{value}``
    The interactive views of :mod:`graph.views` (filters as URL parameters, e.g.
    ``/views?commodity=cocaine&layout=force``, or ``/views/country/Mali``).
``/health``
    Liveness and worker counts (JSON).
``/openapi.json``
    An OpenAPI 3 description of these routes.

What it refuses and caps (see ``docs/endpoint.md``): SPARQL Update without the update token
(403), ``SERVICE`` and ``LOAD`` (403), requests over ``max_request_bytes`` (413, 414), queries
over ``timeout`` seconds (503, the worker is killed and replaced), answers over ``max_rows``
rows (cut, with the header ``X-TKG-Truncated``). Every query runs in a worker process
(:mod:`graph.server.pool`), unless the same light query ran since the last update: then its
kept answer is sent (:mod:`graph.server.cache`, header ``X-TKG-Cache: hit``). No traceback
ever reaches a client.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from graph.errors import BackendError, DataError
from graph.server import html
from graph.server.cache import ResultCache, cacheable, normalise
from graph.server.description import service_description
from graph.server.pool import WorkerPool
from graph.server.protocol import GRAPH_TYPES, HttpError, negotiate, parse_request, preferred_html
from graph.server.worker import Reply

__all__ = ["DEFAULT_MAX_REQUEST_BYTES", "create_app", "open_graph", "running", "serve"]

_log = logging.getLogger("graph.server")

#: Queries with a top-level LIMIT up to this go in the fast lane (see WorkerPool.run).
LIGHT_LIMIT = 1000

#: Seconds the editor's term list may take to build (reading every label of a large graph
#: once), when that is more than the query time limit.
TERMS_TIMEOUT = 120.0

#: Largest request (URL or body) accepted by default: 1 MB.
DEFAULT_MAX_REQUEST_BYTES = 1_000_000


@dataclass(frozen=True)
class Settings:
    """The limits and switches of one endpoint."""

    #: Bearer token that allows SPARQL Update; ``None`` means read-only.
    update_token: str | None
    #: Seconds a query (or update, or view) may run.
    timeout: float
    #: Seconds a request may wait for a free worker before the server answers 503 (busy).
    queue_timeout: float
    #: Rows (SELECT) or triples (CONSTRUCT, DESCRIBE) an answer may hold.
    max_rows: int
    #: Bytes a request's URL or body may hold.
    max_request_bytes: int
    #: Number of worker processes.
    workers: int
    #: Memory (MiB) a worker may take beyond the loaded graph to run a query (``None``: any).
    query_memory_mb: int | None
    #: Seconds a client may take to send a request's head (line and headers).
    header_timeout: float = 10.0
    #: Bytes of light queries' answers the result cache may hold (0: no cache).
    cache_bytes: int = 0


def _default_workers() -> int:
    return max(2, min(4, os.cpu_count() or 1))


class _Endpoint:
    """State shared by the routes of one application: settings, graph, worker pool."""

    def __init__(self, kg, settings: Settings, store_path: str | Path | None = None) -> None:
        self.kg = kg
        self.settings = settings
        self.store_path = Path(store_path) if store_path else None
        self.pool: WorkerPool | None = None
        self.graphs = sorted({s.graph for s in kg.sources if getattr(s, "graph", None)})
        self._examples: tuple[int, Any] | None = None
        #: The term index of the editor's completion, with the update generation it is of.
        self._terms: tuple[int, Any] | None = None
        self._terms_lock = asyncio.Lock()
        #: The SPARQL of the named queries and of their examples (the fast lane).
        self._light_texts: set[str] = set()
        #: Answers of light queries by query, format, dataset and store version. Not with a
        #: remote store: others may change it without the endpoint knowing.
        self.cache = ResultCache(0 if kg.backend.name == "remote" else settings.cache_bytes)
        #: Cacheable queries running now, by cache key: the same query asked meanwhile waits
        #: for that run instead of queueing for a worker of its own.
        self._running: dict[tuple, asyncio.Task] = {}

    # -- life cycle -----------------------------------------------------------------------------

    def _specs(self, folder: Path) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """What the readers and the writer load (``None``: no writer, a remote store)."""
        backend = self.kg.backend
        spec: dict[str, Any] = {"backend": backend.name, "sources": list(self.kg.sources),
                                "key": self.kg.key,
                                "query_memory_mb": self.settings.query_memory_mb}
        if backend.name == "remote":
            spec.update(endpoint=backend.endpoint, update_endpoint=backend.update_endpoint,
                        timeout=self.settings.timeout)
            return spec, None
        if backend.name == "oxigraph" or self.store_path is not None:
            primary = self.store_path
            if primary is None:
                primary = folder / "store"
                _build_store(self.kg, primary, folder / "graph.nq")
            spec["backend"] = "oxigraph"
            (folder / "checkpoints").mkdir()
            return spec, {**spec, "role": "writer", "primary": str(primary),
                          "checkpoints": str(folder / "checkpoints")}
        snapshot = folder / "graph.nq"
        self.kg.serialize(snapshot, "nquads")
        spec["snapshot"] = str(snapshot)
        return spec, {**spec, "role": "writer"}

    @asynccontextmanager
    async def lifespan(self, app: Starlette):
        folder = Path(tempfile.mkdtemp(prefix="tkg-serve-"))
        try:
            spec, writer = await asyncio.to_thread(self._specs, folder)
            self.pool = WorkerPool(spec, self.settings.workers,
                                   shared=self.kg.backend.name == "remote", writer=writer)
            await self.pool.start()
            await self._learn_light_texts()
            yield
        finally:
            if self.pool is not None:
                await self.pool.close()
            shutil.rmtree(folder, ignore_errors=True)

    # -- helpers --------------------------------------------------------------------------------

    async def _body(self, request: Request) -> bytes:
        limit = self.settings.max_request_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise HttpError(413, f"request body of {int(declared):,} bytes is over the "
                                 f"server's limit of {limit:,} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise HttpError(413, f"request body is over the server's limit of {limit:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def _check_url(self, request: Request) -> None:
        limit = self.settings.max_request_bytes
        if len(request.scope.get("query_string", b"")) > limit:
            raise HttpError(414, f"URL is over the server's limit of {limit:,} bytes; "
                                 "send long queries by POST")

    def _authorize(self, request: Request) -> None:
        token = self.settings.update_token
        if not token:
            raise HttpError(403, "SPARQL Update is refused: this endpoint is read-only (start "
                                 "it with an update token to accept updates)")
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise HttpError(401, "SPARQL Update needs the update token: send the header "
                                 "'Authorization: Bearer <token>'",
                            {"WWW-Authenticate": 'Bearer realm="tkg"'})
        if not hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8")):
            raise HttpError(403, "SPARQL Update is refused: wrong update token")

    async def _run(self, task: tuple, light: bool = True) -> Reply:
        assert self.pool is not None
        return await self.pool.run(task, self.settings.timeout,
                                   queue_timeout=self.settings.queue_timeout, light=light)

    # -- routes ---------------------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        started = time.perf_counter()
        self._check_url(request)
        body = await self._body(request) if request.method == "POST" else b""
        operation = parse_request(request.method, request.headers.get("content-type"),
                                  request.query_params.multi_items(), body)
        accept = request.headers.get("accept")
        if operation.operation is None:
            if request.method == "POST":
                raise HttpError(400, "the request has no 'query' or 'update'")
            return self._describe(request, accept, operation.format)
        base = _base_iri(request)
        if operation.operation == "update":
            self._authorize(request)
            assert self.pool is not None
            try:
                reply = await self.pool.update(
                    ("update", operation.text, operation.default_graphs,
                     operation.named_graphs, base),
                    self.settings.timeout, self.settings.queue_timeout)
            finally:
                # The pool's version changed: no kept answer can be looked up again.
                self.cache.clear()
            self._examples = None
            return _response(reply)
        light = self._light(operation.text)
        task = ("query", operation.text, accept, operation.format, self.settings.max_rows,
                operation.default_graphs, operation.named_graphs, base)
        key = self._cache_key(operation, accept, base) if light else None
        if key is None:
            return _response(await self._run(task, light=light), started)
        cached = self.cache.get(key)
        if cached is not None:
            return _response(cached, started, "hit")
        running = self._running.get(key)
        if running is not None:
            # The same query is running for another request: share its answer.
            reply = await asyncio.shield(running)
            return _response(replace(reply, timing=()), started, "hit")
        running = asyncio.ensure_future(self._run_and_keep(key, task))
        self._running[key] = running
        running.add_done_callback(lambda done: self._ran(key, done))
        # Shielded: a client that goes away does not stop the run others wait for.
        return _response(await asyncio.shield(running), started, "miss")

    async def _run_and_keep(self, key: tuple, task: tuple) -> Reply:
        """Run a cacheable light query and keep its answer (if no update came meanwhile)."""
        reply = await self._run(task, light=True)
        assert self.pool is not None
        if reply.status == 200 and reply.value is None and self.pool.version == key[-1]:
            self.cache.put(key, reply.body, replace(reply, timing=()))
        return reply

    def _ran(self, key: tuple, done: asyncio.Task) -> None:
        if self._running.get(key) is done:
            del self._running[key]
        if not done.cancelled():
            done.exception()  # retrieved here too, in case every waiting client went away

    def _cache_key(self, operation, accept: str | None, base: str) -> tuple | None:
        """The result cache's key for a light query, or ``None`` if its answer is not kept
        (no cache, or a query whose answer changes from run to run)."""
        if not self.cache.capacity or not cacheable(operation.text):
            return None
        assert self.pool is not None
        return (normalise(operation.text), accept, operation.format, self.settings.max_rows,
                operation.default_graphs, operation.named_graphs, base, self.pool.version)

    async def _learn_light_texts(self) -> None:
        try:
            reply = await self._run(("examples",))
        except HttpError:
            return
        if reply.value is not None:
            assert self.pool is not None
            self._examples = (len(self.pool.updates), reply.value)
            self._light_texts |= {q[k] for q in reply.value for k in ("sparql", "example")}

    def _light(self, text: str) -> bool:
        """Whether a query goes in the fast lane: the text of a named query (or its example),
        an ASK, or a query with a top-level LIMIT of at most :data:`LIGHT_LIMIT`."""
        if text in self._light_texts:
            return True
        from graph.backends.rewrite import query_shape

        form, limit = query_shape(text)
        return form == "ASK" or (limit is not None and limit <= LIGHT_LIMIT)

    def _describe(self, request: Request, accept: str | None, fmt: str | None) -> Response:
        if fmt is None and preferred_html(accept, GRAPH_TYPES.values()):
            return self._page(None)
        name, media_type = negotiate("CONSTRUCT", accept, fmt)
        endpoint = str(request.url.replace(query="", fragment=""))
        body = service_description(endpoint, name, updates=bool(self.settings.update_token),
                                   graphs=self.graphs, max_rows=self.settings.max_rows,
                                   timeout=self.settings.timeout)
        return Response(body, media_type=media_type)

    def _page(self, query: str | None) -> Response:
        nonce = html.new_nonce()
        body = html.render_page(query, updates=bool(self.settings.update_token),
                                max_rows=self.settings.max_rows, timeout=self.settings.timeout,
                                nonce=nonce)
        return Response(body, media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": html.page_policy(nonce)})

    async def home(self, request: Request) -> Response:
        """``/``: the search page; the query page for an old link with ``?query=``."""
        self._check_url(request)
        if "query" in request.query_params:
            return self._page(request.query_params.get("query"))
        reply = await self._run(("explore", "search", request.query_params.get("q"),
                                 _root(request)))
        response = _response(reply)
        if reply.status == 200:
            response.headers["Content-Security-Policy"] = html.ENTITY_POLICY
        return response

    async def entity(self, request: Request) -> Response:
        """``/entity/{id}``: an entity's page or RDF; ``.../network``, ``.../neighbours``."""
        from graph.server.explorer import rdf_format

        self._check_url(request)
        path = request.path_params["id"]
        root = _root(request)
        for suffix in ("/network", "/neighbours"):
            if path.endswith(suffix) and len(path) > len(suffix):
                action = suffix[1:]
                task = ("explore", action, path[:-len(suffix)])
                reply = await self._run(task + ((root,) if action == "network" else ()))
                response = _response(reply)
                if action == "network" and reply.status == 200:
                    response.headers["Content-Security-Policy"] = html.NETWORK_POLICY
                    response.headers["X-Frame-Options"] = "SAMEORIGIN"
                return response
        fmt = rdf_format(request.headers.get("accept"), request.query_params.get("format"))
        reply = await self._run(("explore", "entity", path, fmt, root, self.settings.max_rows))
        response = _response(reply)
        response.headers["Vary"] = "Accept"
        if fmt is None and reply.status in (200, 404) and reply.media_type.startswith("text/html"):
            response.headers["Content-Security-Policy"] = html.ENTITY_POLICY
        return response

    async def queries(self, request: Request) -> Response:
        assert self.pool is not None
        generation = len(self.pool.updates)
        if self._examples is None or self._examples[0] != generation:
            reply = await self._run(("examples",))
            if reply.value is None:
                return _response(reply)
            self._examples = (generation, reply.value)
            self._light_texts |= {q[k] for q in reply.value for k in ("sparql", "example")}
        return JSONResponse(self._examples[1])

    async def _term_index(self):
        """The editor's term index for the graph as it is now (built by a worker, once per
        accepted update)."""
        from graph.server.terms import TermIndex

        assert self.pool is not None
        async with self._terms_lock:
            generation = len(self.pool.updates)
            if self._terms is None or self._terms[0] != generation:
                reply = await self.pool.run(("terms", generation > 0),
                                            max(self.settings.timeout, TERMS_TIMEOUT),
                                            queue_timeout=self.settings.queue_timeout,
                                            light=False)
                if reply.value is None:
                    raise HttpError(reply.status, reply.body.decode("utf-8", "replace"))
                index = await asyncio.to_thread(TermIndex, reply.value)
                self._terms = (generation, index)
            return self._terms[1]

    async def terms(self, request: Request) -> Response:
        self._check_url(request)
        params = request.query_params
        limit_text = params.get("limit", "20")
        if not limit_text.isdecimal() or int(limit_text) < 1:
            raise HttpError(400, f"limit must be a positive whole number, got {limit_text!r}")
        classes = [_short_class(value) for value in params.getlist("class")]
        index = await self._term_index()
        iris = params.getlist("iri")
        found = (index.lookup(iris) if iris
                 else index.complete(params.get("q", ""), int(limit_text), classes))
        return JSONResponse([term.to_json() for term in found])

    async def named_query(self, request: Request) -> Response:
        self._check_url(request)
        items = request.query_params.multi_items()
        params = [(k, v) for k, v in items if k not in ("format", "output")]
        formats = [v for k, v in items if k in ("format", "output")]
        reply = await self._run(("named", request.path_params["name"], params,
                                 request.headers.get("accept"), ",".join(formats) or None,
                                 self.settings.max_rows))
        return _response(reply)

    async def view(self, request: Request) -> Response:
        self._check_url(request)
        params = request.query_params.multi_items()
        if "filter" in request.path_params:
            name = request.path_params["filter"]
            if name not in ("commodity", "country", "actor"):
                raise HttpError(404, f"no such view: /views/{name}/...; use commodity, country "
                                     "or actor")
            params = [(name, request.path_params["value"]), *params]
        reply = await self._run(("view", params, _root(request)), light=False)
        response = _response(reply)
        if reply.status == 200:
            response.headers["Content-Security-Policy"] = html.VIEW_POLICY
        return response

    async def openapi(self, request: Request) -> Response:
        from graph.server.openapi import openapi

        return JSONResponse(openapi(updates=bool(self.settings.update_token),
                                    max_rows=self.settings.max_rows,
                                    timeout=self.settings.timeout))

    async def health(self, request: Request) -> Response:
        """Liveness: ``ok``, ``degraded`` (some workers or the writer are being replaced) or
        ``unavailable`` (no reader at all: answered with 503)."""
        pool = self.pool
        alive = pool.alive if pool else 0
        writer = pool.writer if pool else "none"
        unhealthy = self.settings.workers - alive
        status = "unavailable" if alive == 0 else \
            "degraded" if unhealthy or writer == "restarting" else "ok"
        return JSONResponse({
            "status": status,
            "backend": self.kg.backend.name,
            "workers": alive,
            "unhealthy": unhealthy,
            "writer": writer,
            "idle": pool.idle if pool else 0,
            "heavy": pool.heavy if pool else 0,
            "replaced": pool.replaced if pool else 0,
            "updates": len(pool.updates) if pool else 0,
            "network": pool.network if pool else "unknown",
            "cache": self.cache.stats(),
        }, status_code=503 if status == "unavailable" else 200)


_HOST = re.compile(r"[A-Za-z0-9.\-]+(?::[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?")


def _root(request: Request) -> str:
    """The relative way from a request's URL back to the endpoint's top ("", "../", ...).

    Counted on the URL as the browser sees it (``raw_path``: an id's escaped ``/`` is no
    step), so the explorer's links work behind a proxy that mounts the endpoint elsewhere.
    """
    raw = request.scope.get("raw_path") or request.url.path.encode("utf-8")
    return "../" * max(0, raw.split(b"?", 1)[0].count(b"/") - 1)


def _base_iri(request: Request) -> str:
    """The base IRI for relative IRIs in queries and updates: the endpoint's own URL.

    Built from the ``Host`` header when it is a plain host name or address (with a port),
    else from the address the server listens on.
    """
    host = request.headers.get("host", "")
    if not _HOST.fullmatch(host):
        server = request.scope.get("server") or ("localhost", None)
        host = server[0] if server[1] is None else f"{server[0]}:{server[1]}"
        if ":" in str(server[0]):
            host = f"[{server[0]}]:{server[1]}"
    return f"http://{host}/sparql"


def _short_class(value: str) -> str:
    """The short id of a class given to ``/terms`` as a prefixed name or an IRI."""
    from graph.errors import TkgError
    from graph.lookup import expand_id, short_id

    try:
        return short_id(expand_id(value))
    except TkgError:
        raise HttpError(400, f"class {value!r} is not a prefixed name (tkg:Commodity) or an "
                             "IRI") from None


def _build_store(kg, primary: Path, snapshot: Path) -> None:
    """Write ``kg`` into a new on-disk Oxigraph store at ``primary`` (closed afterwards)."""
    import pyoxigraph as ox

    kg.serialize(snapshot, "nquads")
    store = ox.Store(str(primary))
    try:
        try:
            store.bulk_load(path=str(snapshot), format=ox.RdfFormat.N_QUADS)
        except MemoryError:  # a literal over pyoxigraph's 16 MB token buffer
            from graph.backends.oxigraph import _load_with_rdflib

            store.clear()
            _load_with_rdflib(store, snapshot, "nquads", None)
        store.flush()
    finally:
        del store
    snapshot.unlink()


def _response(reply: Reply, started: float | None = None, cache: str | None = None) -> Response:
    headers = reply.headers
    if started is not None:
        # Where the request's time went in this server (W3C Server Timing, milliseconds):
        # waiting for a worker, the worker's own time, the transfer between the processes,
        # and everything from the route's start to here.
        timing = (*reply.timing, ("app", 1000 * (time.perf_counter() - started)))
        headers = {**headers, "Server-Timing": ", ".join(f"{name};dur={ms:.1f}"
                                                         for name, ms in timing)}
    if cache is not None:
        # "hit": answered from the result cache (no worker ran it); "miss": a worker ran it.
        headers = {**headers, "X-TKG-Cache": cache}
    if reply.value is not None:
        return JSONResponse(reply.value, status_code=reply.status, headers=headers)
    return Response(reply.body, status_code=reply.status, headers=headers,
                    media_type=reply.media_type if reply.status != 204 else None)


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response((message.rstrip() + "\n").encode("utf-8"), status_code=status,
                    headers=headers, media_type="text/plain; charset=utf-8")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HttpError)
    return _text(exc.status, exc.message, exc.headers)


async def _starlette_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"no such page: {request.url.path}; the SPARQL endpoint is at /sparql"
    elif exc.status_code == 405:
        message = f"method {request.method} is not allowed here"
    else:
        message = str(exc.detail)
    return _text(exc.status_code, message, dict(exc.headers or {}))


async def _internal_error(request: Request, exc: Exception) -> Response:
    # Logged with its traceback by the server; the client gets one line.
    return _text(500, "internal server error (the details are in the server's log)")


class _SecurityHeaders:
    """ASGI middleware adding protective headers to every response."""

    _HEADERS = (
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    )

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [h for h in self._HEADERS if h[0] not in names]
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", html.PAGE_POLICY.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(kg, *, update_token: str | None = None, timeout: float = 10.0,
               queue_timeout: float = 30.0, max_rows: int = 10_000,
               max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
               workers: int | None = None, query_memory_mb: int | None = 2048,
               cors_origins: Sequence[str] = (),
               store_path: str | Path | None = None,
               header_timeout: float = 10.0, cache_mb: float = 64) -> Starlette:
    """Build the SPARQL endpoint over ``kg`` as an ASGI application.

    When the application starts (its lifespan) the graph is written once into an on-disk
    Oxigraph store in a private temporary folder (or ``store_path`` is used as it is); one
    writer process applies updates to it and the query workers read its newest checkpoint.
    Later changes to ``kg`` in the caller do not reach the endpoint, and updates sent to the
    endpoint change that store, not ``kg``. With the memory backend the workers hold rdflib
    copies that follow the writer's change log; a remote backend is passed through.

    Parameters
    ----------
    kg : graph.KnowledgeGraph
        The graph to serve, in any backend. With a remote backend the endpoint passes
        queries through to that server instead of copying the graph.
    update_token : str, optional
        Accept SPARQL Update requests that carry ``Authorization: Bearer <update_token>``.
        Without it the endpoint is read-only.
    timeout : float
        Seconds a query may run before its worker is killed and the client gets 503.
    queue_timeout : float
        Seconds a request may wait for a free worker (all busy) before the client gets 503.
    max_rows : int
        Rows (SELECT) or triples (CONSTRUCT, DESCRIBE) an answer may hold; longer answers
        are cut and carry the header ``X-TKG-Truncated``.
    max_request_bytes : int
        Largest accepted URL query string (414 beyond) and request body (413 beyond).
    workers : int, optional
        Reader processes (default: 2 to 4, by CPU count), besides the one writer.
    query_memory_mb : int or None
        Memory (MiB of address space, Linux only) a worker may take beyond the loaded graph
        while it runs a query; a query that needs more fails alone (503) and the worker is
        replaced. ``None`` or 0: no limit.
    cors_origins : sequence of str
        Origins allowed to call the endpoint from a browser page they serve (``"*"`` for
        any). None by default.
    store_path : str or Path, optional
        An on-disk Oxigraph store (a directory, e.g. a workspace's) to serve instead of a
        private copy of ``kg``: the writer opens it read-write, so accepted updates persist
        there. No other process may hold it open read-write meanwhile.
    header_timeout : float
        Seconds a client may take to send a request's line and headers before the
        connection is closed (when run by :func:`serve` or :func:`running`).
    cache_mb : float
        MiB of answers the result cache may hold (:mod:`graph.server.cache`): light queries
        (named queries, ASK, a small LIMIT) asked again with the same text, format and
        dataset are answered from it, with the header ``X-TKG-Cache: hit``, until the next
        update. 0 turns it off.

    Returns
    -------
    starlette.applications.Starlette

    Raises
    ------
    ValueError
        For a non-positive limit.

    Examples
    --------
    >>> app = create_app(kg, timeout=5, max_rows=100)
    >>> sorted(r.path for r in app.routes)[:3]
    ['/', '/assets', '/entity/{id:path}']
    """
    for name, value in (("timeout", timeout), ("queue_timeout", queue_timeout),
                        ("header_timeout", header_timeout),
                        ("max_rows", max_rows), ("max_request_bytes", max_request_bytes)):
        if value is None or value <= 0:
            raise ValueError(f"{name} must be positive, got {value!r}")
    if cache_mb is None or cache_mb < 0:
        raise ValueError(f"cache_mb must be 0 or more, got {cache_mb!r}")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers!r}")
    settings = Settings(update_token or None, float(timeout), float(queue_timeout),
                        int(max_rows), int(max_request_bytes), workers or _default_workers(),
                        query_memory_mb or None, float(header_timeout),
                        int(cache_mb * 1024 * 1024))
    endpoint = _Endpoint(kg, settings, store_path)
    routes = [
        Route("/", endpoint.home, methods=["GET"]),
        Route("/entity/{id:path}", endpoint.entity, methods=["GET"]),
        Route("/sparql", endpoint.sparql, methods=["GET", "POST"]),
        Route("/queries", endpoint.queries, methods=["GET"]),
        Route("/queries/{name}", endpoint.named_query, methods=["GET"]),
        Route("/terms", endpoint.terms, methods=["GET"]),
        Route("/views", endpoint.view, methods=["GET"]),
        Route("/views/{filter}/{value}", endpoint.view, methods=["GET"]),
        Route("/health", endpoint.health, methods=["GET"]),
        Route("/openapi.json", endpoint.openapi, methods=["GET"]),
        Mount("/assets", StaticFiles(directory=html.assets_dir()), name="assets"),
    ]
    middleware = [Middleware(_SecurityHeaders)]
    if cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        middleware.append(Middleware(
            CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type", "Authorization"],
            expose_headers=["X-TKG-Rows", "X-TKG-Truncated", "X-TKG-Cache"]))
    app = Starlette(routes=routes, middleware=middleware, lifespan=endpoint.lifespan,
                    exception_handlers={HttpError: _http_error, HTTPException: _starlette_error,
                                        Exception: _internal_error})
    app.state.endpoint = endpoint
    return app


def open_graph(data: Sequence[str | Path] = (), backend: str = "oxigraph", no_cache: bool = False,
               progress=None):
    """The graph ``tkg serve`` serves: loaded from files, or a remote store passed through.

    A backend given as a URL is used as it is (its data is not replaced or uploaded).

    Raises
    ------
    graph.errors.DataError
        If data files are given together with a remote store.
    """
    if backend and backend.startswith(("http://", "https://")):
        if data:
            raise DataError(f"--data cannot be combined with the remote store {backend}: the "
                            "endpoint passes queries through to it")
        from graph.backends import open_backend
        from graph.kg import KnowledgeGraph

        return KnowledgeGraph(open_backend(backend))
    from graph.load import load

    return load(list(data) or None, backend=backend, use_cache=not no_cache, progress=progress)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted connections only then (with
    # Nagle's algorithm on, keep-alive clients wait ~40 ms for every answer).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise BackendError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return sock


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/sparql"


def _protocol(head_limit: int, header_timeout: float):
    """uvicorn's h11 protocol with a time limit on request heads and 414/431 for long ones.

    uvicorn answers a request head over h11's buffer with a bare 400 and waits for a slow
    head indefinitely; this one closes a connection whose head is not complete within
    ``header_timeout`` seconds and answers 414 (URL) or 431 (headers) with a message.
    """
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class Protocol(H11Protocol):
        _head_timer: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            self._disarm()
            self._head_timer = self.loop.call_later(header_timeout, self._head_expired)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_expired(self) -> None:
            self._head_timer = None
            if self.conn.their_state == h11.IDLE and not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state != h11.IDLE:
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()  # for the next request on this connection

        def send_400_response(self, msg: str) -> None:
            buffered = self.conn.trailing_data[0]
            if len(buffered) < head_limit:
                super().send_400_response(msg)
                return
            if b"\n" not in buffered[:head_limit]:
                status, message = 414, (f"URL is over the server's limit of {head_limit:,} "
                                        "bytes; send long queries by POST")
            else:
                status, message = 431, f"request headers are over {head_limit:,} bytes"
            body = (message + "\n").encode()
            self.transport.write(
                f"HTTP/1.1 {status} {'URI Too Long' if status == 414 else 'Too Large'}\r\n"
                f"content-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
                f"content-length: {len(body)}\r\n\r\n".encode() + body)
            self.transport.close()

    return Protocol


def _server(app: Starlette, max_request_bytes: int, log_level: str, on_ready=None):
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if self.started and on_ready is not None:
                on_ready()

    head_limit = max(max_request_bytes + 16_384, 65_536)
    settings = app.state.endpoint.settings
    config = uvicorn.Config(app, http=_protocol(head_limit, settings.header_timeout),
                            lifespan="on", log_level=log_level,
                            timeout_graceful_shutdown=5, server_header=False,
                            h11_max_incomplete_event_size=head_limit)
    return Server(config)


def serve(kg, host: str = "127.0.0.1", port: int = 8000, *, log_level: str = "info",
          on_ready=None, **options: Any) -> None:
    """Run the endpoint over ``kg`` with uvicorn until interrupted (Ctrl-C, SIGTERM).

    Parameters
    ----------
    kg : graph.KnowledgeGraph
        The graph to serve.
    host : str
        Address to listen on; the loopback interface by default, so that only this machine
        can connect. Use ``0.0.0.0`` deliberately.
    port : int
        TCP port; 0 picks a free one.
    log_level : str
        uvicorn's log level (``info`` logs every request).
    on_ready : callable, optional
        Called with the endpoint URL once the workers are up and the server listens.
    **options
        The limits of :func:`create_app` (``update_token``, ``timeout``, ``queue_timeout``,
        ``max_rows``,
        ``max_request_bytes``, ``workers``, ``query_memory_mb``, ``cors_origins``).

    Raises
    ------
    graph.errors.BackendError
        If the address is in use or the workers cannot load the graph.
    """
    app = create_app(kg, **options)
    sock = _bind(host, port)
    url = _url(sock)
    server = _server(app, app.state.endpoint.settings.max_request_bytes, log_level,
                     (lambda: on_ready(url)) if on_ready else None)
    try:
        server.run(sockets=[sock])
    except SystemExit:
        raise BackendError("the endpoint could not start (see the messages above)") from None
    finally:
        sock.close()


@contextlib.contextmanager
def running(kg, host: str = "127.0.0.1", port: int = 0, **options: Any) -> Iterator[str]:
    """Run the endpoint in a background thread; yield its URL; stop it on exit.

    Examples
    --------
    >>> import urllib.request, urllib.parse, json
    >>> with running(kg, workers=1) as url:
    ...     query = urllib.parse.urlencode({"query": "ASK { place:MLI a tkg:Country }"})
    ...     with urllib.request.urlopen(f"{url}?{query}") as response:
    ...         json.load(response)["boolean"]
    True
    """
    app = create_app(kg, **options)
    sock = _bind(host, port)
    ready = threading.Event()
    server = _server(app, app.state.endpoint.settings.max_request_bytes, "warning", ready.set)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # SystemExit when the workers cannot start
            failure.append(exc)
        finally:
            ready.set()

    thread = threading.Thread(target=run, name="tkg-endpoint", daemon=True)
    thread.start()
    ready.wait()
    try:
        if failure or not server.started:
            raise BackendError("the endpoint could not start (see the log)")
        yield _url(sock)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
