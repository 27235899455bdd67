"""Prefix names and namespace IRIs used across the project, as plain strings.

This module imports nothing heavy so that the fast query path (``tkg query`` on a cached
graph) can declare SPARQL prefixes without loading rdflib. :mod:`graph.namespaces` turns the
same table into rdflib namespace objects.
"""

from __future__ import annotations

__all__ = ["PREFIXES", "sparql_prolog"]

#: Prefix name -> namespace IRI. Ontology terms live in ``tkg:``, instance data in ``kb:``,
#: the gazetteer in ``place:`` and each controlled vocabulary in its own namespace.
PREFIXES: dict[str, str] = {
    "tkg": "https://w3id.org/tkg/ontology#",
    "kb": "https://w3id.org/tkg/kb/",
    "place": "https://w3id.org/tkg/place/",
    "shape": "https://w3id.org/tkg/shapes#",
    "ind": "https://w3id.org/tkg/vocab/index/",
    "com": "https://w3id.org/tkg/vocab/commodity/",
    "cert": "https://w3id.org/tkg/vocab/certainty/",
    "adm": "https://w3id.org/tkg/vocab/admiralty/",
    "role": "https://w3id.org/tkg/vocab/role/",
    "mode": "https://w3id.org/tkg/vocab/mode/",
    "trend": "https://w3id.org/tkg/vocab/trend/",
    "mag": "https://w3id.org/tkg/vocab/magnitude/",
    "acttype": "https://w3id.org/tkg/vocab/activity-type/",
    "reltype": "https://w3id.org/tkg/vocab/relation-type/",
    "evtype": "https://w3id.org/tkg/vocab/event-type/",
    "assess": "https://w3id.org/tkg/vocab/assessment/",
    "conflict": "https://w3id.org/tkg/vocab/conflict-reason/",
    "pres": "https://w3id.org/tkg/presentation#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
}


def sparql_prolog(prefixes: dict[str, str] | None = None) -> str:
    """Return ``PREFIX`` declarations for a SPARQL query.

    Examples
    --------
    >>> sparql_prolog({"tkg": "https://w3id.org/tkg/ontology#"})
    'PREFIX tkg: <https://w3id.org/tkg/ontology#>\\n'
    """
    table = PREFIXES if prefixes is None else prefixes
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in table.items())
