"""Benchmark: traversal and analysis through the library against plain rdflib SPARQL.

Skipped unless pytest runs with ``--benchmark-enable``::

    TKG_BENCH_SIZES=10k,100k,1M pytest tests/benchmarks/test_bench_traverse.py \
        --benchmark-enable --benchmark-disable-gc -s

Both sides run in one process, which also holds the rdflib copy of the graph; with the
cyclic garbage collector on, every timing pays for sweeps over that large heap, so
``--benchmark-disable-gc`` (applied to both sides) gives the steadier comparison.

Input graphs: ``TKG_BENCH_DATA`` (comma-separated N-Triples or Turtle files, such as the
output of ``tkg generate``) or, when it is unset, seeded synthetic graphs written by
:func:`graph.generate.generate` at the sizes in ``TKG_BENCH_SIZES`` (default ``10k``).

For each graph the same questions are answered twice in the same run:

* **library** — the graph loaded with :func:`graph.load` into Oxigraph (derived shortcuts
  materialised, validation off) and asked through :mod:`graph.traverse` /
  :mod:`graph.analysis`. ``cold`` rows rebuild the snapshot and projection first
  (:func:`graph.traverse.clear_cache`); the others reuse them, as a session would;
* **rdflib** — the very same triples (dumped from that store) in an rdflib ``Dataset``,
  asked with one SPARQL query per question, as someone without the library would;
* **oxigraph** — the same SPARQL on the library's own Oxigraph store, to separate the gain
  of the engine from the gain of the projections.

Where the questions are the same, the answers are compared. The table printed at the end
gives medians and the ratios SPARQL time / library time (above 1: the library is faster);
``TKG_BENCH_OUT=results.json`` also writes them to a file. Questions without a SPARQL
equivalent (routes, brokers, chokepoints) are timed for the library only.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from graph.claims import quiet_gc

ROUNDS = int(os.environ.get("TKG_BENCH_ROUNDS", "3"))
RESULTS: list[dict[str, Any]] = []


def _inputs() -> list[str]:
    data = os.environ.get("TKG_BENCH_DATA")
    if data:
        return [p.strip() for p in data.split(",") if p.strip()]
    return [f"generate:{s.strip()}" for s in os.environ.get("TKG_BENCH_SIZES", "10k").split(",")]


@dataclass
class Bench:
    """One input graph in both forms, with the entities the questions ask about."""

    name: str
    triples: int
    kg: Any
    dataset: Any
    picks: dict[str, str] = field(default_factory=dict)
    load_seconds: dict[str, float] = field(default_factory=dict)


def _path_for(spec: str, folder: Path) -> Path:
    if not spec.startswith("generate:"):
        return Path(spec)
    from graph.generate import generate

    size = spec.split(":", 1)[1]
    path = folder / f"synthetic-{size}.nt"
    if not path.exists():
        generate(path, triples=size, seed=0)
    return path


def _pick(kg) -> dict[str, str]:
    """Entities to ask about: busy ones, so that answers are not empty."""
    from graph.claims import model
    from graph.traverse import flow_network

    m = model(kg)
    counts = Counter(c.first("commodity") for c in m.flows() if c.first("commodity"))
    top = counts.most_common(1)[0][0]
    broad = max(m.ancestors(top), key=lambda t: (len(m.ancestors(t)) == 1, t))
    network = flow_network(kg)
    source = max(network.nodes, key=lambda n: (network.out_degree(n), n))
    reach = _reachable(network, source)
    target = max(reach, key=lambda n: (network.in_degree(n), n)) if reach else source
    transit = Counter(p for c in m.flows() for p in c.values.get("transit", ())).most_common(1)
    actors = Counter(i.actor for c in m.claims.values() for i in c.involvements)
    return {"commodity": broad, "source": source, "target": target,
            "transit": transit[0][0] if transit else source,
            "actor": actors.most_common(1)[0][0]}


def _reachable(network, source: str) -> set[str]:
    import networkx as nx

    return set(nx.descendants(network, source)) - {source}


@pytest.fixture(scope="module", params=_inputs())
def bench(request):
    if not request.config.getoption("benchmark_enable"):
        pytest.skip("benchmarks run only with --benchmark-enable")
    from rdflib import Dataset

    import graph

    folder = Path(os.environ.get("TKG_BENCH_DIR") or tempfile.mkdtemp(prefix="tkg-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = _path_for(request.param, folder)
    started = time.perf_counter()
    kg = graph.load([path], backend="oxigraph", validate=False)
    loaded = time.perf_counter() - started
    dump = folder / f"{path.stem}.derived.nq"
    kg.serialize(dump, "nquads")
    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(dump, format="nquads")
    parsed = time.perf_counter() - started
    b = Bench(path.name, len(kg), kg, dataset, load_seconds={"library": loaded,
                                                             "rdflib": parsed})
    b.picks = _pick(kg)
    return b


PREFIXES = """
PREFIX tkg: <https://w3id.org/tkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def _rdflib(b: Bench, text: str, **bindings: str) -> list[tuple]:
    """Rows of ``text`` on the rdflib Dataset (plain rdflib, no library code)."""
    from rdflib import URIRef

    init = {k: URIRef(v) for k, v in bindings.items()}
    return list(b.dataset.query(PREFIXES + text, initBindings=init))


