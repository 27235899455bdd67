"""Run a SHACL engine (pyshacl or pyrudof) over one data graph and return its results alike.

pyshacl is the reference engine. pyrudof (the Rust validator ``rudof``) is faster, and is only
used for shapes whose SHACL features are listed in :data:`RUDOF_PROVEN`: the features on
which both engines gave identical results over the test corpus (every shape fixture and the
broken data files in ``tests/data/validation/``; ``tests/test_validate_engines.py`` checks
it). pyrudof runs no SPARQL-based constraints, and pyshacl runs them once per focus node,
parsing the query each time (hours at a million triples): with the "rudof" engine they run
in Oxigraph instead, once per validated graph, each query joined with its shape's targets
(:func:`sparql_supported` says which constraints that covers; the same corpus proves them).
Every engine returns :class:`Result` rows, with the path and message taken from the shape,
so that what a person reads does not depend on the engine that ran.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graph.errors import DataError

__all__ = ["ENGINES", "RUDOF_PROVEN", "Result", "choose", "proven_shapes", "rudof_available",
           "rudof_supports", "run", "sparql_supported"]

SH = "http://www.w3.org/ns/shacl#"

#: Engine names accepted by :func:`run` and :func:`graph.validate.validate`.
ENGINES = ("auto", "pyshacl", "rudof")

#: SHACL terms (local names in the ``sh:`` namespace: constraint parameters, path and target
#: kinds) on which pyrudof gave exactly pyshacl's results over the whole test corpus. "auto"
#: uses pyrudof only when every ``sh:`` term the shapes graph uses is listed here; a new
#: feature in ontology/shapes.ttl therefore falls back to pyshacl until the corpus covers it.
RUDOF_PROVEN = frozenset({
    # structure
    "NodeShape", "PropertyShape", "property", "path", "message",
    # targets
    "targetClass", "targetObjectsOf",
    # paths
    "alternativePath", "zeroOrMorePath",
    # constraints
    "class", "datatype", "languageIn", "lessThanOrEquals", "maxCount", "maxInclusive",
    "minCount", "minInclusive", "nodeKind", "IRI", "or", "pattern",
})


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, whichever engine produced it."""

    #: The focus node (an rdflib term).
    focus: Any
    #: IRI of the property shape (or node shape) that failed.
    shape: Any
    #: The shape's path, rendered by :func:`graph.validate._short` ("" for node shapes).
    path: str
    #: The offending value (an rdflib term), or None.
    value: Any
    #: The shape's ``sh:message`` (or the engine's own when the shape has none).
    message: str
    #: Local name of the SHACL constraint component, e.g. ``MinCountConstraintComponent``.
    component: str = ""


def rudof_available() -> bool:
    """True when pyrudof can be imported."""
    try:
        import pyrudof  # noqa: F401
    except ImportError:
        return False
    return True


def rudof_supports(shapes) -> bool:
    """True when every ``sh:`` term of ``shapes`` is in :data:`RUDOF_PROVEN`.

    The project's shapes include SPARQL constraints (``shape:Claim-conflict``,
    ``shape:Involvement-incriminating``), which are not proven: "auto" runs pyshacl on them.

    Examples
    --------
    >>> from rdflib import Graph
    >>> from graph.resources import shapes_file
    >>> shapes = Graph().parse(shapes_file())
    >>> rudof_supports(shapes), rudof_supports(proven_shapes(shapes))
    (False, True)
    """
    return not _unproven_terms(shapes)


def proven_shapes(shapes):
    """A copy of ``shapes`` without the property shapes that use an unproven ``sh:`` term
    (and the ``sh:property`` links to them): what pyrudof is proven to validate alike."""
    from rdflib import BNode, Graph, URIRef

    prop = URIRef(SH + "property")

    def closure(node) -> Graph:
        part, todo, seen = Graph(), [node], set()
        while todo:
            subject = todo.pop()
            if subject in seen:
                continue
            seen.add(subject)
            for s, p, o in shapes.triples((subject, None, None)):
                part.add((s, p, o))
                if isinstance(o, BNode):
                    todo.append(o)
        return part

    dropped = {o for o in shapes.objects(None, prop) if _unproven_terms(closure(o))}
    kept = Graph()
    for prefix, namespace in shapes.namespaces():
        kept.bind(prefix, namespace)
    for triple in shapes:
        kept.add(triple)
    for shape in dropped:
        kept.remove((None, prop, shape))
        for triple in closure(shape):
            kept.remove(triple)
    # Prefix declarations serve only the SPARQL constraints just dropped.
    declare = URIRef(SH + "declare")
    for holder, declaration in list(kept.subject_objects(declare)):
        kept.remove((holder, declare, declaration))
        for triple in closure(declaration):
            kept.remove(triple)
    return kept


