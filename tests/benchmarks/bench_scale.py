"""Benchmarks at scale: rdflib in memory, our Oxigraph backend and raw pyoxigraph, one run.

Run by ``tkg bench`` from a checkout (it lives in ``tests/benchmarks/``, not in the package).

:func:`bench` generates seeded synthetic graphs (:mod:`graph.generate`) of each size, then
measures, in fresh subprocesses so that peak memory is each variant's own:

- ``build``: the first load of the data (parse, materialise the shortcut triples, write the
  cache), against raw pyoxigraph loading the bare file; SHACL validation (cold and cached);
- ``load``: loading the cached, materialised graph: rdflib in memory (our ``memory``
  backend), our ``oxigraph`` backend (:func:`graph.load`), raw ``pyoxigraph.Store.load``;
- ``query``: every named query (``tkg query --list``) and the baseline's questions, through
  :meth:`KnowledgeGraph.query` on both backends and through raw ``Store.query`` with the
  same SPARQL text, with every row read;
- ``projection`` and ``traversal`` (:mod:`graph.traverse`) and ``view`` generation
  (:mod:`graph.views`) on both backends;
- ``memory``: peak resident memory of each process after loading and querying.

Times are medians of ``repeat`` runs (more for fast measurements, one for those over two
seconds and for rdflib from 100k triples on, whose queries take seconds to minutes).
:func:`targets` checks the project's targets in the same run. The machine is shared and
noisy: compare only numbers from one run.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from graph.errors import DataError

__all__ = ["DEFAULT_SIZES", "baseline_queries", "bench", "cold_query", "markdown", "suite",
           "targets"]

#: Sizes measured by default (``tkg bench``); CI runs ``10k`` only.
DEFAULT_SIZES = ("10k", "100k", "1M")

#: The project's targets at scale (checked by :func:`targets`).
LOAD_VS_RDFLIB = 10.0
LOAD_VS_RAW = 1.5
QUERY_GEOMEAN_VS_RDFLIB = 15.0
QUERY_VS_RAW = 1.5
MEMORY_VS_RAW = 1.2
#: A cold ``tkg query`` may take at most this many times ``python -c "import rdflib"``.
COLD_QUERY_VS_IMPORT = 2.0
#: Differences below this many seconds are noise on our machines, not a missed ratio.
NOISE = 0.005


def baseline_queries() -> list[dict[str, Any]]:
    """The questions of the baseline measurements (notes/baselines.md) as SPARQL text.

    Each is a dict with ``task``, ``sparql`` and the ``params`` (names of :func:`suite`'s
    examples) it binds. The last one walks the n-ary flow nodes with a property path; it is
    in the table to show why the loader materialises leg edges, and is not part of the
    targets.
    """
    return [
        {"task": "baseline: flows of one commodity", "params": {"commodity": "commodity"},
         "sparql": "SELECT ?flow ?label WHERE { ?flow a tkg:Flow ; tkg:commodity ?commodity ; "
                   "rdfs:label ?label }"},
        {"task": "baseline: actors in 2+ commodities (GROUP BY)", "params": {},
         "sparql": "SELECT ?actor (COUNT(DISTINCT ?commodity) AS ?n) WHERE { "
                   "?actor tkg:involvedIn ?flow . ?flow a tkg:Flow ; tkg:commodity ?commodity } "
                   "GROUP BY ?actor HAVING (COUNT(DISTINCT ?commodity) >= 2)"},
        {"task": "baseline: instances per class", "params": {},
         "sparql": "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"},
        {"task": "baseline: reachable over leg edges (flowsTo+)", "params": {"source": "country"},
         "sparql": "SELECT DISTINCT ?place WHERE { ?source tkg:flowsTo+ ?place }"},
        {"task": "contrast: reachable through flow nodes (path)", "params": {"source": "country"},
         "group": "contrast",
         "sparql": "SELECT DISTINCT ?place WHERE { "
                   "?source (^tkg:origin/(tkg:transit|tkg:destination))+ ?place }"},
    ]


_CLASS_EXAMPLE = {
    "tkg:Commodity": "commodity", "tkg:Country": "country", "tkg:Place": "country",
    "tkg:Actor": "actor", "tkg:IndexIndicator": "indicator", "tkg:CertaintyGrade": "grade",
}
_IRI_EXAMPLE = {"claim": "flow", "document": "document", "flow": "flow"}


def suite(examples: dict[str, str]) -> list[dict[str, Any]]:
    """The query suite: each named query (with required parameters filled) and the baselines.

    ``examples`` maps kinds (``commodity``, ``country``, ``actor``, ``flow``, ``document``,
    ``indicator``) to IRIs, as :func:`graph.generate.generate` returns them. Each entry has
    ``task``, ``group``, ``query`` (a name or SPARQL text), ``params`` (JSON-ready: IRIs as
    ``{"iri": ...}``) and ``text`` (the exact SPARQL raw pyoxigraph runs).
    """
    from graph import query as named
    from graph.backends.base import IRI
    from graph.backends.values import bind_values

    def encode(values: dict) -> dict:
        return {k: {"iri": str(v)} if isinstance(v, IRI) else v for k, v in values.items()}

    entries = []
    for query in named.list_queries():
        params: dict[str, Any] = {}
        missing = []
        for parameter in query.parameters:
            if not parameter.required:
                continue
            kind = next((_CLASS_EXAMPLE[c] for c in parameter.classes if c in _CLASS_EXAMPLE),
                        None) if parameter.type == "entity" else _IRI_EXAMPLE.get(parameter.name)
            if parameter.type in ("entity", "iri"):
                if kind not in examples:
                    missing.append(parameter.name)
                    continue
                params[parameter.name] = IRI(examples[kind])
            else:
                params[parameter.name] = named.bind_value(parameter, parameter.example)
        if missing:
            continue
        bound = named.bind_all(query, params)
        entries.append({"task": query.name, "group": "query", "query": query.name,
                        "params": encode(params), "text": bind_values(query.sparql, bound)})
    baselines: list[dict[str, Any]] = []
    flows = named.get("flows")
    if "commodity" in examples:
        params = {"commodity": IRI(examples["commodity"])}
        baselines.append({"task": "flows (one commodity and narrower)", "group": "query",
                          "query": "flows", "params": encode(params),
                          "text": bind_values(flows.sparql, params)})
    for item in baseline_queries():
        if any(kind not in examples for kind in item["params"].values()):
            continue
        params = {name: IRI(examples[kind]) for name, kind in item["params"].items()}
        baselines.append({"task": item["task"], "group": item.get("group", "query"),
                          "query": item["sparql"], "params": encode(params),
                          "text": bind_values(item["sparql"], params)})
    # The baseline's questions first: rdflib answers them before its time budget runs out.
    return baselines + entries


# -- the worker (runs in a fresh subprocess per variant) --------------------------------------

def _peak_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _decode(params: dict) -> dict:
    from graph.backends.base import IRI

    return {k: IRI(v["iri"]) if isinstance(v, dict) else v for k, v in params.items()}


def _timed(function: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    """Run ``function`` :func:`_runs` times; return the times and the last value."""
    times: list[float] = []
    runs, value = max(1, repeat), None
    while len(times) < runs:
        began = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - began)
        if len(times) == 1 and repeat > 1:
            runs = _runs(times[0], repeat)
    return times, value


def _size(value: Any) -> int | None:
    if value is None:
        return None
    if hasattr(value, "number_of_edges"):
        return value.number_of_edges()
    try:
        return len(value)
    except TypeError:
        return None


def _runs(first: float, repeat: int) -> int:
    """How many runs a measurement gets, from its first: one if it took over two seconds
    (its noise is small next to it), else ``repeat``, and more for fast ones (up to 25)."""
    if first > 2.0:
        return 1
    return max(repeat, min(25, math.ceil(0.25 / max(first, 1e-6))))


def _raw_query(store, text: str) -> int:
    """Run ``text`` in pyoxigraph, read every row, return how many (the rows are dropped)."""
    from graph.prefixes import PREFIXES

    return len([tuple(solution) for solution in
                store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)])


def _worker(spec: dict[str, Any]) -> None:
    """Run one variant and print one JSON line per measurement.

    ``seconds`` maps a column (``rdflib``, ``oxigraph``, ``pyoxigraph``) to the times of
    each run. The ``oxigraph`` variant also runs raw pyoxigraph on the very same store,
    alternating with our path, so that the two are compared under the same conditions.
    """

    def report(**fields: Any) -> None:
        print(json.dumps(fields), flush=True)

    variant, repeat = spec["variant"], spec["repeat"]
    paths = spec["paths"]
    if variant in ("pyoxigraph", "raw-source"):
        import pyoxigraph as ox

        store = ox.Store()
        began = time.perf_counter()
        if variant == "raw-source":
            for path in paths:
                fmt = ox.RdfFormat.TURTLE if path.endswith(".ttl") else ox.RdfFormat.N_TRIPLES
                store.load(path=path, format=fmt)
        else:
            store.load(path=spec["nquads"], format=ox.RdfFormat.N_QUADS)
        report(group="load", task="load", seconds={"pyoxigraph": [time.perf_counter() - began]},
               rows=len(store))
        for entry in spec["queries"]:  # once each, so the peak includes query working memory
            _raw_query(store, entry["text"])
        report(group="memory", task="peak after load and queries",
               mb={"pyoxigraph": _peak_mb()})
        return

    import graph

    if variant == "build":
        stamps: list[tuple[str, float]] = []
        began = time.perf_counter()
        kg = graph.load(paths, backend="oxigraph", validate=False,
                        progress=lambda message: stamps.append((message, time.perf_counter())))
        total = time.perf_counter() - began
        stages: dict[str, float] = {}
        marks = [("start", began), *stamps, ("end", began + total)]
        for (message, at), (_, following) in itertools.pairwise(marks):
            stage = "parse" if message.startswith("loading") else message
            stages[stage] = stages.get(stage, 0.0) + following - at
        report(group="build", task="first load (parse, materialise, cache)",
               seconds={"oxigraph": [total]}, rows=len(kg),
               stages={k: round(v, 3) for k, v in stages.items()})
        times, _ = _timed(lambda: kg.index, 1)
        report(group="build", task="entity index (first use; then cached)",
               seconds={"oxigraph": times})
        report(group="build", task="peak memory of the first load", mb={"oxigraph": _peak_mb()})
        return
    if variant == "validate":
        for label in ("SHACL validation (cold)", "SHACL validation (cached)"):
            times, result = _timed(lambda: graph.validate(paths), 1)
            report(group="validation", task=label, seconds={"oxigraph": times},
                   rows=len(result.violations))
        return

    column = variant
    backend = "oxigraph" if variant == "oxigraph" else "memory"
    times, kg = _timed(lambda: graph.load(paths, backend=backend, validate=False), 1)
    first_load, size = times, len(kg)
    report(group="load", task="load", seconds={column: first_load}, rows=size)
    store = getattr(kg.backend, "store", None) if variant == "oxigraph" else None
    for entry in spec["queries"]:
        params = _decode(entry["params"])
        # Only counts are kept: rows are dropped at once, so that the peak memory is that
        # of one answer at a time, as in the raw pyoxigraph process.
        ours, raw, rows, raw_rows = [], [], 0, 0
        runs = max(1, repeat)
        while len(ours) < runs:
            if store is not None:
                took, raw_rows = _timed(lambda entry=entry: _raw_query(store, entry["text"]), 1)
                raw += took
            took, rows = _timed(lambda entry=entry, params=params: len(kg.query(entry["query"],
                                                                               params)), 1)
            ours += took
            if len(ours) == 1 and repeat > 1:
                runs = _runs(max(took[0], raw[0] if raw else 0.0), repeat)
        seconds = {column: ours, **({"pyoxigraph": raw} if raw else {})}
        counts = {column: rows, **({"pyoxigraph": raw_rows} if raw else {})}
        report(group=entry["group"], task=entry["task"], seconds=seconds, rows=rows,
               counts=counts)
    report(group="memory", task="peak after load and queries", mb={column: _peak_mb()})
    _projections(kg, spec, report, column)
    report(group="memory", task="peak at the end", mb={column: _peak_mb()})
    seconds: dict[str, list[float]] = {column: first_load}
    if store is not None:  # more load runs, alternating with raw pyoxigraph on the same file
        import pyoxigraph as ox

        del kg, store
        seconds["pyoxigraph"] = []
        for _ in range(max(1, repeat)):
            other = ox.Store()
            seconds["pyoxigraph"] += _timed(
                lambda other=other: other.load(path=spec["nquads"],
                                               format=ox.RdfFormat.N_QUADS), 1)[0]
            del other
            if len(seconds[column]) < max(1, repeat):
                took, again = _timed(lambda: graph.load(paths, backend=backend,
                                                        validate=False), 1)
                seconds[column] += took
                del again
    report(group="load", task="load", seconds=seconds, rows=size)


def _projections(kg, spec: dict[str, Any], report, column: str) -> None:
    from graph.backends.base import IRI

    examples, repeat = spec["examples"], spec["repeat"]
    try:
        from graph import traverse
    except ImportError:  # pragma: no cover - traversal not installed
        return
    _timed(lambda: kg.index, 1)  # from the cache the build step wrote

    def cold_network():
        traverse.clear_cache(kg)
        return traverse.flow_network(kg)

    tasks: list[tuple[str, str, Callable[[], Any]]] = [
        ("projection", "flow network (cold: reads the graph)", cold_network),
        ("projection", "flow network (warm)", lambda: traverse.flow_network(kg)),
        ("projection", "actor-commodity graph", lambda: traverse.actor_commodity_graph(kg)),
        ("traversal", "flows of one commodity",
         lambda: traverse.flows(kg, commodity=IRI(examples["commodity"]))),
        ("traversal", "routes between two countries",
         lambda: traverse.routes(kg, IRI(examples["country"]), IRI(examples["target"]))),
        ("traversal", "who: actors of one commodity",
         lambda: traverse.who(kg, IRI(examples["commodity"]))),
    ]
    try:
        from graph import views
    except ImportError:  # pragma: no cover - views not installed
        views = None
    if views is not None:
        tasks.append(("view", "view of one commodity (HTML)",
                      lambda: views.render(kg, commodity=IRI(examples["commodity"]))))
        tasks.append(("view", "view of one country (HTML)",
                      lambda: views.render(kg, country=IRI(examples["country"]))))
    for group, task, function in tasks:
        try:
            times, value = _timed(function, repeat)
        except Exception as exc:  # report and go on: one broken task must not hide the rest
            report(group=group, task=task, error=f"{type(exc).__name__}: {exc}"[:300])
            continue
        report(group=group, task=task, seconds={column: times}, rows=_size(value))


# -- the driver --------------------------------------------------------------------------------

def _run_worker(spec: dict[str, Any], env: dict[str, str], budget: float | None,
                folder: Path) -> list[dict[str, Any]]:
    """Run a worker; return its measurements (those finished when the budget ran out)."""
    stem = f"{spec['label']}-{spec['variant']}"
    spec_path = folder / f"spec-{stem}.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    out_path = folder / f"out-{stem}.jsonl"
    with out_path.open("w", encoding="utf-8") as out, \
            (folder / f"err-{stem}.txt").open("w", encoding="utf-8") as err:
        process = subprocess.Popen([sys.executable, __file__, str(spec_path)],
                                   stdout=out, stderr=err, env=env)
        try:
            process.wait(timeout=budget)
            timed_out = False
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            timed_out = True
    lines = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()
             if line.startswith("{")]
    if process.returncode not in (0, None) and not timed_out:
        error = (folder / f"err-{stem}.txt").read_text(encoding="utf-8")[-600:]
        lines.append({"group": "error", "task": spec["variant"], "error": error.strip()})
    if timed_out:
        lines.append({"group": "error", "task": spec["variant"],
                      "error": f"stopped after {budget:g} s (budget)"})
    return lines


def _median(seconds: list[float] | None) -> float | None:
    return round(statistics.median(seconds), 4) if seconds else None


def bench(sizes: Iterable[str | int] = DEFAULT_SIZES, *, seed: int = 0, repeat: int = 3,
          workdir: str | Path | None = None, validate_up_to: str | int = "100k",
          rdflib_budget: float = 180.0,
          progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Measure load, queries, projections, traversal and views at each size, in one run.

    Parameters
    ----------
    sizes : iterable of str or int
        Triple counts of the synthetic graphs (``"10k"``, ``"100k"``, ``"1M"``).
    seed : int
        Seed of the generator (the same seed gives the same graphs).
    repeat : int
        Runs per measurement; the median is reported. Fast measurements get more runs (up
        to 25), those over two seconds one; rdflib runs each query once from 100k on.
    workdir : str or Path, optional
        Where generated graphs and the benchmark's private cache go (reused between runs);
        a temporary folder when omitted.
    validate_up_to : str or int
        Largest size at which SHACL validation is measured (it takes minutes beyond).
    rdflib_budget : float
        Seconds the rdflib process may run per size; queries not reached are reported as
        not run.
    progress : callable, optional
        Called with a short description of each step.

    Returns
    -------
    dict
        ``rows`` (one per size and task: seconds for ``rdflib``, ``oxigraph`` and
        ``pyoxigraph``, their ratios, rows returned), ``targets`` (see :func:`targets`),
        ``sizes`` (the generator's statistics per size) and ``seconds`` (the whole run).

    Raises
    ------
    graph.errors.DataError
        If a size is not a positive count.

    Examples
    --------
    >>> result = bench(["2k"], repeat=1)                           # doctest: +SKIP
    >>> {row["group"] for row in result["rows"]} >= {"load", "query"}  # doctest: +SKIP
    True
    """
    from graph.generate import generate, parse_size

    began = time.perf_counter()
    counts = [parse_size(size) for size in sizes]
    if not counts:
        raise DataError("give at least one size to measure")
    limit = parse_size(validate_up_to)
    folder = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="tkg-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    sizes_info: dict[str, Any] = {}
    for count in counts:
        label = _label(count)
        data = folder / f"synthetic-{label}-seed{seed}.nt"
        info_path = data.with_suffix(".json")
        info = json.loads(info_path.read_text()) if info_path.is_file() and data.is_file() \
            else None
        if info is None:
            if progress:
                progress(f"{label}: generating")
            info = generate(data, count, seed)
            info_path.write_text(json.dumps(info), encoding="utf-8")
        sizes_info[label] = info
        cache = folder / f"cache-{label}-seed{seed}"
        if cache.exists():
            import shutil

            shutil.rmtree(cache)
        env = {**os.environ, "TKG_CACHE_DIR": str(cache)}
        queries = suite(info["examples"])
        spec = {"paths": [str(data)], "examples": info["examples"], "queries": queries,
                "repeat": repeat, "label": label}
        measured: dict[str, list[dict[str, Any]]] = {}
        for variant in ("build", "raw-source", "pyoxigraph", "oxigraph", "rdflib", "validate"):
            if variant == "validate" and count > limit:
                continue
            if progress:
                progress(f"{label}: {variant}")
            run = dict(spec, variant=variant)
            if variant in ("build", "raw-source", "validate"):
                run["queries"] = []
            if variant in ("pyoxigraph", "oxigraph"):
                from graph import cache as tkg_cache

                sources = _sources([data])
                key = tkg_cache.content_key(sources, "graph")
                run["nquads"] = str(cache / f"{key}.nq")
            if variant == "rdflib" and count >= 100_000:
                run["repeat"] = 1  # its queries take seconds: their noise is small
            budget = rdflib_budget if variant == "rdflib" else None
            measured[variant] = _run_worker(run, env, budget, folder)
        rows += _rows(label, measured)
    result = {"rows": rows, "sizes": sizes_info, "seed": seed, "repeat": repeat,
              "seconds": round(time.perf_counter() - began, 1)}
    result["targets"] = targets(rows)
    return result


