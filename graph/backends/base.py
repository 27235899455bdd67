"""The interface every store backend implements, and the plain values rows are made of.

Backends speak SPARQL; rows come back as plain Python values: IRIs as :class:`IRI` (a ``str``),
literals as ``int``, ``float``, ``bool`` or ``str``, unbound variables as ``None``. Nothing in
this module imports rdflib or pyoxigraph, so the fast query path stays light.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

__all__ = ["IRI", "Backend", "Lit", "Result", "plain_literal", "quiet_gc"]

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort",
)}
_FLOAT_TYPES = {XSD + "decimal", XSD + "double", XSD + "float"}


class IRI(str):
    """An IRI in a result row or a query binding; a ``str`` so it serialises as one.

    Examples
    --------
    >>> IRI("https://w3id.org/tkg/place/MLI") == "https://w3id.org/tkg/place/MLI"
    True
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"IRI({str.__repr__(self)})"


@contextlib.contextmanager
def quiet_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic structures.

    Reading a large answer or building a snapshot creates millions of small objects; each
    one counts towards the collector's thresholds and triggers full passes over a growing
    heap, which doubled the build time at a million triples and added half to reading
    150,000 rows. Reference counting still frees everything as usual.

    Examples
    --------
    >>> import gc
    >>> with quiet_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Lit:
    """A literal to bind into a query: lexical form plus datatype or language."""

    #: Lexical form.
    value: str
    #: Datatype IRI; ``None`` for plain strings and language-tagged strings.
    datatype: str | None = None
    #: Language tag, e.g. ``"en"``.
    lang: str | None = None


def plain_literal(lexical: str, datatype: str | None) -> Any:
    """Convert a literal's lexical form to the plain Python value rows carry.

    Examples
    --------
    >>> plain_literal("8.0", "http://www.w3.org/2001/XMLSchema#decimal")
    8.0
    >>> plain_literal("true", "http://www.w3.org/2001/XMLSchema#boolean")
    True
    """
    try:
        if datatype in _INTEGER_TYPES:
            return int(lexical)
        if datatype in _FLOAT_TYPES:
            return float(lexical)
        if datatype == XSD + "boolean":
            return lexical.strip() in ("true", "1")
    except ValueError:
        pass
    return lexical


@dataclass
class Result:
    """What a backend returns for one query, before it is consumed.

    Read it once, either as rows (:meth:`rows`, :meth:`iterdicts`, :meth:`dicts`) or
    serialised in a standard format (:meth:`serialize`), never both.
    """

    #: ``"SELECT"``, ``"ASK"`` or ``"CONSTRUCT"`` (DESCRIBE answers are CONSTRUCT results).
    kind: str
    #: Variable names of a SELECT, in query order.
    vars: list[str]
    #: Iterator of plain-value tuples (SELECT), or of (s, p, o) tuples (CONSTRUCT).
    _rows: Callable[[], Iterator[tuple]]
    #: Serialiser taking a format name and returning bytes.
    _serialize: Callable[[str], bytes]
    #: Answer of an ASK query.
    boolean: bool | None = None

    def rows(self) -> Iterator[tuple]:
        """Iterate the answer as tuples of plain values."""
        return self._rows()

    def iterdicts(self) -> Iterator[dict[str, Any]]:
        """Stream the SELECT answer as ``{variable: value}`` dictionaries."""
        names = self.vars
        return (dict(zip(names, row, strict=True)) for row in self._rows())

    def dicts(self) -> list[dict[str, Any]]:
        """The SELECT answer as a list of ``{variable: value}`` dictionaries."""
        with quiet_gc():
            return [dict(zip(self.vars, row, strict=True)) for row in self._rows()]

    def serialize(self, fmt: str) -> bytes:
        """The answer in a standard format.

        SELECT and ASK: ``json``, ``xml``, ``csv``, ``tsv`` (SPARQL results formats).
        CONSTRUCT and DESCRIBE: ``turtle``, ``nt``, ``json-ld``.
        """
        return self._serialize(fmt)


class Backend(Protocol):
    """A triple store the knowledge graph can live in."""

    #: Registry name of the backend, e.g. ``"memory"``.
    name: str
    #: Whether :meth:`execute` accepts a list of values for one variable (one VALUES row
    #: each): traversal then reads only the claims a question selects.
    binds_many: bool

    def load(self, path: Path, fmt: str, graph: str | None = None) -> None:
        """Add the triples of one file, into named graph ``graph`` (or as N-Quads, as given)."""

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (used only by the loader's materialisation rules)."""

    def execute(self, sparql: str, bindings: Mapping[str, Any] | None = None,
                prefixes: Mapping[str, str] | None = None) -> Result:
        """Run a query with variables pre-bound to ``bindings`` (IRI, Lit or plain values)."""

    def dump(self, path: Path, fmt: str = "nquads") -> None:
        """Write every quad to ``path``."""

    def __len__(self) -> int:
        """Number of quads stored."""

    def close(self) -> None:
        """Release the store."""
