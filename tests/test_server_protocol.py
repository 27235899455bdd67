"""SPARQL 1.1 Protocol parsing and content negotiation (graph.server.protocol), without a server."""

from __future__ import annotations

import pytest

from graph.server.protocol import (
    HttpError,
    negotiate,
    parse_accept,
    parse_request,
    preferred_html,
)

FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(("method", "content_type", "params", "body", "operation", "text"), [
    ("GET", None, [("query", "ASK {}")], b"", "query", "ASK {}"),
    ("POST", FORM, [], b"query=ASK+%7B%7D", "query", "ASK {}"),
    ("POST", "application/sparql-query; charset=utf-8", [], "ASK { ?s ?p 'é' }".encode(),
     "query", "ASK { ?s ?p 'é' }"),
    ("POST", "application/sparql-update", [], b"CLEAR ALL", "update", "CLEAR ALL"),
    ("POST", FORM, [], b"update=CLEAR+ALL", "update", "CLEAR ALL"),
    ("GET", None, [], b"", None, ""),
    ("POST", FORM, [("format", "csv")], b"", None, ""),
])
def test_parse_request(method, content_type, params, body, operation, text):
    request = parse_request(method, content_type, params, body)
    assert (request.operation, request.text) == (operation, text)


def test_dataset_parameters_are_read_by_operation():
    query = parse_request("GET", None, [("query", "ASK {}"), ("default-graph-uri", "urn:a"),
                                        ("named-graph-uri", "urn:b"),
                                        ("default-graph-uri", "urn:c")])
    assert (query.default_graphs, query.named_graphs) == (("urn:a", "urn:c"), ("urn:b",))
    update = parse_request("POST", "application/sparql-update",
                           [("using-named-graph-uri", "urn:n")], b"CLEAR ALL")
    assert (update.default_graphs, update.named_graphs) == ((), ("urn:n",))


def test_format_parameters_are_kept_in_order():
    # SPARQLWrapper sends format=, output= and results= with a name and then media types.
    params = [("query", "ASK {}"), ("format", "json-ld"),
              ("format", "application/ld+json,application/x-json+ld"), ("output", "json-ld")]
    request = parse_request("GET", None, params)
    assert request.format == "json-ld,application/ld+json,application/x-json+ld,json-ld"


@pytest.mark.parametrize(("method", "content_type", "params", "body", "status", "match"), [
    ("GET", None, [("query", "ASK {}"), ("query", "ASK {}")], b"", 400, "exactly one"),
    ("POST", FORM, [("query", "ASK {}")], b"update=CLEAR+ALL", 400, "exactly one"),
    ("GET", None, [("update", "CLEAR ALL")], b"", 400, "must be sent by POST"),
    ("GET", None, [("query", "ASK {}"), ("using-graph-uri", "http://x")], b"", 400,
     "using-graph-uri does not apply to a query"),
    ("POST", "application/sparql-update", [("default-graph-uri", "http://x")], b"CLEAR ALL",
     400, "default-graph-uri does not apply to a update"),
    ("POST", "application/sparql-query; charset=UTF-16", [], "ASK {}".encode("utf-16"),
     415, "unsupported charset 'utf-16'"),
    # The bytes are valid UTF-8, the declared charset is not: still refused.
    ("POST", "application/sparql-update; charset=utf-16", [], b"CLEAR NAMED", 415,
     "unsupported charset"),
    ("POST", "application/x-www-form-urlencoded; charset=latin1", [], b"query=ASK+%7B%7D",
     415, "unsupported charset 'latin1'"),
    ("POST", "text/plain", [], b"ASK {}", 415, "unsupported Content-Type 'text/plain'"),
    ("POST", "application/sparql-query", [], b"ASK { '\xff' }", 400, "not valid UTF-8"),
    ("POST", FORM, [], b"query=%FF", 400, "not valid UTF-8"),
    ("PUT", None, [], b"", 405, "PUT is not allowed"),
])
def test_parse_request_errors(method, content_type, params, body, status, match):
    with pytest.raises(HttpError, match=match) as caught:
        parse_request(method, content_type, params, body)
    assert caught.value.status == status


def test_parse_accept_orders_by_quality_then_specificity():
    ranges = parse_accept("*/*;q=0.1, text/*;q=0.5, text/csv;q=0.5, application/json")
    assert [media for media, _ in ranges] == ["application/json", "text/csv", "text/*", "*/*"]
    assert parse_accept("text/csv;q=abc") == [("text/csv", 0.0)]
    assert parse_accept(None) == []


@pytest.mark.parametrize(("form", "accept", "fmt", "expected"), [
    ("SELECT", None, None, "json"),
    ("SELECT", "*/*", None, "json"),
    ("SELECT", "application/sparql-results+xml", None, "xml"),
    ("SELECT", "application/xml", None, "xml"),
    ("SELECT", "text/csv", None, "csv"),
    ("SELECT", "text/tab-separated-values", None, "tsv"),
    ("SELECT", "text/html, text/*;q=0.9", None, "csv"),
    ("SELECT", "text/csv;q=0.4, application/sparql-results+json;q=0.6", None, "json"),
    ("SELECT", "text/csv;q=0, */*;q=0.1", None, "json"),
    ("ASK", "application/sparql-results+json", None, "json"),
    ("SELECT", "text/csv", "xml", "xml"),
    ("SELECT", None, "text/tab-separated-values", "tsv"),
    ("CONSTRUCT", None, None, "turtle"),
    ("CONSTRUCT", "application/n-triples", None, "nt"),
    ("CONSTRUCT", "text/plain", None, "nt"),
    ("CONSTRUCT", "application/ld+json", None, "json-ld"),
    ("DESCRIBE", "application/json", None, "json-ld"),
    ("DESCRIBE", "application/rdf+xml", None, "xml"),
    ("DESCRIBE", "application/sparql-results+json, text/turtle;q=0.9", None, "turtle"),
    ("CONSTRUCT", None, "xml", "xml"),
    ("CONSTRUCT", None, "n3", "turtle"),
    ("CONSTRUCT", None, "json-ld,application/ld+json", "json-ld"),
    # Types of the other kind only: the default of the right kind (rdflib's SPARQLStore).
    ("DESCRIBE", "application/sparql-results+json", None, "turtle"),
    ("SELECT", "text/turtle", None, "json"),
])
def test_negotiate(form, accept, fmt, expected):
    assert negotiate(form, accept, fmt)[0] == expected


@pytest.mark.parametrize(("form", "accept", "fmt", "match"), [
    ("SELECT", "image/png", None, "cannot answer a SELECT query .* available: json"),
    ("CONSTRUCT", "text/html", None, "cannot answer a CONSTRUCT query .* available: turtle"),
    ("SELECT", None, "turtle", "format 'turtle' is not available for a SELECT answer"),
    ("CONSTRUCT", None, "csv", "format 'csv' is not available for a CONSTRUCT answer"),
    ("SELECT", None, "yaml", "format 'yaml' is not available"),
])
def test_negotiate_refuses_with_the_available_formats(form, accept, fmt, match):
    with pytest.raises(HttpError, match=match) as caught:
        negotiate(form, accept, fmt)
    assert caught.value.status == 406


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),
    ("text/turtle, text/html;q=0.5", False),
    ("*/*", False),
    (None, False),
])
def test_preferred_html(accept, expected):
    assert preferred_html(accept, ["text/turtle", "application/rdf+xml"]) is expected
