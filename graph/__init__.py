"""Trafficking Knowledge Graph: study illicit trafficking networks as an RDF knowledge graph.

>>> import graph
>>> kg = graph.open()                       # this folder's workspace, or the bundled data
>>> rows = kg.query("flows", commodity="arms")

The package is organised by stage: :mod:`graph.workspace` (where a knowledge base lives),
:mod:`graph.store` (its on-disk store, built incrementally), :mod:`graph.load` (files to a store),
:mod:`graph.validate` (SHACL), :mod:`graph.query` (named queries), :mod:`graph.ontology`
(the ontology model, ``kg.ontology``), :mod:`graph.lookup` (entities), :mod:`graph.claims`
(the claims snapshot), :mod:`graph.traverse` and :mod:`graph.analysis` (networkx),
:mod:`graph.views` (pyvis), :mod:`graph.brief` (country briefs), :mod:`graph.exports`,
:mod:`graph.server` (SPARQL endpoint) and :mod:`graph.cli`.
Heavy modules are imported on first use so ``import graph`` stays fast.
"""

from __future__ import annotations

from graph.kg import KnowledgeGraph
from graph.load import load, open
from graph.push import connect, push
from graph.validate import validate

__all__ = ["KnowledgeGraph", "__version__", "brief", "connect", "load", "open", "push",
           "validate"]
__version__ = "0.1.0"


def __getattr__(name: str):
    import importlib

    # ``graph.brief`` is both a subpackage and a call, graph.brief(kg, "Mali"): the
    # subpackage's module is callable (see graph/brief/__init__.py).
    if name == "brief":
        return importlib.import_module("graph.brief")
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
