"""Exports: write the knowledge graph in the formats other tools read.

One registry maps each format name to a writer function, imported only when used (the
pattern of rdflib's ``plugin.py``): RDF (Turtle, TriG, N-Quads, JSON-LD), networks for
Gephi and Cytoscape (GraphML, GEXF), CSV tables for spreadsheets, FollowTheMoney entities
for Aleph and OpenSanctions tooling, and CSV files with a Cypher script for Neo4j.

Every writer takes a :class:`~graph.kg.KnowledgeGraph` and a path and returns the files it
wrote. Each file is written under a temporary name in the same folder and renamed into
place, so an export that fails never leaves half a file behind.

Examples
--------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.ttl"
>>> [p.name for p in export(kg, "turtle", out)]
['graph.ttl']
>>> export(kg, "excel", out)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
graph.errors.UnknownName: unknown export format 'excel'; known export formats: csv, ftm, ...
"""

from __future__ import annotations

import contextlib
import importlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import ExportError, UnknownName

__all__ = ["ExportFormat", "atomic_file", "export", "format_for_path", "formats", "get",
           "known", "register"]


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, its writer and what it writes."""

    #: Name used on the command line and in :func:`export`, e.g. ``"graphml"``.
    name: str
    #: The writer as ``"module:function"``; called as ``function(kg, path, **options)``.
    target: str
    #: One line saying what the format is for.
    summary: str
    #: File name endings that select this format when none is given (first is the default).
    suffixes: tuple[str, ...] = ()
    #: True when the writer fills a folder with several files instead of writing one file.
    folder: bool = False
    #: Keyword options the writer accepts besides the graph and the path.
    options: tuple[str, ...] = ()


_NETWORK_OPTIONS = ("network", "commodity", "min_certainty")

_REGISTRY: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("turtle", "graph.exports.rdf:write_turtle",
                 "RDF Turtle of the merged graph (every named graph, derived triples included)",
                 (".ttl",)),
    ExportFormat("trig", "graph.exports.rdf:write_trig",
                 "RDF TriG: one named graph per source file, plus the derived graph",
                 (".trig",)),
    ExportFormat("nquads", "graph.exports.rdf:write_nquads",
                 "RDF N-Quads: one named graph per source file, plus the derived graph",
                 (".nq", ".nquads")),
    ExportFormat("json-ld", "graph.exports.rdf:write_jsonld",
                 "JSON-LD of the merged graph with an @context of the project prefixes",
                 (".jsonld", ".json-ld")),
    ExportFormat("graphml", "graph.exports.networks:write_graphml",
                 "GraphML network for Gephi, Cytoscape and yEd (default: the flow network)",
                 (".graphml",), options=_NETWORK_OPTIONS),
    ExportFormat("gexf", "graph.exports.networks:write_gexf",
                 "GEXF network for Gephi, with map positions and a timeline of flow periods",
                 (".gexf",), options=_NETWORK_OPTIONS),
    ExportFormat("csv", "graph.exports.tables:write_csv",
                 "Folder with nodes.csv and edges.csv (one row per leg) for spreadsheets",
                 folder=True, options=_NETWORK_OPTIONS),
    ExportFormat("ftm", "graph.exports.ftm:write_ftm",
                 "FollowTheMoney entities as JSON lines, for Aleph and OpenSanctions tools",
                 (".ftm.json", ".ftm.jsonl", ".ijson")),
    ExportFormat("neo4j", "graph.exports.neo4j:write_neo4j",
                 "Folder with nodes.csv, relationships.csv and load.cypher for Neo4j",
                 folder=True),
)}


def register(fmt: ExportFormat) -> None:
    """Add (or replace) an export format, so that :func:`export` and ``tkg export`` know it."""
    _REGISTRY[fmt.name] = fmt


def known() -> list[str]:
    """Names of the registered export formats.

    Examples
    --------
    >>> known()[:4]
    ['csv', 'ftm', 'gexf', 'graphml']
    """
    return sorted(_REGISTRY)


def get(name: str) -> ExportFormat:
    """The export format called ``name``.

    Raises
    ------
    graph.errors.UnknownName
        If no format has that name; the message lists the known formats.
    """
    if name not in _REGISTRY:
        raise UnknownName("export format", name, known())
    return _REGISTRY[name]


def formats() -> list[dict[str, Any]]:
    """One row per export format: name, what it writes, its file endings and options.

    Examples
    --------
    >>> next(f for f in formats() if f["name"] == "neo4j")["output"]
    'folder'
    """
    return [{"name": f.name, "summary": f.summary, "output": "folder" if f.folder else "file",
             "suffixes": ", ".join(f.suffixes), "options": ", ".join(f.options)}
            for f in sorted(_REGISTRY.values(), key=lambda f: f.name)]


def format_for_path(path: str | Path) -> str:
    """The format whose file ending ``path`` has, for exports that do not name one.

    Raises
    ------
    graph.errors.ExportError
        If the ending selects no format; the message lists the known formats.

    Examples
    --------
    >>> format_for_path("out/mali.graphml"), format_for_path("entities.ftm.json")
    ('graphml', 'ftm')
    >>> format_for_path("out/legs")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.ExportError: out/legs: cannot tell the export format from the file name; ...
    """
    name = Path(path).name.lower()
    matches = [(len(s), f.name) for f in _REGISTRY.values() for s in f.suffixes
               if name.endswith(s)]
    if not matches:
        raise ExportError(f"{path}: cannot tell the export format from the file name; "
                          f"give one of {', '.join(known())}")
    return max(matches)[1]


def export(kg, fmt: str, path: str | Path, **options: Any) -> list[Path]:
    """Write ``kg`` to ``path`` in format ``fmt``; return the files written.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph (see :func:`graph.load`).
    fmt : str
        A name from :func:`known`: ``turtle``, ``trig``, ``nquads``, ``json-ld``,
        ``graphml``, ``gexf``, ``csv``, ``ftm`` or ``neo4j``.
    path : str or Path
        The file to write, or for ``csv`` and ``neo4j`` the folder to fill (created if
        needed; files of the same names in it are replaced, others are left alone).
    **options
        Options of the format (see :func:`formats`). The network formats (``graphml``,
        ``gexf``, ``csv``) take ``network`` (``flows``, the default; ``actors``,
        ``markets`` or ``full``), ``commodity`` and ``min_certainty``.

    Returns
    -------
    list of Path
        The files written, in a stable order.

    Raises
    ------
    graph.errors.UnknownName
        An unknown format (the message lists the formats) or network.
    graph.errors.ExportError
        A path that cannot be written (named in the message), a folder given for a file
        format or a file for a folder format, or an option the format does not take.
    graph.errors.EntityNotFound
        A ``commodity`` or ``min_certainty`` that names nothing in the graph.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "legs"
    >>> [p.name for p in export(kg, "csv", folder, commodity="cocaine")]
    ['nodes.csv', 'edges.csv']
    >>> export(kg, "turtle", folder / "g.ttl", commodity="cocaine")
    Traceback (most recent call last):
    ...
    graph.errors.ExportError: export format 'turtle' takes no option 'commodity' (options: none)
    """
    spec = get(fmt)
    given = {k: v for k, v in options.items() if v is not None}
    for key in given:
        if key not in spec.options:
            raise ExportError(f"export format {fmt!r} takes no option {key!r} "
                              f"(options: {', '.join(spec.options) or 'none'})")
    target = Path(path).expanduser()
    if spec.folder and target.exists() and not target.is_dir():
        raise ExportError(f"{target}: exists and is not a folder; format {fmt!r} writes "
                          "several files into a folder")
    if not spec.folder and target.is_dir():
        example = target / ("graph" + (spec.suffixes[0] if spec.suffixes else ""))
        raise ExportError(f"{target}: is a folder; format {fmt!r} writes one file, "
                          f"such as {example}")
    module, _, function = spec.target.partition(":")
    writer = getattr(importlib.import_module(module), function)
    return writer(kg, target, **given)


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A temporary path next to ``path`` that replaces ``path`` when the block succeeds.

    The folder is created if needed. Any ``OSError`` becomes an
    :class:`~graph.errors.ExportError` naming ``path``; the temporary file never survives.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "sub" / "x.txt"
    >>> with atomic_file(target) as tmp:
    ...     _ = tmp.write_text("hello")
    >>> target.read_text()
    'hello'
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None
    tmp = Path(name)
    try:
        yield tmp
        # mkstemp makes the file private (0600); give it the permissions of a new file.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
