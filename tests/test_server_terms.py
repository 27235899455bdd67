"""The SPARQL editor's terms (graph.server.terms) and its page, over plain HTTP.

The library lists every class, property and labelled entity with its short id; ``/terms``
answers completion (``tkg:Fl`` -> ``tkg:Flow``, ``Mal`` -> Mali) and label look-ups from a
list built once per state of the graph, rebuilt after an accepted update. The page carries
the vendored editor, the project prefixes and a Content Security Policy nonce of its own.
"""

from __future__ import annotations

import json
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from graph.lookup import expand_id, normalise, short_id
from graph.prefixes import PREFIXES
from graph.server.terms import MAX_LIMIT, Term, TermIndex, vocabulary

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette")

from graph.server import running  # noqa: E402
from graph.server.html import assets_dir  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TKG, KB, RDFS, OWL = PREFIXES["tkg"], PREFIXES["kb"], PREFIXES["rdfs"], PREFIXES["owl"]
TOKEN = "terms-test-token"


@pytest.fixture(scope="module")
def terms(kg):
    return vocabulary(kg)


@pytest.fixture(scope="module")
def index(terms):
    return TermIndex(terms)


@pytest.fixture(scope="module")
def base(kg_oxigraph):
    with running(kg_oxigraph, workers=1, timeout=30, update_token=TOKEN) as url:
        yield url.rsplit("/sparql", 1)[0]


@pytest.fixture
def client(base):
    with httpx.Client(base_url=base, timeout=60) as client:
        yield client


# -- the library --------------------------------------------------------------------------------

def test_vocabulary_has_the_ontologys_classes_and_properties(terms, kg):
    by_iri = {t.iri: t for t in terms}
    classes = {str(r["c"]) for r in kg.execute(
        "SELECT ?c WHERE { ?c a owl:Class ; rdfs:label ?l FILTER(isIRI(?c)) }").dicts()}
    properties = {str(r["p"]) for r in kg.execute(
        "SELECT ?p WHERE { ?p a owl:ObjectProperty ; rdfs:label ?l }").dicts()}
    assert classes and properties
    assert {by_iri[c].kind for c in classes} == {"class"}
    assert {by_iri[p].kind for p in properties} == {"property"}
    assert by_iri[TKG + "Flow"].id == "tkg:Flow"
    # Used but labelled nowhere in the graph: still offered, by its local name.
    assert by_iri[RDFS + "label"].kind == "property"
    assert by_iri[RDFS + "label"].label == "label"


def test_entities_carry_label_type_and_aliases(terms, kg):
    by_id = {t.id: t for t in terms}
    mali = by_id["place:MLI"]
    assert (mali.label, mali.kind) == ("Mali", "entity")
    assert mali.type == kg.kind(mali.iri) == "country"
    assert "MLI" in mali.aliases
    aqim = by_id["kb:actor-aqim"]
    assert aqim.label == kg.label(aqim.iri)
    assert "AQIM" in aqim.aliases


def test_every_short_id_round_trips(terms):
    assert len({t.iri for t in terms}) == len(terms)
    for term in terms:
        assert term.id == short_id(term.iri)
        if term.id != term.iri:
            assert str(expand_id(term.id)) == term.iri


def test_completion_by_prefixed_name(index):
    found = index.complete("tkg:Fl")
    assert found[0].id == "tkg:Flow"  # the case typed, and a class, comes first
    assert all(t.id.casefold().startswith("tkg:fl") for t in found)
    assert {t.id for t in index.complete("rdfs:la")} >= {"rdfs:label"}
    everything = index.complete("kb:", limit=MAX_LIMIT)
    assert len(everything) == MAX_LIMIT  # the bundled data has more kb: entities than that
    assert index.complete("nosuchprefix:x") == []


def test_completion_by_label_and_alias(index):
    mal = index.complete("Mal", limit=50)
    assert mal[0].id == "place:MLI"  # the shortest label starting with the text
    for term in mal:
        words = [normalise(term.label), *map(normalise, term.aliases),
                 normalise(term.id.split(":", 1)[-1]), *normalise(term.label).split()]
        assert any(w.startswith("mal") for w in words), term
    # AQIM's label is "Al-Qaeda in the Islamic Maghreb": its alternative label finds it.
    assert "kb:actor-aqim" in [t.id for t in index.complete("aqim")]
    # A later word of a label: "Al-Qaeda in the Islamic Maghreb".
    assert "kb:actor-aqim" in [t.id for t in index.complete("islamic magh")]
    assert index.complete("") == [] and index.complete("   ") == []


def test_completion_ranks_within_many_matches():
    """More matches than one search reads: the exact label and classes still come first."""
    many = [Term(f"kb:m{i:05}", KB + f"m{i:05}", f"Mali site {i:05}", "entity", "place")
            for i in range(12_000)]
    exact = Term("place:MLI", PREFIXES["place"] + "MLI", "Mali", "entity", "country")
    cls = Term("tkg:Malice", TKG + "Malice", "malice", "class")
    index = TermIndex([*many, exact, cls])
    assert [t.id for t in index.complete("mali", limit=3)] == [
        "tkg:Malice", "place:MLI", "kb:m00000"]
    assert [t.id for t in index.complete("Site 0001", limit=20)] == [
        f"kb:m{i:05}" for i in range(10, 20)]
    assert len(index.complete("kb:m", limit=MAX_LIMIT)) == MAX_LIMIT


