"""Validate data files against the SHACL shapes, one file at a time, with a cache.

Each data file is validated together with the reference graph (ontology, vocabularies and
gazetteer) so that class checks on places and concepts resolve, and only violations whose
focus node comes from that file are reported. Results are cached by the content of the file,
the reference files and the shapes, so unchanged files are not validated again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from graph import cache
from graph._tkg import TKG
from graph.errors import ValidationFailed
from graph.resources import shapes_file
from graph.sources import SourceFile, collect, parse

__all__ = ["Report", "Violation", "check", "validate"]


@dataclass(frozen=True)
class Violation:
    """One SHACL result, described for a person."""

    #: The data file the focus node comes from.
    file: str
    #: IRI (or blank-node id) of the node that breaks the shape.
    focus: str
    #: Human-readable name of that node (its label, or what it is part of).
    label: str
    #: The property path, as a prefixed name where possible ("" for node-level results).
    path: str
    #: Stable ID of the shape that failed, e.g. ``shape:Flow-commodity``.
    shape: str
    #: The shape's plain-English message.
    message: str
    #: The offending value, when SHACL reports one.
    value: str = ""


@dataclass
class Report:
    """The outcome of validating a set of files."""

    #: Every file that was checked (the data files and the ontology files they build on).
    files: list[str] = field(default_factory=list)
    #: The data files among them: those given, or the bundled data.
    data_files: list[str] = field(default_factory=list)
    #: Every violation, in file order.
    violations: list[Violation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when no file has a violation."""
        return not self.violations

    def by_file(self) -> dict[str, list[Violation]]:
        """Violations grouped by file, files in the order they were checked."""
        grouped: dict[str, list[Violation]] = defaultdict(list)
        for violation in self.violations:
            grouped[violation.file].append(violation)
        return dict(grouped)

    def rows(self) -> list[dict]:
        """Violations as plain dictionaries, for the output emitter."""
        return [asdict(v) for v in self.violations]

    def summary(self) -> str:
        """A short multi-line text: one header per file, one line per violation."""
        if self.conforms:
            data = len(self.data_files)
            reference = len(self.files) - data
            text = f"{data} data file{'' if data == 1 else 's'} valid"
            if reference:
                text += (f" (checked with the {reference} ontology, vocabulary and gazetteer "
                         "files they build on, which are valid too)")
            return text
        lines = [f"{len(self.violations)} violation(s) in {len(self.by_file())} file(s)"]
        for path, found in self.by_file().items():
            lines.append(f"{path}:")
            for v in found:
                where = f" {v.path}" if v.path else ""
                value = f" (value: {v.value})" if v.value else ""
                lines.append(f"  {v.label}{where}: {v.message}{value} [{v.shape}]")
        return "\n".join(lines)


@lru_cache(maxsize=2)
def _reference_graph(reference: tuple[SourceFile, ...], key: str):
    """The reference files parsed into one graph, and the subjects of each file.

    ``key`` (the content hash of the files) keys the in-process cache.
    """
    from rdflib import Graph

    from graph.namespaces import bind

    graph = bind(Graph())
    subjects = {}
    for source in reference:
        part = parse(source)
        subjects[source.path] = set(part.subjects())
        graph += part
    return graph, subjects


@lru_cache(maxsize=2)
def _shapes_graph(key: str):
    from rdflib import Graph

    return Graph().parse(shapes_file(), format="turtle")


def _describe(node, graph) -> str:
    """A readable name for a focus node: its label, or for a blank node what holds it."""
    from rdflib import BNode, Literal
    from rdflib.namespace import DCTERMS, RDFS, SKOS

    for prop in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
        value = graph.value(node, prop)
        if isinstance(value, Literal):
            return str(value)
    if isinstance(node, BNode):
        for holder, prop in graph.subject_predicates(node):
            return f"{_short(prop, graph)} of {_describe(holder, graph)}"
        return "(unnamed node)"
    return _short(node, graph)


def _short(term, graph) -> str:
    """A prefixed name for an IRI, a readable form for SHACL path expressions and literals."""
    from rdflib import RDF, BNode, Literal, URIRef
    from rdflib.collection import Collection

    sh = "http://www.w3.org/ns/shacl#"
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return graph.namespace_manager.normalizeUri(term)
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, BNode):
        alternatives = graph.value(term, URIRef(sh + "alternativePath"))
        if alternatives is not None:
            return " | ".join(_short(t, graph) for t in Collection(graph, alternatives))
        inner = graph.value(term, URIRef(sh + "zeroOrMorePath"))
        if inner is not None:
            return _short(inner, graph) + "*"
        if graph.value(term, RDF.first) is not None:
            return "/".join(_short(t, graph) for t in Collection(graph, term))
    return str(term)


def _run_shacl(union, shapes):
    import pyshacl

    from graph.namespaces import bind

    _, report, _ = pyshacl.validate(union, shacl_graph=shapes, inference="none")
    return bind(report)


