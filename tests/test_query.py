"""Named queries: every file parses and documents itself; parameters are bound, never spliced."""

from __future__ import annotations

import pytest

from graph import query as named
from graph.backends import IRI
from graph.backends.values import inject_values, where_brace
from graph.errors import EntityNotFound, QueryError, UnknownName

ALL = named.list_queries(include_internal=True)


def test_named_queries_exist():
    names = {q.name for q in ALL}
    assert {"flows", "flow-legs", "country-scores", "claim-sources", "reachable"} <= names


@pytest.mark.parametrize("q", ALL, ids=lambda q: q.name)
def test_every_named_query_parses_and_documents_its_parameters(q, kg):
    assert q.summary, f"{q.name} has no summary"
    assert where_brace(q.sparql) > 0, f"{q.name} has no WHERE group"
    for p in q.parameters:
        assert p.description, f"{q.name}: parameter {p.name} has no description"
        assert p.example, f"{q.name}: parameter {p.name} has no example"
        assert f"?{p.name}" in q.sparql, f"{q.name}: parameter {p.name} is not a query variable"
    # The documented example values run on the bundled data.
    kg.query(q.name, {p.name: p.example for p in q.parameters})


def test_unknown_query_lists_known_names():
    with pytest.raises(UnknownName, match=r"unknown query 'nope'; known queries: .*flows"):
        named.get("nope")


@pytest.mark.parametrize("params, error, match", [
    ({"nosuch": "x"}, UnknownName, "unknown parameter"),
    ({"commodity": "cocain"}, EntityNotFound, "did you mean 'Cocaine'"),
    ({"commodity": "Mali"}, EntityNotFound, "no commodity matches 'Mali' .Mali is a country"),
])
def test_bad_parameters_are_named(kg, params, error, match):
    with pytest.raises(error, match=match):
        kg.query("flows", params)


def test_required_parameter_is_enforced(kg):
    with pytest.raises(QueryError, match="needs parameter"):
        kg.query("country-scores")


def test_malformed_sparql_is_a_query_error(kg, kg_oxigraph):
    for g in (kg, kg_oxigraph):
        with pytest.raises(QueryError, match="malformed SPARQL"):
            g.query("SELECT ?x WHERE { ?x ?y }")


@pytest.mark.parametrize("hostile", [
    'x" } ; DROP ALL ; SELECT * WHERE { ?s ?p "',
    "> } INSERT DATA { <a> <b> <c> } #",
])
def test_user_text_cannot_change_the_query(kg_oxigraph, hostile):
    # A string parameter stays a string literal on every backend: no rows, no error, no update.
    before = len(kg_oxigraph)
    rows = kg_oxigraph.query("SELECT ?s WHERE { ?s rdfs:label ?name }", name=hostile)
    assert rows == [] and len(kg_oxigraph) == before
    with pytest.raises(QueryError):
        kg_oxigraph.query("SELECT ?s WHERE { ?s ?p ?o }", o=IRI(hostile))


def test_values_go_at_the_start_of_the_top_level_where():
    q = 'PREFIX x: <http://x/> # WHERE { in a comment\nSELECT ?s WHERE { ?s x:p "WHERE {" }'
    out = inject_values(q, {"s": "<http://x/a>"})
    assert out.endswith('WHERE { VALUES (?s) { (<http://x/a>) } ?s x:p "WHERE {" }')
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert inject_values(construct, {"o": '"1"'}).startswith(
        "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?o)")


def test_commodity_parameter_includes_narrower_concepts(kg):
    drugs = {r["flow"] for r in kg.query("flows", commodity="drugs")}
    cocaine = {r["flow"] for r in kg.query("flows", commodity="cocaine")}
    assert cocaine and cocaine < drugs
    arms = {r["commodityLabel"] for r in kg.query("flows", commodity="arms")}
    assert "Heavy machine guns" in arms


def test_pandas_frame(kg):
    pd = pytest.importorskip("pandas")
    frame = kg.frame("flows-per-commodity")
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == [
        "commodity", "commodityLabel", "flows"]


def test_large_answers_convert_every_row_and_share_repeated_values():
    # Past the sampled rows the reader stops caching columns of distinct terms (the entities)
    # but keeps sharing the values of columns that repeat (classes, literals).
    from graph.backends.oxigraph import _SAMPLE, OxigraphBackend

    count = 3 * _SAMPLE
    backend = OxigraphBackend()
    backend.update("INSERT DATA { " + " ".join(
        f'<urn:e{i}> a <urn:C{i % 2}> ; <urn:n> "grade {i % 3}" .' for i in range(count)) + " }")
    query = "SELECT ?e ?c ?n WHERE { ?e a ?c ; <urn:n> ?n }"
    for rows in (backend.execute(query).dicts(), list(backend.execute(query).iterdicts()),
                 [dict(zip("ecn", row, strict=True)) for row in backend.execute(query).rows()]):
        assert len(rows) == count
        assert {row["e"] for row in rows} == {f"urn:e{i}" for i in range(count)}
        assert all(type(row["e"]) is IRI and type(row["c"]) is IRI for row in rows)
        assert {(row["e"], row["c"], row["n"]) for row in rows} == {
            (f"urn:e{i}", f"urn:C{i % 2}", f"grade {i % 3}") for i in range(count)}
        assert len({id(row["c"]) for row in rows}) == 2
        assert len({id(row["n"]) for row in rows}) == 3


def test_rows_each_reads_values_in_blocks_with_every_row(kg, monkeypatch):
    # Oxigraph turns slow on VALUES blocks of over ~1,000 rows: rows_each binds a few at a
    # time and gives every row once; no values give no rows (not every row of the store).
    import graph.kg

    text = named.get("claim-details").sparql
    claims = sorted(r["claim"] for r in kg.query("claim-details"))[:25]
    whole = sorted(r["claim"] for r in kg.execute(text, {"claim": claims}).dicts())
    monkeypatch.setattr(graph.kg, "VALUES_BLOCK", 4)
    assert sorted(r["claim"] for r in kg.rows_each(text, "claim", claims)) == whole == claims
    assert list(kg.rows_each(text, "claim", [])) == []
