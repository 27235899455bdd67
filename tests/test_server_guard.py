"""What the endpoint refuses and caps (graph.server.guard), decided by the SPARQL parser."""

from __future__ import annotations

import pytest
from rdflib.plugins.sparql.parser import parseQuery

from graph.server.guard import Refused, canonical, check_query, check_update


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://example.org/s> { ?s ?q ?r } } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://example.org/s> { ?s ?q ?r } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE ?endpoint { ?s ?p ?o } } } }",
    "ASK { SERVICE <http://example.org/s> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }",
    "PREFIX ex: <http://example.org/> DESCRIBE ?s WHERE { SERVICE ex:s { ?s ?p ?o } }",
    "select * where { service <http://example.org/s> { ?s ?p ?o } }",
])
def test_service_is_refused_wherever_it_is(text):
    with pytest.raises(Refused, match=r"SERVICE is refused .*no outbound requests") as caught:
        check_query(text, 100)
    assert caught.value.status == 403


@pytest.mark.parametrize("text", [
    # The word SERVICE in text that is not a SERVICE clause must not be refused.
    'SELECT * WHERE { ?s ?p "SERVICE <http://example.org/>" }',
    "# SERVICE <http://example.org/>\nASK { ?s ?p ?o }",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:x ?o }",
])
def test_service_as_text_is_not_refused(text):
    assert check_query(text, 100).form in ("SELECT", "ASK")


@pytest.mark.parametrize("text", [
    # A comment ended by a bare carriage return: rdflib reads on to the line feed, Oxigraph
    # stops at the CR and would run the SERVICE clause.
    "SELECT * { ?s ?p ?o # note\r SERVICE <http://example.org/s> { ?a ?b ?c } \n }",
    # Codepoint escapes stand for any character, keywords included.
    "SELECT * { SERV\\u0049CE <http://example.org/s> { ?s ?p ?o } }",
])
def test_parser_differences_cannot_hide_service(text):
    with pytest.raises(Refused, match="SERVICE is refused"):
        check_query(text, 100)


@pytest.mark.parametrize(("text", "expected"), [
    ("ASK { ?s ?p 'caf\\u00e9' }", "ASK { ?s ?p 'café' }"),
    ("ASK { ?s ?p ?o } # note", "ASK { ?s ?p ?o } "),
    ("ASK { # one\n ?s ?p ?o # two\r\n}", "ASK { \n ?s ?p ?o \r\n}"),
    ("ASK { <http://example.org/a#b> ?p '# not a comment' }",
     "ASK { <http://example.org/a#b> ?p '# not a comment' }"),
])
def test_canonical_text_is_what_runs(text, expected):
    assert canonical(text) == expected
    assert check_query(text).sparql == expected


@pytest.mark.parametrize(("text", "match"), [
    ("ASK { ?s ?p '\\u005Cu0041' }", "escape produces another escape"),
    ("ASK { ?s ?p '\\U0011FFFF' }", "Invalid unicode code point"),
])
def test_bad_escapes(text, match):
    with pytest.raises(Refused, match=match):
        canonical(text)


@pytest.mark.parametrize(("text", "status", "match"), [
    ("SELEC ?x WHERE { ?x ?p ?o }", 400, r"malformed query: Expected .* \(line:1, col:1\)"),
    ("SELECT ?x WHERE { ?x ?p }", 400, "malformed query: Expected SelectQuery"),
    ("", 400, "malformed query"),
    ("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }", 403,
     "this is a SPARQL Update, not a query"),
    ("DELETE WHERE { ?s ?p ?o }", 403, "this is a SPARQL Update"),
])
def test_malformed_queries_and_updates_sent_as_queries(text, status, match):
    with pytest.raises(Refused, match=match) as caught:
        check_query(text, 100)
    assert caught.value.status == status


@pytest.mark.parametrize(("text", "match"), [
    ("SELECT * WHERE { ?s nope:p ?o }", r"unknown prefix 'nope:'; declare it with PREFIX nope:"),
    ("SELECT * WHERE { ?s :p ?o }", "unknown prefix ':'"),
    ("ASK { ?s a:p b:o }", "unknown prefix 'a:', 'b:'"),
])
def test_undeclared_prefixes(text, match):
    with pytest.raises(Refused, match=match) as caught:
        check_query(text)
    assert caught.value.status == 400


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s tkg:commodity com:cocaine }",  # project prefixes are predeclared
    "PREFIX : <http://example.org/> SELECT * WHERE { ?s :p ?o }",
    "PREFIX ex: <http://example.org/> ASK { ?s ex:p ?o }",
])
def test_declared_prefixes(text):
    check_query(text)


