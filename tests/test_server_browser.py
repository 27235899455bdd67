"""The endpoint's query page and views in a real browser (headless Chromium via Playwright).

The page must work with nothing but the endpoint: every request goes to it, none is blocked
by its Content Security Policy, a named query runs with one click and shows its answer, and
a hostile query in the URL is shown as text. The editor (vendored CodeMirror) highlights
SPARQL and completes the graph's terms; answers link IRIs to their entity pages, with their
labels, draw a bar chart and download as CSV; a label with markup is shown as text. Needs
Debian's ``chromium`` and ``playwright`` (installed by ``.ci/run``); skipped without them,
failed under ``CI=true``.
"""

from __future__ import annotations

import csv
import json
import re
import urllib.parse

import httpx
import pytest
from servers import WATCH_CSP, endpoint_chromium

from graph.lookup import expand_id, short_id
from graph.server import running

pytestmark = pytest.mark.browser

HOSTILE = "SELECT * { ?s ?p '</textarea><script>alert(1)</script>' }"
#: A label with markup, given to an entity of a writable endpoint (see ``hostile_base``).
HOSTILE_LABEL = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
TOKEN = "browser-test-token"


@pytest.fixture(scope="module")
def chromium():
    with endpoint_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def base(kg_oxigraph):
    with running(kg_oxigraph, workers=2) as url:
        yield url.rsplit("/sparql", 1)[0]


