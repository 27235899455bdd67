"""Exceptions raised by the library; the CLI, the endpoint and notebooks all catch these.

Every error names the offending value (a file and line, a query name, an entity) so that the
message alone tells a user what to fix. The CLI maps each class to an exit code.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AmbiguousEntity",
    "BackendError",
    "DataError",
    "EntityNotFound",
    "ExportError",
    "MissingExtra",
    "ParseError",
    "QueryError",
    "SheetError",
    "TkgError",
    "UnknownName",
    "ValidationFailed",
    "WorkbookError",
    "plural",
]


class TkgError(Exception):
    """Base class of every error the library raises on purpose."""

    #: Exit code the CLI uses for this kind of error.
    exit_code: int = 2

    def __reduce__(self):
        # Subclasses take other arguments than their message: rebuild from the message and
        # attributes, so an error crossing a process boundary (a guarded query) reads alike.
        return (_rebuild, (type(self), str(self), dict(self.__dict__)))


def _rebuild(cls: type, message: str, state: dict) -> TkgError:
    """An error of class ``cls`` with ``message`` and attributes ``state`` (unpickling)."""
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class DataError(TkgError):
    """Input that cannot be used at all: an unreadable path, an empty selection, a bad file."""


class ParseError(DataError):
    """A file that is not well-formed RDF, with the file, line and column of the problem."""

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None):
        #: The file that failed to parse.
        self.path = path
        #: 1-based line of the problem, when the parser reports one.
        self.line = line
        #: 1-based column of the problem, when the parser reports one.
        self.column = column
        #: The parser's own explanation.
        self.reason = message
        where = path
        if line is not None:
            where += f":{line}" + ("" if column is None else f":{column}")
        super().__init__(f"{where}: {message}")


class ValidationFailed(TkgError):
    """Data that parses but breaks the SHACL shapes; carries the violations grouped by file."""

    exit_code = 1

    def __init__(self, report):
        #: The :class:`graph.validate.Report` with every violation.
        self.report = report
        super().__init__(report.summary())


class UnknownName(TkgError):
    """A name that is not one of a fixed set (backend, query, format, parameter...).

    The message lists the known names so the user can pick one.
    """

    def __init__(self, kind: str, name: str, known: Sequence[str]):
        import difflib

        self.kind = kind
        self.name = name
        self.known = list(known)
        #: Known names close to ``name``.
        self.suggestions = difflib.get_close_matches(str(name), self.known, n=3, cutoff=0.6)
        listing = ", ".join(sorted(self.known)) or "none"
        hint = ("; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
                if self.suggestions else "")
        super().__init__(f"unknown {kind} {name!r}; known {plural(kind)}: {listing}{hint}")


def plural(kind: str) -> str:
    """The plural of a kind of name, for messages.

    Examples
    --------
    >>> [plural(k) for k in ("query", "format", "parameter of query 'flows'", "class")]
    ['queries', 'formats', "parameters of query 'flows'", 'classes']
    """
    head, sep, rest = kind.partition(" of ")
    if head.endswith("y") and head[-2:-1] not in tuple("aeiou"):
        head = head[:-1] + "ies"
    elif head.endswith(("s", "x", "ch", "sh")):
        head += "es"
    else:
        head += "s"
    return head + sep + rest


class EntityNotFound(TkgError):
    """A label or id that matches no entity, with the closest names as suggestions."""

    def __init__(self, name: str, suggestions: Sequence[str] = (), kind: str = "entity",
                 note: str = ""):
        self.name = name
        self.suggestions = list(suggestions)
        names = ", ".join(repr(s) for s in self.suggestions)
        hint = f"; did you mean {names}?" if suggestions else ""
        extra = f" ({note})" if note else ""
        super().__init__(f"no {kind} matches {name!r}{extra}{hint}")


class AmbiguousEntity(TkgError):
    """A label that matches several entities equally well."""

    def __init__(self, name: str, candidates: Sequence[str]):
        self.name = name
        self.candidates = list(candidates)
        super().__init__(
            f"{name!r} matches several entities: {', '.join(self.candidates)}; use an id instead"
        )


class QueryError(TkgError):
    """A SPARQL query that is malformed, refused or failed on the backend."""


class BackendError(TkgError):
    """A store that cannot be opened or reached, such as a remote endpoint that is down."""


class MissingExtra(TkgError):
    """An optional dependency that is not installed; the message says how to install it."""


class ExportError(TkgError):
    """An export that cannot be written."""


class WorkbookError(DataError):
    """An Index workbook that is missing, malformed or inconsistent.

    The message names the sheet, row and column of the problem.
    """


class SheetError(DataError):
    """A review workbook with problems; each names the sheet, row and column.

    Nothing is written when a workbook has one.
    """

    exit_code = 1

    def __init__(self, path: str, problems: Sequence[dict]):
        #: The workbook.
        self.path = path
        #: Dicts with ``sheet``, ``row``, ``column`` (letter), ``header`` and ``message``.
        self.problems = list(problems)
        lines = [f"{path}: {len(self.problems)} problem(s), nothing written"]
        lines += [f"  {p['sheet']} row {p['row']}, column {p['column']} ({p['header']}): "
                  f"{p['message']}" for p in self.problems]
        super().__init__("\n".join(lines))
