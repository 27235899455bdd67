"""Turn a graph into workbook rows and rows back into a graph, with located problems.

A *book* is plain data: sheet name -> ``{"headers": [...], "rows": [{header: text}]}``; each
row read from a file also carries ``"_row"`` (its 1-based row number). :func:`book_from_graph`
lays out the triples of one data file by :mod:`graph.curation.layout`; :func:`graph_from_book`
reads a reviewed book back, resolving names and labels against the graph, and returns the
triples with every problem it found, located by sheet, row and column.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from graph._tkg import TKG
from graph.curation.cells import (
    CellError,
    decode_literal,
    encode_literal,
    encode_term,
    expand,
    is_name,
    split_cell,
)
from graph.curation.layout import ACCEPT, DATATYPES, SHEETS, Column, Sheet, sheet_named
from graph.errors import AmbiguousEntity, EntityNotFound, ExportError
from graph.lookup import prefixed
from graph.namespaces import bind
from graph.prefixes import PREFIXES

__all__ = ["book_from_graph", "column_letter", "graph_from_book", "sheet_for"]

_OURS = tuple(ns for ns in PREFIXES.values() if ns.startswith("https://w3id.org/tkg/"))
_INVOLVEMENT = re.compile(r"^(?P<actor>.*?):(?:\s+|$)(?P<rest>.*)$")
_YES = {"yes", "y", "true", "1", "x"}


def column_letter(index: int) -> str:
    """The spreadsheet letter of 0-based column ``index`` (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_for(types: Iterable[str], kg) -> Sheet:
    """The first sheet of the layout whose class one of ``types`` is, or falls under."""
    ancestors = set()
    for cls in types:
        ancestors |= kg.index.ancestors(str(cls))
    for sheet in SHEETS:
        if sheet.cls is not None and sheet.cls in ancestors:
            return sheet
    return sheet_named("Other")


# -- graph -> rows -------------------------------------------------------------------------

def _text(values: list, lang: str | None) -> str | None:
    out = []
    for value in values:
        if not isinstance(value, Literal):
            return None
        plain = value.language == lang and (value.datatype is None) and \
            "\n" not in value and "\r" not in value and not str(value).startswith('"') \
            and str(value) == str(value).strip() and str(value)
        out.append(str(value) if plain else encode_literal(value))
    return "\n".join(sorted(out))


def _typed(values: list, kind: str) -> str | None:
    out = []
    for value in values:
        if not isinstance(value, Literal) or value.language:
            return None
        if kind == "date":
            plain = value.datatype is not None and str(value) == _date_literal(str(value)) \
                and _date_literal(str(value)).datatype == value.datatype
        else:
            plain = value.datatype == DATATYPES[kind] and str(value).strip() == str(value) \
                and Literal(str(value), datatype=DATATYPES[kind]) == value
        out.append(str(value) if plain else encode_literal(value))
    return "\n".join(sorted(out))


def _date_literal(text: str) -> Literal:
    from rdflib import XSD

    if re.fullmatch(r"-?\d{4}", text):
        return Literal(text, datatype=XSD.gYear)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return Literal(text, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d\d", text):
        return Literal(text, datatype=XSD.gYearMonth)
    raise CellError(f"{text!r} is not a year (2021) or a date (2021-07-28)")


def _cell(data: Graph, column: Column, values: list, used: set) -> str | None:
    """The cell text for ``values`` of ``column``, or None if they do not fit it."""
    kind = column.kind
    if kind == "terms":
        if not all(isinstance(v, URIRef) for v in values):
            return None
        return "; ".join(sorted(encode_term(v) for v in values))
    if kind == "list":
        if len(values) != 1 or not isinstance(values[0], BNode):
            return None
        items = list(Collection(data, values[0]))
        if not items or not all(isinstance(i, URIRef) for i in items):
            return None
        node = values[0]
        while node != RDF.nil:
            if set(data.predicates(node)) - {RDF.first, RDF.rest}:
                return None
            used.add(node)
            node = data.value(node, RDF.rest)
        return "; ".join(encode_term(i) for i in items)
    if kind == "text":
        return _text(values, "en")
    if kind == "plain":
        return _text(values, None)
    if kind in ("integer", "decimal", "boolean", "date"):
        return _typed(values, kind)
    if kind == "involvements":
        lines = []
        for node in values:
            if not isinstance(node, BNode):
                return None
            preds = set(data.predicates(node))
            actors = list(data.objects(node, TKG.actor))
            grades = list(data.objects(node, TKG.certainty))
            roles = sorted(encode_term(r) for r in data.objects(node, TKG.role))
            if preds - {TKG.actor, TKG.role, TKG.certainty} or len(actors) != 1 \
                    or len(grades) > 1 or not all(isinstance(t, URIRef)
                                                  for t in [*actors, *grades]):
                return None
            line = f"{encode_term(actors[0])}:" + (" " + ", ".join(roles) if roles else "")
            if grades:
                line += f" ({encode_term(grades[0])})"
            lines.append(line)
            used.add(node)
        return "\n".join(sorted(lines))
    return None


def _encode_value(data: Graph, value, used: set) -> str:
    """A term in Turtle notation; a blank node as a property list ``[ p o ; ... ]`` or a list
    ``( ... )``, nested ones inline, on one line."""
    if not isinstance(value, BNode):
        return encode_term(value)
    used.add(value)
    if (value, RDF.first, None) in data:
        items, node = [], value
        while node is not None and node != RDF.nil:
            used.add(node)
            items.append(_encode_value(data, data.value(node, RDF.first), used))
            node = data.value(node, RDF.rest)
        return "( " + " ".join(items) + " )"
    parts = [f"{'a' if p == RDF.type else encode_term(p)} {_encode_value(data, o, used)}"
             for p, o in sorted(data.predicate_objects(value))]
    return "[ " + " ; ".join(parts) + " ]"


def book_from_graph(data: Graph, kg) -> dict[str, dict[str, Any]]:
    """Lay out every triple of ``data`` (one data file) as workbook rows.

    Raises
    ------
    graph.errors.ExportError
        If a blank node is used other than as an involvement or a route list.
    """
    book: dict[str, dict[str, Any]] = {}
    used: set = set()
    subjects = sorted({s for s in data.subjects() if isinstance(s, URIRef)}, key=str)
    for subject in subjects:
        types = [str(t) for t in data.objects(subject, RDF.type)]
        sheet = sheet_for(types, kg)
        table = book.setdefault(sheet.name, {"headers": [c.header for c in sheet.columns],
                                             "rows": []})
        values: dict[str, list] = defaultdict(list)
        for pred, obj in data.predicate_objects(subject):
            values[str(pred)].append(obj)
        row = {"id": encode_term(subject)}
        for column in sheet.columns:
            if column.path is None or column.path not in values:
                continue
            cell = _cell(data, column, values[column.path], used)
            if cell is not None:
                row[column.header] = cell
                del values[column.path]
        for pred, objs in sorted(values.items()):
            header = encode_term(URIRef(pred))
            if header not in table["headers"]:
                table["headers"].append(header)
            row[header] = "\n".join(sorted(_encode_value(data, o, used) for o in objs))
        if sheet.reviewed:
            row[ACCEPT] = "yes"
        table["rows"].append(row)
    left = {s for s in data.subjects() if isinstance(s, BNode)} - used
    if left:
        node = sorted(left, key=str)[0]
        preds = ", ".join(sorted(prefixed(str(p)) for p in data.predicates(node)))
        raise ExportError(f"a blank node with {preds} hangs from no named node; it cannot go "
                          "in a sheet")
    return book


# -- rows -> graph -------------------------------------------------------------------------

class _Reader:
    def __init__(self, kg, book: dict[str, dict[str, Any]]):
        self.kg = kg
        self.book = book
        self.graph = bind(Graph())
        self.problems: list[dict] = []
        #: subject IRI -> (sheet, row number); for locating validation results.
        self.where: dict[str, tuple[str, int]] = {}
        #: Names the workbook itself declares: id -> labels, label -> id.
        self.declared: set[str] = set()
        self.labels: dict[str, str] = {}
        self.ranges = self._ranges()
        self._exists: dict[str, bool] = {}

    def _ranges(self) -> dict[str, str]:
        from graph.curation.lexicon import lexicon

        return lexicon(self.kg).ranges

    def problem(self, sheet: str, row: int, header: str, headers: list[str], message: str):
        index = headers.index(header) if header in headers else 0
        self.problems.append({"sheet": sheet, "row": row, "column": column_letter(index),
                              "header": header, "message": message})

    def accepted(self, sheet: Sheet, table: dict, row: dict) -> bool:
        if not any(str(v).strip() for k, v in row.items() if not k.startswith("_")):
            return False
        if sheet.reviewed and ACCEPT in table["headers"]:
            return str(row.get(ACCEPT, "")).strip().lower() in _YES
        return True

    def first_pass(self) -> None:
        for name, table in self.book.items():
            sheet = sheet_named(name)
            if sheet is None:
                continue
            for row in table["rows"]:
                if not self.accepted(sheet, table, row):
                    continue
                ident = str(row.get("id", "")).strip()
                try:
                    iri = str(expand(ident)) if ident else None
                except CellError:
                    continue
                if iri:
                    self.declared.add(iri)
                    label = str(row.get("label", "")).strip()
                    if label and not label.startswith('"'):
                        self.labels.setdefault(label.casefold(), iri)

    def term(self, text: str, cls: str | None) -> URIRef:
        """One IRI from a cell value: a prefixed name, an IRI, or a label to resolve."""
        if is_name(text):
            iri = expand(text)
            if str(iri).startswith(_OURS) and str(iri) not in self.declared \
                    and not self.exists(str(iri)):
                near = self.kg.index.suggest(text.split(":", 1)[-1].replace("-", " "),
                                             [cls] if cls else [])
                hint = f"; did you mean {', '.join(repr(n) for n in near[:3])}?" if near else ""
                raise CellError(f"{text} is neither in the graph nor declared in this workbook"
                                f"{hint}")
            if cls and str(iri) in self.kg.index.entities and str(iri) not in self.declared \
                    and not self.kg.is_a(str(iri), cls):
                raise CellError(f"{text} is not a {self.kg.label(cls)}")
            return iri
        own = self.labels.get(text.strip().casefold())
        if own is not None:
            return URIRef(own)
        try:
            return URIRef(self.kg.resolve(text, classes=[cls] if cls else []))
        except (EntityNotFound, AmbiguousEntity) as exc:
            raise CellError(str(exc)) from None

    def exists(self, iri: str) -> bool:
        """Whether the graph has ``iri`` as a subject (named or not: passages have no label)."""
        if iri in self.kg.index.entities:
            return True
        if iri not in self._exists:
            from graph.backends.base import IRI

            result = self.kg.execute("ASK { ?node ?p ?o }", {"node": IRI(iri)})
            self._exists[iri] = bool(result.boolean)
        return self._exists[iri]

    def literal(self, text: str, kind: str) -> Literal:
        quoted = decode_literal(text)
        if quoted is not None:
            return quoted
        if kind == "text":
            return Literal(text, lang="en")
        if kind == "plain":
            return Literal(text)
        if kind == "date":
            return _date_literal(text.strip())
        datatype = DATATYPES[kind]
        value = text.strip()
        if kind == "integer" and not re.fullmatch(r"[+-]?\d+", value):
            raise CellError(f"{value!r} is not a whole number")
        if kind == "decimal" and not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value):
            raise CellError(f"{value!r} is not a decimal number")
        if kind == "boolean":
            if value.lower() not in ("true", "false"):
                raise CellError(f"{value!r} is not true or false")
            value = value.lower()
        return Literal(value, datatype=datatype)

    def cell(self, subject: URIRef, column: Column, text: str) -> None:
        g = self.graph
        pred = URIRef(column.path)
        cls = column.range or self.ranges.get(column.path)
        if pred == RDF.type:
            cls = None  # classes are checked by the shapes, not as instances
        if column.kind == "terms":
            for value in split_cell(text):
                quoted = decode_literal(value)
                g.add((subject, pred, quoted if quoted is not None else self.term(value, cls)))
        elif column.kind == "list":
            items = [self.term(v, cls) for v in split_cell(text)]
            head = BNode()
            Collection(g, head, items)
            g.add((subject, pred, head))
        elif column.kind in ("text", "plain", "integer", "decimal", "boolean", "date"):
            for value in split_cell(text, "\n"):
                g.add((subject, pred, self.literal(value, column.kind)))
        elif column.kind == "involvements":
            for line in split_cell(text, "\n"):
                self.involvement(subject, pred, line)

    def involvement(self, subject: URIRef, pred: URIRef, line: str) -> None:
        match = _INVOLVEMENT.match(line)
        if not match or not match.group("actor").strip():
            raise CellError(f"{line!r}: write 'actor: role, role (certainty)'")
        rest = match.group("rest").strip()
        grade = None
        found = re.search(r"\(([^()]*)\)\s*$", rest)
        if found:
            grade = found.group(1).strip()
            rest = rest[:found.start()].strip()
        node = BNode()
        self.graph.add((subject, pred, node))
        self.graph.add((node, TKG.actor, self.term(match.group("actor").strip(), str(TKG.Actor))))
        for role in split_cell(rest, ",;"):
            self.graph.add((node, TKG.role, self.term(role, self.ranges.get(str(TKG.role)))))
        if grade:
            self.graph.add((node, TKG.certainty,
                            self.term(grade, self.ranges.get(str(TKG.certainty)))))

    def generic(self, subject: URIRef, pred: URIRef, text: str) -> None:
        for value in split_cell(text, "\n"):
            if value.startswith(("[", "(")):
                self.nested(subject, pred, value)
                continue
            quoted = decode_literal(value)
            self.graph.add((subject, pred, quoted if quoted is not None
                            else self.term(value, None)))

    def nested(self, subject: URIRef, pred: URIRef, value: str) -> None:
        """A blank node written as Turtle (``[ p o ; ... ]`` or ``( ... )``)."""
        from graph.prefixes import sparql_prolog

        prolog = sparql_prolog().replace("PREFIX ", "@prefix ").replace(">\n", "> .\n")
        here, there = URIRef("urn:tkg:subject"), URIRef("urn:tkg:property")
        try:
            part = Graph().parse(data=f"{prolog}\n<{here}> <{there}> {value} .", format="turtle")
        except Exception as exc:  # rdflib's parser raises several kinds
            raise CellError(f"{value[:60]!r} is not a Turtle blank node or list ({exc})") from None
        for s, p, o in part:
            if s == here:
                self.graph.add((subject, pred, o))
            else:
                self.graph.add((s, p, o))

    def read(self) -> None:
        self.first_pass()
        seen: dict[str, tuple[str, int]] = {}
        for name, table in self.book.items():
            sheet = sheet_named(name)
            if table.get("unknown"):
                known = ", ".join(s.name for s in SHEETS)
                self.problem(name, 1, "sheet", [], f"unknown sheet; its rows would be lost (the "
                             f"sheets are {known})")
            if sheet is None:
                continue
            headers = table["headers"]
            extra: dict[str, URIRef] = {}
            for header in headers:
                if header and sheet.column(header) is None:
                    try:
                        extra[header] = expand(header)
                    except CellError:
                        self.problem(name, 1, header, headers,
                                     "unknown column; use the layout's headers or a property's "
                                     "prefixed name")
            for number, row in enumerate(table["rows"], start=2):
                number = row.get("_row", number)
                if not self.accepted(sheet, table, row):
                    continue
                self.row(sheet, table, row, number, extra, seen)

    def row(self, sheet: Sheet, table: dict, row: dict, number: int, extra: dict,
            seen: dict) -> None:
        headers = table["headers"]
        ident = str(row.get("id", "")).strip()
        if not ident:
            self.problem(sheet.name, number, "id", headers, "every row needs an id")
            return
        try:
            subject = expand(ident)
        except CellError as exc:
            self.problem(sheet.name, number, "id", headers, str(exc))
            return
        if str(subject) in seen:
            other = seen[str(subject)]
            self.problem(sheet.name, number, "id", headers,
                         f"{ident} is also the id of {other[0]} row {other[1]}")
            return
        seen[str(subject)] = (sheet.name, number)
        self.where[str(subject)] = (sheet.name, number)
        for column in sheet.columns:
            if column.path is None:
                continue
            text = str(row.get(column.header, "") or "").strip()
            if not text:
                if column.header == "class" and sheet.cls is not None:
                    self.graph.add((subject, RDF.type, URIRef(sheet.cls)))
                elif column.required:
                    self.problem(sheet.name, number, column.header, headers,
                                 f"required: {column.hint or 'give a value'}")
                continue
            try:
                self.cell(subject, column, text)
            except CellError as exc:
                self.problem(sheet.name, number, column.header, headers, str(exc))
        for header, pred in extra.items():
            text = str(row.get(header, "") or "").strip()
            if text:
                try:
                    self.generic(subject, pred, text)
                except CellError as exc:
                    self.problem(sheet.name, number, header, headers, str(exc))


def graph_from_book(book: dict[str, dict[str, Any]], kg) -> tuple[Graph, list[dict], dict]:
    """Read a book's accepted rows into a graph.

    Returns
    -------
    (rdflib.Graph, list of dict, dict)
        The triples; the problems (``sheet``, ``row``, ``column`` letter, ``header``,
        ``message``); and where each subject came from (IRI -> (sheet, row)).
    """
    reader = _Reader(kg, book)
    reader.read()
    return reader.graph, reader.problems, reader.where