@pytest.fixture(scope="module")
def hostile_base(kg_oxigraph):
    """An endpoint whose graph has an actor labelled with markup (added by an update)."""
    with running(kg_oxigraph, workers=1, update_token=TOKEN) as url:
        escaped = HOSTILE_LABEL.replace("\\", "\\\\").replace('"', '\\"')
        update = f'INSERT DATA {{ kb:actor-hostile a tkg:ArmedGroup ; rdfs:label "{escaped}"@en }}'
        response = httpx.post(url, content=update, timeout=60, headers={
            "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 204, response.text
        yield url.rsplit("/sparql", 1)[0]


@pytest.fixture
def page(chromium, base):
    context = chromium.new_context()
    page = context.new_page()
    page.add_init_script(WATCH_CSP)
    page.requests = []
    page.dialogs = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def test_named_query_runs_with_one_click(page, base):
    page.goto(f"{base}/sparql")
    page.wait_for_selector("#named-queries button")
    name = page.locator("strong", has_text=re.compile(r"^flows$"))
    page.locator("#named-queries button").filter(has=name).click()
    page.wait_for_selector("#results table tbody tr")
    rows = page.locator("#results table tbody tr").count()
    assert rows > 0
    assert "Cocaine" in page.inner_text("#results")
    assert "rows" in page.inner_text("#status")
    assert "VALUES" in page.input_value("#query")  # the example values are bound
    assert page.evaluate("window.__violations") == []
    assert all(url.startswith(base) for url in page.requests), page.requests


def editor_text(page) -> str:
    return page.evaluate("window.tkgEditor.state.doc.toString()")


def type_query(page, text: str) -> None:
    """Replace the editor's text by typing ``text``, as a user would (completion closed)."""
    page.click("#editor .cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type(text)
    page.keyboard.press("Escape")


def test_error_message_is_shown_as_text(page, base):
    page.goto(f"{base}/sparql")
    page.wait_for_selector("#editor .cm-content")
    type_query(page, "SELECT * { SERVICE <http://example.org/s> { ?s ?p ?o } }")
    page.click("#run")
    page.wait_for_selector("#status.error")
    assert "HTTP 403" in page.inner_text("#status")
    assert "SERVICE is refused" in page.inner_text("#results")


def test_hostile_query_in_the_url_is_text(page, base):
    page.goto(f"{base}/?{urllib.parse.urlencode({'query': HOSTILE})}")
    page.wait_for_selector("#named-queries button")
    assert page.input_value("#query") == HOSTILE
    assert editor_text(page) == HOSTILE
    assert page.dialogs == []
    assert page.evaluate("window.__violations") == []


def test_view_draws_under_the_endpoint_policy(page, base):
    import graph.views

    if not callable(getattr(graph.views, "render", None)):
        pytest.skip("graph.views has no render() yet")
    page.goto(f"{base}/views/country/Mali")
    page.wait_for_function("window.tkgView && window.tkgView.firstDraw !== null",
                           timeout=60_000)
    assert page.evaluate("window.tkgView.network.body.data.nodes.length") > 5
    assert page.evaluate("window.__violations") == []
    assert all(url.startswith(base) for url in page.requests), page.requests


# -- the editor ---------------------------------------------------------------------------------

def run_named(page, name: str) -> None:
    """Click the named query ``name`` in the list (it runs with its example values)."""
    page.wait_for_selector("#named-queries button")
    title = page.locator("strong", has_text=re.compile(f"^{re.escape(name)}$"))
    page.locator("#named-queries button").filter(has=title).click()


def wait_for_labels(page) -> None:
    """Wait until the links of the answer carry the labels looked up in /terms."""
    page.wait_for_function("""() => {
        const links = [...document.querySelectorAll('#results a[data-iri]')];
        return links.length > 0 && links.some((a) => a.dataset.labelled);
    }""")


def test_editor_highlights_sparql(page, base):
    page.goto(f"{base}/sparql")  # what a browser gets from the endpoint's URL
    page.wait_for_selector("#editor .cm-content")
    assert page.is_hidden("#query")  # the editor took the textarea's place
    tokens = page.eval_on_selector_all(
        "#editor .cm-content [class^='tok-']", "els => els.map(e => [e.className, e.innerText])")
    assert ["tok-keyword", "SELECT"] in tokens and ["tok-keyword", "WHERE"] in tokens
    assert ["tok-variableName", "?flow"] in tokens
    assert any(c == "tok-comment" and t.startswith("# Flows") for c, t in tokens)
    colour = "el => getComputedStyle(el).color"
    keyword = page.eval_on_selector("#editor .tok-keyword", colour)
    variable = page.eval_on_selector("#editor .tok-variableName", colour)
    plain = page.eval_on_selector("#editor .cm-line", colour)
    assert len({keyword, variable, plain}) == 3
    # The editor's own style rules came in under the page's nonce: laid out, no violation.
    assert page.eval_on_selector("#editor .cm-editor", "el => getComputedStyle(el).display") \
        == "flex"
    assert page.evaluate("window.__violations") == []


def hover_term(page, name: str) -> tuple[str, str]:
    """Hover ``name`` in the editor; the tooltip's label and whole text."""
    x, y = page.evaluate("""name => {
        const view = window.tkgEditor;
        const c = view.coordsAtPos(view.state.doc.toString().indexOf(name) + 2);
        return [c.left, (c.top + c.bottom) / 2];
    }""", name)
    page.mouse.move(x, y)
    tip = page.locator(".cm-tooltip-hover .term-tip")
    tip.wait_for()
    found = (tip.locator("strong").inner_text(), tip.inner_text())
    page.mouse.move(0, 0)
    tip.wait_for(state="detached")
    return found


def test_hovering_a_term_shows_its_label(page, base, kg_oxigraph):
    page.goto(f"{base}/sparql")
    page.wait_for_selector("#editor .cm-content")
    type_query(page, "SELECT * WHERE { ?a tkg:involvedIn ?c . FILTER (?a = kb:actor-aqim) }")
    tips = {name: hover_term(page, name) for name in ("tkg:involvedIn", "kb:actor-aqim")}
    aqim = str(expand_id("kb:actor-aqim"))
    assert tips["tkg:involvedIn"][0] == kg_oxigraph.label(str(expand_id("tkg:involvedIn")))
    assert "property" in tips["tkg:involvedIn"][1]
    assert tips["kb:actor-aqim"][0] == kg_oxigraph.label(aqim)
    assert kg_oxigraph.kind(aqim) in tips["kb:actor-aqim"][1]
    assert "AQIM" in tips["kb:actor-aqim"][1]


def test_editor_completes_the_graphs_terms(page, base, kg_oxigraph):
    page.goto(f"{base}/sparql")
    page.wait_for_selector("#editor .cm-content")
    type_query(page, "SELECT ?f WHERE { ?f a tkg:Fl")
    page.keyboard.press("Control+Space")
    option = page.locator(".cm-tooltip-autocomplete li").first
    option.wait_for()
    assert option.locator(".cm-completionLabel").inner_text() == "tkg:Flow"
    assert "class" in option.locator(".cm-completionDetail").inner_text()
    page.wait_for_timeout(200)  # CodeMirror ignores keys for 75 ms after a list opens
    page.keyboard.press("Enter")
    assert re.fullmatch(r"SELECT \?f WHERE \{ \?f a tkg:Flow ?\}?", editor_text(page))
    page.keyboard.press("Control+Enter")  # runs the query from inside the editor
    page.wait_for_selector("#results table tbody tr")
    flows = kg_oxigraph.execute("SELECT ?f WHERE { ?f a tkg:Flow }").dicts()
    assert page.locator("#results tbody tr").count() == len(flows) > 0
    # After "a" a class is wanted: tkg:Flow before tkg:flowsTo, although typed in lower case.
    type_query(page, "SELECT ?f WHERE { ?f a tkg:fl")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    labels = page.locator(".cm-tooltip-autocomplete .cm-completionLabel").all_inner_texts()
    assert labels[:2] == ["tkg:Flow", "tkg:flowsTo"]
    type_query(page, "SELECT ?f WHERE { ?f tkg:fl")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    labels = page.locator(".cm-tooltip-autocomplete .cm-completionLabel").all_inner_texts()
    assert labels[:2] == ["tkg:flowsTo", "tkg:Flow"]  # the case typed comes first
    # Prefixes complete too, and a label gives its entity's short id.
    type_query(page, "SELECT * { ?x skos:broader sk")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    assert "skos:" in page.inner_text(".cm-tooltip-autocomplete")
    type_query(page, "SELECT * { ?x tkg:place Mal")
    page.keyboard.press("Control+Space")
    mali = page.locator(".cm-tooltip-autocomplete li", has_text="place:MLI").first
    mali.wait_for()
    assert mali.locator(".cm-completionLabel").inner_text() == "Mali"
    page.wait_for_timeout(200)
    mali.click()
    assert editor_text(page).startswith("SELECT * { ?x tkg:place place:MLI")
    assert page.evaluate("window.__violations") == []


def test_named_query_form_links_iris_to_entity_pages(page, base, kg_oxigraph):
    page.goto(f"{base}/sparql")
    run_named(page, "flows")
    field = page.locator("#param-flows-commodity")
    field.wait_for()
    assert field.input_value() == "cocaine"  # the example value, ready to change
    page.wait_for_selector("#results table tbody tr")
    field.fill("hero")  # suggestions: the commodities only (the parameter's class)
    page.wait_for_selector("#param-flows-commodity-names option", state="attached")
    suggested = page.eval_on_selector_all("#param-flows-commodity-names option",
                                          "els => els.map(o => o.value)")
    assert "Heroin" in suggested
    commodities = {r["label"] for r in kg_oxigraph.execute(
        "SELECT ?label WHERE { ?c a tkg:Commodity ; skos:prefLabel ?label }").dicts()}
    assert set(suggested) <= commodities
    field.fill("heroin")
    page.click("#form-flows button[type=submit]")
    expected = {str(r["flow"]): r["label"]
                for r in kg_oxigraph.query("flows", commodity="heroin")}
    assert expected
    page.wait_for_function("n => document.querySelectorAll('#results tbody tr').length === n",
                           arg=len(expected))
    wait_for_labels(page)
    links = page.eval_on_selector_all(
        "#results tbody td:first-child a",
        "els => els.map(a => [a.title, a.getAttribute('href'), a.href, a.textContent])")
    assert {title for title, *_ in links} == set(expected)
    for iri, href, resolved, text in links:
        assert href == f"entity/{short_id(iri)}"
        assert resolved == f"{base}/entity/{short_id(iri)}"
        assert str(expand_id(href.removeprefix("entity/"))) == iri
        assert text == kg_oxigraph.label(iri) == expected[iri]
    assert page.evaluate("window.__violations") == []
    assert all(url.startswith(base) for url in page.requests), page.requests


def test_label_with_markup_is_text(page, hostile_base):
    page.goto(f"{hostile_base}/sparql")
    page.wait_for_selector("#editor .cm-content")
    type_query(page, "SELECT ?actor ?label WHERE { ?actor rdfs:label ?label "
                     "FILTER (?actor = kb:actor-hostile) }")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results table tbody tr")
    wait_for_labels(page)
    assert page.inner_text("#results tbody td:first-child a") == HOSTILE_LABEL
    assert page.inner_text("#results tbody td:nth-child(2) span") == HOSTILE_LABEL
    assert hover_term(page, "kb:actor-hostile")[0] == HOSTILE_LABEL
    type_query(page, "SELECT * { kb:actor-host")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    assert HOSTILE_LABEL in page.inner_text(".cm-tooltip-autocomplete")
    assert page.locator("img, main script").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []
    assert page.evaluate("window.__violations") == []


def test_chart_and_csv_download(page, base, kg_oxigraph):
    page.goto(f"{base}/sparql")
    run_named(page, "flows-per-commodity")
    page.wait_for_selector("#results table tbody tr")
    rows = kg_oxigraph.query("flows-per-commodity")
    page.wait_for_selector("#show-chart:not([disabled])")
    wait_for_labels(page)
    page.click("#show-chart")
    assert page.is_hidden("#results") and page.is_visible("#chart svg")
    page.wait_for_function("""() => ![...document.querySelectorAll('#chart .bar title')]
        .some((t) => t.textContent.startsWith('com:'))""")
    bars = page.eval_on_selector_all(
        "#chart .bar", """els => els.map(g => [g.querySelector('title').textContent,
                                             Number(g.querySelector('rect').getAttribute('width'))])""")
    assert [title for title, _ in bars] == [
        f"{kg_oxigraph.label(r['commodity'])}: {r['flows']}" for r in rows][:len(bars)]
    widths = [w for _, w in bars]
    counts = [int(r["flows"]) for r in rows][:len(bars)]
    assert widths.index(max(widths)) == counts.index(max(counts))
    assert widths[0] / widths[-1] == pytest.approx(counts[0] / counts[-1], rel=0.05)
    with page.expect_download() as info:
        page.click("#download-csv")
    with open(info.value.path(), encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == ["commodity", "commodityLabel", "flows"]
    assert [(row[0], row[2]) for row in table[1:]] == [
        (str(r["commodity"]), str(r["flows"])) for r in rows]
    with page.expect_download() as info:
        page.click("#download-json")
    with open(info.value.path(), encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["head"]["vars"] == ["commodity", "commodityLabel", "flows"]
    assert [(b["commodity"]["value"], b["flows"]["value"]) for b in data["results"]["bindings"]] \
        == [(str(r["commodity"]), str(r["flows"])) for r in rows]
    assert page.evaluate("window.__violations") == []


def test_page_works_without_the_editor_bundle(page, base):
    """Should the editor's script not load, the plain text area still runs queries."""
    page.route("**/assets/vendor/codemirror.js", lambda route: route.abort())
    page.goto(f"{base}/sparql")
    page.wait_for_selector("#named-queries button")
    assert page.is_visible("#query") and page.locator("#editor").count() == 0
    page.fill("#query", "SELECT ?c WHERE { ?c a tkg:Country } ORDER BY ?c LIMIT 3")
    page.press("#query", "Control+Enter")
    page.wait_for_selector("#results table tbody tr")
    assert page.locator("#results tbody tr").count() == 3
    assert page.get_attribute("#results tbody a", "href") == "entity/place:AFG"


def test_page_fits_a_phone(chromium, base):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                   has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{base}/sparql")
        page.wait_for_selector("#editor .cm-content")
        page.wait_for_selector("#named-queries button")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        editor = page.locator("#editor").bounding_box()
        aside = page.locator("aside").bounding_box()
        assert editor["width"] > 300 and aside["y"] > editor["y"]  # one column, editor first
        page.tap("#run")
        page.wait_for_selector("#results table tbody tr")
    finally:
        context.close()
