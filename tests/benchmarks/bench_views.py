"""Time to first draw of large views in headless Chromium, ours against pyvis' defaults.

A benchmark, not a test: :func:`bench_first_draw` builds a synthetic flow network of a
given size (random places over Africa and Europe, flows of one to three legs with real
commodities and grades from the graph), writes it as a view or as a default pyvis page,
opens it in Chromium (:mod:`graph.views.browser`) and returns the seconds from navigation
start to vis-network's first ``afterDrawing`` event, measured in the page.

Examples
--------
>>> bench_first_draw(1000)                                       # doctest: +SKIP
0.9
>>> bench(sizes=(1000,), runs=1)[0]["nodes"]                     # doctest: +SKIP
1000
"""

from __future__ import annotations

import itertools
import random
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["bench", "bench_first_draw", "bench_map", "pyvis_page", "synthetic_network"]

#: Installed before a pyvis page's scripts: notes pyvis' global ``network`` when it is
#: assigned and records its first draw the way our own page does (``tkgView.firstDraw``).
_PYVIS_HOOK = """
(function () {
  var net;
  Object.defineProperty(window, "network", {
    configurable: true,
    get: function () { return net; },
    set: function (value) {
      net = value;
      if (value && value.once) {
        window.tkgView = {network: value, firstDraw: null};
        value.once("afterDrawing", function () { window.tkgView.firstDraw = performance.now(); });
      }
    }
  });
})();
"""


def _vocabulary(kg) -> tuple[list[str], list[tuple[str, int]]]:
    from graph.namespaces import TKG

    onto = kg.ontology
    return onto.instances(TKG.Commodity), sorted((str(g.id), g.level) for g in onto.certainty)


def synthetic_network(n_nodes: int, kg=None, seed: int = 1, legs_per_node: float = 1.5):
    """A random flow network with the attributes of :func:`graph.traverse.flow_network`.

    Places are scattered over Africa and Europe (latitude -35..60, longitude -20..60) and
    typed as countries; flows of one to three legs get a random commodity and certainty
    grade of ``kg`` (the bundled graph when omitted) and one source each.

    Examples
    --------
    >>> net = synthetic_network(50, kg)
    >>> net.number_of_nodes(), net.number_of_edges() >= 50
    (50, True)
    """
    import networkx as nx

    if kg is None:
        from graph.load import load

        kg = load()
    rng = random.Random(seed)
    commodities, grades = _vocabulary(kg)
    net = nx.MultiDiGraph()
    places = [f"https://example.org/place/{i}" for i in range(n_nodes)]
    for i, place in enumerate(places):
        net.add_node(place, label=f"Place {i}", type="country", iso3=None,
                     lat=round(rng.uniform(-35, 60), 3), lon=round(rng.uniform(-20, 60), 3))
    target = int(n_nodes * legs_per_node)
    flow = 0
    while net.number_of_edges() < target:
        flow += 1
        stops = rng.sample(places, rng.randint(2, 4))
        grade, level = rng.choice(grades)
        commodity = rng.choice(commodities)
        start = rng.choice([None, rng.randint(2000, 2023)])
        attrs = {"flow": f"https://example.org/flow/{flow}", "flow_label": f"Flow {flow}",
                 "commodity": commodity, "commodity_label": kg.label(commodity),
                 "certainty": grade, "certainty_label": kg.label(grade),
                 "certainty_level": level, "description": f"Synthetic flow number {flow}.",
                 "start": start, "end": start, "actors": [],
                 "sources": [{"document": "https://example.org/doc", "title": "Synthetic source",
                              "section": "Flows", "paragraph": flow}]}
        for index, (u, v) in enumerate(itertools.pairwise(stops), start=1):
            net.add_edge(u, v, key=f"{attrs['flow']}-leg-{index}", leg_index=index, **attrs)
    return net


def pyvis_page(network, path: str | Path) -> Path:
    """Write ``network`` as pyvis would by default (physics on, vis-network inline).

    The nodes and edges are appended to pyvis' lists directly, since ``from_nx`` is
    quadratic. The page links Bootstrap from a CDN, as pyvis' template does; the browser
    check blocks those requests.
    """
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    index = {node: i for i, node in enumerate(network.nodes)}
    for node, attrs in network.nodes(data=True):
        net.nodes.append({"id": index[node], "label": attrs.get("label", str(node)),
                          "shape": "dot", "size": 10})
        net.node_ids.append(index[node])
        net.node_map[index[node]] = net.nodes[-1]
    for u, v, _ in network.edges(data=True):
        net.edges.append({"from": index[u], "to": index[v], "arrows": "to"})
    path = Path(path)
    path.write_text(net.generate_html(), encoding="utf-8")
    return path