def test_completion_within_a_class(index, kg):
    everything = index.complete("coc", limit=50)
    commodities = index.complete("coc", limit=50, classes=["tkg:Commodity"])
    assert "com:cocaine" in [t.id for t in commodities]
    assert len(commodities) < len(everything)  # flows, markets... named "Cocaine ..." left out
    assert all(kg.is_a(t.iri, "tkg:Commodity") for t in commodities)
    assert [t for t in everything if kg.is_a(t.iri, "tkg:Commodity")] == commodities
    # A class takes its subclasses' instances: Mali is a country, a country is a place.
    assert "place:MLI" in [t.id for t in index.complete("Mal", classes=["tkg:Place"])]
    assert "place:MLI" in [t.id for t in index.complete("place:ML", classes=["tkg:Country"])]
    assert index.complete("Mal", classes=["tkg:Commodity"]) == []


def test_lookup_keeps_known_iris_in_order(index):
    iris = [PREFIXES["place"] + "MLI", "https://example.org/unknown", TKG + "Flow",
            PREFIXES["place"] + "MLI"]
    assert [t.id for t in index.lookup(iris)] == ["place:MLI", "tkg:Flow"]


# -- over HTTP ----------------------------------------------------------------------------------

def test_terms_route_completes(client, index):
    response = client.get("/terms", params={"q": "tkg:Fl"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body[0] == {"id": "tkg:Flow", "iri": TKG + "Flow", "label": "flow",
                       "kind": "class", "type": "", "aliases": []}
    assert [t["id"] for t in body] == [t.id for t in index.complete("tkg:Fl")]
    limited = client.get("/terms", params={"q": "kb:actor-", "limit": "3"}).json()
    assert len(limited) == 3 and all(t["id"].startswith("kb:actor-") for t in limited)
    assert client.get("/terms").json() == []


def test_terms_route_gives_labels_of_iris(client):
    iris = [PREFIXES["place"] + "MLI", "https://example.org/nothing", KB + "actor-aqim"]
    response = client.get("/terms", params=[("iri", i) for i in iris])
    assert [(t["id"], t["label"]) for t in response.json()] == [
        ("place:MLI", "Mali"), ("kb:actor-aqim", "Al-Qaeda in the Islamic Maghreb")]


def test_terms_route_keeps_a_class(client, kg):
    found = client.get("/terms", params={"q": "coc", "class": "tkg:Commodity"}).json()
    assert "com:cocaine" in [t["id"] for t in found]
    assert all(kg.is_a(t["iri"], "tkg:Commodity") for t in found)
    by_iri = client.get("/terms", params={"q": "coc", "class": TKG + "Commodity"}).json()
    assert by_iri == found
    refused = client.get("/terms", params={"q": "coc", "class": "nosuch:Thing"})
    assert refused.status_code == 400 and "nosuch:Thing" in refused.text


@pytest.mark.parametrize("limit", ["0", "-1", "many", ""])
def test_terms_route_refuses_a_bad_limit(client, limit):
    response = client.get("/terms", params={"q": "tkg:", "limit": limit})
    assert response.status_code == 400
    assert "limit" in response.text


def test_terms_follow_an_accepted_update(client):
    name = "Zyxwvut test smugglers"
    assert client.get("/terms", params={"q": "Zyxwvut"}).json() == []
    update = (f'INSERT DATA {{ kb:actor-zyxwvut a tkg:ArmedGroup ; rdfs:label "{name}"@en }}')
    response = client.post("/sparql", content=update, headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204, response.text
    found = client.get("/terms", params={"q": "Zyxwvut"}).json()
    assert [(t["id"], t["label"], t["type"]) for t in found] == [
        ("kb:actor-zyxwvut", name, "armed group")]


# -- the page -----------------------------------------------------------------------------------

class _Editor(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.attributes: dict[str, str | None] = {}
        self.scripts: list[str | None] = []

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if attrs.get("id") == "editor":
            self.attributes = attrs
        if tag == "script":
            self.scripts.append(attrs.get("src"))


@pytest.mark.parametrize("path", ["/sparql", "/?query=ASK%20%7B%7D"])
def test_page_carries_prefixes_and_its_own_nonce(client, path):
    nonces = []
    for _ in range(2):
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 200
        parser = _Editor()
        parser.feed(response.text)
        assert json.loads(parser.attributes["data-prefixes"]) == PREFIXES
        nonce = parser.attributes["data-nonce"]
        assert re.fullmatch(r"[A-Za-z0-9_-]{20,}", nonce)
        policy = response.headers["content-security-policy"]
        assert f"style-src 'self' 'nonce-{nonce}'" in policy
        assert "script-src 'self';" in policy and "default-src 'none'" in policy
        assert parser.scripts == ["assets/vendor/codemirror.js", "assets/app.js"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_vendored_editor_is_served_offline_with_its_licences(client):
    bundle = client.get("/assets/vendor/codemirror.js")
    assert bundle.status_code == 200
    assert bundle.headers["content-type"].startswith(("text/javascript",
                                                      "application/javascript"))
    assert "var CM=" in bundle.text and "LICENSES.txt" in bundle.text[:300]
    # Nothing loaded from elsewhere: no script, style, import or fetch of another origin.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", bundle.text)
    assert not re.search(r"""import\(\s*["']https?:""", bundle.text)
    assert "@import" not in bundle.text
    licences = client.get("/assets/vendor/LICENSES.txt").text
    for package in ("@codemirror/view", "@codemirror/state", "codemirror-lang-sparql",
                    "@lezer/lr", "style-mod"):
        assert re.search(rf"^{re.escape(package)} \S+ \(MIT\)$", licences, re.M), package
    assert licences.count("Permission is hereby granted") >= 10


def test_the_wheel_takes_every_page_asset():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["graph.server"]
    package = assets_dir().parent
    files = {p for p in assets_dir().rglob("*") if p.is_file()}
    assert {package / "assets/vendor/codemirror.js", package / "assets/vendor/README.md"} <= files
    taken = {p for pattern in patterns for p in package.glob(pattern)}  # setuptools' globs
    assert sorted(str(p) for p in files - taken) == []
