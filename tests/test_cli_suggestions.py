"""'Did you mean' from the right vocabulary: each option suggests from its own list."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from graph import query as named
from graph.cli import cli
from graph.errors import EntityNotFound, UnknownName, plural


def error(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    (line,) = result.output.strip().splitlines()
    return line


def suggested(line):
    return re.findall(r"'([^']+)'", line.partition("did you mean")[2])


def labels_of(kg, cls):
    return {kg.label(i) for i, e in kg.index.entities.items() if kg.is_a(i, cls)}


def test_unknown_grade_lists_the_grades(kg):
    line = error("flows", "--min-certainty", "banana")
    grades = sorted(labels_of(kg, "https://w3id.org/tkg/ontology#CertaintyGrade"))
    assert f"known certainty grades: {', '.join(grades)}" in line
    assert "Tanzania" not in line and "Panama" not in line


def test_unknown_commodity_in_a_query_parameter_lists_commodities(kg):
    line = error("query", "flows", "--param", "commodity=banana")
    commodities = labels_of(kg, "https://w3id.org/tkg/ontology#Commodity")
    listed = set(line.partition("known commodities: ")[2].rstrip(")").split(", "))
    assert listed == commodities and "Panama" not in line


@pytest.mark.parametrize("args, cls, expected", [
    (["flows", "--commodity", "cocain"], "Commodity", "Cocaine"),
    (["flows", "--origin", "Lybia"], "Place", "Libya"),
    (["flows", "--actor", "AQIMM"], "Actor", "Al-Qaeda in the Islamic Maghreb"),
    (["query", "flows", "--param", "commodity=Cocain"], "Commodity", "Cocaine"),
])
def test_near_misses_come_from_their_own_vocabulary(kg, args, cls, expected):
    names = suggested(error(*args))
    assert expected in names
    assert set(names) <= labels_of(kg, f"https://w3id.org/tkg/ontology#{cls}")


def test_unknown_actor_far_from_any_name_is_not_offered_a_place(kg):
    line = error("flows", "--actor", "banana")
    assert set(suggested(line)) <= labels_of(kg, "https://w3id.org/tkg/ontology#Actor")
    assert "tkg search" in line


def test_unknown_query_lists_public_queries_only():
    line = error("query", "nosuchquery")
    assert "known queries:" in line and "querys" not in line
    listed = line.partition("known queries: ")[2].split("; did you")[0].split(", ")
    assert listed == sorted(q.name for q in named.list_queries())
    assert not any(name.startswith("_") for name in listed)
    assert suggested(error("query", "flowz")) == ["flows"]


def test_internal_queries_still_work_by_name():
    assert named.get("_entity-names").name == "_entity-names"
    with pytest.raises(UnknownName) as caught:
        named.get("_nosuch")
    assert not any(n.startswith("_") for n in caught.value.known)


def test_plural():
    assert plural("certainty grade") == "certainty grades"
    assert plural("query") == "queries" and plural("export format") == "export formats"


def test_library_error_carries_the_suggestions(kg):
    with pytest.raises(EntityNotFound) as caught:
        kg.resolve("Malli", classes=["tkg:Place"])
    assert caught.value.suggestions[0] == "Mali"


@pytest.mark.parametrize("args, expected", [
    (["query", "flows", "--param", "comodity=cocaine"], "did you mean 'commodity'?"),
    (["query", "flows", "--backend", "oxigrap"], "did you mean 'oxigraph'?"),
])
def test_fixed_names_suggest_from_their_own_list(args, expected):
    line = error(*args)
    assert line.endswith(expected)
