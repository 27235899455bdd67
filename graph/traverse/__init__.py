"""Traversal of the knowledge graph: networkx projections, flows, routes and lookups.

Every public function takes the :class:`~graph.kg.KnowledgeGraph` first and returns plain
data (dicts and lists) or, for projections, a networkx graph whose node ids are IRIs::

    >>> from graph.traverse import routes
    >>> [r["label"] for r in routes(kg, "Libya", "Mali", commodity="arms")][:1]
    ['Libya → Mali']

The graph is read once per ``KnowledgeGraph`` with a few flat SPARQL queries and cached;
call :func:`clear_cache` after changing the store behind a graph.
"""

from __future__ import annotations

from graph.claims import clear_cache
from graph.traverse.country import country, country_rows
from graph.traverse.flows import flows
from graph.traverse.neighbours import neighbours
from graph.traverse.projections import (
    actor_commodity_graph,
    actor_market_graph,
    flow_network,
    full_graph,
)
from graph.traverse.routes import routes
from graph.traverse.who import who

__all__ = [
    "actor_commodity_graph",
    "actor_market_graph",
    "clear_cache",
    "country",
    "country_rows",
    "flow_network",
    "flows",
    "full_graph",
    "neighbours",
    "routes",
    "who",
]