def _unproven_terms(shapes) -> set[str]:
    used = set()
    for _s, p, o in shapes:
        for term in (p, o):
            text = str(term)
            if text.startswith(SH):
                used.add(text[len(SH):])
    used.discard("Violation")  # severity: both engines report violations alike
    return used - RUDOF_PROVEN


def sparql_supported(shapes) -> bool:
    """True when what pyrudof is not proven on is only SPARQL-based constraints that
    Oxigraph can run for it: a ``sh:select`` on a property shape with an IRI path, whose
    node shapes target by ``sh:targetClass`` or ``sh:targetObjectsOf``.

    Examples
    --------
    >>> from rdflib import Graph
    >>> from graph.resources import shapes_file
    >>> sparql_supported(Graph().parse(shapes_file()))
    True
    """
    if _unproven_terms(_core(shapes)):
        return False
    try:
        _sparql_constraints(shapes)
    except _Unsupported:
        return False
    return True


class _Unsupported(Exception):
    """A SPARQL-based constraint Oxigraph cannot run the way pyshacl does."""


def choose(engine: str, shapes) -> str:
    """The engine that runs for ``engine`` ("auto" resolves to "rudof" or "pyshacl").

    Raises
    ------
    graph.errors.DataError
        If ``engine`` is not one of :data:`ENGINES`.
    graph.errors.MissingDependency
        If "rudof" is asked for and pyrudof is not installed.

    Examples
    --------
    >>> from rdflib import Graph
    >>> choose("pyshacl", Graph())
    'pyshacl'
    """
    if engine not in ENGINES:
        raise DataError(f"unknown validation engine {engine!r}; use one of {', '.join(ENGINES)}")
    if engine == "rudof" and not rudof_available():
        raise DataError("the rudof engine needs the pyrudof package: "
                        "pip install 'trafficking-kg[rudof]'")
    if engine == "auto":
        return "rudof" if rudof_available() and sparql_supported(shapes) else "pyshacl"
    if engine == "rudof" and not sparql_supported(shapes):
        raise DataError("the rudof engine cannot run these shapes (SHACL features it is not "
                        "proven on); use pyshacl or auto")
    return engine


def run(union, shapes, engine: str, *, fallback: bool = False) -> list[Result]:
    """Validate ``union`` against the rdflib graph ``shapes`` with ``engine``.

    ``union`` is an rdflib graph, or an object with a ``graph`` attribute (read by pyshacl)
    and an ``ntriples()`` method (read by pyrudof) that give the same triples. ``engine`` is
    "pyshacl" or "rudof" (resolve "auto" with :func:`choose` first). Results for every focus
    node are returned; callers keep those they own. With ``fallback`` (what "auto" asks
    for), an error inside pyrudof makes pyshacl validate ``union`` instead.
    """
    from rdflib import Graph

    if engine == "rudof":
        text = union.serialize(format="nt") if isinstance(union, Graph) else union.ntriples()
        try:
            return _run_rudof(text, _core(shapes)) + _run_sparql(text, shapes)
        except Exception as exc:
            if not fallback:
                raise DataError(f"pyrudof could not validate: {exc}") from exc
            logging.getLogger(__name__).info("pyrudof failed (%s); using pyshacl", exc)
    return _run_pyshacl(union if isinstance(union, Graph) else union.graph, shapes)


@lru_cache(maxsize=4)
def _core(shapes):
    """``shapes`` without their SPARQL-based constraints (and the prefix declarations only
    those use): what pyrudof runs when Oxigraph runs the rest."""
    from rdflib import BNode, Graph, URIRef

    core = Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace)
    for triple in shapes:
        core.add(triple)
    for link in ("sparql", "declare"):
        for holder, node in list(core.subject_objects(URIRef(SH + link))):
            core.remove((holder, URIRef(SH + link), node))
            todo = [node]
            while todo:
                subject = todo.pop()
                for triple in list(core.triples((subject, None, None))):
                    core.remove(triple)
                    if isinstance(triple[2], BNode):
                        todo.append(triple[2])
    return core


