"""Answers in the standard SPARQL formats, cut at the endpoint's row cap.

A store's answer is read once in a lossless interchange format (SPARQL JSON for SELECT and
ASK, N-Triples for graphs), cut to ``max_rows`` rows or triples, and written in the format the
client asked for: SPARQL results as JSON, XML, CSV or TSV (W3C SPARQL 1.1 Query Results
formats); graphs as Turtle, N-Triples, JSON-LD or RDF/XML (written by pyoxigraph). The cut
never breaks a format, and every backend gives the same answer (byte for byte, except for
SPARQL JSON that needs no cut, which is passed on as the store wrote it).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from itertools import islice
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from graph.prefixes import PREFIXES

__all__ = ["GRAPH_FORMATS", "RESULT_FORMATS", "Rendered", "render"]

#: Formats of SELECT and ASK answers.
RESULT_FORMATS = ("json", "xml", "csv", "tsv")
#: Formats of CONSTRUCT and DESCRIBE answers.
GRAPH_FORMATS = ("turtle", "nt", "json-ld", "xml")

_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
# Characters XML 1.0 cannot carry at all, even escaped.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Rendered:
    """A serialised answer."""

    #: The body to send.
    body: bytes
    #: Rows (SELECT), triples (CONSTRUCT/DESCRIBE) or 1 (ASK) in the body.
    count: int
    #: Whether rows or triples beyond the cap were dropped.
    truncated: bool


def render(result, fmt: str, max_rows: int | None = None) -> Rendered:
    """Serialise a :class:`graph.backends.Result` in ``fmt``, keeping at most ``max_rows``.

    Parameters
    ----------
    result : graph.backends.Result
        A store's answer, not yet consumed.
    fmt : str
        One of :data:`RESULT_FORMATS` (SELECT, ASK) or :data:`GRAPH_FORMATS` (CONSTRUCT,
        DESCRIBE).
    max_rows : int, optional
        Keep this many rows or triples at most; ``Rendered.truncated`` says whether any
        were dropped.

    Examples
    --------
    >>> r = render(kg.execute("SELECT ?c WHERE { ?c a tkg:Country } ORDER BY ?c"), "csv", 2)
    >>> r.body.decode().splitlines(), r.truncated
    (['c', 'https://w3id.org/tkg/place/AFG', 'https://w3id.org/tkg/place/AGO'], True)
    """
    if result.kind == "CONSTRUCT":
        return _render_graph(result, fmt, max_rows)
    raw = result.serialize("json")
    data = json.loads(raw)
    if "boolean" in data:
        return Rendered(_boolean(bool(data["boolean"]), fmt), 1, False)
    variables = list(data.get("head", {}).get("vars", []))
    rows = data.get("results", {}).get("bindings", [])
    truncated = max_rows is not None and len(rows) > max_rows
    if truncated:
        rows = rows[:max_rows]
    elif fmt == "json":
        return Rendered(raw, len(rows), False)
    writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}.get(fmt)
    if writer is None:
        raise ValueError(f"unsupported results format {fmt!r}")
    return Rendered(writer(variables, rows), len(rows), truncated)


# -- SELECT and ASK -------------------------------------------------------------------------

def _boolean(value: bool, fmt: str) -> bytes:
    word = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}, separators=(",", ":")).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{_RESULTS_NS}">'
                f"<head/><boolean>{word}</boolean></sparql>\n").encode()
    if fmt in ("csv", "tsv"):
        # Not defined by the CSV/TSV results note; written as Oxigraph does.
        return word.encode()
    raise ValueError(f"unsupported results format {fmt!r}")


def _json(variables: list[str], rows: list[dict]) -> bytes:
    data = {"head": {"vars": variables}, "results": {"bindings": rows}}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_text(text: str) -> str:
    return escape(_XML_ILLEGAL.sub("\ufffd", text))


def _xml_term(term: dict) -> str:
    kind = term.get("type")
    value = term.get("value")
    if kind == "uri":
        return f"<uri>{_xml_text(value)}</uri>"
    if kind == "bnode":
        return f"<bnode>{_xml_text(value)}</bnode>"
    if kind == "triple":
        parts = "".join(f"<{p}>{_xml_term(value[p])}</{p}>"
                        for p in ("subject", "predicate", "object"))
        return f"<triple>{parts}</triple>"
    attributes = ""
    if term.get("xml:lang"):
        attributes = f" xml:lang={quoteattr(term['xml:lang'])}"
    elif term.get("datatype"):
        attributes = f" datatype={quoteattr(term['datatype'])}"
    return f"<literal{attributes}>{_xml_text(value)}</literal>"


def _xml(variables: list[str], rows: list[dict]) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>\n', f'<sparql xmlns="{_RESULTS_NS}">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        for name in variables:
            if name in row:
                out.append(f"<binding name={quoteattr(name)}>{_xml_term(row[name])}</binding>")
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode("utf-8")


def _csv_value(term: dict | None) -> str:
    if term is None:
        return ""
    if term.get("type") == "bnode":
        return f"_:{term['value']}"
    if term.get("type") == "triple":
        return _tsv_term(term)
    return term.get("value", "")


def _csv(variables: list[str], rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(row.get(name)) for name in variables])
    return buffer.getvalue().encode("utf-8")


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(term: dict | None) -> str:
    if term is None:
        return ""
    kind = term.get("type")
    value = term.get("value")
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    if kind == "triple":
        parts = " ".join(_tsv_term(value[p]) for p in ("subject", "predicate", "object"))
        return f"<< {parts} >>"
    text = f'"{value.translate(_TSV_ESCAPES)}"'
    if term.get("xml:lang"):
        return f"{text}@{term['xml:lang']}"
    if term.get("datatype"):
        return f"{text}^^<{term['datatype']}>"
    return text


def _tsv(variables: list[str], rows: list[dict]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_term(row.get(name)) for name in variables) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- CONSTRUCT and DESCRIBE -------------------------------------------------------------------

def _render_graph(result, fmt: str, max_rows: int | None) -> Rendered:
    import pyoxigraph as ox

    formats = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "json-ld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}
    if fmt not in formats:
        raise ValueError(f"unsupported graph format {fmt!r}")
    triples: Any = ox.parse(result.serialize("nt"), format=ox.RdfFormat.N_TRIPLES)
    if max_rows is not None:
        triples = list(islice(triples, max_rows + 1))
        truncated = len(triples) > max_rows
        triples = triples[:max_rows]
    else:
        triples, truncated = list(triples), False
    used = _used_prefixes(triples) if fmt in ("turtle", "xml") else None
    body = ox.serialize(triples, format=formats[fmt], prefixes=used)
    return Rendered(body, len(triples), truncated)


def _used_prefixes(triples: list) -> dict[str, str]:
    """The project prefixes whose namespace appears in ``triples``."""
    seen: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            value = getattr(term, "value", None)
            if type(term).__name__ == "NamedNode":
                seen.add(value)
            datatype = getattr(term, "datatype", None)
            if datatype is not None:
                seen.add(datatype.value)
    return {name: iri for name, iri in PREFIXES.items()
            if any(value.startswith(iri) for value in seen)}
