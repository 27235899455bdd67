"""The endpoint's explorer over HTTP: search, entity pages, content negotiation, escaping.

A real server (:func:`graph.server.running`) over the bundled data in Oxigraph; pages are
read as a client reads them, by following the links they contain. The browser walk is in
``test_server_explorer_browser.py``.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph, URIRef

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette")

from graph.prefixes import PREFIXES  # noqa: E402
from graph.server import running  # noqa: E402

KB, TKG, PLACE = (PREFIXES[p] for p in ("kb", "tkg", "place"))
HOSTILE = Path(__file__).parent / "data" / "explorer" / "hostile.ttl"
AQIM = "kb:actor-aqim"


class Page(HTMLParser):
    """The links (text, href), headings and text of an HTML page, as a reader sees them."""

    def __init__(self, text: str, url: str):
        super().__init__()
        self.url, self.links, self.headings, self.alternates = url, [], [], []
        self.text_parts: list[str] = []
        self._href: str | None = None
        self._anchor: list[str] = []
        self._heading: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self._href, self._anchor = attrs["href"], []
        elif tag in ("h1", "h2"):
            self._heading = []
        elif tag == "link" and attrs.get("rel") == "alternate":
            self.alternates.append((attrs["type"], attrs["href"]))

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append(("".join(self._anchor).strip(), urljoin(self.url, self._href)))
            self._href = None
        elif tag in ("h1", "h2") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data):
        self.text_parts.append(data)
        if self._href is not None:
            self._anchor.append(data)
        if self._heading is not None:
            self._heading.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def link(self, text: str) -> str:
        """The URL of the first link whose text is ``text``."""
        found = [href for label, href in self.links if label == text]
        assert found, f"no link {text!r} on {self.url}: {[t for t, _ in self.links][:40]}"
        return found[0]


@pytest.fixture(scope="module")
def base(kg_oxigraph):
    with running(kg_oxigraph, workers=2, timeout=60) as url:
        yield url.rsplit("/sparql", 1)[0] + "/"


@pytest.fixture(scope="module")
def client(base):
    with httpx.Client(base_url=base, timeout=60) as client:
        yield client


def read(client, url: str, **headers) -> Page:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    return Page(response.text, str(response.url))


# -- search ---------------------------------------------------------------------------------

def test_search_groups_results_by_kind_and_links_to_aqim(client, kg):
    page = read(client, "/?q=aqim")
    expected = kg.search("aqim", 500)
    assert f"{len(expected)} matches" in page.text
    # Each kind's count is the number of matches that are instances of its class.
    actors = sum(1 for r in expected if kg.is_a(r["id"], "tkg:Actor"))
    claims = sum(1 for r in expected if kg.is_a(r["id"], "tkg:Claim"))
    assert f"Actors {actors}" in page.headings
    assert f"Flows, activities, relations and events {claims}" in page.headings
    assert actors >= 2 and claims >= 3
    assert page.headings.index(f"Actors {actors}") < page.headings.index(
        f"Flows, activities, relations and events {claims}")
    # AQIM itself (its alternative label is the query) is the first result, and links to its page.
    assert page.link("Al-Qaeda in the Islamic Maghreb").endswith("/entity/kb:actor-aqim")
    first = next(label for label, href in page.links if "/entity/" in href)
    assert first == "Al-Qaeda in the Islamic Maghreb"


def test_search_says_did_you_mean(client):
    page = read(client, "/?q=Lybia")
    assert "Nothing in the graph" in page.text and "Did you mean" in page.text
    assert page.link("Libya").endswith("/entity/place:LBY")


def test_search_page_without_query_and_shared_nav(client):
    page = read(client, "/")
    assert [label for label, _ in page.links][:4] == ["Skip to the content",
                                                      "Trafficking Knowledge Graph", "Search",
                                                      "SPARQL"]
    assert page.link("SPARQL").endswith("/sparql") and page.link("Views").endswith("/views")
    query_page = client.get("/sparql", headers={"Accept": "text/html"})
    assert "<textarea" in query_page.text
    assert Page(query_page.text, str(query_page.url)).link("Search").endswith("/")


# -- the walk of the issue: AQIM -> one of its claims -> a place -> a flow -> evidence -> Libya

def test_walk_from_aqim_to_libyas_scores(client, base, kg):
    from graph.traverse import country

    aqim = read(client, "/entity/kb:actor-aqim")
    assert aqim.headings[0] == "Al-Qaeda in the Islamic Maghreb"
    assert "Also called: AQIM" in aqim.text
    # AQIM takes part in activities and relations (no flow names it in the bundled data).
    kidnapping = read(client, aqim.link("Kidnapping for ransom by extremist groups in "
                                        "northern Mali"))
    assert "perpetrates, profits" in aqim.text
    north = read(client, kidnapping.link("Northern Mali"))
    assert "Flows into the place" in north.text
    flow = read(client, north.link("Contraband smuggled into northern Mali from Libya, "
                                   "Algeria and Mauritania"))
    # Its evidence lists the seed passage: document § section ¶ paragraph, reliability.
    assert "Global Organized Crime Index 2021: Mali § Criminal actors ¶3 (reliability B)" \
        in flow.text
    assert "1 independent lineage of sources" in flow.text
    assert flow.link("Global Organized Crime Index 2021: Mali").endswith(
        "/entity/kb:doc-ocindex-2021-mali")
    libya = read(client, flow.link("Libya"))
    assert libya.url == base + "entity/place:LBY"
    assert "Index scores" in libya.headings
    profile = country(kg, "Libya")
    arms = [s for s in profile["scores"] if s["indicator"]["label"] == "Arms trafficking"]
    assert arms, "Libya has Index scores for arms trafficking"
    row = re.search(r"Arms trafficking ((?:[\d.]+(?: \([+-][\d.]+\))? ?)+)", libya.text)
    assert row is not None
    for score in arms:
        assert f"{score['value']:g}" in row.group(1)


def test_pages_of_every_kind(client):
    cases = {
        "com:arms": ["Flows", "Actors", "Map"],
        "kb:doc-ocindex-2021-mali": ["Lineage", "Coverage",
                                     "Passages and the claims citing them"],
        "kb:psg-ocindex-2021-mali-trade-1": ["Claims citing it"],
        "kb:flow-ocindex-2021-mali-arms-libya": ["Actors", "Legs", "Map", "Evidence"],
        "place:MLI": ["Index scores", "Flows", "Actors active here", "Neighbours", "Map"],
        "cert:reported": ["All statements", "Referred to by"],
    }
    for short, headings in cases.items():
        page = read(client, f"/entity/{short}")
        for heading in headings:
            assert heading in page.headings, (short, page.headings)
        # Every entity named links to its page, relative to the endpoint.
        entity_links = [href for _, href in page.links if "/entity/" in href]
        assert entity_links and all(h.startswith(str(client.base_url)) for h in entity_links)
    document = read(client, "/entity/kb:doc-ocindex-2021-mali")
    assert document.link("Arms from Libya to armed groups in Mali").endswith(
        "/entity/kb:flow-ocindex-2021-mali-arms-libya")
    passage = read(client, "/entity/kb:psg-ocindex-2021-mali-trade-1")
    assert passage.headings[0] == "Global Organized Crime Index 2021: Mali § Trade ¶1"


def test_pages_fetch_nothing_from_elsewhere(client):
    response = client.get("/entity/place:LBY")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-src 'self'" in policy
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", response.text)
    css = client.get("/assets/explorer.css")
    assert css.status_code == 200 and "url(" not in css.text and "@import" not in css.text


# -- content negotiation --------------------------------------------------------------------

@pytest.mark.parametrize(("accept", "fmt", "media"), [
    ("text/turtle", None, "text/turtle"),
    ("application/ld+json", None, "application/ld+json"),
    ("application/n-triples", None, "application/n-triples"),
    ("text/html", "turtle", "text/turtle"),
    ("text/html", "json-ld", "application/ld+json"),
])
def test_entity_rdf_by_content_negotiation(client, accept, fmt, media):
    params = {"format": fmt} if fmt else {}
    response = client.get(f"/entity/{AQIM}", headers={"Accept": accept}, params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert "Accept" in response.headers["vary"]
    rdf = Graph().parse(data=response.content, format={"text/turtle": "turtle",
                                                       "application/ld+json": "json-ld",
                                                       "application/n-triples": "nt"}[media])
    aqim = URIRef(KB + "actor-aqim")
    assert (aqim, RDF.type, URIRef(TKG + "ViolentExtremistGroup")) in rdf
    # The labels of what it points at come along: a client can show its home places.
    assert (URIRef(PLACE + "sahel"), URIRef(PREFIXES["rdfs"] + "label"), None) in rdf


@pytest.mark.parametrize("accept", ["text/html,application/xhtml+xml,*/*;q=0.8", "*/*", None])
def test_browsers_and_plain_clients_get_html(client, accept):
    response = client.get(f"/entity/{AQIM}", headers={"Accept": accept} if accept else {})
    assert response.headers["content-type"].startswith("text/html")
    assert "Accept" in response.headers["vary"]
    page = Page(response.text, str(response.url))
    assert ("text/turtle", "?format=turtle") in page.alternates
    assert ("application/ld+json", "?format=json-ld") in page.alternates


def test_claim_rdf_includes_its_involvements(client):
    response = client.get("/entity/kb:flow-ocindex-2021-mali-arms-libya",
                          headers={"Accept": "text/turtle"})
    rdf = Graph().parse(data=response.content, format="turtle")
    flow = URIRef(KB + "flow-ocindex-2021-mali-arms-libya")
    involvement = rdf.value(flow, URIRef(TKG + "qualifiedInvolvement"))
    assert involvement is not None
    assert rdf.value(involvement, URIRef(TKG + "actor")) == URIRef(KB + "actor-armed-groups-mali")
    assert (flow, URIRef(TKG + "origin"), URIRef(PLACE + "LBY")) in rdf


def test_unknown_format_is_406(client):
    response = client.get(f"/entity/{AQIM}", params={"format": "png"})
    assert response.status_code == 406


# -- unknown ids and names ------------------------------------------------------------------

def test_unknown_id_is_404_with_suggestions(client):
    response = client.get("/entity/kb:aqim")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = Page(response.text, str(response.url))
    assert "Did you mean" in page.text
    assert page.link("Al-Qaeda in the Islamic Maghreb").endswith("/entity/kb:actor-aqim")
    rdf = client.get("/entity/kb:aqim", headers={"Accept": "text/turtle"})
    assert rdf.status_code == 404 and rdf.headers["content-type"].startswith("text/plain")
    assert "did you mean" in rdf.text


@pytest.mark.parametrize("path", ["/entity/" + quote(KB + "actor-aqim", safe=""),
                                  "/entity/" + KB + "actor-aqim"])
def test_a_full_iri_redirects_to_the_short_id(client, path):
    """Result tables can link any IRI (escaped or not) without knowing the prefixes."""
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200
    assert response.url.path == "/entity/kb:actor-aqim"


def test_a_name_redirects_to_the_short_id(client):
    response = client.get("/entity/AQIM")
    assert response.status_code == 303
    assert response.headers["location"] == "../entity/kb:actor-aqim"
    assert client.get("/entity/AQIM", follow_redirects=True).url.path == "/entity/kb:actor-aqim"


# -- the network view -----------------------------------------------------------------------

def test_neighbours_json(client):
    found = client.get("/entity/kb:flow-ocindex-2021-mali-arms-libya/neighbours").json()
    assert found["short"] == "kb:flow-ocindex-2021-mali-arms-libya"
    labels = {n["iri"]: n["label"] for n in found["nodes"]}
    relations = {(e["relation"], labels[e["to"]]) for e in found["edges"]}
    assert {("origin", "Libya"), ("destination", "Mali")} <= relations
    assert found["nodes"][0]["iri"] == KB + "flow-ocindex-2021-mali-arms-libya"
    assert all(n["style"]["shape"] for n in found["nodes"])


def test_network_view_is_a_view_page_that_may_call_home(client):
    response = client.get(f"/entity/{AQIM}/network")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "connect-src 'self'" in policy and "frame-ancestors 'self'" in policy
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    data = json.loads(re.search(r'<script type="application/json" id="tkg-data">(.*?)</script>',
                                response.text, re.S).group(1))
    assert data["explore"]["neighbours"] == "../../entity/{id}/neighbours"
    assert data["nodes"][0]["short"] == AQIM
    assert len(data["edges"]) == len(data["claims"]) >= 5


# -- escaping -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile():
    """An endpoint over the bundled data plus entities of every kind with markup in them."""
    import graph
    from conftest import ROOT

    kg = graph.load([ROOT / "data", HOSTILE], backend="oxigraph", validate=False)
    with running(kg, workers=1, timeout=60) as url, \
            httpx.Client(base_url=url.rsplit("/sparql", 1)[0], timeout=60) as client:
        yield client


#: The markup of the hostile fixture, as it would appear if it reached a page unescaped.
MARKUP = ["<script>alert(1)", "<img src=x onerror", "<svg onload", "<iframe src=javascript",
          "<b onmouseover", "<script>window.__pwned", '" onmouseover="alert(2)', "<!-- comment"]


@pytest.mark.parametrize("path", [
    "/entity/kb:actor-hostile", "/entity/place:hostile", "/entity/com:hostile",
    "/entity/kb:flow-hostile", "/entity/kb:doc-hostile", "/entity/kb:psg-hostile-1",
    "/?q=hostile", "/entity/kb:%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/entity/kb:actor-hostile/network",
])
def test_markup_in_the_graph_is_text_on_every_page(hostile, path):
    response = hostile.get(path)
    assert response.status_code in (200, 404)
    for markup in MARKUP:
        assert markup not in response.text
    if "network" in path:  # a view page: its data JSON, vis-network, its script
        assert len(re.findall(r"^<script", response.text, re.M)) == 3
        assert "\\u003cscript\\u003ealert(1)" in response.text
    else:
        assert "&lt;" in response.text  # the markup is there, as text
        assert "<script" not in response.text


def test_hostile_labels_read_back_as_text(hostile):
    page = Page(hostile.get("/entity/kb:flow-hostile").text, "http://x/entity/kb:flow-hostile")
    assert page.headings[0] == "<iframe src=javascript:alert(6)> hostile flow"
    assert "</td></tr></table><script>window.__pwned = 3</script>" in page.text
    assert "<script>alert(1)</script> hostile network" in [t for t, _ in page.links]
    assert "<img src=x onerror=alert(1)> section" in page.text
    found = hostile.get("/entity/kb:flow-hostile/neighbours").json()
    assert "<svg onload=alert(5)> hostile powder" in [n["label"] for n in found["nodes"]]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(ident=st.text(min_size=1, max_size=40), accept=st.sampled_from(
    [None, "text/html", "text/turtle", "application/ld+json", "image/png"]),
    suffix=st.sampled_from(["", "/neighbours", "/network"]))
def test_any_entity_id_gets_an_answer_not_a_failure(client, ident, accept, suffix):
    response = client.get("/entity/" + quote(ident, safe="") + suffix,
                          headers={"Accept": accept} if accept else {})
    assert response.status_code in (200, 303, 404, 406), (response.status_code, response.text)


def test_views_served_by_the_endpoint_link_back(client):
    response = client.get("/views/country/Mali")
    assert response.status_code == 200
    data = json.loads(re.search(r'<script type="application/json" id="tkg-data">(.*?)</script>',
                                response.text, re.S).group(1))
    assert data["nav"] == [["Search", "../../"], ["SPARQL", "../../sparql"],
                           ["Views", "../../views"]]
    assert data["title"] == "All flows through Mali"
