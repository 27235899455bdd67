"""Trust in the data: the audit's corrections, incriminating roles, lineage of documents.

Each test asks the loaded graph through the library (``kg.query`` with bound parameters), so it
checks what a user would see. The audit (issue 17) found seven kinds of error in ``data/``;
every one has a regression test here or in ``tests/test_mali.py``.
"""

from __future__ import annotations

import pytest

from graph.backends import IRI
from graph.prefixes import PREFIXES


def iri(prefixed: str) -> IRI:
    prefix, local = prefixed.split(":", 1)
    return IRI(PREFIXES[prefix] + local)


# -- incriminating roles -----------------------------------------------------------------------

@pytest.mark.parametrize("role, incriminating", [
    ("colludes", True), ("controls", True), ("profits", True), ("launders", True),
    ("transports", True), ("taxes", True),
    ("affected", False), ("supports", False), ("receives", False), ("supplies", False),
    ("participates", False), ("provides-services", False),
])
def test_the_role_vocabulary_says_which_roles_incriminate(kg, role, incriminating):
    rows = kg.query("SELECT ?flag WHERE { ?role tkg:incriminating ?flag }",
                    role=iri(f"role:{role}"))
    assert bool(rows and rows[0]["flag"]) is incriminating


INVOLVEMENTS = """
SELECT ?claim ?actor ?role ?own ?claimGrade ?passage ?officeHolder WHERE {
  ?claim tkg:qualifiedInvolvement ?i ; tkg:certainty ?claimGrade .
  ?i tkg:actor ?actor ; tkg:role ?role .
  ?role tkg:incriminating true .
  OPTIONAL { ?i tkg:certainty ?own }
  OPTIONAL { ?i prov:wasDerivedFrom ?passage }
  BIND (EXISTS { ?actor a tkg:OfficeHolder } AS ?officeHolder)
}"""


def test_every_incriminating_involvement_is_stated_or_suspected_by_its_source(kg):
    """Grade of the involvement, or of its claim, is cert:suspected or firmer."""
    levels = {r["grade"]: r["level"] for r in kg.query(
        "SELECT ?grade ?level WHERE { ?grade a tkg:CertaintyGrade ; tkg:level ?level }")}
    floor = levels[iri("cert:suspected")]
    rows = kg.query(INVOLVEMENTS)
    assert rows, "the data should hold incriminating involvements"
    weak = [(r["claim"], r["actor"], r["role"]) for r in rows
            if levels[r["own"] or r["claimGrade"]] < floor]
    assert weak == []


def test_office_holders_get_an_incriminating_role_only_with_their_own_grade_and_passage(kg):
    rows = [r for r in kg.query(INVOLVEMENTS) if r["officeHolder"]]
    assert all(r["own"] and r["passage"] for r in rows), rows


def test_the_mayor_of_fachi_is_given_no_role_in_the_seizure(kg):
    """Correction 1: the summary says only that the car was assigned to his office."""
    event = iri("kb:event-nan-media-unodc-sahel-drugs-fachi-seizure-2022")
    assert kg.query("SELECT ?i WHERE { ?event tkg:qualifiedInvolvement ?i }", event=event) == []
    mayors = kg.query("""SELECT ?actor WHERE { ?claim tkg:qualifiedInvolvement/tkg:actor ?actor .
        ?actor rdfs:label ?label . FILTER (CONTAINS(LCASE(STR(?label)), "mayor")) }""")
    assert mayors == []


def test_officials_in_the_gold_trade_are_neutral_with_collusion_graded_likely(kg):
    """Correction 2: 'evidence suggests ... government officials are involved'."""
    rows = kg.query("""SELECT ?actor ?own WHERE { ?flow tkg:qualifiedInvolvement ?i .
        ?i tkg:actor ?actor ; tkg:role ?colludes . OPTIONAL { ?i tkg:certainty ?own } }""",
                    flow=iri("kb:flow-ocindex-2021-mali-gold-uae"), colludes=iri("role:colludes"))
    assert [(r["actor"], r["own"]) for r in rows] == [
        (iri("kb:actor-state-officials-mali"), iri("cert:likely"))]
    assert not kg.is_a(rows[0]["actor"], "tkg:StateEmbeddedActor")


# -- wording of who the actors are ---------------------------------------------------------------

@pytest.mark.parametrize("actor, words", [
    ("kb:actor-tramadol-retail-networks-niger", "mostly malian nationals"),
    ("kb:actor-malian-criminal-networks-mauritania", "malian criminal networks"),
    ("kb:actor-trafficking-networks-abidjan", "nigerian nationals as significant players"),
])
def test_network_labels_keep_the_sources_wording(kg, actor, words):
    """Correction 3: no '-led' or 'leading' the sources do not say."""
    label = kg.label(iri(actor)).lower()
    assert words in label


