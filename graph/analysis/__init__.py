"""Analyses built on the projections of :mod:`graph.traverse`.

* :func:`convergence` — actors and places spanning several markets or commodities;
* :func:`brokers` — betweenness centrality of places on the flow network;
* :func:`chokepoints` — places whose removal cuts the most origin→destination pairs;
* :func:`compare` — Index scores of countries side by side, with changes between editions;
* :func:`duplicates` — actor pairs that may be one group under two IRIs, for a curator;
* :func:`copying` — document pairs whose claims overlap far beyond chance (probable copies).

Every analysis of claims takes ``min_certainty`` to leave out weaker claims.
"""

from __future__ import annotations

from graph.analysis.brokers import brokers, chokepoints
from graph.analysis.compare import compare
from graph.analysis.convergence import convergence
from graph.analysis.copying import copying
from graph.analysis.duplicates import duplicates

__all__ = ["brokers", "chokepoints", "compare", "convergence", "copying", "duplicates"]
