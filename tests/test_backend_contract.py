"""The backend contract: every local backend answers every named query and traversal alike.

The workspace store (on disk, default graph = the merge of the files), Oxigraph in memory
(the union of the files' graphs) and rdflib in memory (``memory``) must give the same rows
for every named query and the same records for every traversal and analysis. The remote
servers are held to the same queries in tests/test_remote.py.
"""

from __future__ import annotations

import json

import pytest
from contract import normal, query_cases

from graph.analysis import brokers, chokepoints, compare, convergence
from graph.claims import clear_cache
from graph.traverse import country, flow_network, flows, neighbours, routes, who

BACKENDS = ["workspace", "oxigraph"]


@pytest.fixture(params=BACKENDS)
def other(request, kg, kg_oxigraph):
    """A backend to compare with the rdflib memory backend (the reference)."""
    found = kg if request.param == "workspace" else kg_oxigraph
    clear_cache(found)  # every traversal reads its own snapshot, as a fresh process would
    return found


@pytest.mark.parametrize(("name", "params"), list(query_cases()))
def test_named_queries_answer_alike(kg_memory, kg, kg_oxigraph, name, params):
    expected = normal(kg_memory.query(name, params))
    assert normal(kg.query(name, params)) == expected, f"{name}: workspace store differs"
    assert normal(kg_oxigraph.query(name, params)) == expected, f"{name}: oxigraph differs"


def _same(a, b) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True,
                                                                     default=str)


TRAVERSALS = {
    "flows drugs via Mali": lambda kg: flows(kg, commodity="drugs", transit="Mali"),
    "flows likely": lambda kg: flows(kg, min_certainty="likely"),
    "routes Libya Mali": lambda kg: routes(kg, "Libya", "Mali"),
    "routes cocaine": lambda kg: routes(kg, "Latin America", "Europe", commodity="cocaine"),
    "who gold": lambda kg: who(kg, "gold"),
    "who Mali": lambda kg: who(kg, "Mali", min_certainty="suspected"),
    "country Mali": lambda kg: country(kg, "Mali"),
    "neighbours AQIM": lambda kg: neighbours(kg, "AQIM", depth=2),
    "network": lambda kg: sorted(flow_network(kg).edges()),
    "convergence": lambda kg: convergence(kg),
    "brokers": lambda kg: brokers(kg),
    "chokepoints": lambda kg: chokepoints(kg),
    "compare": lambda kg: compare(kg, ["Mali", "Niger"]),
}


@pytest.mark.parametrize("name", list(TRAVERSALS))
def test_traversals_answer_alike(kg_memory, other, name):
    run = TRAVERSALS[name]
    expected = run(kg_memory)
    assert expected, f"{name} gives nothing on the bundled data: a vacuous comparison"
    assert _same(run(other), expected)