def test_no_label_says_led_by_a_nationality(kg):
    rows = kg.query("""SELECT ?node ?label WHERE { ?node rdfs:label|dcterms:description ?label .
        FILTER (REGEX(STR(?label), "(Malian|Nigerian|Nigerien)-led|leading players", "i")) }""")
    assert rows == []


# -- inferred content in the Mali 2021 file (correction 5) --------------------------------------

def test_boys_from_guinea_and_burkina_faso_have_no_invented_destination(kg):
    flow = iri("kb:flow-ocindex-2021-mali-forced-labour-boys-neighbours")
    assert kg.query("SELECT ?d WHERE { ?flow tkg:destination ?d }", flow=flow) == []
    origins = {r["o"] for r in kg.query("SELECT ?o WHERE { ?flow tkg:origin ?o }", flow=flow)}
    assert origins == {iri("place:GIN"), iri("place:BFA")}


def test_the_covid_closure_year_is_marked_as_the_curators(kg):
    event = iri("kb:event-ocindex-2021-mali-covid-border-closures")
    notes = kg.query("SELECT ?note WHERE { ?event skos:note ?note }", event=event)
    assert notes and "no year" in str(notes[0]["note"])


def test_not_producing_cocaine_is_not_a_strength(kg):
    """The profile says Mali is no producer *but* an important transit hub."""
    rows = kg.query("SELECT ?a WHERE { ?f tkg:assessment ?a }",
                    f=iri("kb:finding-ocindex-2021-mali-not-cocaine-producer"))
    assert [r["a"] for r in rows] == [iri("assess:mixed")]


# -- seed claims that lived only in description text (correction 6) -----------------------------

def test_insurgents_growing_control_of_gold_mining_is_a_claim(kg):
    rows = kg.query("""SELECT ?claim ?actor WHERE {
        ?claim tkg:commodity ?gold ; tkg:trend ?rising ; tkg:qualifiedInvolvement ?i .
        ?i tkg:role ?controls ; tkg:actor ?actor . ?actor a/rdfs:subClassOf* tkg:ArmedGroup }""",
                    gold=iri("com:gold"), rising=iri("trend:rising"),
                    controls=iri("role:controls"))
    actors = {r["actor"] for r in rows}
    assert {iri("kb:actor-rebel-groups-mali"), iri("kb:actor-islamist-extremist-groups-mali")} \
        <= actors


def test_the_ban_on_raw_wood_exports_is_a_claim(kg):
    rows = kg.query("""SELECT ?f WHERE { ?f a tkg:Finding ; tkg:indicator ?policies ;
        tkg:place ?mali ; prov:wasDerivedFrom ?passage }""",
                    policies=iri("ind:national-policies"), mali=iri("place:MLI"),
                    passage=iri("kb:psg-ocindex-2021-mali-environment-1"))
    assert rows


# -- vocabulary (correction 7) -----------------------------------------------------------------

def test_codeine_is_a_natural_opiate_not_a_synthetic_drug(kg):
    rows = kg.query("SELECT ?b WHERE { ?codeine skos:broader+ ?b }", codeine=iri("com:codeine"))
    broader = {r["b"] for r in rows}
    assert iri("com:drugs") in broader and iri("com:synthetic-drugs") not in broader


def test_heavy_machine_guns_are_light_weapons(kg):
    rows = kg.query("SELECT ?b WHERE { ?hmg skos:broader+ ?b }", hmg=iri("com:heavy-machine-guns"))
    broader = {r["b"] for r in rows}
    assert iri("com:light-weapons") in broader and iri("com:heavy-weapons") not in broader


def test_southern_libya_has_its_own_centroid(kg):
    rows = kg.query("""SELECT ?place ?lat ?long WHERE { ?place geo:lat ?lat ; geo:long ?long .
        VALUES ?place { place:LBY place:LBY-south } }""")
    points = {r["place"]: (float(r["lat"]), float(r["long"])) for r in rows}
    assert len(points) == 2 and points[iri("place:LBY")] != points[iri("place:LBY-south")]
    # The south lies south of the country's centre.
    assert points[iri("place:LBY-south")][0] < points[iri("place:LBY")][0]


# -- lineage of documents ------------------------------------------------------------------------

def test_every_document_states_its_lineage_or_is_an_original(kg):
    rows = kg.query("""SELECT ?doc WHERE { ?doc a tkg:SourceDocument .
        FILTER NOT EXISTS { ?doc tkg:original true }
        FILTER NOT EXISTS { ?doc prov:wasDerivedFrom|prov:wasQuotedFrom|prov:wasRevisionOf|
                                 prov:alternateOf ?parent . ?parent a tkg:SourceDocument } }""")
    assert [r["doc"] for r in rows] == []


def test_an_original_states_no_parent(kg):
    rows = kg.query("""SELECT ?doc WHERE { ?doc tkg:original true ;
        prov:wasDerivedFrom|prov:wasRevisionOf|prov:alternateOf ?parent }""")
    assert rows == []