def _sources(data: list[Path]) -> list[Path]:
    """The files whose content keys the cached graph, as :func:`graph.load` hashes them."""
    from graph.load import materialise_rules
    from graph.sources import collect

    return [s.path for s in collect(data)] + materialise_rules()


def _label(count: int) -> str:
    for unit, scale in (("M", 1_000_000), ("k", 1_000)):
        if count >= scale and count % scale == 0:
            return f"{count // scale}{unit}"
    return str(count)


def _rows(label: str, measured: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Merge the variants' measurements into one row per task."""
    by_task: dict[tuple[str, str], dict[str, Any]] = {}
    order: list[tuple[str, str]] = []
    renamed = {"load": "raw load of the source file",
               "peak after load and queries": "peak memory of the raw load (MB)",
               "peak of the first load": "peak memory of the first load (MB)"}
    for variant, lines in measured.items():
        for line in lines:
            group, task = line["group"], line["task"]
            if variant in ("build", "raw-source") and group in ("load", "memory"):
                group, task = "build", renamed.get(task, task)
            if group == "memory" and not task.endswith("(MB)"):
                task += " (MB)"
            key = (group, task)
            if key not in by_task:
                by_task[key] = {"size": label, "group": group, "task": task}
                order.append(key)
            row = by_task[key]
            if "error" in line:
                row["note"] = (row.get("note", "") + f" {variant}: {line['error']}").strip()
                continue
            for column, values in (line.get("seconds") or {}).items():
                row[column] = _median(values)
            for column, value in (line.get("mb") or {}).items():
                row[column] = value
            if line.get("rows") is not None:
                row.setdefault("rows", line["rows"])
            row.setdefault("_counts", {}).update(line.get("counts") or {})
            if line.get("stages"):
                row["note"] = ", ".join(f"{k} {v:g} s" for k, v in line["stages"].items())
    for row in by_task.values():
        counts = row.pop("_counts", {})
        if len(set(counts.values())) > 1:  # the engines disagree: say so next to the times
            row["rows_differ"] = counts
        rdf, ours, raw = row.get("rdflib"), row.get("oxigraph"), row.get("pyoxigraph")
        if rdf and ours:
            row["vs_rdflib"] = round(rdf / ours, 1)
        if raw and ours:
            row["vs_pyoxigraph"] = round(ours / raw, 2)
    return [by_task[key] for key in order]


def targets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Check the targets at every measured size; one row per size and target.

    Load: our backend at least 10x faster than rdflib and within 1.5x of raw pyoxigraph
    (both loading the same cached, materialised graph). Named-query suite: geometric mean of
    the speed-ups at least 15x over rdflib, no query slower than rdflib, each within 1.5x of
    raw pyoxigraph (or within 5 ms of it, the noise of one call). Peak memory after load and
    queries at most 1.2x raw pyoxigraph's.
    """
    found = []
    for size in dict.fromkeys(row["size"] for row in rows):
        mine = [row for row in rows if row["size"] == size]
        load = next((r for r in mine if r["group"] == "load"), {})
        queries = [r for r in mine if r["group"] == "query"]
        memory = next((r for r in mine if r["group"] == "memory"
                       and r["task"].startswith("peak after load and queries")), {})

        def add(task: str, value: str, met: bool | None, note: str = "",
                size: str = size) -> None:
            found.append({"size": size, "group": "target", "task": task, "value": value,
                          "met": met, "note": note})

        speed = load.get("vs_rdflib")
        add(f"load >= {LOAD_VS_RDFLIB:g}x faster than rdflib",
            f"{speed:g}x" if speed else "n/a", speed >= LOAD_VS_RDFLIB if speed else None)
        ratio = load.get("vs_pyoxigraph")
        add(f"load within {LOAD_VS_RAW:g}x of raw pyoxigraph",
            f"{ratio:g}x" if ratio else "n/a", ratio <= LOAD_VS_RAW if ratio else None)
        speedups = [r["vs_rdflib"] for r in queries if r.get("vs_rdflib")]
        if speedups:
            geomean = math.exp(sum(math.log(s) for s in speedups) / len(speedups))
            missing = len(queries) - len(speedups)
            add(f"query suite: geometric mean >= {QUERY_GEOMEAN_VS_RDFLIB:g}x faster than rdflib",
                f"{geomean:.1f}x over {len(speedups)} queries",
                geomean >= QUERY_GEOMEAN_VS_RDFLIB,
                f"{missing} not run by rdflib within its budget" if missing else "")
            slower = [r["task"] for r in queries if r.get("vs_rdflib") and r["vs_rdflib"] < 1
                      and r["oxigraph"] - r["rdflib"] > NOISE]
            add("query suite: no query slower than rdflib",
                f"{len(slower)} slower", not slower, ", ".join(slower))
        else:
            add(f"query suite: geometric mean >= {QUERY_GEOMEAN_VS_RDFLIB:g}x faster than rdflib",
                "n/a", None, "rdflib ran no query within its budget")
        above = [r for r in queries
                 if r.get("vs_pyoxigraph") and r["vs_pyoxigraph"] > QUERY_VS_RAW]
        over = [r for r in above if r["oxigraph"] - r["pyoxigraph"] > NOISE]
        excused = [r for r in above if r not in over]
        notes = [f"{r['task']} {r['vs_pyoxigraph']:g}x" for r in over]
        # Say when a ratio above the target passes only because the gap is noise-sized.
        notes += [f"{r['task']} {r['vs_pyoxigraph']:g}x passes by the noise allowance: "
                  f"{(r['oxigraph'] - r['pyoxigraph']) * 1000:.1f} ms slower, within "
                  f"{NOISE * 1000:g} ms" for r in excused]
        value = f"{len(over)} over"
        if excused:
            value += f", {len(excused)} within the {NOISE * 1000:g} ms noise allowance"
        add(f"query suite: each within {QUERY_VS_RAW:g}x of raw pyoxigraph "
            f"(or {NOISE * 1000:g} ms)", value, not over, "; ".join(notes))
        ratio = memory.get("vs_pyoxigraph")
        add(f"peak memory <= {MEMORY_VS_RAW:g}x raw pyoxigraph",
            f"{ratio:g}x" if ratio else "n/a", ratio <= MEMORY_VS_RAW if ratio else None,
            f"{memory.get('oxigraph')} MB vs {memory.get('pyoxigraph')} MB" if ratio else "")
    return found


def markdown(result: dict[str, Any], command: str = "tkg bench") -> str:
    """The results as Markdown tables (measurements, then targets), for ``docs/scale.md``."""

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "**no**"
        if isinstance(value, float):
            return f"{value:g}"
        return str(value).replace("|", "/")

    lines = [f"Measured with `{command}` ({result['seconds']:g} s, medians of "
             f"{result['repeat']}, seed {result['seed']}).", "",
             "| size | group | task | rows | rdflib (s) | oxigraph (s) | pyoxigraph (s) "
             "| ours vs rdflib | ours / raw | note |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for row in result["rows"]:
        unit = " MB" if row["group"] == "memory" else ""
        lines.append("| " + " | ".join([
            row["size"], row["group"], row["task"], cell(row.get("rows")),
            cell(row.get("rdflib")) + (unit if row.get("rdflib") else ""),
            cell(row.get("oxigraph")) + (unit if row.get("oxigraph") else ""),
            cell(row.get("pyoxigraph")) + (unit if row.get("pyoxigraph") else ""),
            f"{cell(row.get('vs_rdflib'))}x" if row.get("vs_rdflib") else "",
            f"{cell(row.get('vs_pyoxigraph'))}x" if row.get("vs_pyoxigraph") else "",
            cell(row.get("note") or (f"rows differ: {row['rows_differ']}"
                                     if row.get("rows_differ") else None))]) + " |")
    lines += ["", "| size | target | value | met | note |", "|---|---|---|---|---|"]
    for row in result["targets"]:
        lines.append(f"| {row['size']} | {row['task']} | {row['value']} | "
                     f"{cell(row['met']) if row['met'] is not None else 'n/a'} | "
                     f"{cell(row['note'])} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # the worker: python tests/benchmarks/bench_scale.py SPEC.json
    _worker(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))


def cold_query(runs: int = 5, argv: Iterable[str] = ("query", "flows", "--param",
                                                     "commodity=cocaine")) -> dict[str, Any]:
    """Time a cold ``tkg query`` on the bundled data against ``python -c "import rdflib"``.

    Both run as fresh processes of this interpreter, alternately, ``runs`` times each, after
    one untimed query that fills the graph cache (the target is about start-up and the cached
    path, not the first build). Returns the medians, their ratio and whether it meets
    :data:`COLD_QUERY_VS_IMPORT`.

    Examples
    --------
    >>> result = cold_query(runs=1)
    >>> sorted(result)
    ['baseline', 'command', 'met', 'ratio', 'runs', 'tkg']
    """
    if runs < 1:
        raise DataError(f"runs must be at least 1, got {runs}")
    command = [sys.executable, "-m", "graph", *argv]
    baseline = [sys.executable, "-c", "import rdflib"]
    subprocess.run(command, check=True, capture_output=True)
    times: dict[str, list[float]] = {"tkg": [], "baseline": []}
    for _ in range(runs):
        for name, argv_ in (("baseline", baseline), ("tkg", command)):
            start = time.perf_counter()
            subprocess.run(argv_, check=True, capture_output=True)
            times[name].append(time.perf_counter() - start)
    tkg, base = statistics.median(times["tkg"]), statistics.median(times["baseline"])
    ratio = tkg / base
    return {"command": " ".join(["tkg", *argv]), "runs": runs, "tkg": round(tkg, 3),
            "baseline": round(base, 3), "ratio": round(ratio, 2),
            "met": ratio <= COLD_QUERY_VS_IMPORT}
