"""The SPARQL 1.1 Service Description of the endpoint (what ``GET /sparql`` without a query
returns to a client that does not ask for HTML).

Written with pyoxigraph, so every IRI is validated and escaped by the serialiser.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.server.protocol import GRAPH_TYPES, RESULT_TYPES

__all__ = ["service_description"]

_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_DCT = "http://purl.org/dc/terms/"
#: W3C format IRIs of the answer formats the endpoint writes.
_FORMAT_IRIS = {
    ("results", "json"): "SPARQL_Results_JSON",
    ("results", "xml"): "SPARQL_Results_XML",
    ("results", "csv"): "SPARQL_Results_CSV",
    ("results", "tsv"): "SPARQL_Results_TSV",
    ("graph", "turtle"): "Turtle",
    ("graph", "nt"): "N-Triples",
    ("graph", "json-ld"): "JSON-LD",
    ("graph", "xml"): "RDF_XML",
}


def service_description(endpoint: str, fmt: str = "turtle", *, updates: bool = False,
                        graphs: Iterable[str] = (), max_rows: int | None = None,
                        timeout: float | None = None) -> bytes:
    """Describe the endpoint at ``endpoint`` in ``fmt`` (``turtle``, ``nt``, ``json-ld``, ``xml``).

    Examples
    --------
    >>> text = service_description("http://127.0.0.1:8000/sparql").decode()
    >>> "sd:SPARQL11Query" in text and "sd:UnionDefaultGraph" in text
    True
    """
    import pyoxigraph as ox

    def iri(value: str):
        return ox.NamedNode(value)

    try:
        service = iri(endpoint)
    except ValueError:
        service = ox.BlankNode()
    triples = [
        ox.Triple(service, iri(_RDF_TYPE), iri(_SD + "Service")),
        ox.Triple(service, iri(_DCT + "title"),
                  ox.Literal("Trafficking Knowledge Graph SPARQL endpoint", language="en")),
        ox.Triple(service, iri(_SD + "supportedLanguage"), iri(_SD + "SPARQL11Query")),
        ox.Triple(service, iri(_SD + "feature"), iri(_SD + "UnionDefaultGraph")),
    ]
    if isinstance(service, ox.NamedNode):
        triples.append(ox.Triple(service, iri(_SD + "endpoint"), service))
    if updates:
        triples.append(ox.Triple(service, iri(_SD + "supportedLanguage"),
                                 iri(_SD + "SPARQL11Update")))
    for family, name in _FORMAT_IRIS:
        if name in (RESULT_TYPES if family == "results" else GRAPH_TYPES):
            triples.append(ox.Triple(service, iri(_SD + "resultFormat"),
                                     iri(_FORMATS + _FORMAT_IRIS[family, name])))
    notes = ["SERVICE and LOAD are refused", "the project prefixes (tkg:, kb:, place: ...) "
             "are predeclared"]
    if max_rows is not None:
        notes.append(f"answers are cut at {max_rows} rows (header X-TKG-Truncated)")
    if timeout is not None:
        notes.append(f"queries stop after {timeout:g} s")
    triples.append(ox.Triple(service, iri(_DCT + "description"),
                             ox.Literal("; ".join(notes) + ".", language="en")))
    dataset = ox.BlankNode()
    default_graph = ox.BlankNode()
    triples += [
        ox.Triple(service, iri(_SD + "defaultDataset"), dataset),
        ox.Triple(dataset, iri(_RDF_TYPE), iri(_SD + "Dataset")),
        ox.Triple(dataset, iri(_SD + "defaultGraph"), default_graph),
        ox.Triple(default_graph, iri(_RDF_TYPE), iri(_SD + "Graph")),
    ]
    for name in sorted(set(graphs)):
        node = ox.BlankNode()
        triples += [
            ox.Triple(dataset, iri(_SD + "namedGraph"), node),
            ox.Triple(node, iri(_RDF_TYPE), iri(_SD + "NamedGraph")),
            ox.Triple(node, iri(_SD + "name"), iri(name)),
        ]
    formats = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "json-ld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}
    prefixes = {"sd": _SD, "dct": _DCT, "formats": _FORMATS}
    return ox.serialize(triples, format=formats[fmt],
                        prefixes=prefixes if fmt in ("turtle", "xml") else None)
