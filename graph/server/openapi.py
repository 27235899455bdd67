"""An OpenAPI 3 description of the endpoint's HTTP interface (served as ``/openapi.json``).

Written by hand from the routes of :mod:`graph.server.app`, so that API tools and fuzzers
(schemathesis, hypothesis) can be pointed at the endpoint. Plain data, no dependency.
"""

from __future__ import annotations

from typing import Any

__all__ = ["openapi"]

_TEXT = {"text/plain": {"schema": {"type": "string"}}}
_RESULTS = {media: {"schema": {"type": "string"}} for media in (
    "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
    "text/tab-separated-values", "text/turtle", "application/n-triples",
    "application/ld+json", "application/rdf+xml")}


def _errors(*codes: int) -> dict[str, Any]:
    reasons = {400: "malformed request", 401: "update token missing",
               403: "refused (SERVICE, LOAD, read-only, wrong token)", 404: "no such name",
               406: "no acceptable format", 413: "body too large", 414: "URL too long",
               415: "unsupported body type or charset", 503: "busy or over the time limit"}
    return {str(code): {"description": reasons[code], "content": _TEXT} for code in codes}


def _query_parameters(update: bool = False) -> list[dict[str, Any]]:
    names = ["using-graph-uri", "using-named-graph-uri"] if update else \
        ["default-graph-uri", "named-graph-uri"]
    parameters = [{"name": name, "in": "query", "required": False,
                   "schema": {"type": "array", "items": {"type": "string", "format": "uri"}},
                   "style": "form", "explode": True} for name in names]
    parameters.append({"name": "format", "in": "query", "required": False,
                       "schema": {"type": "string"},
                       "description": "answer format (json, xml, csv, tsv, turtle, nt, "
                                      "json-ld, rdf); overrides Accept"})
    return parameters


def openapi(updates: bool = False, max_rows: int = 10_000, timeout: float = 10.0
            ) -> dict[str, Any]:
    """The OpenAPI document of an endpoint with these settings.

    Examples
    --------
    >>> document = openapi()
    >>> document["openapi"], sorted(document["paths"])[:3]
    ('3.0.3', ['/', '/entity/{id}', '/health'])
    """
    answer = {"200": {"description": f"the answer (at most {max_rows:,} rows)",
                      "content": _RESULTS}}
    sparql_get = {
        "summary": "SPARQL query by GET (without a query: the service description)",
        "parameters": [{"name": "query", "in": "query", "required": False,
                        "schema": {"type": "string"}}, *_query_parameters()],
        "responses": {**answer, **_errors(400, 403, 406, 414, 503)},
    }
    form = {"type": "object", "properties": {
        "query": {"type": "string"}, "update": {"type": "string"},
        "default-graph-uri": {"type": "string"}, "named-graph-uri": {"type": "string"},
        "using-graph-uri": {"type": "string"}, "using-named-graph-uri": {"type": "string"}}}
    sparql_post = {
        "summary": "SPARQL query or update by POST (form, or the text as the body)",
        "parameters": _query_parameters() + _query_parameters(update=True)[:2],
        "requestBody": {"required": True, "content": {
            "application/x-www-form-urlencoded": {"schema": form},
            "application/sparql-query": {"schema": {"type": "string"}},
            "application/sparql-update": {"schema": {"type": "string"}}}},
        "responses": {**answer, "204": {"description": "update applied"},
                      **_errors(400, 401, 403, 406, 413, 415, 503)},
    }
    if updates:
        sparql_post["security"] = [{"bearer": []}]
    html = {"200": {"description": "HTML page", "content": {"text/html": {
        "schema": {"type": "string"}}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Trafficking knowledge graph SPARQL endpoint", "version": "1",
                 "description": f"SPARQL 1.1 Protocol; queries stop after {timeout:g} s; "
                                f"updates {'need the bearer token' if updates else 'refused'}"},
        "paths": {
            "/sparql": {"get": sparql_get, "post": sparql_post},
            "/": {"get": {"summary": "the search page (q: what to find); the query page "
                                     "for an old link with query",
                          "parameters": [{"name": n, "in": "query", "required": False,
                                          "schema": {"type": "string"}}
                                         for n in ("q", "query")],
                          "responses": html}},
            "/entity/{id}": {"get": {
                "summary": "an entity's page, or its description as RDF (Accept or format); "
                           "/entity/{id}/network its network view, /entity/{id}/neighbours "
                           "its neighbours (JSON)",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "string"}},
                               {"name": "format", "in": "query", "required": False,
                                "schema": {"type": "string",
                                           "enum": ["html", "turtle", "json-ld", "nt", "xml"]}}],
                "responses": {**html,
                              "303": {"description": "a name: see its page at its short id"},
                              **_errors(404, 406, 503)}}},
            "/queries": {"get": {"summary": "the named queries with their examples",
                                 "responses": {"200": {"description": "list", "content": {
                                     "application/json": {"schema": {"type": "array"}}}}}}},
            "/queries/{name}": {"get": {
                "summary": "run a named query (parameters by name, entities by name)",
                "parameters": [{"name": "name", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": {**answer, **_errors(400, 404, 406, 503)}}},
            "/terms": {"get": {
                "summary": "the editor's completion: classes, properties and entities by short "
                           "id or label (q), or the records of given IRIs (iri)",
                "parameters": [
                    {"name": "q", "in": "query", "required": False,
                     "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
                    {"name": "iri", "in": "query", "required": False,
                     "schema": {"type": "array", "items": {"type": "string"}},
                     "style": "form", "explode": True},
                    {"name": "class", "in": "query", "required": False,
                     "schema": {"type": "array", "items": {"type": "string"}},
                     "style": "form", "explode": True}],
                "responses": {"200": {"description": "terms", "content": {
                    "application/json": {"schema": {"type": "array"}}}},
                    **_errors(400, 503)}}},
            "/views": {"get": {
                "summary": "an interactive view",
                "parameters": [{"name": n, "in": "query", "required": False,
                                "schema": {"type": "string"}}
                               for n in ("commodity", "country", "actor", "layout",
                                         "min_certainty")],
                "responses": {**html, **_errors(400, 404, 503)}}},
            "/views/{filter}/{value}": {"get": {
                "summary": "an interactive view, filtered",
                "parameters": [{"name": "filter", "in": "path", "required": True,
                                "schema": {"type": "string",
                                           "enum": ["commodity", "country", "actor"]}},
                               {"name": "value", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": {**html, **_errors(400, 404, 503)}}},
            "/health": {"get": {"summary": "liveness", "responses": {
                "200": {"description": "ok or degraded", "content": {
                    "application/json": {"schema": {"type": "object"}}}},
                "503": {"description": "no worker"}}}},
        },
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
