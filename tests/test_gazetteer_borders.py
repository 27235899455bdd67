"""Land borders of the gazetteer (ontology/places.ttl), derived from Natural Earth's outlines.

ontology/tools/make_places.py states ``tkg:borders`` between two countries when their 1:50m
outlines share a stretch of boundary (the views' basemap holds those outlines), plus the
pairs of ``OUTLINE_ADD`` that the scale cannot show. The expected neighbours below are
well-known geography, not read from the file.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import Graph, Namespace

from graph.resources import ontology_dir
from graph.views.basemap import land_borders

TKG = Namespace("https://w3id.org/tkg/ontology#")


@pytest.fixture(scope="module")
def stated():
    """(subject ISO3, object ISO3) of every tkg:borders triple between two countries."""
    graph = Graph().parse(ontology_dir() / "places.ttl", format="turtle")
    code = {s: str(o) for s, o in graph.subject_objects(TKG.iso3)}
    return [(code[s], code[o]) for s, o in graph.subject_objects(TKG.borders)
            if s in code and o in code]


@pytest.fixture(scope="module")
def neighbours(stated):
    out = defaultdict(set)
    for a, b in stated:
        out[a].add(b)
        out[b].add(a)
    return out


def test_known_neighbours(neighbours):
    assert neighbours["MLI"] == {"DZA", "NER", "BFA", "CIV", "GIN", "SEN", "MRT"}
    assert "LBY" not in neighbours["MLI"] and "MLI" not in neighbours["LBY"]
    assert neighbours["NER"] == {"MLI", "DZA", "LBY", "TCD", "NGA", "BEN", "BFA"}
    assert {"DZA", "MLI"} <= neighbours["NER"] and "MAR" in neighbours["DZA"]
    # Through Somaliland, which the outlines draw apart and count for Somalia.
    assert "SOM" in neighbours["DJI"]
    # Islands and island states have none; Haiti shares Hispaniola.
    assert not neighbours["ISL"] and not neighbours["MDG"] and not neighbours["CYP"]
    assert neighbours["HTI"] == {"DOM"}
    # The pairs the 1:50m outlines miss, added by hand in the generator.
    assert "ZMB" in neighbours["BWA"] and "MAR" in neighbours["ESP"]


def test_each_pair_stated_once_on_the_lower_code_and_read_both_ways(stated, neighbours):
    assert all(a < b for a, b in stated)
    assert len(stated) == len(set(stated))
    # Symmetric: every country is among the neighbours of each of its neighbours.
    assert all(a in neighbours[b] for a, bs in neighbours.items() for b in bs)
    assert sum(1 for c in neighbours if neighbours[c]) > 150


def test_borders_are_those_of_the_outlines(stated):
    """Recomputed from the basemap's 1:50m outlines: the file holds exactly those pairs
    among the gazetteer's countries, plus the two reviewed additions."""
    countries = {c for pair in stated for c in pair}
    from_outlines = {p for p in land_borders("50m") if set(p) <= countries}
    assert set(stated) == from_outlines | {("BWA", "ZMB"), ("ESP", "MAR")}
    assert ("BWA", "ZMB") not in from_outlines and ("ESP", "MAR") not in from_outlines


def test_neighbours_through_the_graph(kg):
    """`neighbours` (used by `tkg country` and the comparisons) reads the borders both ways."""
    from graph.traverse import neighbours

    def countries_next_to(name):
        return {kg.label(r["id"]) for r in neighbours(kg, name)
                if r["relation"] == "borders" and kg.is_a(r["id"], "tkg:Country")}

    assert countries_next_to("Libya") == {"Algeria", "Chad", "Egypt", "Niger", "Sudan",
                                          "Tunisia"}
    assert "Libya" in countries_next_to("Chad") and "Mali" not in countries_next_to("Libya")


def test_generator_derives_from_outlines_and_stops_on_a_difference():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ontology" / "tools"))
    try:
        import make_places
    finally:
        sys.path.pop(0)
    countries = dict.fromkeys(("MLI", "NER", "DZA", "LBY", "MAR", "ESP", "BWA", "ZMB"))
    known = {("DZA", "LBY"), ("DZA", "MLI"), ("DZA", "NER"), ("LBY", "NER"), ("MLI", "NER"),
             ("DZA", "MAR"), ("ESP", "MAR"), ("BWA", "ZMB")}
    assert make_places.outline_borders(countries, known) == known
    with pytest.raises(make_places.GazetteerError, match=r"countryinfo only \[\('LBY', 'MLI'\)\]"):
        make_places.outline_borders(countries, known | {("LBY", "MLI")})
