"""The regional knowledge base: Mali's neighbours and partners, linked to the Mali flows.

Questions are asked of the loaded graph through the library (``kg.query`` with bound
parameters, the ``claim-sources`` named query, :func:`graph.traverse.routes`,
:func:`graph.coverage.uncited`), never by reading Turtle; only the checks on how the files
are written (identical actor declarations, no copied sentences) parse the files themselves.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from graph.backends import IRI
from graph.coverage import uncited
from graph.prefixes import PREFIXES
from graph.resources import bundled_data_files, data_dir
from graph.traverse import routes

KB, PLACE, TKG = PREFIXES["kb"], PREFIXES["place"], PREFIXES["tkg"]

#: The data files of the regional issue, one per source document (dockey = file stem).
REGIONAL = [
    "adamtooze-2021-burkina-faso-gold",
    "arraedlg-libya-ocindex-2021",
    "boingboing-2022-niger-mayor-cocaine",
    "carnegie-2020-dubai-gold",
    "financialcrime-world-algeria",
    "financialcrime-world-burkina-faso",
    "financialcrime-world-guinea",
    "financialcrime-world-guinea-enact",
    "financialcrime-world-libya",
    "financialcrime-world-mauritania-crime-hub",
    "financialcrime-world-mauritania-criminal-haven",
    "financialcrime-world-niger",
    "gitoc-2020-dubai-gold",
    "gitoc-tramadol-niger",
    "iss-2022-arms-libya-niger",
    "nan-media-unodc-sahel-drugs",
    "ocindex-2023-cote-divoire",
    "ocindex-enact-niger",
]
REGIONAL_DOCS = [IRI(f"{KB}doc-{key}") for key in REGIONAL]

#: Words that name a nationality or an ethnic or regional community (and their plurals). An
#: actor label made only of these (plus filler such as "nationals") names people, not a group.
COMMUNITY_WORDS = {
    "african", "algerian", "arab", "asian", "bambara", "beninese", "burkinabe", "chadian",
    "dogon", "egyptian", "emirati", "fulani", "guinean", "hausa", "ivorian", "latin",
    "american", "libyan", "malian", "mauritanian", "moroccan", "nigerian", "nigerien", "peul",
    "sahelian", "sahrawi", "senegalese", "songhai", "tebu", "toubou", "tuareg", "arabs",
    "africans", "algerians", "asians", "burkinabes", "chadians", "egyptians", "emiratis",
    "guineans", "ivorians", "americans", "libyans", "malians", "mauritanians", "moroccans",
    "nigerians", "nigeriens", "sahelians", "sahrawis", "tuaregs", "fulanis",
}
FILLER = {"the", "and", "of", "in", "nationals", "people", "peoples", "community",
          "communities", "tribe", "tribes", "ethnic", "group", "citizens", "diaspora"}

COUNTRIES_OF = """
SELECT DISTINCT ?country WHERE { ?place tkg:partOf* ?country . ?country a tkg:Country . }"""


def iri(prefixed: str) -> IRI:
    prefix, local = prefixed.split(":", 1)
    return IRI(PREFIXES[prefix] + local)


def countries(kg, place: str) -> set[str]:
    """The countries a place is, or lies (partly) within."""
    return {r["country"] for r in kg.query(COUNTRIES_OF, place=IRI(place))}


def route_countries(kg, route: dict) -> set[str]:
    return set().union(*(countries(kg, stop["id"]) for stop in route["path"]))


def documents_of(kg, claim: str) -> set[str]:
    return {r["document"] for r in kg.query("claim-sources", claim=IRI(claim))}


def is_bare_community_name(label: str) -> bool:
    """Whether ``label`` names only nationalities or ethnic groups ("Tuareg", "Malian nationals").

    Examples
    --------
    >>> is_bare_community_name("Nigerians"), is_bare_community_name("Nigerian-led networks")
    (True, False)
    """
    words = re.findall(r"[a-z]+", unicodedata.normalize("NFKD", label).lower())
    return bool(words) and all(w in COMMUNITY_WORDS or w in FILLER for w in words) \
        and any(w in COMMUNITY_WORDS for w in words)


# -- the files and their documents -----------------------------------------------------------

def test_every_regional_file_is_bundled():
    assert {p.stem for p in bundled_data_files()} >= set(REGIONAL)


@pytest.mark.parametrize("document", REGIONAL_DOCS, ids=REGIONAL)
def test_each_document_is_cited_with_url_publisher_and_grade(kg, document):
    rows = kg.query("""SELECT ?title ?publisher ?url ?grade WHERE {
        ?doc a tkg:SourceDocument ; dcterms:title ?title ; dcterms:publisher ?publisher ;
             schema:url ?url ; tkg:reliability ?r . ?r skos:notation ?grade }""", doc=document)
    assert len(rows) == 1, f"{document}: expected one source block, got {rows}"
    assert rows[0]["url"].startswith("https://")
    assert rows[0]["grade"] in set("ABCDEF")


def test_news_and_rewrites_are_graded_below_index_text(kg):
    grades = {r["doc"]: r["level"] for r in kg.query("""SELECT ?doc ?level WHERE {
        ?doc tkg:reliability ?r . ?r tkg:level ?level }""")}
    index_pages = [iri("kb:doc-ocindex-enact-niger"), iri("kb:doc-ocindex-2023-cote-divoire")]
    secondary = [d for d in REGIONAL_DOCS if any(
        key in d for key in ("financialcrime-world", "nan-media", "boingboing", "arraedlg",
                             "adamtooze"))]
    assert len(secondary) == 12
    assert max(grades[d] for d in secondary) < min(grades[d] for d in index_pages)


def test_factual_passages_of_regional_documents_are_all_cited(kg):
    missing = [row for row in uncited(kg) if row["document"] in set(REGIONAL_DOCS)]
    assert missing == []


def test_automated_rewrites_never_exceed_reported(kg):
    rows = kg.query("""SELECT ?claim ?level ?cap WHERE {
        ?claim prov:wasDerivedFrom/tkg:inDocument ?doc ; tkg:certainty ?g .
        ?g tkg:level ?level . ?doc tkg:reliability adm:reliability-D .
        cert:reported tkg:level ?cap }""")
    assert rows, "the regional D-graded rewrites should carry claims"
    assert [r["claim"] for r in rows if r["level"] > r["cap"]] == []


# -- routes across borders -------------------------------------------------------------------

def test_arms_route_from_libya_crosses_niger_into_mali(kg):
    found = [r for r in routes(kg, "Libya", "Mali", commodity="arms")
             if len(route_countries(kg, r)) >= 3]
    assert found, "no arms route from Libya to Mali crosses three countries"
    niger = {iri("place:NER")}
    assert any(niger & countries(kg, stop["id"]) for r in found for stop in r["path"][1:-1])
    assert any("iss-2022" in flow["id"] for r in found for flow in r["flows"])


def test_a_single_flow_crosses_at_least_three_countries(kg):
    rows = kg.query("""SELECT ?flow (COUNT(DISTINCT ?country) AS ?n) WHERE {
        ?flow a tkg:Flow ; tkg:origin|tkg:transit|tkg:destination ?p .
        ?p tkg:partOf* ?country . ?country a tkg:Country }
      GROUP BY ?flow HAVING (COUNT(DISTINCT ?country) >= 3)""")
    flows = {r["flow"] for r in rows}
    assert iri("kb:flow-iss-2022-arms-libya-niger-arms-libya-mali") in flows


def test_cocaine_route_from_mali_through_niger_to_libya(kg):
    found = routes(kg, "Mali", "Libya", commodity="cocaine")
    via_niger = [r for r in found
                 if any(iri("place:NER") in countries(kg, s["id"]) for s in r["path"][1:-1])]
    assert via_niger
    assert any(s["id"] == iri("place:NER-agadez") for r in via_niger for s in r["path"])


@pytest.mark.parametrize("target", ["Libya", "Mali"])
def test_tramadol_from_nigeria_through_niger(kg, target):
    found = routes(kg, "Nigeria", target, commodity="tramadol")
    assert any(iri("place:NER") in countries(kg, s["id"]) for r in found for s in r["path"][1:-1])


def test_routes_chain_flows_of_different_sources_through_mali(kg):
    """Latin American cocaine: the Mali profile's leg into Mali, then the UNODC lead to Libya."""
    found = routes(kg, "Latin America", "Libya", commodity="cocaine")
    assert found
    assert any(len({doc for f in r["flows"] for doc in documents_of(kg, f["id"])}) >= 2
               for r in found)


