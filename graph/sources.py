"""Find the RDF files to load and parse them, reporting syntax errors with file and line.

This is the first pass of loading: every file is parsed before anything is resolved, so one
run reports the first syntax error of a file precisely and names the file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from graph.errors import DataError, ParseError
from graph.resources import RDF_SUFFIXES, bundled_data_files, ontology_dir, ontology_files

__all__ = ["DERIVED_GRAPH", "GRAPH_NS", "SourceFile", "collect", "derived_graph_name",
           "graph_name", "parse"]

#: Named graphs that hold each loaded file are ``GRAPH_NS + <name>``.
GRAPH_NS = "https://w3id.org/tkg/graph/"

#: Named graph for triples the loader derives (legs, transits, shortcuts).
DERIVED_GRAPH = GRAPH_NS + "derived"


def derived_graph_name(graph: str) -> str:
    """The named graph of the triples derived from the file in named graph ``graph``.

    Workspace stores keep derived triples per file, so that rebuilding one file replaces
    exactly what came from it.

    Examples
    --------
    >>> derived_graph_name(GRAPH_NS + "ocindex-2021-mali")
    'https://w3id.org/tkg/graph/derived/ocindex-2021-mali'
    """
    return DERIVED_GRAPH + "/" + graph.removeprefix(GRAPH_NS)


@dataclass(frozen=True)
class SourceFile:
    """One RDF file to load, with the named graph it goes into."""

    #: Path on disk.
    path: Path
    #: Parser format name (rdflib's), chosen from the suffix.
    format: str
    #: IRI of the named graph that holds the file's triples.
    graph: str
    #: True for ontology, vocabulary and gazetteer files (validated as reference, not as data).
    reference: bool = False


def graph_name(path: Path, reference: bool) -> str:
    """The named graph that holds the file ``path`` (ontology files apart from data files)."""
    return GRAPH_NS + ("ontology/" if reference else "") + path.stem


def collect(paths: Iterable[str | Path] | None = None, *,
            with_ontology: bool = True) -> list[SourceFile]:
    """List the files to load: the bundled ontology, then ``paths`` or the bundled data.

    Folders are searched (not recursively) for RDF files. A path that does not exist, a file
    with an unknown suffix, a folder without RDF files and two files that would share a named
    graph are errors that name the path.

    Examples
    --------
    >>> files = collect()
    >>> files[0].path.name, files[0].reference
    ('tkg.ttl', True)
    """
    selected: list[SourceFile] = []
    if with_ontology:
        selected += [SourceFile(p, RDF_SUFFIXES[p.suffix], graph_name(p, True), True)
                     for p in ontology_files()]
    if paths is None:
        data = bundled_data_files()
    else:
        data = []
        for raw in paths:
            path = Path(raw).expanduser()
            if path.is_dir():
                found = sorted(p for p in path.iterdir() if p.suffix in RDF_SUFFIXES)
                if not found:
                    kinds = ", ".join(RDF_SUFFIXES)
                    raise DataError(f"{path}: folder contains no RDF files ({kinds})")
                data += found
            elif path.is_file():
                if path.suffix not in RDF_SUFFIXES:
                    raise DataError(f"{path}: unknown RDF file type {path.suffix!r}; "
                                    f"use one of {', '.join(RDF_SUFFIXES)}")
                data.append(path)
            else:
                raise DataError(f"{path}: no such file or folder")
    onto = ontology_dir().resolve()
    seen: dict[str, Path] = {s.graph: s.path for s in selected}
    for path in data:
        reference = onto in path.resolve().parents
        if reference and with_ontology:
            continue  # the ontology is already selected
        name = graph_name(path, reference)
        if name in seen and seen[name].resolve() != path.resolve():
            raise DataError(f"{path}: same file name as {seen[name]}; rename one of them")
        if name not in seen:
            seen[name] = path
            selected.append(SourceFile(path, RDF_SUFFIXES[path.suffix], name, reference))
    return selected


class _WarningCollector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def parse(source: SourceFile, *, strict: bool = True):
    """Parse one file into an rdflib graph, raising :class:`ParseError` with its line.

    With ``strict``, warnings that rdflib logs while parsing (such as a literal that does not
    fit its datatype) are errors too, so nothing is silently lost.
    """
    from rdflib import Graph
    from rdflib.plugins.parsers.notation3 import BadSyntax

    graph = Graph()
    collector = _WarningCollector()
    logger = logging.getLogger("rdflib")
    logger.addHandler(collector)
    try:
        graph.parse(source.path, format=source.format)
    except BadSyntax as exc:
        text, index = exc._str, exc._i  # rdflib keeps the input and the offset of the error
        line_start = text.rfind(b"\n" if isinstance(text, bytes) else "\n", 0, index) + 1
        column = index - line_start + 1
        raise ParseError(str(source.path), exc._why, exc.lines + 1, column) from None
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        raise ParseError(str(source.path), str(exc).splitlines()[0], line) from None
    except OSError as exc:
        raise DataError(f"{source.path}: cannot read file ({exc.strerror})") from None
    except Exception as exc:  # other parser plugins raise their own types
        raise ParseError(str(source.path), f"{type(exc).__name__}: {exc}") from None
    finally:
        logger.removeHandler(collector)
    if strict and collector.messages:
        raise ParseError(str(source.path), collector.messages[0])
    return graph
