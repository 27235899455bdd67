"""Interactive views: escaping, layout, styles from the ontology, view data, page, CLI.

Small flow networks with hand-computed answers are built once at the top (places and
vocabulary terms are real IRIs, so styles and selections resolve against the bundled
graph); the same functions then run on the bundled Mali data. The browser checks are in
``test_views_browser.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, RDFS, SKOS, Graph

import graph.views
from graph.cli import cli
from graph.errors import DataError, EntityNotFound, UnknownName
from graph.prefixes import PREFIXES
from graph.resources import ontology_dir
from graph.traverse import flows
from graph.views import overview, render, show, view, view_data
from graph.views.escape import html_text, script_json, srcdoc
from graph.views.layout import MAX_LAT, RING, SCALE, force_layout, geo_layout, project
from graph.views.page import page, vis_network
from graph.views.style import PRES, Styler, presentation

TKG, PLACE, COM, CERT, KB = (PREFIXES[p] for p in ("tkg", "place", "com", "cert", "kb"))
ROOT_VIEWS = Path(graph.views.__file__).resolve().parent
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>window.__pwned = 1</script>",
    "<!-- <script>",
    "a & b \u2028 c \u2029 d",
    '" onmouseover="alert(1)',
]


def flow_edge(flow, commodity, grade, level, *, start=None, end=None, actors=(), label=None):
    return {"flow": KB + flow, "flow_label": label or flow, "commodity": COM + commodity,
            "commodity_label": commodity, "certainty": CERT + grade, "certainty_label": grade,
            "certainty_level": level, "description": f"Description of {flow}.",
            "start": start, "end": end, "actors": list(actors),
            "sources": [{"document": KB + "doc-test", "title": "Test source",
                         "section": "Drugs", "paragraph": 2}]}


def small_network() -> nx.MultiDiGraph:
    """Three places; four flows in five legs drawn as four lines (see test_small_lines)."""
    net = nx.MultiDiGraph()
    for code, lat, lon in (("MLI", 17.5, -4.0), ("NER", 17.6, 8.1), ("LBY", 26.3, 17.2)):
        net.add_node(PLACE + code, label=code, type="country", lat=lat, lon=lon, iso3=code)
    aqim = {"id": KB + "actor-aqim", "label": "AQIM", "type": "violent extremist group",
            "role": "taxes"}
    net.add_edge(PLACE + "MLI", PLACE + "NER", **flow_edge("f1", "cocaine", "reported", 4))
    net.add_edge(PLACE + "MLI", PLACE + "NER", **flow_edge("f2", "cocaine", "reported", 4,
                                                           actors=[aqim]))
    net.add_edge(PLACE + "NER", PLACE + "MLI", **flow_edge("f3", "small-arms", "suspected", 2))
    f4 = flow_edge("f4", "cannabis-resin", "likely", 3, start=2019, end=2020)
    net.add_edge(PLACE + "MLI", PLACE + "NER", **f4)
    net.add_edge(PLACE + "NER", PLACE + "LBY", **f4)
    return net


@pytest.fixture(scope="module")
def small(kg):
    return view_data(kg, network=small_network())


def line(data, frm, to, commodity_label):
    """The lines from ``frm`` to ``to`` (labels) of one legend group."""
    labels = [n["label"] for n in data["nodes"]]
    groups = [g["label"] for g in data["legend"]["groups"]]
    return [e for e in data["edges"] if labels[e["from"]] == frm and labels[e["to"]] == to
            and groups[e["group"]] == commodity_label]


# -- escaping ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE)
def test_script_json_is_inert_and_round_trips(text):
    encoded = script_json({"label": text, "list": [text]})
    assert not set(encoded) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(encoded) == {"label": text, "list": [text]}


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_and_srcdoc_leave_no_markup(text):
    for escaped in (html_text(text), srcdoc(text)):
        assert "<" not in escaped and '"' not in escaped
        assert escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"') \
            .replace("&#x27;", "'").replace("&amp;", "&") == text


# -- layout --------------------------------------------------------------------------------

def test_project_is_mercator():
    assert project(0, 0) == (0.0, 0.0)
    assert project(10, 20)[0] == 20 * SCALE          # longitude is linear
    # Conformal: a small step north is stretched by sec(latitude), as much as a step east.
    north = project(60.5, 0)[1] - project(59.5, 0)[1]
    assert abs(north) == pytest.approx(SCALE / math.cos(math.radians(60)), rel=0.01)
    assert abs(project(0.5, 0)[1] - project(-0.5, 0)[1]) == pytest.approx(SCALE, rel=0.01)
    # Symmetric about the equator, clipped near the poles (Mercator's poles are infinite).
    assert project(-35, 10)[1] == -project(35, 10)[1]
    assert project(89.9, 0) == project(MAX_LAT, 0) and project(-90, 0)[1] > 0


def test_geo_layout_rings_anchored_and_rows_the_rest():
    coords = {"a": (0.0, 0.0), "b": (0.0, 10.0), "x": None, "y": None, "z": None, "w": None}
    pos = geo_layout(coords, {"x": ["a"], "y": ["a"], "z": ["x"]})
    assert pos["a"] == (0.0, 0.0) and pos["b"] == (10 * SCALE, 0.0)
    ring = max(RING, 0.08 * 10 * SCALE)
    assert math.dist(pos["x"], pos["a"]) == pytest.approx(ring, abs=0.2)
    assert math.dist(pos["y"], pos["a"]) == pytest.approx(ring, abs=0.2)
    assert pos["x"] != pos["y"]
    assert math.dist(pos["z"], pos["x"]) == pytest.approx(ring, abs=0.2)  # anchored to x
    assert pos["w"][1] > max(p[1] for k, p in pos.items() if k != "w")  # below the map


def test_force_layout_is_deterministic_and_spreads_nodes():
    edges = [(i, i + 1) for i in range(30)]
    first = force_layout(range(31), edges, seed=3)
    assert first == force_layout(range(31), edges, seed=3)
    assert len(set(first.values())) == 31
    assert force_layout([], []) == {}


def test_force_layout_samples_large_graphs():
    n = 2000
    pos = force_layout(range(n), [(i, (i * 7) % n) for i in range(n)])
    assert len(pos) == n and len(set(pos.values())) == n


# -- styles from the ontology --------------------------------------------------------------

def test_presentation_declares_what_it_uses():
    graph = Graph().parse(ontology_dir() / "presentation.ttl")
    used = {p for p in graph.predicates() if str(p).startswith(PRES)}
    assert used == {PRES[p] for p in ("colour", "dashPattern", "shape", "foundById", "inDiagram",
                                      "palette")}
    for prop in used:
        assert (prop, RDF.type, OWL.AnnotationProperty) in graph
        assert graph.value(prop, RDFS.label) and graph.value(prop, SKOS.definition)


def test_presentation_annotates_only_terms_of_the_graph(kg):
    known = {str(r["s"]) for r in kg.query("SELECT DISTINCT ?s WHERE { ?s a ?type }")}
    for term, hint in presentation().items():
        assert term in known, f"{term} is not in the ontology or vocabularies"
        if "colour" in hint:
            assert re.fullmatch(r"#[0-9a-f]{6}", hint["colour"]), term
        if "shape" in hint:
            assert hint["shape"] in {"dot", "square", "triangle", "triangleDown", "diamond",
                                     "star", "hexagon"}, term
        if "dashes" in hint:
            assert all(float(x) > 0 for x in hint["dashes"].split()), term


@pytest.mark.parametrize(("commodity", "branch"), [
    ("heavy-machine-guns", "arms"),       # two steps down the skos:broader chain
    ("arms", "arms"),
    ("tramadol", "synthetic-drugs"),
    ("cocaine", "cocaine"),
    ("sex-trafficking-victims", "trafficking-victims"),
])
def test_commodity_takes_the_colour_of_its_nearest_coloured_branch(kg, commodity, branch):
    style = Styler(kg).commodity(COM + commodity)
    assert style["key"] == COM + branch
    assert style["colour"] == presentation()[COM + branch]["colour"]


def test_grades_are_ordered_by_level_from_the_graph(kg):
    levels = {str(r["g"]): int(r["l"]) for r in
              kg.query("SELECT ?g ?l WHERE { ?g a tkg:CertaintyGrade ; tkg:level ?l }")}
    grades = Styler(kg).grades()
    assert [g["key"] for g in grades] == sorted(levels, key=lambda g: -levels[g])
    for grade in grades:
        expected = presentation().get(grade["key"], {}).get("dashes")
        assert grade["dashes"] == ([float(x) for x in expected.split()] if expected else False)


@pytest.mark.parametrize(("iri", "type_label", "cls"), [
    (PLACE + "MLI", None, "Country"),
    (PLACE + "sahel", None, "SupranationalRegion"),
    (KB + "actor-aqim", None, "ArmedGroup"),           # a ViolentExtremistGroup: inherited
    ("https://example.org/unknown", "country", "Country"),
])
def test_node_style_follows_the_class_hierarchy(kg, iri, type_label, cls):
    style = Styler(kg).node(iri, type_label)
    assert style["key"] == TKG + cls
    assert style["shape"] == presentation()[TKG + cls]["shape"]


# -- view data on a small network with known answers -----------------------------------------

def test_small_counts(small):
    assert [n["label"] for n in small["nodes"]] == ["MLI", "NER", "LBY"]
    assert len(small["claims"]) == 4
    assert len(small["edges"]) == 4  # f1+f2 share a line; f3 reversed; f4 two legs
    assert small["period"] == {"min": 2019, "max": 2020}


def test_small_lines(small):
    (cocaine,) = line(small, "MLI", "NER", "Cocaine")
    assert sorted(small["claims"][c]["id"] for c in cocaine["claims"]) == [KB + "f1", KB + "f2"]
    (arms,) = line(small, "NER", "MLI", "Arms")
    assert [small["claims"][c]["id"] for c in arms["claims"]] == [KB + "f3"]
    grades = small["legend"]["grades"]
    assert grades[arms["cert"]]["label"] == "suspected" and grades[arms["cert"]]["dashes"]
    assert grades[cocaine["cert"]]["dashes"] is False
    # Three lines join MLI and NER: each is bent differently; NER-LBY is straight.
    pair = [e for e in small["edges"] if {e["from"], e["to"]} == {0, 1}]
    assert sorted(e["bend"] for e in pair) == [1, 2, 3]
    assert line(small, "NER", "LBY", "Cannabis")[0]["bend"] == 0


def test_small_claims_carry_evidence(small):
    by_id = {c["id"]: c for c in small["claims"]}
    assert by_id[KB + "f2"]["actors"] == [["AQIM", "violent extremist group", "taxes"]]
    # Document, section, paragraph, reliability, lineage (the test document has no grade
    # and states no lineage).
    assert by_id[KB + "f1"]["sources"] == [["Test source", "Drugs", "2", "", ""]]
    assert by_id[KB + "f4"]["description"] == "Description of f4."


def test_small_positions_are_projected(small):
    mali = small["nodes"][0]
    assert (mali["x"], mali["y"]) == project(17.5, -4.0)


def test_small_country_selection(kg):
    data = view_data(kg, network=small_network(), country="Libya")
    assert {c["id"] for c in data["claims"]} == {KB + "f4"}  # only f4 reaches Libya


def test_small_ego_network(kg):
    data = view_data(kg, network=small_network(), actor="AQIM")
    assert {c["id"] for c in data["claims"] if c["kind"] == "flow"} == {KB + "f2"}
    iris = [n["iri"] for n in data["nodes"]]
    assert KB + "actor-aqim" in iris and {PLACE + "MLI", PLACE + "NER"} <= set(iris)
    ego = iris.index(KB + "actor-aqim")
    involvement = [e for e in data["edges"] if e["kind"] == "involvement"]
    # One involvement line from the actor to each place of its flow (MLI -> NER).
    assert sorted(iris[e["to"]] for e in involvement if e["from"] == ego) \
        == [PLACE + "MLI", PLACE + "NER"]
    assert [e["kind"] for e in data["edges"]].count("flow") == 1


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"layout": "circle"}, UnknownName, "unknown layout 'circle'"),
    ({"commodity": "unobtainium"}, EntityNotFound, "unobtainium"),
    ({"country": "Atlantis"}, EntityNotFound, "Atlantis"),
    ({"actor": "nobody at all"}, EntityNotFound, "nobody at all"),
    ({"min_certainty": "sort of"}, EntityNotFound, "sort of"),
])
def test_bad_selection_names_the_value(kg, kwargs, error, match):
    with pytest.raises(error, match=match):
        view_data(kg, **kwargs)


def test_a_given_network_is_not_filtered_by_commodity(kg):
    with pytest.raises(DataError, match="filter a given network"):
        view_data(kg, network=small_network(), commodity="cocaine")


# -- view data on the Mali data ------------------------------------------------------------

@pytest.fixture(scope="module")
def mali_overview(kg):
    return view_data(kg)


def test_overview_shows_every_flow(kg, mali_overview):
    assert {c["id"] for c in mali_overview["claims"]} == {f["id"] for f in flows(kg)}
    assert mali_overview["title"] == "All flows"


def test_sources_carry_the_documents_reliability(kg, mali_overview):
    graded = {str(r["t"]): str(r["g"]) for r in kg.query(
        "SELECT ?t ?g WHERE { ?d dcterms:title ?t ; tkg:reliability/skos:prefLabel ?g }")}
    sources = [s for c in mali_overview["claims"] for s in c["sources"]]
    assert sources and all(s[3] == graded[s[0]] for s in sources)
    assert {s[3][:1] for s in sources} <= set("ABCDEF")


def test_line_width_comes_from_line_weight(kg, mali_overview):
    """A line weighs the independent lineages behind its claims, not the claims counted."""
    from graph.evidence import combined_lineages
    from graph.views.model import line_weight

    claims = mali_overview["claims"]
    for edge in mali_overview["edges"]:
        ids = [claims[i]["id"] for i in edge["claims"]]
        assert edge["weight"] == line_weight(kg, [{"id": i} for i in ids]) == \
            max(1, combined_lineages(kg, ids))


def test_every_line_and_node_claim_has_a_source(mali_overview):
    drawn = {c for e in mali_overview["edges"] for c in e["claims"]}
    drawn |= {c for n in mali_overview["nodes"] for c in n["claims"]}
    assert drawn == set(range(len(mali_overview["claims"])))
    for claim in mali_overview["claims"]:
        assert claim["sources"], claim["id"]
        assert all(doc and section and paragraph
                   for doc, section, paragraph, *_ in claim["sources"])


def test_commodity_view_matches_flows(kg):
    data = view_data(kg, commodity="drugs")
    assert {c["id"] for c in data["claims"]} == {f["id"] for f in flows(kg, commodity="drugs")}
    assert data["title"] == "Drugs flows"


def test_country_view_matches_flows_through_the_country(kg):
    expected = set()
    for facet in ("origin", "transit", "destination"):
        expected |= {f["id"] for f in flows(kg, **{facet: "Mali"})}
    data = view_data(kg, country="Mali")
    assert {c["id"] for c in data["claims"]} == expected
    assert PLACE + "MLI" in {n["iri"] for n in data["nodes"]}


def test_actor_view_is_an_ego_network(kg):
    actor = kg.resolve("armed groups in Mali")
    data = view_data(kg, actor="armed groups in Mali")
    flow_ids = {c["id"] for c in data["claims"] if c["kind"] == "flow"}
    assert flow_ids == {f["id"] for f in flows(kg, actor=actor)}
    relations = {str(r["c"]) for r in kg.query(
        "SELECT ?c WHERE { ?c a tkg:ActorRelation . { ?c tkg:subjectActor ?a } UNION "
        "{ ?c tkg:objectActor ?a } }", {"a": actor})}
    assert {c["id"] for c in data["claims"] if c["kind"] == "relation"} == relations
    nodes = {n["iri"]: n for n in data["nodes"]}
    assert actor in nodes and nodes[actor]["type"] == "armed group"
    assert data["title"] == "Network of armed groups in Mali"


def test_min_certainty_keeps_firmer_claims(kg):
    data = view_data(kg, min_certainty="reported")
    levels = [data["legend"]["grades"][c["cert"]]["level"] for c in data["claims"]]
    assert levels and min(levels) >= 4
    assert len(data["claims"]) < len(flows(kg))


def test_force_layout_view(kg):
    data = view_data(kg, country="Mali", layout="force")
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])


# -- the page ------------------------------------------------------------------------------

def hostile_network() -> nx.MultiDiGraph:
    net = nx.MultiDiGraph()
    for i, (code, lat, lon) in enumerate((("MLI", 17.5, -4.0), ("NER", 17.6, 8.1))):
        net.add_node(PLACE + code, label=HOSTILE[i], type=HOSTILE[2], lat=lat, lon=lon,
                     iso3=HOSTILE[4])
    edge = flow_edge("x", "cocaine", "reported", 4, label=HOSTILE[1])
    edge["description"] = HOSTILE[0]
    edge["commodity_label"] = HOSTILE[3]
    edge["sources"][0]["title"] = HOSTILE[1]
    net.add_edge(PLACE + "MLI", PLACE + "NER", **edge)
    return net


class Tags(HTMLParser):
    """Every start tag of a page with its attribute names, as a browser would parse it."""

    def __init__(self):
        super().__init__()
        self.seen: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, [name for name, _ in attrs]))


def scripts(html):
    return re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.DOTALL)


def test_page_is_self_contained_and_escaped(kg):
    html = render(kg, network=hostile_network(), title=HOSTILE[0] + HOSTILE[1])
    found = scripts(html)
    assert [attrs for attrs, _ in found] == [' type="application/json" id="tkg-data"', "", ""]
    data = json.loads(found[0][1])
    assert data["nodes"][0]["label"] == HOSTILE[0]
    assert data["claims"][0]["label"] == HOSTILE[1]
    tags = Tags()
    tags.feed(html)
    assert {name for name, _ in tags.seen} == {"html", "head", "meta", "title", "style", "body",
                                               "div", "aside", "script"}
    for name, attrs in tags.seen:
        assert not any(a in ("src", "href") or a.startswith("on") for a in attrs), name
    assert f"<title>{html_text(HOSTILE[0] + HOSTILE[1])}</title>" in html


def test_page_allows_only_its_own_scripts(kg):
    html = render(kg, network=small_network())
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp
    for attrs, body in scripts(html):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert (f"'sha256-{digest}'" in csp) == (attrs == "")


def test_vis_network_comes_with_its_licence():
    version, script = vis_network()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert "MIT" in script[:2000] and "Apache" in script[:2000]


def test_page_without_nodes():
    empty = {"title": "nothing", "layout": "geo", "scale": SCALE, "nodes": [], "edges": [],
             "claims": [], "period": None, "legend": {"groups": [], "grades": [], "kinds": []}}
    assert "<title>nothing</title>" in page(empty)


def test_view_and_overview_write_files(kg, tmp_path):
    info = view(kg, tmp_path / "sub" / "cocaine.html", commodity="cocaine", layout="force")
    assert info["title"] == "Cocaine flows" and info["layout"] == "force"
    assert (tmp_path / "sub" / "cocaine.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")
    info = overview(kg, tmp_path / "overview.html")
    assert info["title"] == "All flows" and info["layout"] == "geo"
    assert info["claims"] == len(flows(kg))


def test_show_returns_a_sandboxed_iframe(kg):
    markup = show(kg, commodity="gold", height=300)._repr_html_()
    assert markup.startswith('<div class="tkg-view"><iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert 'sandbox="allow-scripts"' in markup and "height:300px" in markup
    assert markup.count("<") == 4  # div and iframe tags; the page itself is all escaped


# -- CLI -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_cli_viz(tmp_path, fmt):
    out = tmp_path / "mali.html"
    result = CliRunner().invoke(cli, ["viz", "--country", "Mali", "--backend", "memory",
                                      "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file()
    if fmt == "json":
        (row,) = json.loads(result.output)
        assert row["path"] == str(out) and row["title"] == "All flows through Mali"
        assert row["nodes"] > 5 and row["claims"] > 5
    else:
        assert "All flows through Mali" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--actor", "armed groupz"], "no actor matches 'armed groupz'"),
    (["--min-certainty", "maybe"], "'maybe'"),
])
def test_cli_viz_errors(tmp_path, args, message):
    result = CliRunner().invoke(cli, ["viz", *args, "--backend", "memory",
                                      "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "x.html").exists()


def test_cli_viz_needs_an_output():
    result = CliRunner().invoke(cli, ["viz"])
    assert result.exit_code == 2 and "--output" in result.output


# -- basemap -------------------------------------------------------------------------------

def decode_ring(topology, ring):
    """A ring of a (converted) topology as lon/lat points, rounded to 1e-6 degrees."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    points = []
    for index in ring:
        flat = topology["arcs"][~index if index < 0 else index]
        x = y = 0
        arc = []
        for i in range(0, len(flat), 2):
            x += flat[i]
            y += flat[i + 1]
            arc.append((round(x * sx + tx, 6), round(y * sy + ty, 6)))
        arc = arc[::-1] if index < 0 else arc
        points += arc[1:] if points else arc
    return points


