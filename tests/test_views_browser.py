"""The views in a real browser: headless Chromium opens each page from file:// with every
request blocked, and we check that the graph drew, that the page asked for nothing, and that
hostile labels are shown as text and run nothing.

Needs Debian's ``chromium`` and the ``playwright`` Python package (installed by ``.ci/run``);
skipped on a clone without them, failed under ``CI=true``. With
``TKG_WRITE_SCREENSHOT=docs/screenshot-geo.png`` the geographic view of Mali's flows is
saved there (the README's screenshot).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import networkx as nx
import pytest

from conftest import ROOT, require
from graph.prefixes import PREFIXES
from graph.views import view, view_data
from graph.views.bench import synthetic_network
from graph.views.browser import Browser, chromium_path

pytestmark = pytest.mark.browser

PLACE, COM, CERT, KB = (PREFIXES[p] for p in ("place", "com", "cert", "kb"))
EVIL_NODE = "<img src=x onerror=alert(1)>"
EVIL_FLOW = "</script><script>alert(2); window.__pwned = 1</script>"
EVIL_TEXT = "<!-- <b onmouseover=alert(3)>bold</b> & \u2028"


@pytest.fixture(scope="module")
def browser():
    require(chromium_path() is not None,
            "headless Chromium is not installed (apt-get install chromium)")
    require(importlib.util.find_spec("playwright") is not None,
            "the playwright package is not installed (pip install playwright)")
    with Browser() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    return tmp_path_factory.mktemp("views")


def open_view(browser, path):
    page = browser.open(path)
    return page, page.report()


def assert_drawn(page, report, data):
    """The page drew the view's nodes and lines, asked for nothing and complained of nothing."""
    assert report["nodes"] == len(data["nodes"])
    assert report["edges"] == len(data["edges"])
    assert report["visible_nodes"] == len(data["nodes"])
    assert report["coloured_pixels"] > 200, "the canvas is blank"
    assert report["first_draw_ms"] > 0
    assert page.requests == []
    assert page.errors == []
    assert report["violations"] == [] and report["dialogs"] == []


@pytest.mark.parametrize("selection", [
    {},
    {"country": "Mali"},
    {"commodity": "drugs"},
    {"actor": "armed groups in Mali"},
    {"layout": "force"},
    {"actor": "armed groups in Mali", "layout": "force", "min_certainty": "reported"},
], ids=["overview", "country", "commodity", "actor", "force", "actor-force-certain"])
def test_mali_views_draw_offline(kg, browser, pages, selection):
    path = pages / ("-".join(f"{k}-{v}" for k, v in selection.items()) or "overview") \
        .replace(" ", "_")
    path = path.with_suffix(".html")
    view(kg, path, **selection)
    page, report = open_view(browser, path)
    try:
        assert_drawn(page, report, view_data(kg, **selection))
        assert page.evaluate("document.querySelector('#tkg-panel h1').textContent") \
            == view_data(kg, **selection)["title"]
    finally:
        page.close()


def test_geographic_overview_and_screenshot(kg, browser, pages):
    path = pages / "mali-geo.html"
    data = view_data(kg)
    view(kg, path)
    page, report = open_view(browser, path)
    try:
        assert_drawn(page, report, data)
        # Places sit at their projected coordinates, west left of east, north above south.
        positions = page.evaluate("(() => { const n = tkgView.network; const d = tkgView.data;"
                                  " const p = n.getPositions(); return d.nodes.map(x => "
                                  "[x.label, p[x.id].x, p[x.id].y]); })()")
        where = {label: (x, y) for label, x, y in positions}
        assert where["Mali"][0] < where["Niger"][0] < where["Libya"][0]
        assert where["Libya"][1] < where["Mali"][1]
    finally:
        page.close()


def test_mali_route_map_draws_and_gives_the_readme_screenshot(kg, browser, pages):
    path = pages / "mali-country-geo.html"
    data = view_data(kg, country="Mali")
    view(kg, path, country="Mali", title="Flows into, out of and through Mali")
    page, report = open_view(browser, path)
    try:
        assert_drawn(page, report, data)
        target = os.environ.get("TKG_WRITE_SCREENSHOT")
        if target:
            page.screenshot(ROOT / target if not Path(target).is_absolute() else target)
    finally:
        page.close()


def hostile_network() -> nx.MultiDiGraph:
    net = nx.MultiDiGraph()
    net.add_node(PLACE + "MLI", label=EVIL_NODE, type=EVIL_TEXT, lat=17.5, lon=-4.0,
                 iso3=EVIL_TEXT)
    net.add_node(PLACE + "NER", label="Niger", type="country", lat=17.6, lon=8.1, iso3="NER")
    net.add_edge(PLACE + "MLI", PLACE + "NER", flow=KB + "evil", flow_label=EVIL_FLOW,
                 commodity=COM + "cocaine", commodity_label=EVIL_TEXT,
                 certainty=CERT + "reported", certainty_label="reported", certainty_level=4,
                 description=EVIL_NODE, start=None, end=None,
                 actors=[{"id": KB + "x", "label": EVIL_FLOW, "type": EVIL_TEXT,
                          "role": EVIL_NODE}],
                 sources=[{"document": KB + "doc", "title": EVIL_NODE, "section": EVIL_FLOW,
                           "paragraph": 1}])
    return net