def bench_first_draw(n_nodes: int, layout: str = "geo", *, kg=None, pyvis: bool = False,
                     timeout: float = 120.0, seed: int = 1) -> float | None:
    """Seconds from navigation start to the first draw of an ``n_nodes`` view in Chromium.

    ``pyvis=True`` measures pyvis' default page for the same network instead. Returns None
    when the page has not drawn within ``timeout`` seconds.

    Raises
    ------
    graph.errors.TkgError
        If Playwright or Chromium is missing (see :mod:`graph.views.browser`).
    """
    return bench(sizes=(n_nodes,), layouts=(layout,), kg=kg, pyvis=pyvis, runs=1,
                 timeout=timeout, seed=seed)[0]["pyvis_s" if pyvis else f"{layout}_s"]


def bench(sizes: Iterable[int] = (1000, 5000), layouts: Iterable[str] = ("geo", "force"), *,
          kg=None, pyvis: bool = True, runs: int = 3, timeout: float = 120.0,
          seed: int = 1) -> list[dict[str, Any]]:
    """Median first-draw times for each size: our layouts and, optionally, pyvis' default.

    Returns one row per size: ``nodes``, ``edges`` (legs), ``lines`` (lines drawn),
    ``layout_python_s`` per layout (time to compute the view in Python) and
    ``<layout>_s`` / ``pyvis_s`` (median seconds to first draw; None if it never drew
    within ``timeout``). pyvis is run once per size (it is slow).
    """
    from statistics import median

    from graph.views import view
    from graph.views.browser import Browser

    if kg is None:
        from graph.load import load

        kg = load()
    rows = []
    with tempfile.TemporaryDirectory(prefix="tkg-bench-") as tmp, Browser() as browser:
        for size in sizes:
            network = synthetic_network(size, kg, seed=seed)
            row: dict[str, Any] = {"nodes": size, "edges": network.number_of_edges()}
            for layout in layouts:
                path = Path(tmp) / f"{size}-{layout}.html"
                started = time.perf_counter()
                info = view(kg, path, layout=layout, network=network,
                            title=f"{size} nodes, {layout}")
                row[f"layout_python_{layout}_s"] = round(time.perf_counter() - started, 2)
                row["lines"] = info["edges"]
                times = [_first_draw(browser, path, timeout) for _ in range(runs)]
                row[f"{layout}_s"] = None if None in times else round(median(times), 2)
            if pyvis:
                path = pyvis_page(network, Path(tmp) / f"{size}-pyvis.html")
                row["pyvis_s"] = _first_draw(browser, path, timeout, hook=_PYVIS_HOOK)
                row["pyvis_s"] = None if row["pyvis_s"] is None else round(row["pyvis_s"], 2)
            rows.append(row)
    return rows


def bench_map(kg=None, *, runs: int = 3, timeout: float = 60.0,
              **selection: Any) -> dict[str, Any]:
    """First draw of one view of the graph with its basemap and, in the same run, without.

    ``selection`` is passed to :func:`graph.views.model.view_data` (``country="Mali"``,
    say). Returns ``bytes`` (the page with the basemap), ``basemap_s`` and
    ``no_basemap_s`` (median seconds from navigation start to the first draw, labels
    placed) and the page's ``stats`` (its ``data-tkg-stats``) from the last run.
    """
    import json
    from statistics import median

    from graph.views.browser import Browser
    from graph.views.model import view_data
    from graph.views.page import page

    if kg is None:
        from graph.load import load

        kg = load()
    data = view_data(kg, **selection)
    bare = {k: v for k, v in data.items() if k != "basemap"}
    row: dict[str, Any] = {}
    times: dict[str, list[float]] = {"basemap_s": [], "no_basemap_s": []}
    with tempfile.TemporaryDirectory(prefix="tkg-bench-") as tmp, Browser() as browser:
        paths = {}
        for key, content in (("basemap_s", data), ("no_basemap_s", bare)):
            paths[key] = Path(tmp) / f"{key}.html"
            paths[key].write_text(page(content), encoding="utf-8")
        row["bytes"] = paths["basemap_s"].stat().st_size
        browser.open(paths["no_basemap_s"], timeout=timeout).close()  # warm up Chromium
        for _ in range(runs):  # interleaved, so that drift hits both alike
            for key, path in paths.items():
                opened = browser.open(path, timeout=timeout)
                try:
                    times[key].append(opened.report()["first_draw_ms"] / 1000.0)
                    if key == "basemap_s":
                        row["stats"] = json.loads(opened.evaluate(
                            "document.body.getAttribute('data-tkg-stats')"))
                finally:
                    opened.close()
    for key, values in times.items():
        row[key] = round(median(values), 2)
    return row


def _first_draw(browser, path: Path, timeout: float, hook: str | None = None) -> float | None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page = browser.open(path, timeout=timeout, init_script=hook)
    except PlaywrightTimeout:
        return None
    try:
        return page.report(canvas="canvas")["first_draw_ms"] / 1000.0
    finally:
        page.close()