def test_basemap_assets_and_licence():
    from graph.views.basemap import countries

    world, fine = countries("110m"), countries("50m")
    assert len(world["countries"]) >= 170 and len(fine["countries"]) > len(world["countries"])
    for topology in (world, fine):
        codes = [c["iso3"] for c in topology["countries"] if c["iso3"]]
        assert len(codes) == len(set(codes)) and all(re.fullmatch(r"[A-Z]{3}", c) for c in codes)
    mali = next(c for c in world["countries"] if c["iso3"] == "MLI")
    west, south, east, north = mali["bbox"]
    assert -13 < west < -11 and 3 < east < 5 and 9 < south < 11 and 24 < north < 26
    assert west < mali["point"][0] < east and south < mali["point"][1] < north
    folder = ROOT_VIEWS / "assets" / "basemap"
    licence = (folder / "LICENSE.txt").read_text(encoding="utf-8")
    assert "public domain" in licence and "ISC" in licence and "Michael Bostock" in licence
    # The package ships them (setuptools package-data), and not the conversion script.
    import tomllib

    data = tomllib.loads((ROOT_VIEWS.parents[1] / "pyproject.toml").read_text())
    patterns = data["tool"]["setuptools"]["package-data"]["graph.views"]
    shipped = {p.name for pattern in patterns for p in ROOT_VIEWS.glob(pattern) if p.is_file()}
    assert {"countries-110m.json", "countries-50m.json", "LICENSE.txt"} <= shipped
    assert "make_basemap.py" not in shipped