# -- links to the Mali knowledge base --------------------------------------------------------

def test_support_and_conflict_links_point_at_existing_claims(kg):
    rows = kg.query("""SELECT ?claim ?target WHERE {
        ?claim tkg:supports|tkg:conflictsWith ?target .
        FILTER NOT EXISTS { ?target prov:wasDerivedFrom/tkg:inDocument ?doc } }""")
    assert rows == []


def test_lead_flows_through_mali_support_a_mali_claim(kg):
    rows = kg.query("""SELECT DISTINCT ?flow WHERE {
        ?flow a tkg:Flow ; prov:wasDerivedFrom/tkg:inDocument ?doc ;
              tkg:origin|tkg:transit|tkg:destination ?p .
        ?p tkg:partOf* place:MLI .
        FILTER (!CONTAINS(STR(?doc), "-mali"))
        FILTER NOT EXISTS {
          ?flow tkg:supports ?claim . ?claim prov:wasDerivedFrom/tkg:inDocument ?mali .
          FILTER (CONTAINS(STR(?mali), "-mali")) } }""")
    assert [r["flow"] for r in rows] == []


def test_sources_supporting_the_libya_mali_arms_flow_and_how_strongly(kg):
    target = iri("kb:flow-ocindex-2021-mali-arms-libya")
    supporters = [r["claim"] for r in kg.query(
        "SELECT ?claim WHERE { ?claim tkg:supports ?target }", target=target)]
    evidence = {(r["title"], r["reliability"], r["certainty"])
                for claim in [target, *supporters]
                for r in kg.query("claim-sources", claim=claim)}
    titles = {title for title, _, _ in evidence}
    assert "Arms trafficking from Libya to Niger is back in business" in titles
    assert "Global Organized Crime Index 2021: Mali" in titles
    assert {grade for _, grade, _ in evidence} == {"B"}
    assert {certainty for _, _, certainty in evidence} <= {"reported", "confirmed"}


