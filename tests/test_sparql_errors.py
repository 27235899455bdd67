"""Malformed SPARQL: the message points at the first wrong word and names the keyword."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graph import query as named
from graph.cli import cli
from graph.errors import QueryError
from graph.sparql_errors import explain


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def store(request, kg, kg_oxigraph):
    return kg if request.param == "memory" else kg_oxigraph


@pytest.mark.parametrize("text, where, word, keyword", [
    ("SELEKT ?x WHERE { ?x ?p ?o }", "1:1", "SELEKT", "SELECT"),
    ("SELECT ?x\nWHRE { ?x ?p ?o }", "2:1", "WHRE", "WHERE"),
    ("SELECT ?x WHERE { ?x a tkg:Flow . OPTIONL { ?x ?p ?o } }", "1:35", "OPTIONL", "OPTIONAL"),
    ("SELECT ?x WHERE { ?x ?p ?o } ORDR BY ?x", "1:30", "ORDR", "ORDER"),
    ("PREFIX ex: <http://example.org/>\nCONSTRCT { ?x ?p ?o } WHERE { ?x ?p ?o }", "2:1",
     "CONSTRCT", "CONSTRUCT"),
    ("# a comment with SELEKT in it\nASKK { ?x ?p ?o }", "2:1", "ASKK", "ASK"),
])
def test_misspelt_keyword_is_named_with_its_position(store, text, where, word, keyword):
    with pytest.raises(QueryError) as caught:
        store.execute(text)
    message = str(caught.value)
    assert message.startswith(f"malformed SPARQL at {where}: {word!r} is not a SPARQL keyword")
    assert f"did you mean {keyword}?" in message
    assert "\n" not in message


def test_other_syntax_errors_keep_the_parsers_message(store):
    with pytest.raises(QueryError, match=r"malformed SPARQL: .+"):
        store.execute("SELECT ?x WHERE { ?x ?y }")


def test_words_in_strings_iris_and_names_are_not_flagged():
    text = ('PREFIX selekt: <http://example.org/WHRE#>\n'
            'SELECT ?x WHERE { ?x selekt:OPTIONL "LIMT" ; <http://x/ORDR> ?y }')
    assert explain(text, "parser said") == "malformed SPARQL: parser said"


@pytest.mark.parametrize("query", [q.name for q in named.list_queries(include_internal=True)])
def test_no_named_query_would_be_flagged(query):
    # Every bare word of our real queries is a keyword: no false "did you mean".
    assert explain(named.get(query).sparql, "x") == "malformed SPARQL: x"


def test_cli_shows_one_line_without_traceback():
    result = CliRunner().invoke(cli, ["query", "-"], input="SELEKT ?x WHERE {?x ?y ?z}")
    assert result.exit_code == 2
    assert result.output.startswith("error: malformed SPARQL at 1:1: 'SELEKT'")
    assert "did you mean SELECT?" in result.output and "Traceback" not in result.output