@lru_cache(maxsize=4)
def _sparql_constraints(shapes) -> tuple[tuple[Any, str, str, str], ...]:
    """Per SPARQL-based constraint: (property shape, the query to run, its message, the
    path as we render it). The query is the constraint's ``sh:select`` with ``$PATH``
    replaced by the shape's path (as SHACL pre-binds it), joined with the focus nodes of
    the node shapes that hold it; ``$this`` is then an ordinary variable bound by them."""
    from rdflib import URIRef

    from graph.namespaces import bind
    from graph.validate import _short

    sh = {name: URIRef(SH + name) for name in (
        "sparql", "select", "path", "message", "property", "prefixes", "declare", "prefix",
        "namespace", "targetClass", "targetObjectsOf")}
    named = bind(type(shapes)())
    named += shapes
    found = []
    for shape, constraint in sorted(shapes.subject_objects(sh["sparql"])):
        select = shapes.value(constraint, sh["select"])
        path = shapes.value(shape, sh["path"])
        if select is None or not isinstance(path, URIRef):
            raise _Unsupported(f"{shape}: only sh:select on an IRI path runs in Oxigraph")
        targets = []
        for holder in shapes.subjects(sh["property"], shape):
            for cls in shapes.objects(holder, sh["targetClass"]):
                targets.append(f"{{ ?this rdf:type/rdfs:subClassOf* <{cls}> }}")
            for predicate in shapes.objects(holder, sh["targetObjectsOf"]):
                targets.append(f"{{ ?subject <{predicate}> ?this }}")
            if any(shapes.value(holder, URIRef(SH + kind)) is not None
                   for kind in ("targetNode", "targetSubjectsOf", "target", "deactivated")) \
                    or (None, None, holder) in shapes:
                raise _Unsupported(f"{holder}: only top-level node shapes targeting by "
                                   "class or by objects of a predicate run in Oxigraph")
        if not targets:
            raise _Unsupported(f"{shape}: no sh:targetClass or sh:targetObjectsOf above it")
        declared = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                    "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
        for holder in shapes.objects(constraint, sh["prefixes"]):
            for declaration in shapes.objects(holder, sh["declare"]):
                declared[str(shapes.value(declaration, sh["prefix"]))] = \
                    str(shapes.value(declaration, sh["namespace"]))
        prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(declared.items()))
        body = str(select).replace("$PATH", f"<{path}>")
        query = (f"{prologue}SELECT DISTINCT ?this ?value WHERE {{\n"
                 f"  {{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(targets)} }} }}\n"
                 f"  {{ {body} }}\n}}")
        message = shapes.value(constraint, sh["message"]) or shapes.value(shape, sh["message"])
        found.append((shape, query, "" if message is None else str(message),
                      _short(path, named)))
    return tuple(found)


#: Blank nodes in N-Triples written by rdflib (a subject at the start of a line, an object
#: before the final dot), and the IRIs they become so that Oxigraph keeps their identity.
_BLANK_SUBJECT = re.compile(r"^_:(\S+)", re.M)
_BLANK_OBJECT = re.compile(r" _:(\S+) \.$", re.M)
_SKOLEM = "urn:x-tkg-blank:"


def _run_sparql(ntriples: str, shapes) -> list[Result]:
    """The SPARQL-based constraints of ``shapes`` run by Oxigraph over ``ntriples``."""
    constraints = _sparql_constraints(shapes)
    if not constraints:
        return []
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    text = _BLANK_OBJECT.sub(rf" <{_SKOLEM}\1> .", _BLANK_SUBJECT.sub(rf"<{_SKOLEM}\1>", ntriples))
    store = ox.Store()
    store.bulk_load(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)

    def term(node):
        if node is None:
            return None
        if isinstance(node, ox.NamedNode):
            return (BNode(node.value[len(_SKOLEM):]) if node.value.startswith(_SKOLEM)
                    else URIRef(node.value))
        if isinstance(node, ox.Literal):
            datatype = None if node.language else URIRef(node.datatype.value)
            return Literal(node.value, lang=node.language, datatype=datatype)
        return BNode(node.value)

    found = []
    for shape, query, message, path in constraints:
        for solution in store.query(query):
            found.append(Result(focus=term(solution["this"]), shape=shape, path=path,
                                value=term(solution["value"]), message=message,
                                component="SPARQLConstraintComponent"))
    return found