def _oxigraph(b: Bench, text: str, **bindings: str) -> list[tuple]:
    """Rows of ``text`` on the library's Oxigraph store (raw SPARQL, no traversal code)."""
    from graph.backends import IRI

    return list(b.kg.execute(text, {k: IRI(v) for k, v in bindings.items()}).rows())


@dataclass
class Question:
    """A library call, and the same question as one SPARQL query (if there is one)."""

    #: The library call; returns the answer.
    library: Callable[[], Any]
    #: SPARQL text answering the same question, and the entities bound into it.
    sparql: str | None = None
    bindings: dict[str, str] = field(default_factory=dict)
    #: Turns SPARQL rows into an answer comparable with the library's.
    post: Callable[[list[tuple]], Any] = len
    #: Whether the two answers must be equal.
    compare: bool = True


def q_flow_network_cold(b: Bench) -> Question:
    from graph.traverse import clear_cache, flow_network

    def library():
        clear_cache(b.kg)
        return flow_network(b.kg).number_of_edges()

    def post(rows):
        import networkx as nx

        net = nx.MultiDiGraph()
        for flow, leg, a, z, commodity, certainty in rows:
            net.add_edge(str(a), str(z), key=str(leg), flow=str(flow),
                         commodity=str(commodity), certainty=str(certainty))
        return net.number_of_edges()

    return Question(library, """
        SELECT ?flow ?leg ?from ?to ?commodity ?certainty WHERE {
          ?leg tkg:legOf ?flow ; tkg:fromPlace ?from ; tkg:toPlace ?to .
          ?flow tkg:commodity ?commodity ; tkg:certainty ?certainty .
        }""", post=post)


def q_full_graph_cold(b: Bench) -> Question:
    from graph.traverse import clear_cache, full_graph

    def library():
        clear_cache(b.kg)
        return full_graph(b.kg).number_of_edges()

    return Question(library, "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER (isIRI(?o)) }",
                    compare=False)


def _ids(rows) -> set[str]:
    return {str(r[0]) for r in rows}


def q_flows_of_commodity(b: Bench) -> Question:
    from graph.traverse import flows

    return Question(
        lambda: {f["id"] for f in flows(b.kg, commodity=b.picks["commodity"])}, """
        SELECT ?flow (GROUP_CONCAT(DISTINCT STR(?o)) AS ?origins)
               (GROUP_CONCAT(DISTINCT STR(?d)) AS ?destinations) WHERE {
          ?flow a tkg:Flow ; tkg:commodity ?c . ?c skos:broader* ?commodity .
          OPTIONAL { ?flow tkg:origin ?o } OPTIONAL { ?flow tkg:destination ?d }
        } GROUP BY ?flow""", {"commodity": b.picks["commodity"]}, _ids)


def q_flows_through_place(b: Bench) -> Question:
    from graph.traverse import flows

    return Question(
        lambda: {f["id"] for f in flows(b.kg, transit=b.picks["transit"])}, """
        SELECT DISTINCT ?flow WHERE { ?flow tkg:transit ?t . ?t tkg:partOf* ?place . }""",
        {"place": b.picks["transit"]}, _ids)


def q_reachable(b: Bench) -> Question:
    from graph.traverse import flow_network

    source = b.picks["source"]
    return Question(lambda: _reachable(flow_network(b.kg), source),
                    "SELECT DISTINCT ?x WHERE { ?source tkg:flowsTo+ ?x }", {"source": source},
                    lambda rows: _ids(rows) - {source})


def q_who(b: Bench) -> Question:
    from graph.traverse import who

    return Question(
        lambda: {(r["actor"]["id"], r["role"]) for r in who(b.kg, b.picks["commodity"])}, """
        SELECT DISTINCT ?actor ?roleLabel WHERE {
          ?claim tkg:commodity ?c ; tkg:qualifiedInvolvement ?i .
          ?c skos:broader* ?commodity .
          ?i tkg:actor ?actor ; tkg:role ?role . ?role skos:prefLabel ?roleLabel .
        }""", {"commodity": b.picks["commodity"]}, lambda rows: {(str(a), str(r)) for a, r in rows})