def hover(page, script):
    """Move the mouse onto the point the script returns (page coordinates)."""
    point = page.evaluate(script)
    page.page.mouse.move(point["x"], point["y"])
    page.page.wait_for_function("!document.getElementById('tkg-tip').hidden", timeout=5000)
    return page.evaluate("(() => { const t = document.getElementById('tkg-tip');"
                         " return {text: t.textContent, elements: t.querySelectorAll('*').length,"
                         " markup: t.querySelectorAll('img, b, script').length}; })()")


NODE_POINT = """(() => { const net = tkgView.network, box = document.getElementById('tkg-net')
  .getBoundingClientRect(); const p = net.canvasToDOM(net.getPosition(0));
  return {x: p.x + box.left, y: p.y + box.top}; })()"""
EDGE_POINT = """(() => { const net = tkgView.network, box = document.getElementById('tkg-net')
  .getBoundingClientRect(); const a = net.getPosition(0), b = net.getPosition(1);
  const p = net.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});
  return {x: p.x + box.left, y: p.y + box.top}; })()"""


def test_hostile_labels_are_text_and_run_nothing(kg, browser, pages):
    path = pages / "hostile.html"
    view(kg, path, network=hostile_network(), title=EVIL_FLOW + EVIL_NODE)
    page, report = open_view(browser, path)
    try:
        assert_drawn(page, report, view_data(kg, network=hostile_network()))
        assert page.evaluate("window.__pwned === undefined")
        assert page.evaluate("document.title") == EVIL_FLOW + EVIL_NODE
        assert page.evaluate("document.querySelector('#tkg-panel h1').textContent") \
            == EVIL_FLOW + EVIL_NODE
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate("document.querySelectorAll('script').length") == 3
        assert page.evaluate("tkgView.network.body.data.nodes.get(0).label") == EVIL_NODE

        node = hover(page, NODE_POINT)
        assert EVIL_NODE in node["text"] and EVIL_TEXT.split("<b")[0] in node["text"]
        assert node["markup"] == 0
        page.page.mouse.move(1, 1)
        edge = hover(page, EDGE_POINT)
        for text in (EVIL_FLOW, EVIL_NODE, "Certainty: reported"):
            assert text in edge["text"]
        assert edge["markup"] == 0
        report = page.report()
        assert report["dialogs"] == [] and report["violations"] == []
        assert page.requests == [] and page.errors == []
    finally:
        page.close()


def test_filters_hide_lines(kg, browser, pages):
    path = pages / "filters.html"
    data = view_data(kg, country="Mali")
    view(kg, path, country="Mali")
    page, _ = open_view(browser, path)
    try:
        arms = next(i for i, g in enumerate(data["legend"]["groups"]) if g["label"] == "Arms")
        # A line stays while any claim on it passes; hiding arms removes lines that carry
        # only arms flows.
        arms_only = sum(1 for e in data["edges"] if e["group"] == arms)
        page.page.locator("#tkg-panel label").filter(has_text="Arms").locator("input").uncheck()
        assert page.report()["visible_edges"] == len(data["edges"]) - arms_only
        page.page.locator("#tkg-panel label").filter(has_text="Arms").locator("input").check()
        assert page.report()["visible_edges"] == len(data["edges"])
        # A period before every dated claim leaves only the undated ones.
        undated = {i for i, c in enumerate(data["claims"])
                   if c["start"] is None and c["end"] is None}
        expected = sum(1 for e in data["edges"] if undated.intersection(e["claims"]))
        page.page.get_by_label("to year").fill(str(data["period"]["min"] - 1))
        assert page.report()["visible_edges"] == expected
    finally:
        page.close()


def test_five_thousand_nodes_still_draw(kg, browser, pages):
    network = synthetic_network(5000, kg)
    path = pages / "5000.html"
    info = view(kg, path, network=network, title="5,000 places")
    page = browser.open(path, timeout=120)
    try:
        report = page.report()
        assert report["nodes"] == info["nodes"] == 5000
        assert report["edges"] == info["edges"]
        assert report["coloured_pixels"] > 1000
        assert page.requests == [] and page.errors == []
    finally:
        page.close()


def test_jupyter_iframe_draws(kg, browser, pages):
    from graph.views import show

    wrapper = pages / "notebook.html"
    wrapper.write_text("<!DOCTYPE html><title>notebook</title>"
                       + show(kg, commodity="arms", height=500)._repr_html_(), encoding="utf-8")
    page = browser.open(wrapper, ready="document.querySelector('iframe') !== null")
    try:
        frame = page.page.frames[1]
        frame.wait_for_function("window.tkgView && window.tkgView.firstDraw !== null",
                                timeout=30000)
        counts = frame.evaluate("[tkgView.network.body.data.nodes.length,"
                                " tkgView.network.body.data.edges.length]")
        data = view_data(kg, commodity="arms")
        assert counts == [len(data["nodes"]), len(data["edges"])]
        assert frame.evaluate("document.title") == "Arms flows"
        assert page.requests == [] and page.errors == []
    finally:
        page.close()
