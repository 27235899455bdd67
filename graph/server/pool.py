"""The server's side of the query workers: hand out tasks, enforce the time limit, replace.

A :class:`WorkerPool` keeps ``size`` reader processes (:mod:`graph.server.worker`) and, for a
local graph, one writer. A query waits for an idle reader, runs there, and comes back as a
:class:`~graph.server.worker.Reply`. When a task overruns its time limit the process is killed
(SIGKILL: the only way to stop a query inside pyoxigraph or rdflib) and a fresh one is started
in the background, so a runaway query never holds a worker beyond the limit.

Updates are evaluated once, by the writer, never replayed:

- **Oxigraph** (``spec["primary"]``): the writer holds the one on-disk store read-write and
  after each update writes a checkpoint (a RocksDB snapshot: hard links, immutable); readers
  open the newest checkpoint read-only before their next task. Every reader sees the very
  triples the writer wrote (the same ``STRUUID()``, ``NOW()``, blank nodes), and a reader
  started later opens the newest checkpoint, with nothing to replay.
- **memory** (rdflib): the writer records the store operations an update makes (triples
  added, patterns removed) and readers apply that change log, without evaluating anything.
- **remote**: the workers share the remote store; updates run there once.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import shutil
import signal
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from graph.errors import BackendError
from graph.server.protocol import HttpError
from graph.server.worker import Reply

__all__ = ["WorkerPool"]

_log = logging.getLogger(__name__)


class _Worker:
    """One worker process and the server's end of its pipe (blocking calls only)."""

    def __init__(self, context, spec: dict[str, Any]) -> None:
        from graph.server import worker

        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(target=worker.main, args=(child, spec), daemon=True,
                                       name="tkg-sparql-worker")
        self.process.start()
        child.close()
        #: How many entries of the pool's change log this worker has applied (memory).
        self.applied = 0
        #: The store checkpoint this worker reads (Oxigraph).
        self.generation: str | None = spec.get("store")
        #: How the worker is kept off the network (see :func:`~.worker.isolate_network`).
        self.network = "unknown"
        #: What the worker said when ready (the writer: its first checkpoint).
        self.ready: tuple = ()

    def wait_ready(self, timeout: float) -> None:
        try:
            if not self.conn.poll(timeout):
                raise BackendError(f"a query worker did not load the graph within {timeout:g} s")
            message = self.conn.recv()
        except (EOFError, OSError):
            raise BackendError("a query worker stopped while loading the graph") from None
        if message[0] != "ready":
            raise BackendError(f"a query worker could not load the graph: {message[1]}")
        self.network = message[2]
        self.ready = message

    def call(self, message: tuple) -> Reply:
        self.conn.send(message)
        return self.conn.recv()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()

    def dispose(self) -> None:
        """Reap the process and close the pipe (after no thread uses it any more)."""
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """Worker processes answering tasks under a time limit.

    Parameters
    ----------
    spec : dict
        What each reader loads (see :func:`graph.server.worker.load_graph`).
    size : int
        Number of reader processes.
    shared : bool
        True when the workers share one remote store: updates run on a reader.
    writer : dict, optional
        What the writer loads: ``{"primary": store directory, "checkpoints": folder}`` for
        Oxigraph, the readers' spec with ``"role": "writer"`` for the memory backend.
    start_timeout : float
        Seconds a worker may take to load the graph.
    """

    def __init__(self, spec: dict[str, Any], size: int, *, shared: bool = False,
                 writer: dict[str, Any] | None = None, start_timeout: float = 600.0) -> None:
        if size < 1:
            raise ValueError(f"a worker pool needs at least one worker, got {size}")
        self.spec = dict(spec)
        self.size = size
        self.shared = shared
        self.writer_spec = writer
        self.start_timeout = start_timeout
        #: Accepted updates (their count; the memory backend's change log entries).
        self.updates: list[Any] = []
        #: Raised before and after every update request, accepted or not: answers computed
        #: under one version are valid only while it lasts (the result cache's key).
        self.version = 0
        #: The newest store checkpoint (Oxigraph), which readers open.
        self.generation: str | None = None
        self._pinned: Counter[str] = Counter()
        self._writer: _Worker | None = None
        self._writer_idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._writer_restarts = 0
        # The fast lane: heavy tasks leave one reader free for light ones.
        self._lane = asyncio.Condition()
        self._heavy = 0
        self._context = multiprocessing.get_context("spawn")
        self._threads = ThreadPoolExecutor(max_workers=size + 4, thread_name_prefix="tkg-pool")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: set[_Worker] = set()
        self._update_lock = asyncio.Lock()
        self._background: set[asyncio.Task] = set()
        self._retired: set[_Worker] = set()
        self._closing = False
        #: Workers replaced after a timeout or crash, since start.
        self.replaced = 0

    # -- life cycle -----------------------------------------------------------------------------

    def _new_worker(self, spec: dict[str, Any] | None = None) -> _Worker:
        if spec is None:
            spec = dict(self.spec)
            if self.generation is not None:
                spec["store"] = self.generation
        generation = spec.get("store")
        if generation:
            self._pinned[generation] += 1
        try:
            worker = _Worker(self._context, spec)
            try:
                worker.wait_ready(self.start_timeout)
            except BaseException:
                worker.kill()
                worker.dispose()
                raise
        finally:
            if generation:
                self._pinned[generation] -= 1
        return worker

    def _new_writer(self) -> _Worker:
        assert self.writer_spec is not None
        worker = self._new_worker(dict(self.writer_spec))
        if len(worker.ready) > 3 and worker.ready[3]:
            self.generation = worker.ready[3]
        return worker

    async def start(self) -> None:
        """Start the writer, then every reader, and wait until all have loaded the graph."""
        loop = asyncio.get_running_loop()
        if self.writer_spec is not None:
            try:
                self._writer = await loop.run_in_executor(self._threads, self._new_writer)
            except BaseException:
                await self.close()
                raise
            self._writer_idle.put_nowait(self._writer)
        results = await asyncio.gather(
            *(loop.run_in_executor(self._threads, self._new_worker) for _ in range(self.size)),
            return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        for result in results:
            if isinstance(result, _Worker):
                self._workers.add(result)
                self._idle.put_nowait(result)
        if failures:
            await self.close()
            raise failures[0]

    async def close(self) -> None:
        """Stop every worker."""
        self._closing = True
        for task in list(self._background):
            task.cancel()
        workers = list(self._workers) + list(self._retired)
        if self._writer is not None:
            workers.append(self._writer)
            self._writer = None
        self._workers.clear()
        self._retired.clear()
        for worker in workers:
            worker.kill()
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self._threads, w.dispose) for w in workers),
                             return_exceptions=True)
        self._threads.shutdown(wait=False, cancel_futures=True)

    @property
    def idle(self) -> int:
        """Workers waiting for a task."""
        return self._idle.qsize()

    @property
    def network(self) -> str:
        """How the workers are kept off the network (the weakest if they differ)."""
        levels = {w.network for w in self._workers}
        for level in ("open", "unknown", "python", "namespace"):
            if level in levels:
                return level
        return "unknown"

    @property
    def alive(self) -> int:
        """Readers running (idle or busy), not counting replacements still loading."""
        return len(self._workers)

    @property
    def writer(self) -> str:
        """The writer's state: ``"ok"``, ``"restarting"``, or ``"none"`` (remote store)."""
        if self.writer_spec is None:
            return "none"
        return "ok" if self._writer is not None and self._writer.process.is_alive() \
            else "restarting"

    def _sync(self, worker: _Worker) -> tuple:
        """What ``worker`` must do before its next task to see every accepted update."""
        if self.shared:
            return ()
        if self.generation is not None:
            if worker.generation != self.generation:
                return (("open", self.generation),)
            return ()
        return tuple(self.updates[worker.applied:])

    def _synced(self, worker: _Worker, pending: tuple) -> None:
        if not pending:
            return
        if pending[-1][0] == "open":
            worker.generation = pending[-1][1]
            self._collect()
        else:
            worker.applied += len(pending)

    def _collect(self) -> None:
        """Remove store checkpoints no reader uses any more."""
        if self.generation is None:
            return
        keep = {self.generation} | {w.generation for w in self._workers | self._retired} \
            | {g for g, n in self._pinned.items() if n > 0}
        folder = Path(self.generation).parent
        for path in folder.glob("gen-*"):
            if str(path) not in keep:
                shutil.rmtree(path, ignore_errors=True)

    def _retire(self, worker: _Worker, future: asyncio.Future | None = None) -> None:
        """Kill ``worker`` and start a replacement in the background."""
        worker.kill()
        self._workers.discard(worker)
        if future is None or future.done():
            worker.dispose()
        else:
            # The thread blocked on the pipe returns (EOF) once the process is gone.
            self._retired.add(worker)

            def done(f: asyncio.Future) -> None:
                if not f.cancelled():
                    f.exception()
                self._retired.discard(worker)
                worker.dispose()

            future.add_done_callback(done)
        if not self._closing:
            self.replaced += 1
            task = asyncio.get_running_loop().create_task(self._replace())
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    async def _replace(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            worker = await loop.run_in_executor(self._threads, self._new_worker)
        except Exception as exc:
            _log.error("could not start a replacement query worker: %s", exc)
            return
        if self._closing:
            worker.kill()
            worker.dispose()
            return
        self._workers.add(worker)
        self._idle.put_nowait(worker)
        async with self._lane:
            self._lane.notify_all()

    # -- tasks ------------------------------------------------------------------------------------

    @property
    def heavy(self) -> int:
        """Heavy tasks running now."""
        return self._heavy

    async def run(self, task: tuple, timeout: float, *, queue_timeout: float | None = None,
                  update: str | None = None, light: bool = True) -> Reply:
        """Run ``task`` on an idle worker within ``timeout`` seconds.

        The task first waits for an idle worker, up to ``queue_timeout`` seconds (default:
        ``timeout``). A task that is not ``light`` also waits until running it leaves a
        reader for light tasks (with two or more readers): heavy queries from any number of
        clients never hold every reader, not even while one is being replaced, so light ones
        (named queries, ASK, small SELECTs) keep a fast lane.

        Raises
        ------
        HttpError
            503 when no worker became free in time or the task overran ``timeout`` (the
            worker is then replaced), or when it needed more memory than allowed; 500 when
            the worker died otherwise.
        """
        wait = timeout if queue_timeout is None else queue_timeout
        if light:
            return await self._run(task, timeout, wait, update)
        deadline = asyncio.get_running_loop().time() + wait
        async with self._lane:
            try:
                await asyncio.wait_for(self._lane.wait_for(self._heavy_may_start), wait)
            except TimeoutError:
                raise self._busy(wait, timeout) from None
            self._heavy += 1
        try:
            left = max(0.001, deadline - asyncio.get_running_loop().time())
            return await self._run(task, timeout, left, update, heavy=True)
        finally:
            async with self._lane:
                self._heavy -= 1
                self._lane.notify_all()

    def _heavy_may_start(self) -> bool:
        """Whether one more heavy task leaves a reader for light ones.

        Counted over the readers alive now: while one is being replaced (after a timeout)
        a pool of two has one reader left, and it stays the light tasks' (a pool of one
        reader has no lane to keep).
        """
        if self.size == 1:
            return self._heavy < len(self._workers)
        return self._heavy < len(self._workers) - 1

    @staticmethod
    def _busy(wait: float, timeout: float) -> HttpError:
        return HttpError(503, f"the server is busy: no query worker became free within "
                              f"{wait:g} s; try again later",
                         {"Retry-After": str(max(1, round(timeout)))})

    async def _run(self, task: tuple, timeout: float, wait: float,
                   update: str | None, heavy: bool = False) -> Reply:
        loop = asyncio.get_running_loop()
        queued = time.perf_counter()
        try:
            worker = await asyncio.wait_for(self._idle.get(), wait)
        except TimeoutError:
            raise self._busy(wait, timeout) from None
        if worker not in self._workers:  # retired while queued (closing)
            raise HttpError(503, "the server is shutting down")
        pending = self._sync(worker)
        sent = time.perf_counter()
        # A heavy task runs at a lower CPU priority (see worker.at_low_priority).
        future = loop.run_in_executor(self._threads, worker.call, (pending, task, heavy))
        try:
            reply = await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            self._retire(worker, future)
            raise HttpError(503, f"the query ran longer than the server's limit of {timeout:g} s "
                                 "and was stopped; narrow it down (a LIMIT, a more selective "
                                 "pattern) or ask the operator for a longer --timeout") from None
        except (EOFError, OSError):
            self._retire(worker)
            raise self._crash(worker) from None
        except asyncio.CancelledError:
            self._retire(worker, future)
            raise
        if reply.dirty:
            self._retire(worker)
            return reply
        self._synced(worker, pending)
        if update is not None and 200 <= reply.status < 300:
            self.updates.append(update)
        self._idle.put_nowait(worker)
        # The round trip less the worker's own time: pickling, the pipe, the thread hand-off.
        done = time.perf_counter()
        own = dict(reply.timing).get("worker", 0.0)
        return replace(reply, timing=(("queue", 1000 * (sent - queued)), *reply.timing,
                                      ("transfer", max(0.0, 1000 * (done - sent) - own))))

    def _crash(self, worker: _Worker) -> HttpError:
        """The error for a worker that died under a task (reaped by :meth:`_retire`)."""
        headroom = self.spec.get("query_memory_mb")
        if worker.process.exitcode in (-signal.SIGABRT, -signal.SIGKILL) and headroom:
            return HttpError(503, f"the query needed more than the {headroom} MB a worker may "
                                  "use beyond the graph and was stopped; narrow it down")
        return HttpError(500, "the query worker stopped unexpectedly and was replaced; "
                              "try again")

    async def update(self, task: tuple, timeout: float,
                     queue_timeout: float | None = None) -> Reply:
        """Apply one SPARQL Update task, once: on the writer (or the shared remote store).

        Readers see the result before their next task (see the module's description).
        """
        async with self._update_lock:
            self.version += 1
            try:
                if self.writer_spec is None:
                    return await self.run(task, timeout, queue_timeout=queue_timeout,
                                          update=task[1])
                return await self._write(task, timeout, timeout if queue_timeout is None
                                         else queue_timeout)
            finally:
                self.version += 1

    async def _write(self, task: tuple, timeout: float, wait: float) -> Reply:
        loop = asyncio.get_running_loop()
        try:
            writer = await asyncio.wait_for(self._writer_idle.get(), wait)
        except TimeoutError:
            raise HttpError(503, "the server is busy: the update writer is restarting; try "
                                 "again later", {"Retry-After": str(max(1, round(timeout)))}
                            ) from None
        # A writer started after a crash catches up with the change log (memory backend).
        pending = tuple(self.updates[writer.applied:]) if self.generation is None else ()
        future = loop.run_in_executor(self._threads, writer.call, (pending, task))
        try:
            reply = await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            self._retire_writer(writer, future)
            raise HttpError(503, f"the update ran longer than the server's limit of "
                                 f"{timeout:g} s and was stopped; nothing of it was applied"
                            ) from None
        except (EOFError, OSError):
            self._retire_writer(writer)
            raise self._crash(writer) from None
        except asyncio.CancelledError:
            self._retire_writer(writer, future)
            raise
        writer.applied += len(pending)
        if reply.dirty:
            self._retire_writer(writer)
            return reply
        if 200 <= reply.status < 300 and reply.update is not None:
            kind, value = reply.update
            self.updates.append((kind, value))
            writer.applied = len(self.updates)
            if kind == "open":
                self.generation = value
                self._collect()
        self._writer_idle.put_nowait(writer)
        return reply

    def _retire_writer(self, writer: _Worker, future: asyncio.Future | None = None) -> None:
        """Kill the writer and start another in the background.

        A killed Oxigraph writer leaves the store as of its last committed update (an update
        is one transaction); the memory writer's copy is rebuilt from the snapshot and the
        change log.
        """
        writer.kill()
        self._writer = None
        if future is None or future.done():
            writer.dispose()
        else:
            future.add_done_callback(lambda f: (f.cancelled() or f.exception(),
                                                writer.dispose()))
        if self._closing:
            return
        self._writer_restarts += 1

        async def restart() -> None:
            loop = asyncio.get_running_loop()
            try:
                fresh = await loop.run_in_executor(self._threads, self._new_writer)
            except Exception as exc:
                _log.error("could not restart the update writer: %s", exc)
                return
            if self._closing:
                fresh.kill()
                fresh.dispose()
                return
            self._writer = fresh
            self._writer_idle.put_nowait(fresh)

        task = asyncio.get_running_loop().create_task(restart())
        self._background.add(task)
        task.add_done_callback(self._background.discard)