def _results(report, union, subjects, path: Path) -> list[Violation]:
    from rdflib import RDF, Namespace

    SH = Namespace("http://www.w3.org/ns/shacl#")  # noqa: N806 - namespace object
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        if focus not in subjects:
            continue
        found.append(Violation(
            file=str(path),
            focus=str(focus),
            label=_describe(focus, union),
            path=_short(report.value(result, SH.resultPath), report),
            shape=_short(report.value(result, SH.sourceShape), union),
            message=str(report.value(result, SH.resultMessage) or ""),
            value=_short(report.value(result, SH.value), union),
        ))
    found.sort(key=lambda v: (v.label, v.shape, v.path, v.value))
    return found


#: Reference annotations the SPARQL shapes read (``shape:Involvement-incriminating``).
_SHAPE_ANNOTATIONS = (TKG.level, TKG.incriminating)


def _validate_file(source: SourceFile, reference, shapes) -> list[Violation]:
    """Validate one file with just enough of the reference graph for class checks.

    The file needs the class hierarchy and the types of the places and concepts it names;
    carrying the whole gazetteer and every vocabulary along would validate them again for
    each file (results on them are discarded anyway) and dominate the cost.
    """
    from rdflib import OWL, RDF, RDFS, Graph, URIRef

    from graph.namespaces import bind

    data = parse(source)
    union = bind(Graph())
    for cls in set(reference.subjects(RDF.type, OWL.Class)):
        union += reference.triples((cls, RDFS.subClassOf, None))
    for node in {o for o in data.objects() if isinstance(o, URIRef)}:
        union += reference.triples((node, RDF.type, None))
        union += reference.triples((node, RDFS.label, None))
    # The SPARQL shapes read the grade order and which roles incriminate, for every grade
    # (the floor cert:suspected need not occur in the file).
    for annotation in _SHAPE_ANNOTATIONS:
        union += reference.triples((None, annotation, None))
    union += data
    return _results(_run_shacl(union, shapes), union, set(data.subjects()), source.path)


def _validate_reference(reference: list[SourceFile], ref_graph, subjects,
                        shapes) -> list[Violation]:
    report = _run_shacl(ref_graph, shapes)
    found = []
    for source in reference:
        found += _results(report, ref_graph, subjects[source.path], source.path)
    return found


def check(sources: list[SourceFile], *, use_cache: bool = True,
          progress: Callable[[str], None] | None = None) -> Report:
    """Validate already collected ``sources``; the reference files are checked as one unit.

    ``progress`` is called with the name of each unit before it is checked (cache hits are
    not announced).
    """
    reference = [s for s in sources if s.reference]
    data_files = [s for s in sources if not s.reference]
    ref_key = cache.content_key([s.path for s in reference] + [shapes_file()], "validate")
    report = Report(files=[str(s.path) for s in sources],
                    data_files=[str(s.path) for s in data_files])
    ref_graph = shapes = None
    units = [(None, cache.content_key([], ref_key, "reference"))]
    units += [(s, cache.content_key([s.path], ref_key)) for s in data_files]
    for source, key in units:
        entry = cache.store_path(key, ".validation.json")
        stored = cache.read_json(entry) if use_cache else None
        if stored is None:
            if progress:
                progress("ontology and vocabularies" if source is None else source.path.name)
            if ref_graph is None:
                ref_graph, ref_subjects = _reference_graph(tuple(reference), ref_key)
                shapes = _shapes_graph(ref_key)
            if source is None:
                found = _validate_reference(reference, ref_graph, ref_subjects, shapes)
            else:
                found = _validate_file(source, ref_graph, shapes)
            stored = [asdict(v) for v in found]
            if use_cache:
                cache.write_json(entry, stored)
        # The cache is keyed by content: the same file elsewhere reuses the result, so the
        # violations name the file where it is now, not where it was first checked.
        where = {} if source is None else {"file": str(source.path)}
        report.violations += [Violation(**{**v, **where}) for v in stored]
    return report


def validate(paths: Iterable[str | Path] | None = None, *, use_cache: bool = True,
             raise_on_error: bool = False,
             progress: Callable[[str], None] | None = None) -> Report:
    """Validate data files (the bundled data by default) against the SHACL shapes.

    Parameters
    ----------
    paths : iterable of str or Path, optional
        Files or folders to check; the bundled ``data/`` when omitted. The ontology,
        vocabularies and gazetteer are always loaded as reference and checked too.
    use_cache : bool
        Reuse results for files whose content has not changed.
    raise_on_error : bool
        Raise :class:`graph.errors.ValidationFailed` instead of returning a failing report.

    Returns
    -------
    Report
        ``report.conforms`` is True when nothing is wrong; ``report.by_file()`` groups the
        violations with the focus node's label, the property and the message.

    Raises
    ------
    graph.errors.ParseError
        If a file is not well-formed RDF (the message names file and line).

    Examples
    --------
    >>> validate().conforms
    True
    """
    report = check(collect(paths), use_cache=use_cache, progress=progress)
    if raise_on_error and not report.conforms:
        raise ValidationFailed(report)
    return report
