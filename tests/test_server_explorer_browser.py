"""The explorer in a real browser (headless Chromium via Playwright), as an analyst uses it.

From the search box to AQIM's page, through one of its claims and a place to a flow, its
evidence and its origin, Libya, whose page shows the Index scores; on an entity page, the
network view grows when a node's neighbours are asked for, with the keyboard. Every request
goes to the endpoint, none is blocked by a Content Security Policy, and a hostile label
runs nothing. Needs Debian's ``chromium`` and ``playwright``; skipped without them, failed
under ``CI=true``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from servers import WATCH_CSP, endpoint_chromium

from conftest import ROOT
from graph.server import running

pytestmark = pytest.mark.browser

HOSTILE = Path(__file__).parent / "data" / "explorer" / "hostile.ttl"


@pytest.fixture(scope="module")
def chromium():
    with endpoint_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def base(kg_oxigraph):
    with running(kg_oxigraph, workers=2, timeout=60) as url:
        yield url.rsplit("/sparql", 1)[0]


def _page(chromium, **options):
    context = chromium.new_context(**options)
    page = context.new_page()
    page.add_init_script(WATCH_CSP)
    page.requests, page.dialogs, page.errors = [], [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


@pytest.fixture
def page(chromium):
    context, page = _page(chromium)
    yield page
    context.close()


def _clean(page, base):
    assert page.evaluate("window.__violations") == []
    assert page.dialogs == [] and page.errors == []
    assert all(url.startswith(base) for url in page.requests), page.requests


def test_walk_from_the_search_box_to_libyas_scores(page, base):
    page.goto(f"{base}/")
    page.fill("#q", "aqim")
    page.press("#q", "Enter")
    page.wait_for_selector("#kind-actor")
    assert "Actors" in page.inner_text("#kind-actor")
    page.click("text=Al-Qaeda in the Islamic Maghreb")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Al-Qaeda in the Islamic Maghreb"
    assert page.url.endswith("/entity/kb:actor-aqim")
    page.click("#claims + div >> text=Kidnapping for ransom by extremist groups in northern Mali")
    page.click("#statements + div >> text=Northern Mali")
    assert page.inner_text("h1") == "Northern Mali"
    page.click("#flows ~ div >> text=Contraband smuggled into northern Mali from Libya, "
               "Algeria and Mauritania")
    evidence = page.locator("section", has=page.locator("#evidence")).inner_text()
    assert "Global Organized Crime Index 2021: Mali § Criminal actors ¶3" in evidence
    assert "(reliability B)" in evidence
    page.click("#statements + div >> text=Libya")
    assert page.inner_text("h1") == "Libya"
    scores = page.locator("section", has=page.locator("#scores")).inner_text()
    assert "Arms trafficking" in scores and "2021" in scores
    _clean(page, base)


def test_keyboard_reaches_the_search_box_and_a_result(page, base):
    page.goto(f"{base}/?q=Libya")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    link = page.locator("#kind-place ~ ul a", has_text="Libya").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/entity/place:LBY")
    assert page.inner_text("h1") == "Libya"


def test_network_grows_when_a_node_is_expanded(page, base):
    page.goto(f"{base}/entity/kb:actor-aqim")
    frame_element = page.wait_for_selector("iframe.network")
    frame_element.scroll_into_view_if_needed()
    frame = frame_element.content_frame()
    frame.wait_for_function("() => window.tkgView && window.tkgView.firstDraw !== null",
                            timeout=60_000)
    kidnapping = "Kidnapping for ransom by extremist groups in northern Mali"
    assert kidnapping in frame.evaluate("tkgView.data.nodes.map(n => n.label)")
    # A walk by keyboard: AQIM -> one of its claims -> the claim's place -> a flow there.
    frame.focus("#tkg-net")
    expand(frame, kidnapping, "Northern Mali")
    frame.press("#tkg-tip", "Escape")  # back to the network
    expand(frame, "Northern Mali",
           "Contraband smuggled into northern Mali from Libya, Algeria and Mauritania")
    assert frame.evaluate("tkgView.network.body.data.nodes.length") \
        == frame.evaluate("tkgView.data.nodes.length")
    assert frame.evaluate("window.__violations") == []
    _clean(page, base)
    # The panel's link leads to the node's entity page, in the whole window.
    link = frame.locator("#tkg-tip a", has_text="Open the page of Northern Mali")
    assert link.get_attribute("href") == "../../entity/place:MLI-north"
    link.click()
    page.wait_for_url("**/entity/place:MLI-north")
    assert page.inner_text("h1") == "Northern Mali"


def expand(frame, label: str, expected: str) -> None:
    """Select the node ``label`` with the arrow keys, open its panel (Enter) and ask for its
    neighbours; ``expected`` must be among them."""
    count = frame.evaluate("tkgView.data.nodes.length")
    for _ in range(count):
        frame.press("#tkg-net", "ArrowRight")
        if frame.inner_text("#tkg-tip strong") == label:
            break
    assert frame.inner_text("#tkg-tip strong") == label
    frame.press("#tkg-net", "Enter")
    frame.click("#tkg-tip button.expand")
    frame.wait_for_function(f"() => tkgView.data.nodes.length > {count}", timeout=30_000)
    assert expected in frame.evaluate("tkgView.data.nodes.map(n => n.label)")


def test_a_view_links_back_to_the_search(page, base):
    page.goto(f"{base}/views/country/Mali")
    page.wait_for_function("() => window.tkgView && window.tkgView.firstDraw !== null",
                           timeout=60_000)
    page.click("#tkg-panel nav >> text=Search")
    page.wait_for_selector("form[role=search]")
    assert page.url == f"{base}/"
    _clean(page, base)


def test_phone_sized_window_needs_no_sideways_scrolling(chromium, base):
    context, page = _page(chromium, viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        page.goto(f"{base}/entity/place:LBY")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375 + 1, width  # wide tables scroll inside their own box
        assert page.evaluate("getComputedStyle(document.querySelector('.table'))"
                             ".overflowX") == "auto"
    finally:
        context.close()


@pytest.fixture(scope="module")
def hostile_base():
    import graph

    kg = graph.load([ROOT / "data", HOSTILE], backend="oxigraph", validate=False)
    with running(kg, workers=1, timeout=60) as url:
        yield url.rsplit("/sparql", 1)[0]


@pytest.mark.parametrize("short", ["kb:actor-hostile", "place:hostile", "com:hostile",
                                   "kb:flow-hostile", "kb:doc-hostile", "kb:psg-hostile-1"])
def test_hostile_labels_run_nothing(page, hostile_base, short):
    page.goto(f"{hostile_base}/entity/{short}")
    frame = page.wait_for_selector("iframe.network").content_frame()
    frame.wait_for_function("() => window.tkgView && window.tkgView.firstDraw !== null",
                            timeout=60_000)
    heading = page.inner_text("h1")
    assert "<" in heading  # the markup is shown, as text
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('main img, main svg, main b, main script,"
                         " main iframe:not(.network)').length") == 0
    assert frame.evaluate("window.__pwned === undefined")
    _clean(page, hostile_base)
