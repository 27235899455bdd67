"""The server's side of the query workers: hand out tasks, enforce the time limit, replace.

A :class:`WorkerPool` keeps ``size`` worker processes (:mod:`graph.server.worker`), each with
its own copy of the graph. A task waits for an idle worker, runs there, and comes back as a
:class:`~graph.server.worker.Reply`. When a task overruns its time limit the worker is killed
(SIGKILL: the only way to stop a query inside pyoxigraph or rdflib) and a fresh one is started
in the background, so a runaway query never holds a worker beyond the limit.

Accepted updates are kept in order; each worker replays the ones it has not seen before its
next task (a fresh worker replays them all), so every copy answers the same. With a remote
store the workers share the data and nothing is replayed.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
from concurrent.futures import ThreadPoolExecutor
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
        #: How many of the pool's updates this worker has applied.
        self.applied = 0
        #: How the worker is kept off the network (see :func:`~.worker.isolate_network`).
        self.network = "unknown"

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
        What each worker loads (see :func:`graph.server.worker.load_graph`).
    size : int
        Number of worker processes.
    shared : bool
        True when the workers share one store (remote): updates are not replayed.
    start_timeout : float
        Seconds a worker may take to load the graph.
    """

    def __init__(self, spec: dict[str, Any], size: int, *, shared: bool = False,
                 start_timeout: float = 600.0) -> None:
        if size < 1:
            raise ValueError(f"a worker pool needs at least one worker, got {size}")
        self.spec = spec
        self.size = size
        self.shared = shared
        self.start_timeout = start_timeout
        #: Accepted updates, in order (empty for a shared store).
        self.updates: list[str] = []
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

    def _new_worker(self) -> _Worker:
        worker = _Worker(self._context, self.spec)
        try:
            worker.wait_ready(self.start_timeout)
        except BaseException:
            worker.kill()
            worker.dispose()
            raise
        return worker

    async def start(self) -> None:
        """Start every worker and wait until all have loaded the graph."""
        loop = asyncio.get_running_loop()
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
        """Workers running (idle or busy), not counting replacements still loading."""
        return len(self._workers)

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

    # -- tasks ------------------------------------------------------------------------------------

    async def run(self, task: tuple, timeout: float, *, queue_timeout: float | None = None,
                  update: str | None = None) -> Reply:
        """Run ``task`` on an idle worker within ``timeout`` seconds.

        The task first waits for an idle worker, up to ``queue_timeout`` seconds (default:
        ``timeout``).

        Raises
        ------
        HttpError
            503 when no worker became free in time or the task overran ``timeout`` (the
            worker is then replaced), or when it needed more memory than allowed; 500 when
            the worker died otherwise.
        """
        loop = asyncio.get_running_loop()
        wait = timeout if queue_timeout is None else queue_timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), wait)
        except TimeoutError:
            raise HttpError(503, f"the server is busy: no query worker became free within "
                                 f"{wait:g} s; try again later",
                            {"Retry-After": str(max(1, round(timeout)))}) from None
        if worker not in self._workers:  # retired while queued (closing)
            raise HttpError(503, "the server is shutting down")
        pending = () if self.shared else tuple(self.updates[worker.applied:])
        future = loop.run_in_executor(self._threads, worker.call, (pending, task))
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
        worker.applied += len(pending)
        if reply.dirty:
            self._retire(worker)
            return reply
        if update is not None and 200 <= reply.status < 300 and not self.shared:
            self.updates.append(reply.update or update)
            worker.applied = len(self.updates)
        self._idle.put_nowait(worker)
        return reply

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
        """Apply one SPARQL Update task on a worker; on success every worker will replay it."""
        async with self._update_lock:
            return await self.run(task, timeout, queue_timeout=queue_timeout, update=task[1])