def test_fachi_seizure_is_backed_by_a_second_source(kg):
    event = iri("kb:event-nan-media-unodc-sahel-drugs-fachi-seizure-2022")
    backers = kg.query("SELECT ?claim WHERE { ?claim tkg:supports ?event }", event=event)
    assert backers
    assert all(documents_of(kg, b["claim"]) != documents_of(kg, event) for b in backers)


def test_disagreeing_sources_both_stay_with_their_own_source(kg):
    """Niger's mafia-style groups read two ways: an edition difference, not a contradiction."""
    rows = kg.query("""SELECT ?a ?b ?reason ?assessA ?assessB WHERE {
        ?a tkg:qualifiedConflict [ tkg:conflictingClaim ?b ; tkg:conflictReason ?reason ] .
        ?a tkg:indicator ?indicator ; tkg:assessment ?assessA .
        ?b tkg:indicator ?indicator ; tkg:assessment ?assessB . }""",
                    indicator=iri("ind:mafia-style-groups"))
    assert rows, "the two readings of Niger's mafia-style groups should be linked"
    for r in rows:
        assert r["assessA"] != r["assessB"]
        assert r["reason"] == iri("conflict:different-edition")
        assert documents_of(kg, r["a"]) and documents_of(kg, r["b"])
        assert documents_of(kg, r["a"]).isdisjoint(documents_of(kg, r["b"]))
        # A change between editions is not a contradiction: no conflictsWith shortcut.
        assert not kg.query("SELECT ?a WHERE { ?a tkg:conflictsWith ?b }", a=r["a"], b=r["b"])


def test_the_enact_slip_about_mali_is_kept_in_niger(kg):
    rows = kg.query("""SELECT ?claim ?place WHERE {
        ?claim prov:wasDerivedFrom/tkg:inDocument ?doc ; tkg:place|tkg:origin|tkg:transit|
               tkg:destination ?place }""", doc=iri("kb:doc-ocindex-enact-niger"))
    assert rows
    assert not any(iri("place:MLI") in countries(kg, r["place"]) for r in rows)


