"""RDF exports: Turtle and JSON-LD of the merged graph, TriG and N-Quads with named graphs.

All four are lossless: parsing the file gives back a graph isomorphic to the loaded one
(tests check this for every format). TriG and N-Quads keep one named graph per source file
and the loader's derived graph; Turtle and JSON-LD merge them, so a triple stated in two
files appears once. Output is sorted so that two exports of the same graph differ only in
blank-node labels.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graph.exports import atomic_file
from graph.exports._store import distinct_triples, quad_store, sorted_quads
from graph.prefixes import PREFIXES

__all__ = ["jsonld_context", "write_jsonld", "write_nquads", "write_trig", "write_turtle"]

_XSD_STRING = PREFIXES["xsd"] + "string"
_RDF_TYPE = PREFIXES["rdf"] + "type"


def write_turtle(kg, path: Path) -> list[Path]:
    """Write the merged graph (every named graph, derived triples included) as Turtle.

    Examples
    --------
    >>> import tempfile, pathlib, rdflib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
    >>> _ = write_turtle(kg, out)
    >>> len(rdflib.Graph().parse(out)) > 1000
    True
    """
    import pyoxigraph as ox

    triples = distinct_triples(quad_store(kg))
    with atomic_file(path) as tmp:
        ox.serialize(triples, str(tmp), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return [path]


def write_trig(kg, path: Path) -> list[Path]:
    """Write every named graph (one per source file, plus the derived graph) as TriG."""
    return _write_quads(kg, path, "TRIG")


def write_nquads(kg, path: Path) -> list[Path]:
    """Write every named graph (one per source file, plus the derived graph) as N-Quads."""
    return _write_quads(kg, path, "N_QUADS")


def _write_quads(kg, path: Path, fmt: str) -> list[Path]:
    import pyoxigraph as ox

    quads = sorted_quads(quad_store(kg))
    with atomic_file(path) as tmp:
        ox.serialize(quads, str(tmp), format=getattr(ox.RdfFormat, fmt),
                     prefixes=PREFIXES if fmt == "TRIG" else None)
    return [path]


def jsonld_context() -> dict[str, str]:
    """The ``@context`` of JSON-LD exports: the project prefixes, nothing else.

    Examples
    --------
    >>> jsonld_context()["tkg"]
    'https://w3id.org/tkg/ontology#'
    """
    return dict(PREFIXES)


def write_jsonld(kg, path: Path) -> list[Path]:
    """Write the merged graph as JSON-LD: one node object per subject, prefixed names.

    The document is ``{"@context": <project prefixes>, "@graph": [...]}``. Keys and IRIs
    are compact IRIs (``tkg:commodity``, ``kb:actor-aqim``) that the context expands, so the
    file reads well and needs no network access to expand. Literals keep their datatype or
    language (``{"@value": "2021", "@type": "xsd:gYear"}``), so nothing is lost.

    Examples
    --------
    >>> import tempfile, pathlib, json
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "g.jsonld"
    >>> _ = write_jsonld(kg, out)
    >>> doc = json.loads(out.read_text())
    >>> doc["@context"]["kb"], len(doc["@graph"]) > 100
    ('https://w3id.org/tkg/kb/', True)
    """
    context = jsonld_context()
    namespaces = sorted(context.items(), key=lambda item: -len(item[1]))
    nodes: dict[str, dict[str, Any]] = {}
    for triple in distinct_triples(quad_store(kg)):
        subject = _node_id(triple.subject, namespaces)
        node = nodes.setdefault(subject, {"@id": subject})
        if triple.predicate.value == _RDF_TYPE and not _is_literal(triple.object):
            node.setdefault("@type", []).append(_node_id(triple.object, namespaces))
            continue
        key = _compact(triple.predicate.value, namespaces)
        node.setdefault(key, []).append(_value(triple.object, namespaces))
    with atomic_file(path) as tmp, tmp.open("w", encoding="utf-8") as out:
        out.write('{\n  "@context": ')
        out.write(json.dumps(context, ensure_ascii=False, indent=2).replace("\n", "\n  "))
        out.write(',\n  "@graph": [')
        for i, key in enumerate(sorted(nodes)):
            out.write(",\n    " if i else "\n    ")
            out.write(json.dumps(nodes[key], ensure_ascii=False, sort_keys=True))
        out.write("\n  ]\n}\n")
    return [path]


def _is_literal(term) -> bool:
    import pyoxigraph as ox

    return isinstance(term, ox.Literal)


def _compact(iri: str, namespaces: list[tuple[str, str]]) -> str:
    """``prefix:local`` for an IRI in a project namespace, else the IRI itself.

    Only where the result expands back unambiguously: a non-empty local part that does not
    start with ``//`` (which JSON-LD would read as an absolute IRI).
    """
    for prefix, ns in namespaces:
        if iri.startswith(ns):
            local = iri[len(ns):]
            if local and not local.startswith("//"):
                return f"{prefix}:{local}"
    return iri


def _node_id(term, namespaces) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return _compact(term.value, namespaces)


def _value(term, namespaces) -> dict[str, str]:
    import pyoxigraph as ox

    if not isinstance(term, ox.Literal):
        return {"@id": _node_id(term, namespaces)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype is None or term.datatype.value == _XSD_STRING:
        return {"@value": term.value}
    return {"@value": term.value, "@type": _compact(term.datatype.value, namespaces)}
