"""The explorer: what the endpoint's search and entity pages show, as plain data.

Every page of ``tkg serve``'s explorer is drawn from one of these functions, and a notebook
can call them too:

- :func:`search` finds entities by label, alternative label or description (the lookup of
  ``tkg search``) and groups them by kind (actor, place, commodity, claim, document), with
  "did you mean" suggestions when nothing matches;
- :func:`describe` gives everything the graph says about one entity, in sections chosen by
  its kind (an actor's flows and relations, a place's flows and Index scores, a claim's
  sources and lineages, a document's passages and the claims citing them);
- :func:`ego_network` gives the view data (:func:`graph.views.view_data`'s format) of an
  entity's neighbourhood, and :func:`neighbourhood` the nodes and lines one click on a
  node adds to it.

    >>> from graph.explore import describe
    >>> describe(kg, "kb:actor-aqim")["kind"]
    'actor'
"""

from __future__ import annotations

from graph.explore.describe import describe, entity_kind, find_entity, rdf_description
from graph.explore.kinds import KINDS
from graph.explore.network import ego_network, neighbourhood
from graph.explore.search import search

__all__ = ["KINDS", "describe", "ego_network", "entity_kind", "find_entity", "neighbourhood",
           "rdf_description", "search"]