def q_convergence(b: Bench) -> Question:
    from graph.analysis import convergence

    return Question(lambda: {r["actor"]["id"] for r in convergence(b.kg, k=2)}, """
        SELECT ?actor (COUNT(DISTINCT ?market) AS ?n) WHERE {
          ?actor tkg:involvedIn ?claim .
          { ?claim tkg:commodity/skos:broader*/tkg:market ?market }
          UNION { ?claim tkg:market ?market }
          UNION { ?claim tkg:activityType/skos:broader*/tkg:market ?market }
        } GROUP BY ?actor HAVING (COUNT(DISTINCT ?market) >= 2)""", post=_ids)


def q_neighbours(b: Bench) -> Question:
    from graph.traverse import neighbours

    return Question(lambda: len(neighbours(b.kg, b.picks["actor"])), """
        SELECT DISTINCT ?n WHERE {
          { ?entity ?p ?n } UNION { ?n ?p ?entity } FILTER (isIRI(?n))
        }""", {"entity": b.picks["actor"]}, compare=False)


def q_routes(b: Bench) -> Question:
    from graph.traverse import routes

    return Question(lambda: len(routes(b.kg, b.picks["source"], b.picks["target"],
                                       max_hops=4, limit=100)))


def q_brokers(b: Bench) -> Question:
    from graph.analysis import brokers

    return Question(lambda: len(brokers(b.kg)))


def q_chokepoints(b: Bench) -> Question:
    from graph.analysis import chokepoints

    return Question(lambda: len(chokepoints(b.kg)))


QUESTIONS: dict[str, Callable] = {
    "flow network (cold)": q_flow_network_cold,
    "full graph (cold)": q_full_graph_cold,
    "flows of a commodity": q_flows_of_commodity,
    "flows through a place": q_flows_through_place,
    "reachable places": q_reachable,
    "who (commodity)": q_who,
    "convergence k=2": q_convergence,
    "neighbours depth 1": q_neighbours,
    "routes (max 4 legs)": q_routes,
    "brokers": q_brokers,
    "chokepoints": q_chokepoints,
}


def _timed(func: Callable, rounds: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_question(bench, question, benchmark, request):
    q = QUESTIONS[question](bench)
    q.library()  # warm the snapshot and projections the question reuses
    rounds = 1 if "cold" in question else ROUNDS
    answer = benchmark.pedantic(q.library, rounds=rounds, iterations=1)
    lib_seconds = benchmark.stats.stats.median
    row = {"graph": bench.name, "triples": bench.triples, "question": question,
           "library_s": round(lib_seconds, 4)}
    if q.sparql is not None:
        # --benchmark-disable-gc pauses the collector for the library calls; do the same here.
        pause = request.config.getoption("benchmark_disable_gc")
        for engine, run in (("rdflib", _rdflib), ("oxigraph", _oxigraph)):
            with quiet_gc() if pause else contextlib.nullcontext():
                seconds, rows = _timed(lambda run=run: run(bench, q.sparql, **q.bindings),
                                       rounds)
            row[f"{engine}_s"] = round(seconds, 4)
            row[f"{engine}_ratio"] = round(seconds / lib_seconds, 2) if lib_seconds else None
            if q.compare:
                assert q.post(rows) == answer, f"{question}: library and {engine} differ"
    benchmark.extra_info.update(row)
    RESULTS.append(row)


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    if not RESULTS:
        return
    lines = ["", f"{'graph':<22} {'triples':>9}  {'question':<24} {'library s':>10} "
             f"{'rdflib s':>10} {'ratio':>8} {'oxigraph s':>10} {'ratio':>8}"]
    for r in RESULTS:
        cells = []
        for engine in ("rdflib", "oxigraph"):
            seconds, ratio = r.get(f"{engine}_s"), r.get(f"{engine}_ratio")
            cells.append("-" if seconds is None else f"{seconds:.4f}")
            cells.append("-" if ratio is None else f"{ratio:.1f}x")
        lines.append(f"{r['graph']:<22} {r['triples']:>9}  {r['question']:<24} "
                     f"{r['library_s']:>10.4f} {cells[0]:>10} {cells[1]:>8} "
                     f"{cells[2]:>10} {cells[3]:>8}")
    print("\n".join(lines))
    out = os.environ.get("TKG_BENCH_OUT")
    if out:
        Path(out).write_text(json.dumps(RESULTS, indent=2), encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(pytest.main([__file__, "--benchmark-enable", "-s", "-q"]))
