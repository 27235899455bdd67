"""Named SPARQL queries: ``.rq`` files with a YAML header, run with safely bound parameters.

A named query is a file ``graph/queries/<name>.rq`` whose leading ``#+`` comment lines hold
YAML (``summary``, ``parameters`` with ``name``/``type``/``example``, ``tags``), as grlc does.
Parameter values are never spliced into the query text: they are bound to the query's
variables by the backend (rdflib ``initBindings``, Oxigraph substitutions, or a VALUES block
for remote endpoints).

Parameter types: ``entity`` (a label, alternative label, code or id, resolved to one IRI),
``iri`` (a full or prefixed IRI), ``string``, ``integer``, ``decimal``, ``boolean``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from graph.backends.base import IRI, Lit
from graph.errors import QueryError, UnknownName
from graph.lookup import expand_iri
from graph.resources import queries_dir

__all__ = ["NamedQuery", "Parameter", "bind_value", "get", "list_queries"]

PARAMETER_TYPES = ("entity", "iri", "string", "integer", "decimal", "boolean")


@dataclass(frozen=True)
class Parameter:
    """One documented parameter of a named query."""

    #: Variable name in the query, without ``?``.
    name: str
    #: One of :data:`PARAMETER_TYPES`.
    type: str
    #: What the parameter means.
    description: str = ""
    #: A value that works on the bundled data.
    example: str = ""
    #: Whether the query needs it; optional parameters left out match anything.
    required: bool = False
    #: For entity parameters: classes (prefixed names) the entity must belong to.
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamedQuery:
    """A query file and its metadata."""

    #: The file name without ``.rq``; what users type.
    name: str
    #: One-line description.
    summary: str
    #: The SPARQL text (header comments included; they are valid SPARQL comments).
    sparql: str
    #: Documented parameters, in order.
    parameters: tuple[Parameter, ...] = ()
    #: Free-form tags for grouping.
    tags: tuple[str, ...] = ()
    #: Where the query was read from.
    path: Path | None = field(default=None, compare=False)

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise UnknownName(f"parameter of query {self.name!r}", name,
                          [p.name for p in self.parameters])


def _header(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    return "\n".join(lines)


def _parse_header(path: Path, header: str) -> Any:
    """The YAML header as data, kept in the cache by content: a command that runs one query
    then neither imports nor runs the YAML parser (a tenth of a cold ``tkg query``)."""
    import hashlib

    from graph import cache

    stored = cache.store_path(hashlib.sha256(header.encode("utf-8")).hexdigest(),
                              ".rq-header.json")
    found = cache.read_json(stored)
    if found is not None:
        return found["meta"]
    import yaml

    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        raise QueryError(f"{path}: header is not valid YAML: {exc}") from None
    # Not JSON-able (dates...) or a read-only cache: the header is parsed again next time.
    with contextlib.suppress(OSError, TypeError, ValueError):
        cache.write_json(stored, {"meta": meta})
    return meta


def parse_query_file(path: Path) -> NamedQuery:
    """Read a ``.rq`` file and its YAML header; errors name the file."""
    text = path.read_text(encoding="utf-8")
    meta = _parse_header(path, _header(text))
    if not isinstance(meta, dict):
        raise QueryError(f"{path}: header must be a YAML mapping")
    parameters = []
    for raw in meta.get("parameters") or []:
        if not isinstance(raw, dict) or "name" not in raw:
            raise QueryError(f"{path}: each parameter needs at least a name")
        kind = raw.get("type", "string")
        if kind not in PARAMETER_TYPES:
            raise QueryError(f"{path}: parameter {raw['name']!r} has unknown type {kind!r}; "
                             f"use one of {', '.join(PARAMETER_TYPES)}")
        classes = raw.get("class") or ()
        parameters.append(Parameter(str(raw["name"]), kind, str(raw.get("description", "")),
                                    str(raw.get("example", "")), bool(raw.get("required", False)),
                                    (classes,) if isinstance(classes, str) else tuple(classes)))
    return NamedQuery(path.stem, str(meta.get("summary", "")).strip(), text,
                      tuple(parameters), tuple(meta.get("tags") or ()), path)


@lru_cache(maxsize=1)
def _registry() -> dict[str, Path]:
    return {p.stem: p for p in sorted(queries_dir().glob("*.rq"))}


def list_queries(include_internal: bool = False) -> list[NamedQuery]:
    """Every named query, sorted by name; internal ones (names starting with ``_``) on request.

    Examples
    --------
    >>> "flows" in [q.name for q in list_queries()]
    True
    """
    return [get(name) for name in _registry() if include_internal or not name.startswith("_")]


@cache
def get(name: str) -> NamedQuery:
    """The named query ``name``.

    Raises
    ------
    graph.errors.UnknownName
        If there is no such query; the message lists the known ones.
    """
    registry = _registry()
    if name not in registry:
        # Internal queries (``_``-prefixed) work by name but are not offered to users.
        raise UnknownName("query", name, [q for q in registry if not q.startswith("_")])
    return parse_query_file(registry[name])


def bind_value(parameter: Parameter, value: Any, resolve=None) -> Any:
    """Convert a user value to the term bound for ``parameter``; errors name the parameter.

    ``resolve(name, classes)`` turns an entity name into an IRI (a
    :meth:`KnowledgeGraph.resolve`).

    Examples
    --------
    >>> bind_value(Parameter("year", "integer"), "2021")
    2021
    >>> bind_value(Parameter("name", "string"), "Mali")
    Lit(value='Mali', datatype=None, lang=None)
    """
    kind = parameter.type
    try:
        if kind == "entity":
            if isinstance(value, IRI):
                return value
            if resolve is None:
                return expand_iri(str(value))
            return resolve(str(value), parameter.classes)
        if kind == "iri":
            return value if isinstance(value, IRI) else expand_iri(str(value))
        if kind == "integer":
            return int(value)
        if kind == "decimal":
            return Lit(str(float(value)), "http://www.w3.org/2001/XMLSchema#decimal")
        if kind == "boolean":
            if isinstance(value, bool):
                return value
            text = str(value).lower()
            if text not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(value)
            return text in ("true", "1", "yes")
        return Lit(str(value))
    except (TypeError, ValueError):
        raise QueryError(f"parameter {parameter.name!r} expects {kind}, got {value!r}") from None


def bind_all(query: NamedQuery, params: Mapping[str, Any] | None, resolve=None) -> dict[str, Any]:
    """Check ``params`` against the query's parameters and convert every value."""
    params = dict(params or {})
    bound = {}
    for name, value in params.items():
        if value is None:
            continue
        bound[name] = bind_value(query.parameter(name), value, resolve)
    missing = [p.name for p in query.parameters if p.required and p.name not in bound]
    if missing:
        raise QueryError(f"query {query.name!r} needs parameter(s): {', '.join(missing)}")
    return bound
