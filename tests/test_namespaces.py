"""The closed namespace module matches the ontology, and the prefix table is consistent."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, Graph

from graph import namespaces
from graph.namespaces import TKG
from graph.prefixes import PREFIXES
from graph.resources import ontology_dir


def test_defined_namespace_matches_the_ontology():
    g = Graph().parse(ontology_dir() / "tkg.ttl")
    declared = {str(s)[len(str(TKG)):] for s in g.subjects()
                if str(s).startswith(str(TKG)) and str(s) != str(TKG)}
    generated = set(TKG.__annotations__)
    assert declared == generated, "regenerate graph/_tkg.py: python ontology/tools/namespace.py"


def test_closed_namespace_rejects_unknown_terms():
    with pytest.raises(AttributeError):
        TKG.NoSuchTerm  # noqa: B018


def test_namespace_objects_agree_with_prefix_table():
    for name, iri in PREFIXES.items():
        obj = getattr(namespaces, name.upper(), None)
        if obj is not None:
            assert str(obj) == iri, name


def test_bind_declares_every_prefix():
    g = namespaces.bind(Graph())
    bound = {p: str(n) for p, n in g.namespaces()}
    for name, iri in PREFIXES.items():
        assert bound.get(name) == iri


def test_ontology_header_iri_is_not_a_term():
    g = Graph().parse(ontology_dir() / "tkg.ttl")
    assert (None, RDF.type, OWL.Ontology) in g
