"""Validate data files against the SHACL shapes, file by file, with a cache.

Each data file is validated together with what it needs of the reference graph (ontology,
vocabularies and gazetteer) so that class checks on places and concepts resolve, and only
violations whose focus node comes from that file are reported. Files that share no node are
validated in one engine run and the results split back per file, which gives the same
results as one run per file at a fraction of the cost. Results are cached per file by the
content of the file, the reference files and the shapes, so unchanged files are not
validated again. The engine (pyshacl, or pyrudof where proven to agree) is chosen in
:mod:`graph.shacl`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from graph import cache, shacl
from graph.errors import ValidationFailed
from graph.resources import shapes_file
from graph.sources import SourceFile, collect, parse

__all__ = ["BATCH_TRIPLES", "Report", "Violation", "check", "validate"]

#: Most triples validated in one engine run when files are validated together.
BATCH_TRIPLES = 20_000


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
    #: The engine that ran ("pyshacl" or "rudof"; "" when every result came from the cache).
    engine: str = ""

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
        # A node may have several (the very violation may be that): the English one first,
        # then by text, so the name does not depend on the process's hash order.
        values = sorted((v.language != "en", str(v)) for v in graph.objects(node, prop)
                        if isinstance(v, Literal))
        if values:
            return values[0][1]
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


def _results(found, union, owners: dict, paths: list[Path]) -> list[list[Violation]]:
    """Engine results as violations, one list per file: the file that owns the focus node.

    ``owners`` maps each focus node to the indexes (in ``paths``) of the files it is a
    subject of; results on nodes no file owns (the reference nodes carried along for class
    checks) are dropped.
    """
    per_file: list[list[Violation]] = [[] for _ in paths]
    for result in found:
        if result.focus in owners and isinstance(union, _Union):
            union = union.graph  # built only when there is something to describe
        for owner in owners.get(result.focus, ()):
            per_file[owner].append(Violation(
                file=str(paths[owner]),
                focus=str(result.focus),
                label=_describe(result.focus, union),
                path=result.path,
                shape=_short(result.shape, union),
                message=result.message,
                value=_short(result.value, union),
            ))
    for violations in per_file:
        violations.sort(key=lambda v: (v.label, v.shape, v.path, v.value))
    return per_file


#: Reference annotations the SPARQL shapes read (``shape:Involvement-incriminating``), as
#: prefixed names: the rdflib terms are made when a union is built (rdflib is imported by
#: validation only, not by ``import graph``).
_SHAPE_ANNOTATIONS = ("tkg:level", "tkg:incriminating")


class _Union:
    """The data graphs ``parts`` with the class hierarchy and what they name of ``reference``.

    Each file needs the class hierarchy and the types (and labels) of the places and concepts
    it names; carrying the whole gazetteer and every vocabulary along would validate them
    again for each file (results on them are discarded anyway) and dominate the cost.
    pyshacl reads :attr:`graph`; pyrudof reads :meth:`ntriples`, written without building
    the rdflib union (which is then only built to describe violations, if there are any).
    """

    def __init__(self, parts, reference):
        from rdflib import URIRef

        self.parts = parts
        self.reference = reference
        self.named = set()
        for data in parts:
            self.named.update(o for o in data.objects() if isinstance(o, URIRef))

    def _reference_triples(self):
        from rdflib import OWL, RDF, RDFS, URIRef

        from graph.lookup import expand_iri

        for cls in set(self.reference.subjects(RDF.type, OWL.Class)):
            yield from self.reference.triples((cls, RDFS.subClassOf, None))
        for node in self.named:
            yield from self.reference.triples((node, RDF.type, None))
            yield from self.reference.triples((node, RDFS.label, None))
        # The SPARQL shapes read the grade order and which roles incriminate, for every
        # grade (the floor cert:suspected need not occur in the file).
        for annotation in (URIRef(expand_iri(name)) for name in _SHAPE_ANNOTATIONS):
            yield from self.reference.triples((None, annotation, None))

    @cached_property
    def graph(self):
        from rdflib import Graph

        from graph.namespaces import bind

        union = bind(Graph())
        union.addN((s, p, o, union) for s, p, o in self._reference_triples())
        for data in self.parts:
            union += data
        return union

    def ntriples(self) -> str:
        """The union as N-Triples (rdflib's lexical forms, the blank-node IDs of ``graph``)."""
        if "graph" in self.__dict__:
            return self.graph.serialize(format="nt")
        from rdflib import Graph

        extra = Graph()
        extra.addN((s, p, o, extra) for s, p, o in self._reference_triples())
        texts = [extra.serialize(format="nt")]
        texts += [data.serialize(format="nt") for data in self.parts]
        return "\n".join(texts)


class _Batch:
    """Files validated in one engine run, chosen so that none can change another's results.

    A file may join when every node it shares with the batch is described (is the subject
    of triples) by both sides with exactly the same triples, and is no reference node; the
    triples pointing at it with a ``sh:targetObjectsOf`` predicate (which make it a focus
    node) count as part of its description. Then every triple SHACL reads from a focus node
    of a file (its own triples, the types of the nodes it names, the class hierarchy) is what
    validating that file alone would read, and the results, split back by the files that
    describe each focus node, are those of one file at a time. Files that describe a shared
    node differently, or name a node another file describes without describing it
    themselves, go to different runs. This holds for shapes that only follow paths forward
    from the focus node (see :func:`_batchable`).
    """

    def __init__(self, reference_subjects, incoming: frozenset = frozenset()):
        self.reference_subjects = reference_subjects
        self.incoming = incoming
        self.entries: list[tuple[SourceFile, str]] = []
        self.parts = []
        #: node -> indexes of the files that describe it
        self.owners: dict = {}
        #: every node any file of the batch names or describes
        self.nodes: set = set()
        self.triples = 0

    def fits(self, data, subjects: set, nodes: set, limit: int) -> bool:
        if not self.entries:
            return True
        if self.triples + len(data) > limit:
            return False
        if nodes & self.owners.keys() - subjects:
            return False  # names a node the batch describes, without describing it
        for node in subjects & self.nodes:
            owners = self.owners.get(node)
            if not owners or node in self.reference_subjects:
                return False  # describes a node the batch only names, or a reference node
            if (_description(data, node, self.incoming)
                    != _description(self.parts[owners[0]], node, self.incoming)):
                return False
        return True

    def add(self, source: SourceFile, key: str, data, subjects: set, nodes: set) -> None:
        index = len(self.entries)
        self.entries.append((source, key))
        self.parts.append(data)
        for subject in subjects:
            self.owners.setdefault(subject, []).append(index)
        self.nodes |= nodes
        self.triples += len(data)

    def validate(self, reference, shapes, engine: str,
                 fallback: bool = False) -> list[list[Violation]]:
        union = _Union(self.parts, reference)
        found = shacl.run(union, shapes, engine, fallback=fallback)
        return _results(found, union, self.owners, [s.path for s, _ in self.entries])


def _description(data, node, incoming: frozenset) -> tuple[set, set]:
    return (set(data.predicate_objects(node)),
            {(s, p) for s, p in data.subject_predicates(node) if p in incoming})


#: SHACL terms that read triples pointing at a node, or run arbitrary SPARQL: with any of
#: them in the shapes, files are not validated together. The SPARQL-based constraints the
#: "rudof" engine runs in Oxigraph (:func:`graph.shacl.sparql_supported`) are the exception:
#: like the core shapes, they read the focus node's description forward, the triples that
#: make it a focus node and reference annotations, and the corpus test compares them
#: batched with pyshacl run file by file.
_UNBATCHABLE = ("inversePath", "sparql", "target", "SPARQLTarget")


def _batchable(shapes, engine: str = "pyshacl") -> tuple[bool, frozenset]:
    """Whether files may share engine runs, and the ``sh:targetObjectsOf`` predicates."""
    from rdflib import URIRef

    sh = "http://www.w3.org/ns/shacl#"
    unsafe = any((None, URIRef(sh + name), None) in shapes for name in _UNBATCHABLE
                 if not (name == "sparql" and engine == "rudof"))
    return not unsafe, frozenset(shapes.objects(None, URIRef(sh + "targetObjectsOf")))


def _validate_reference(reference: list[SourceFile], ref_graph, subjects,
                        shapes, engine: str = "pyshacl",
                        fallback: bool = False) -> list[Violation]:
    found = shacl.run(ref_graph, shapes, engine, fallback=fallback)
    violations = []
    for source in reference:
        owners = dict.fromkeys(subjects[source.path], (0,))
        violations += _results(found, ref_graph, owners, [source.path])[0]
    return violations


def check(sources: list[SourceFile], *, use_cache: bool = True,
          progress: Callable[[str], None] | None = None, engine: str = "auto",
          batch_triples: int = BATCH_TRIPLES, processes: int | None = None) -> Report:
    """Validate already collected ``sources``; the reference files are checked as one unit.

    ``progress`` is called with the name of each unit before it is checked (cache hits are
    not announced). ``engine`` is "auto" (pyrudof where it is proven to agree with pyshacl,
    see :mod:`graph.shacl`, and pyshacl for a run pyrudof fails on), "pyshacl" or "rudof";
    the violations do not depend on it.
    Files that cannot see each other's nodes are validated together, up to
    ``batch_triples`` triples per engine run (1 validates each file on its own); each file's
    results are cached apart. Many files to validate (more than :data:`PARALLEL_BYTES`)
    are split between ``processes`` worker processes (default: one per CPU, at most four;
    1: none), each validating its share as above: the same results, sooner.

    Examples
    --------
    >>> from graph.sources import collect
    >>> report = check(collect())
    >>> report.conforms, len(report.files) > 20
    (True, True)
    """
    if engine not in shacl.ENGINES:
        shacl.choose(engine, None)  # raises, naming the engines
    reference = [s for s in sources if s.reference]
    data_files = [s for s in sources if not s.reference]
    ref_key = cache.content_key([s.path for s in reference] + [shapes_file()], "validate")
    report = Report(files=[str(s.path) for s in sources],
                    data_files=[str(s.path) for s in data_files])
    state: dict = {}

    def prepare():
        if not state:
            state["ref"] = _reference_graph(tuple(reference), ref_key)
            state["ref_subjects"] = set().union(*state["ref"][1].values())
            state["shapes"] = shapes = _shapes_graph(ref_key)
            state["engine"] = report.engine = shacl.choose(engine, shapes)
            state["batchable"], state["incoming"] = _batchable(shapes, state["engine"])
        return state["ref"][0], state["shapes"], state["engine"]

    def stored(key: str):
        return cache.read_json(cache.store_path(key, ".validation.json")) if use_cache else None

    def keep(key: str, found: list[Violation]) -> list[Violation]:
        if use_cache:
            cache.write_json(cache.store_path(key, ".validation.json"),
                             [asdict(v) for v in found])
        return found

    results: dict[str, list[Violation]] = {}
    ref_unit = cache.content_key([], ref_key, "reference")
    hit = stored(ref_unit)
    if hit is None:
        if progress:
            progress("ontology and vocabularies")
        ref_graph, shapes, chosen = prepare()
        hit = keep(ref_unit, _validate_reference(reference, ref_graph, state["ref"][1],
                                                 shapes, chosen, engine == "auto"))
    report.violations += [v if isinstance(v, Violation) else Violation(**v) for v in hit]

    def flush(batch: _Batch | None) -> None:
        if batch is not None:
            ref_graph, shapes, chosen = prepare()
            for (source, key), found in zip(batch.entries,
                                            batch.validate(ref_graph, shapes, chosen,
                                                           engine == "auto"),
                                            strict=True):
                results[str(source.path)] = keep(key, found)

    shares = _shares(data_files, ref_key, stored, processes)
    if shares:
        if progress:
            progress(f"{sum(len(s) for s in shares)} files in {len(shares)} processes")
        for share, found in _in_processes(shares, reference, use_cache, engine, batch_triples,
                                          progress):
            report.engine = report.engine or found.engine
            for source in share:
                results[str(source.path)] = [v for v in found.violations
                                             if v.file == str(source.path)]
    batch = None
    for source in data_files:
        if str(source.path) in results:
            continue  # validated by a worker process
        key = cache.content_key([source.path], ref_key)
        hit = stored(key)
        if hit is not None:
            # the key holds the file's name and bytes, not its folder: report this copy
            results[str(source.path)] = [Violation(**{**v, "file": str(source.path)})
                                         for v in hit]
            continue
        if progress:
            progress(source.path.name)
        data = parse(source)
        subjects = set(data.subjects())
        nodes = subjects | set(data.objects())
        limit = batch_triples if state.get("batchable", True) else 1
        if batch is None or not batch.fits(data, subjects, nodes, limit):
            flush(batch)
            prepare()
            batch = _Batch(state["ref_subjects"], state["incoming"])
        batch.add(source, key, data, subjects, nodes)
    flush(batch)
    for source in data_files:
        report.violations += results[str(source.path)]
    return report


#: Bytes of data files to validate above which :func:`check` shares them between processes.
PARALLEL_BYTES = 8_000_000


def _shares(data_files: list[SourceFile], ref_key: str, stored, processes: int | None
            ) -> list[list[SourceFile]]:
    """The files not in the cache, in contiguous shares of similar size, one per process;
    none when the work is too small to be worth starting processes."""
    import os

    if processes is None:
        processes = min(os.cpu_count() or 1, 4)
    if processes < 2:
        return []
    todo = [s for s in data_files
            if stored(cache.content_key([s.path], ref_key)) is None]
    sizes = [s.path.stat().st_size for s in todo]
    total = sum(sizes)
    if total < PARALLEL_BYTES or len(todo) < 2 * processes:
        return []
    shares, current, filled = [], [], 0
    for source, size in zip(todo, sizes, strict=True):
        current.append(source)
        filled += size
        if filled >= total * (len(shares) + 1) / processes and len(shares) < processes - 1:
            shares.append(current)
            current = []
    return [*shares, current] if current else shares


def _in_processes(shares, reference, use_cache, engine, batch_triples, progress):
    """(share, its Report) as each worker process finishes validating its share."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # Fresh processes, not forks: the caller may run threads (a progress display, a server).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=len(shares), mp_context=context) as pool:
        futures = {pool.submit(check, [*reference, *share], use_cache=use_cache,
                               engine=engine, batch_triples=batch_triples, processes=1): share
                   for share in shares}
        for done, future in enumerate(as_completed(futures), 1):
            if progress:
                progress(f"{done} of {len(shares)} shares of files checked")
            yield futures[future], future.result()


def validate(paths: Iterable[str | Path] | None = None, *, use_cache: bool = True,
             raise_on_error: bool = False,
             progress: Callable[[str], None] | None = None, engine: str = "auto") -> Report:
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
    progress : callable, optional
        Called with the name of each file (or "ontology and vocabularies") before it is
        checked; files whose results come from the cache are not announced.
    engine : {"auto", "pyshacl", "rudof"}
        The SHACL engine. "auto" uses pyrudof when it is installed and every SHACL feature
        of the shapes is one it is proven to handle as pyshacl does
        (:data:`graph.shacl.RUDOF_PROVEN`), pyshacl otherwise. The violations are the same
        whichever engine runs.

    Returns
    -------
    Report
        ``report.conforms`` is True when nothing is wrong; ``report.by_file()`` groups the
        violations with the focus node's label, the property and the message.

    Raises
    ------
    graph.errors.ParseError
        If a file is not well-formed RDF (the message names file and line).
    graph.errors.DataError
        If ``engine`` is unknown, or is "rudof" and pyrudof is not installed.

    Examples
    --------
    >>> validate().conforms
    True
    """
    report = check(collect(paths), use_cache=use_cache, progress=progress, engine=engine)
    if raise_on_error and not report.conforms:
        raise ValidationFailed(report)
    return report