@pytest.mark.parametrize(("text", "status", "match"), [
    ("LOAD <http://example.org/data.ttl>", 403, r"LOAD is refused \(found LOAD <http"),
    ("INSERT { ?s ?p 1 } WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }", 403,
     "SERVICE is refused"),
    ("INSERT DATA { <http://example.org/a> }", 400, "malformed update"),
])
def test_update_refusals(text, status, match):
    with pytest.raises(Refused, match=match) as caught:
        check_update(text)
    assert caught.value.status == status


@pytest.mark.parametrize(("text", "where", "near"), [
    # A triple without its object: the position is the closing brace, not the first word.
    ("INSERT DATA { <http://example.org/a> <http://example.org/b> }", "1:61", "near: }"),
    ("INSERT DATA { <urn:a> <urn:b> 1 } ;\nINSERT DATA { place:MLI }", "2:25", "near: }"),
    ("INSRT DATA { <urn:a> <urn:b> 1 }", "1:1", "did you mean INSERT"),
])
def test_a_malformed_update_is_explained_where_it_goes_wrong(text, where, near):
    with pytest.raises(Refused) as caught:
        check_update(text)
    message = str(caught.value)
    assert caught.value.status == 400
    assert message.startswith("malformed update") and f"at {where}" in message
    assert near in message
    assert "Expected end of text" not in message and "..=" not in message


def test_explaining_a_malformed_update_never_runs_it():
    # Oxigraph's parser explains the error; it must not run a LOAD before reaching it.
    import socket

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.settimeout(0.5)
        port = server.getsockname()[1]
        with pytest.raises(Refused, match="malformed update"):
            check_update(f"LOAD <http://127.0.0.1:{port}/x.ttl> ; INSERT DATA {{ <urn:a> }}")
        with pytest.raises(TimeoutError):
            server.accept()


@pytest.mark.parametrize("text", [
    "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }",
    "PREFIX ex: <http://example.org/> DELETE { ?s ex:p ?o } WHERE { ?s ex:p ?o }",
    "CLEAR GRAPH <http://example.org/g>",
    # An update with no operation is valid SPARQL (the grammar allows a bare prologue).
    "",
    "PREFIX ex: <http://example.org/>",
])
def test_updates_accepted(text):
    assert check_update(text) == text


# -- the protocol's dataset -------------------------------------------------------------------

def test_protocol_dataset_replaces_the_querys_from_clauses():
    text = ("PREFIX ex: <http://example.org/> SELECT ?s FROM ex:a FROM NAMED <http://x/n> "
            "WHERE { ?s ?p ?o } ORDER BY ?s")
    plan = check_query(text, 10, ("http://x/d1", "http://x/d2"), ("http://x/n2",))
    assert "ex:a" not in plan.sparql and "<http://x/n>" not in plan.sparql
    assert "FROM <http://x/d1> FROM <http://x/d2> FROM NAMED <http://x/n2>" in plan.sparql
    assert plan.sparql.rstrip().endswith("ORDER BY ?s\nLIMIT 11")


