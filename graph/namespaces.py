"""Namespaces as rdflib objects: the closed ontology namespace and the open data namespaces.

``TKG`` is a closed :class:`rdflib.namespace.DefinedNamespace` generated from
``ontology/tkg.ttl`` (see ``graph/_tkg.py``), so a misspelt term fails at import time instead
of producing a dangling IRI. The other namespaces are open: their members are data.
"""

from __future__ import annotations

from rdflib import Graph, Namespace

from graph._tkg import TKG
from graph.prefixes import PREFIXES

__all__ = [
    "ACTTYPE",
    "ADM",
    "ASSESS",
    "CERT",
    "COM",
    "EVTYPE",
    "FTM_ALIGN",
    "GEO",
    "IND",
    "KB",
    "MAG",
    "MODE",
    "PLACE",
    "PREFIXES",
    "PRES",
    "QB",
    "RELTYPE",
    "ROLE",
    "SCHEMA",
    "SHAPE",
    "TKG",
    "TREND",
    "bind",
    "namespaces",
]

KB = Namespace(PREFIXES["kb"])
PLACE = Namespace(PREFIXES["place"])
SHAPE = Namespace(PREFIXES["shape"])
IND = Namespace(PREFIXES["ind"])
COM = Namespace(PREFIXES["com"])
CERT = Namespace(PREFIXES["cert"])
ADM = Namespace(PREFIXES["adm"])
ROLE = Namespace(PREFIXES["role"])
MODE = Namespace(PREFIXES["mode"])
TREND = Namespace(PREFIXES["trend"])
MAG = Namespace(PREFIXES["mag"])
ACTTYPE = Namespace(PREFIXES["acttype"])
RELTYPE = Namespace(PREFIXES["reltype"])
EVTYPE = Namespace(PREFIXES["evtype"])
ASSESS = Namespace(PREFIXES["assess"])
QB = Namespace(PREFIXES["qb"])
GEO = Namespace(PREFIXES["geo"])
SCHEMA = Namespace(PREFIXES["schema"])
#: Presentation hints (``ontology/presentation.ttl``): colours, shapes, dash patterns.
PRES = Namespace(PREFIXES["pres"])
#: Annotation properties of the FollowTheMoney alignment (``alignments/ftm-alignments.ttl``).
FTM_ALIGN = Namespace("https://w3id.org/tkg/alignments/ftm#")


def namespaces() -> dict[str, Namespace]:
    """Return every project prefix mapped to an rdflib namespace, for ``initNs``.

    Examples
    --------
    >>> namespaces()["tkg"] == Namespace("https://w3id.org/tkg/ontology#")
    True
    """
    return {name: Namespace(iri) for name, iri in PREFIXES.items()}


def bind(graph: Graph) -> Graph:
    """Bind every project prefix on ``graph`` and return it, so serialisations read well.

    Examples
    --------
    >>> g = bind(Graph())
    >>> str(dict(g.namespaces())["kb"]) == str(KB)
    True
    """
    for name, iri in PREFIXES.items():
        graph.bind(name, Namespace(iri), override=True, replace=True)
    return graph
