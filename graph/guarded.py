"""Running ad hoc SPARQL safely from the command line: no outbound requests, a time limit,
a row cap, and Ctrl-C that stops the query at once.

:func:`check_sparql` applies the endpoint's guard (:mod:`graph.server.guard`) to text given
by a user: ``SERVICE`` and ``LOAD`` are refused unless allowed (pyoxigraph sends those
requests itself), updates are recognised and sent elsewhere, and SELECT / CONSTRUCT /
DESCRIBE get a ``LIMIT`` of ``max_rows + 1``. :func:`run_limited` runs a function in a
forked child process (it shares the loaded graph, copy-on-write) and kills it on timeout or
Ctrl-C: neither pyoxigraph nor rdflib can stop a running query otherwise.
"""

from __future__ import annotations

import multiprocessing
import pickle
import sys
from collections.abc import Callable
from typing import Any

from graph.errors import QueryError

__all__ = ["QueryTimeout", "answer", "check_sparql", "run_limited"]


class QueryTimeout(QueryError):
    """A query ran longer than its time limit and was stopped."""


def check_sparql(text: str, *, allow_service: bool = False,
                 max_rows: int | None = None) -> str:
    """The SPARQL text to run for ``text``, after the endpoint's checks.

    Parameters
    ----------
    text : str
        A SPARQL query (the project prefixes need no declaration).
    allow_service : bool
        Let ``SERVICE`` clauses through (they make the store send HTTP requests).
    max_rows : int, optional
        Give SELECT, CONSTRUCT and DESCRIBE a ``LIMIT`` of ``max_rows + 1`` (the extra row
        tells that the answer was cut).

    Raises
    ------
    graph.errors.QueryError
        For a malformed query (with the parser's line and column), an update, or
        ``SERVICE`` without ``allow_service``.

    Examples
    --------
    >>> check_sparql("SELECT ?s WHERE { ?s a tkg:Country }", max_rows=5)
    'SELECT ?s WHERE { ?s a tkg:Country }\\nLIMIT 6\\n'
    >>> check_sparql("ASK { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: SERVICE is refused (found SERVICE <http://127.0.0.1:9/sparql>): ...
    """
    from graph.server.guard import Refused, check_query

    try:
        return check_query(text, max_rows, allow_service=allow_service).sparql
    except Refused as exc:
        message = exc.message
        if message.startswith("SERVICE is refused"):
            raise QueryError(message.replace("this endpoint makes no outbound requests",
                                             "tkg query makes no outbound requests unless "
                                             "given --allow-service")) from None
        if message.startswith("this is a SPARQL Update"):
            raise QueryError("this is a SPARQL Update, not a query: tkg query only reads. "
                             "Apply updates through the endpoint (tkg serve "
                             "--update-token-env VAR, then POST it with the token) or from "
                             "Python with kg.backend.update(text)") from None
        if message.startswith("malformed query: "):
            from graph.sparql_errors import explain

            # Point at the first word that is not SPARQL, naming the likely keyword.
            raise QueryError(explain(text, message.removeprefix("malformed query: "))) from None
        raise QueryError(message) from None


def answer(kg, sparql: str, fmt: str, max_rows: int | None = None
           ) -> tuple[str, bytes | list[dict[str, Any]], bool]:
    """Run ``sparql`` on ``kg``: ``(kind, payload, truncated)``, ready to print.

    ``payload`` is Turtle (CONSTRUCT, DESCRIBE), ``true``/``false`` (ASK), rows as
    dictionaries for the ``table`` format, or the standard serialisation for ``json`` and
    ``csv``; at most ``max_rows`` rows or triples.

    Examples
    --------
    >>> kind, rows, cut = answer(kg, "SELECT ?c WHERE { ?c a tkg:Country }", "table", 3)
    >>> kind, len(rows), cut
    ('SELECT', 3, True)
    """
    try:
        return _answer(kg, sparql, fmt, max_rows)
    except (OSError, RuntimeError, ValueError) as exc:  # raised while the store iterates
        raise QueryError(f"query failed: {' '.join(str(exc).split())}") from None


def _answer(kg, sparql: str, fmt: str, max_rows: int | None):
    from graph.server.results import render

    result = kg.execute(sparql)
    if result.kind == "CONSTRUCT":
        rendered = render(result, "turtle", max_rows)
        return result.kind, rendered.body, rendered.truncated
    if result.kind == "ASK":
        return result.kind, b"true\n" if result.boolean else b"false\n", False
    if fmt == "table":
        rows = result.dicts()
        cut = max_rows is not None and len(rows) > max_rows
        return result.kind, rows[:max_rows] if cut else rows, cut
    rendered = render(result, fmt, max_rows)
    return result.kind, rendered.body, rendered.truncated


def _child(conn, func: Callable, args: tuple) -> None:
    try:
        outcome: tuple = ("ok", func(*args))
    except BaseException as exc:  # sent to the parent, raised there
        try:
            pickle.loads(pickle.dumps(exc))
            outcome = ("error", exc)
        except Exception:
            outcome = ("error", QueryError(f"{type(exc).__name__}: {exc}"))
    try:
        conn.send(outcome)
    except Exception as exc:  # an answer that cannot be pickled
        conn.send(("error", QueryError(f"cannot return the answer: {exc}")))
    finally:
        conn.close()


def run_limited(func: Callable[..., Any], *args: Any, timeout: float | None = 60.0) -> Any:
    """``func(*args)`` in a forked child process, stopped after ``timeout`` seconds or on
    Ctrl-C; its return value (pickled), or its exception raised here.

    The child shares everything loaded so far (copy-on-write), so ``func`` may use a graph
    loaded before the call. Where ``fork`` is unavailable the call runs in this process,
    without a time limit.

    Raises
    ------
    QueryTimeout
        When ``timeout`` passed first (the child is killed).
    KeyboardInterrupt
        On Ctrl-C (the child is killed first).

    Examples
    --------
    >>> run_limited(len, "abc", timeout=30)
    3
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return func(*args)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, func, args), daemon=True)
    sys.stdout.flush()
    sys.stderr.flush()
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryTimeout(f"the query ran longer than the time limit of {timeout:g} s "
                               "and was stopped; narrow it down or give a longer --timeout")
        try:
            kind, value = receiver.recv()
        except EOFError:
            raise QueryError(f"the query process stopped unexpectedly "
                             f"(exit code {process.exitcode})") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if kind == "error":
        raise value
    return value