def test_rewrites_and_summaries_name_the_page_they_rewrite(kg):
    rows = kg.query("""SELECT ?doc ?grade WHERE { ?doc a tkg:SourceDocument ;
        tkg:reliability/skos:notation ?grade . FILTER (?grade IN ("C", "D"))
        FILTER NOT EXISTS { ?doc tkg:original true } }""")
    derived = {r["doc"] for r in kg.query(
        "SELECT ?doc WHERE { ?doc prov:wasDerivedFrom|prov:wasQuotedFrom ?p . "
        "?p a tkg:SourceDocument }")}
    assert rows and {r["doc"] for r in rows} <= derived
    # Every automated rewrite (grade D) is derived from the page it rewrites.
    rewrites = {r["doc"] for r in rows if r["grade"] == "D"}
    assert len(rewrites) == 9 and rewrites <= derived


def test_no_support_comes_from_the_supported_claims_own_lineage_by_rewriting(kg):
    """Correction 4: a rewrite or summary never supports the claims it was derived from."""
    from graph.evidence import document_roots

    roots = document_roots(kg)
    rows = kg.query("""SELECT ?a ?docA ?docB WHERE { ?a tkg:supports ?b .
        ?a prov:wasDerivedFrom/tkg:inDocument ?docA . ?b prov:wasDerivedFrom/tkg:inDocument ?docB .
        ?docA prov:wasDerivedFrom ?parent }""")
    same = [(r["a"], r["docB"]) for r in rows if set(roots[r["docA"]]) & set(roots[r["docB"]])]
    assert same == []


def test_the_workbook_is_cited_as_gi_tocs_not_a_mirror(kg):
    rows = kg.query("SELECT ?url WHERE { ?doc schema:url ?url }",
                    doc=iri("kb:doc-ocindex-dataset-2023"))
    assert rows and all("ocindex.net" in str(r["url"]) for r in rows)


# -- conflicts carry a reason --------------------------------------------------------------------

def test_every_conflict_carries_a_reason(kg):
    rows = kg.query("""SELECT ?a ?b WHERE { ?a tkg:conflictsWith ?b .
        FILTER NOT EXISTS { { ?a tkg:qualifiedConflict [ tkg:conflictingClaim ?b ;
                                                          tkg:conflictReason ?r ] }
                            UNION { ?b tkg:qualifiedConflict [ tkg:conflictingClaim ?a ;
                                                                tkg:conflictReason ?r ] } } }""")
    assert rows == []


def test_edition_differences_are_not_stated_as_conflicts(kg):
    rows = kg.query("""SELECT ?a ?b WHERE {
        ?a tkg:qualifiedConflict [ tkg:conflictingClaim ?b ; tkg:conflictReason ?edition ] .
        ?a tkg:conflictsWith|^tkg:conflictsWith ?b }""",
                    edition=iri("conflict:different-edition"))
    assert rows == []
    assert kg.query("SELECT ?a WHERE { ?a tkg:qualifiedConflict ?c }"), \
        "the boingboing/ENACT difference should be recorded"


def test_a_trend_in_another_period_is_a_change_over_time(kg):
    """ISS: the Libya-Mali arms flow slowed from 2014; the 2021 Index: arms trafficking rising."""
    from graph.evidence import evidence

    record = evidence(kg, "kb:activity-ocindex-2021-mali-arms-trafficking-rising")
    (change,) = [c for c in record["conflicts"] if "iss-2022" in c["id"]]
    assert change["reason"] == iri("conflict:different-edition")
    assert change["is_contradiction"] is False


# -- no copied sentences of the seed profile -----------------------------------------------------

#: Six-word runs that are names, not sentences (the rule exempts proper names).
NAMES = {"al qaeda in the islamic maghreb", "west african economic and monetary union",
         "the middle east and north africa"}


def _runs(text: str, n: int = 6) -> set[str]:
    import re

    words = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.parametrize("key", ["ocindex-2021-mali", "ocindex-2023-mali", "ocindex-2025-mali"])
def test_mali_files_copy_no_six_word_run_of_the_seed_profile(shared_dir, key):
    import rdflib
    from rdflib.namespace import DCTERMS, RDFS, SKOS

    from graph.resources import data_dir

    seed = "\n".join(p.read_text(encoding="utf-8")
                     for p in sorted((shared_dir / "seeds").glob("*.txt")))
    source = _runs(seed)
    assert source, "the seed profile should be readable"
    g = rdflib.Graph().parse(data_dir() / f"{key}.ttl")
    texts = [str(o) for p in (DCTERMS.description, SKOS.definition, SKOS.note, RDFS.label)
             for o in g.objects(None, p)]
    copied = {run for text in texts for run in _runs(text) & source} - NAMES
    assert copied == set()