# -- actors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("label, bare", [
    ("Tuareg", True), ("Arabs", True), ("Nigerians", True), ("Malian nationals", True),
    ("Arab and Tuareg communities", True), ("Nigerian-led trafficking networks in Abidjan", False),
    ("Chadian armed groups", False), ("Malian-led tramadol retail networks in Niger", False),
    ("Boko Haram", False),
])
def test_bare_community_names_are_recognised(label, bare):
    assert is_bare_community_name(label) is bare


def test_no_criminal_or_armed_actor_is_named_after_a_people(kg):
    rows = kg.query("""SELECT DISTINCT ?actor ?label WHERE {
        ?actor a ?class ; rdfs:label ?label .
        ?class rdfs:subClassOf* ?top . VALUES ?top { tkg:CriminalActor tkg:ArmedGroup } }""")
    assert len(rows) > 50
    assert [r["label"] for r in rows if is_bare_community_name(r["label"])] == []


def test_regional_actors_named_after_a_people_say_so(kg):
    rows = kg.query("""SELECT DISTINCT ?actor ?label ?definition WHERE {
        ?actor a ?class ; rdfs:label ?label ; skos:definition ?definition .
        ?class rdfs:subClassOf* ?top . VALUES ?top { tkg:CriminalActor tkg:ArmedGroup } }""")
    declared = _actor_blocks()
    regional = {a for a, files in declared.items() if set(files) & set(REGIONAL)}
    lacking = [r["label"] for r in rows if r["actor"] in regional
               and set(re.findall(r"[a-z]+", r["label"].lower())) & COMMUNITY_WORDS
               and not re.search(r"not (a|an|the|any)\b", r["definition"])]
    assert lacking == []


@pytest.mark.parametrize("name, cls", [
    ("JNIM", "tkg:ViolentExtremistGroup"), ("IS Sahel", "tkg:ViolentExtremistGroup"),
    ("Boko Haram", "tkg:ViolentExtremistGroup"), ("AQIM", "tkg:ViolentExtremistGroup"),
    ("Chadian armed groups", "tkg:ArmedGroup"),
])
def test_named_groups_resolve_to_one_actor_of_their_class(kg, name, cls):
    actor = kg.resolve(name, classes=("tkg:Actor",))
    assert kg.is_a(actor, cls)


# -- how the files are written ---------------------------------------------------------------

def _actor_blocks() -> dict[str, dict[str, frozenset]]:
    """Actor IRI -> {file stem: its declaration triples} over every bundled data file."""
    blocks: dict[str, dict[str, frozenset]] = defaultdict(dict)
    for path in bundled_data_files():
        g = rdflib.Graph().parse(path)
        for actor in set(g.subjects(RDF.type, None)):
            if str(actor).startswith(KB + "actor-"):
                blocks[str(actor)][path.stem] = frozenset(g.predicate_objects(actor))
    return blocks


def test_shared_actors_are_declared_identically_in_every_file():
    differing = {a: sorted(files) for a, files in _actor_blocks().items()
                 if len(set(files.values())) > 1}
    assert differing == {}


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    return re.findall(r"[\w']+", re.sub(r"[-–—]", " ", text))


def _runs(words: list[str], n: int = 6) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.parametrize("key", REGIONAL)
def test_descriptions_copy_no_six_word_run_of_the_source_sheets(shared_dir, key):
    sheets = " ".join(p.read_text(encoding="utf-8")
                      for p in sorted((shared_dir / "sources").glob("*.md")))
    source_runs = _runs(_words(sheets))
    g = rdflib.Graph().parse(data_dir() / f"{key}.ttl")
    claims = {s for s in g.subjects(RDFS.label, None) if not str(s).startswith(KB + "actor-")}
    texts = [str(o) for p in (DCTERMS.description, SKOS.definition, SKOS.note)
             for o in g.objects(None, p)]
    texts += [str(o) for s in claims for o in g.objects(s, RDFS.label)]
    copied = {" ".join(run) for text in texts for run in _runs(_words(text)) & source_runs}
    assert copied == set()