@pytest.mark.parametrize(("text", "expected"), [
    ("ASK {}", "ASK FROM <http://x/d> {}"),
    ("SELECT (1 AS ?v) {}", "SELECT (1 AS ?v) FROM <http://x/d> {}"),
    ("CONSTRUCT { <s> <p> 1 } WHERE {}", "CONSTRUCT { <s> <p> 1 } FROM <http://x/d> WHERE {}"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT FROM <http://x/d> WHERE { ?s ?p ?o }"),
    ("DESCRIBE <http://example.org/>", "DESCRIBE <http://example.org/> FROM <http://x/d>"),
    # A projection with a braced EXISTS is not where the dataset goes.
    ("SELECT (EXISTS { ?s ?p ?o } AS ?e) { }", "SELECT (EXISTS { ?s ?p ?o } AS ?e) FROM "
                                               "<http://x/d> { }"),
])
def test_protocol_dataset_placement(text, expected):
    assert check_query(text, None, ("http://x/d",)).sparql == expected


@pytest.mark.parametrize("graph", ["relative", "http://x/> } SERVICE <http://evil/", ""])
def test_protocol_dataset_needs_absolute_iris(graph):
    with pytest.raises(Refused, match="not an absolute IRI") as caught:
        check_query("ASK {}", None, (graph,))
    assert caught.value.status == 400


def test_using_parameters_become_using_clauses():
    text = ("CLEAR ALL ; INSERT { GRAPH <http://x/t> { ?s a <http://x/T> } } "
            "WHERE { ?s a <http://x/D> } ; DELETE WHERE { ?s <http://x/p> ?o }")
    rewritten = check_update(text, ("http://x/d",), ("http://x/n",))
    assert rewritten.count("USING <http://x/d> USING NAMED <http://x/n> WHERE") == 2
    assert "DELETE { ?s <http://x/p> ?o } USING" in rewritten


@pytest.mark.parametrize("text", [
    "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } USING <http://x/g> WHERE { ?s ?p ?o }",
])
def test_using_parameters_conflict_with_the_updates_own_dataset(text):
    with pytest.raises(Refused, match="USING or WITH") as caught:
        check_update(text, (), ("http://x/people",))
    assert caught.value.status == 400


@pytest.mark.parametrize(("text", "ending", "limited"), [
    ("SELECT * WHERE { ?s ?p ?o }", "}\nLIMIT 11\n", True),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 5", "LIMIT 5", False),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 11", "LIMIT 11", False),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 500 OFFSET 3", "LIMIT 11 OFFSET 3", True),
    ("SELECT * WHERE { ?s ?p ?o } OFFSET 3 limit 500 # LIMIT 7", "OFFSET 3 limit 11 ", True),
    ("SELECT * WHERE { { SELECT * { ?s ?p ?o } LIMIT 900 } }", "900 } }\nLIMIT 11\n", True),
    ("SELECT * WHERE { ?s ?p ?o } VALUES ?s { <http://example.org/a> }",
     "} LIMIT 11\nVALUES ?s { <http://example.org/a> }", True),
    ("SELECT * WHERE { ?s ?p 'LIMIT 500' } # end", "'LIMIT 500' } \nLIMIT 11\n", True),
    ("PREFIX limit: <http://example.org/> SELECT * { ?s limit:p 1 }", "1 }\nLIMIT 11\n", True),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p [] }", "}\nLIMIT 11\n", True),
    # rdflib fails on the short form with a LIMIT: it is cut after the query instead.
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }", False),
    ("DESCRIBE <http://example.org/a>", ">\nLIMIT 11\n", True),
    ("ASK { ?s ?p ?o }", "ASK { ?s ?p ?o }", False),
])
def test_row_cap_adds_or_lowers_the_top_level_limit(text, ending, limited):
    plan = check_query(text, 10)
    assert plan.sparql.endswith(ending)
    assert plan.limited is limited
    if limited:
        # The rewritten query parses, with the limit at the top level.
        assert check_query(plan.sparql, 10).sparql == plan.sparql


@pytest.mark.parametrize("bad_rewrite", [
    "SELECT * WHERE { ?s ?p ?x }\nLIMIT 11",  # changes the query
    "SELECT * WHERE { ?s ?p ?o }\nLIMIT 12",  # wrong limit
    "SELECT * WHERE { ?s ?p ?o } LIMIT",  # does not parse
    None,  # no place found
])
def test_unverified_rewrite_runs_the_query_unchanged(monkeypatch, bad_rewrite):
    # A rewrite is used only if it parses to the same tree with the new limit; otherwise the
    # query runs as sent and the answer is cut when serialised.
    from graph.server import guard

    monkeypatch.setattr(guard, "_with_limit", lambda *args, **kwargs: bad_rewrite)
    text = "SELECT * WHERE { ?s ?p ?o }"
    plan = guard._capped(text, parseQuery(text), "SELECT", 11)
    assert (plan.sparql, plan.limited) == (text, False)


def test_plan_without_cap():
    plan = check_query("SELECT * WHERE { ?s ?p ?o }")
    assert (plan.form, plan.sparql, plan.limited) == ("SELECT", "SELECT * WHERE { ?s ?p ?o }",
                                                     False)