def test_detail_outlines_survive_the_subset():
    from graph.views.basemap import basemap, countries

    data = basemap(["MLI"])
    fine = countries("50m")
    picked = {c["iso3"] for c in data["detail"]["countries"]}
    assert {"MLI", "NER", "DZA", "BFA", "SEN", "MRT", "GIN", "CIV"} <= picked
    assert "BRA" not in picked and "CHN" not in picked and "ZAF" not in picked
    for code in ("MLI", "NER", "SEN"):
        small = next(c for c in data["detail"]["countries"] if c["iso3"] == code)
        full = next(c for c in fine["countries"] if c["iso3"] == code)
        assert [decode_ring(data["detail"], r) for p in small["polygons"] for r in p] == \
            [decode_ring(fine, r) for p in full["polygons"] for r in p]
    assert len(data["world"]["countries"]) == len(countries()["countries"])


def test_geo_views_carry_the_map_and_their_focus(kg, mali_overview):
    mali = view_data(kg, country="Mali")
    assert mali["basemap"]["focus"] == ["MLI"] and mali["basemap"]["detail"]
    # The overview's claims mostly touch Mali: it opens on Mali too.
    assert mali_overview["basemap"]["focus"] == ["MLI"]
    # A region selected: its member countries are the focus.
    sahel = view_data(kg, country="Sahel")
    assert {"MLI", "NER", "TCD", "BFA"} <= set(sahel["basemap"]["focus"])
    # Countries carry their code; regions the codes of their member countries.
    by_label = {n["label"]: n for n in mali_overview["nodes"]}
    assert by_label["Mali"]["iso3"] == "MLI" and "area" not in by_label["Mali"]
    assert {"MLI", "NER", "SEN", "GHA"} <= set(by_label["West Africa"]["area"])
    assert set(by_label["Mali's neighbouring countries"]["area"]) == {
        "DZA", "NER", "BFA", "CIV", "GIN", "SEN", "MRT"}
    assert "iso3" not in by_label["Northern Mali"] and "area" not in by_label["Northern Mali"]
    # No map in the force layout; no focus for a network without the gazetteer's places.
    assert "basemap" not in view_data(kg, layout="force")
    from benchmarks.bench_views import synthetic_network

    assert view_data(kg, network=synthetic_network(50, kg))["basemap"]["focus"] == []


@pytest.mark.parametrize("selection", [{}, {"country": "Mali"}], ids=["overview", "mali"])
def test_pages_with_the_basemap_stay_small(kg, tmp_path, selection):
    path = tmp_path / "view.html"
    view(kg, path, **selection)
    html = path.read_text(encoding="utf-8")
    assert path.stat().st_size <= 1_500_000
    assert "Natural Earth" in html and "countries-110m.json" in html


def test_evidence_panel_data_carries_lineages(kg, mali_overview):
    """Each claim carries its independent lineages and each source its lineage, as
    `tkg evidence` reports them: a rewrite names what it was derived from."""
    from graph.evidence import independent_lineages

    counts = independent_lineages(kg)
    assert all(c["lineages"] == counts.get(c["id"], 0) for c in mali_overview["claims"])
    lineages = {s[0]: s[4] for c in mali_overview["claims"] for s in c["sources"]}
    rewrites = [t for t in lineages if "financialcrime.world" in t]
    assert rewrites and all(lineages[t].startswith("derived from") for t in rewrites)
    assert lineages["Global Organized Crime Index 2021: Mali"] == "original"