def _run_pyshacl(union, shapes) -> list[Result]:
    import pyshacl
    from rdflib import RDF, Namespace

    from graph.namespaces import bind
    from graph.validate import _short

    sh = Namespace(SH)
    _, report, _ = pyshacl.validate(union, shacl_graph=shapes, inference="none")
    bind(report)
    return [Result(focus=report.value(r, sh.focusNode),
                   shape=report.value(r, sh.sourceShape),
                   path=_short(report.value(r, sh.resultPath), report),
                   value=report.value(r, sh.value),
                   message=str(report.value(r, sh.resultMessage) or ""),
                   component=_local(report.value(r, sh.sourceConstraintComponent)))
            for r in report.subjects(RDF.type, sh.ValidationResult)]


@lru_cache(maxsize=4)
def _shape_facts(shapes) -> dict:
    """Per shape IRI: (path as we render it, path as rudof renders it, sh:message)."""
    from rdflib import Graph, URIRef

    from graph.namespaces import bind
    from graph.validate import _short

    named = bind(Graph())  # prefixes as in the reports pyshacl gives (the shapes' own may clash)
    named += shapes
    facts = {}
    for shape in set(shapes.subjects(URIRef(SH + "path"), None)):
        path = shapes.value(shape, URIRef(SH + "path"))
        message = shapes.value(shape, URIRef(SH + "message"))
        facts[str(shape)] = (_short(path, named), _rudof_path(path, shapes),
                             None if message is None else str(message))
    return facts


@lru_cache(maxsize=4)
def _shapes_text(shapes) -> str:
    return shapes.serialize(format="nt")


def _rudof_path(term, shapes) -> str:
    """A SHACL path written the way pyrudof reports it (full IRIs, ``/``, ``|``, ``*``)."""
    from rdflib import RDF, BNode, URIRef
    from rdflib.collection import Collection

    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        alternatives = shapes.value(term, URIRef(SH + "alternativePath"))
        if alternatives is not None:
            inner = " | ".join(_rudof_path(t, shapes) for t in Collection(shapes, alternatives))
            return f"({inner})"
        inner = shapes.value(term, URIRef(SH + "zeroOrMorePath"))
        if inner is not None:
            return f"({_rudof_path(inner, shapes)})*"
        if shapes.value(term, RDF.first) is not None:
            return "(" + " / ".join(_rudof_path(t, shapes) for t in Collection(shapes, term)) + ")"
    return str(term)


def _local(iri) -> str:
    text = str(iri or "")
    return text[len(SH):] if text.startswith(SH) else text


def _rudof_term(text: str | None):
    """An rdflib term for a node as pyrudof writes it: IRI, ``_:id`` or a quoted literal."""
    from rdflib import BNode, Literal, URIRef

    if text is None:
        return None
    if text.startswith("_:"):
        return BNode(text[2:])
    if text.startswith('"'):
        # pyrudof does not escape the lexical form; what follows the last quote is the
        # language tag or the datatype, which hold no quotes.
        return Literal(text[1:text.rindex('"')])
    return URIRef(text.removeprefix("<").removesuffix(">"))


def _run_rudof(ntriples: str, shapes) -> list[Result]:
    import pyrudof

    session = pyrudof.Rudof(pyrudof.RudofConfig())
    session.read_shacl(_shapes_text(shapes), format=pyrudof.ShaclFormat.NTriples)
    # N-Triples written by rdflib: literals carry rdflib's lexical forms, so both engines
    # see the same values (rdflib normalises "07.5"^^xsd:decimal to "7.5", for example).
    session.read_data(ntriples, format=pyrudof.RDFFormat.NTriples,
                      reader_mode=pyrudof.ReaderMode.Strict)
    report = session.validate_shacl()
    facts = _shape_facts(shapes)
    found = []
    for entry in report.violations:
        shape = entry.source_shape
        path, rudof_path, message = facts.get(shape, (None, None, None))
        reported = entry.path or ""
        found.append(Result(
            focus=_rudof_term(entry.focus_node),
            shape=_rudof_term(shape),
            # the shape's path as we render it, when rudof reports that very path
            path=path if reported == rudof_path else reported,
            value=_rudof_term(entry.value),
            message=message if message is not None else (entry.message or ""),
            component=_local(entry.constraint_component),
        ))
    return found
