"""Review workbooks of claims: from a draft, from a curated document, and back to Turtle.

- :func:`write_review` writes a draft (:func:`graph.curation.draft`) as a review workbook
  (``.xlsx``) or, for a quick look, straight as Turtle (``.ttl``, every proposal the
  drafter is fairly sure of, labels as descriptions);
- :func:`export_claims` writes the curated file of one document as the same workbook;
- :func:`import_claims` turns the accepted rows of a workbook into Turtle that passes the
  SHACL shapes, or raises :class:`graph.errors.SheetError` naming sheet, row and column of
  every problem and writes nothing.
"""

from __future__ import annotations

import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import RDF, BNode, Graph, URIRef

from graph._tkg import TKG
from graph.curation.cells import encode_term, expand
from graph.curation.layout import ACCEPT, CLAIM_SHEETS, SHEETS, SOURCE_TEXT, sheet_named
from graph.curation.rows import book_from_graph, column_letter, graph_from_book
from graph.errors import DataError, SheetError
from graph.lookup import prefixed
from graph.namespaces import bind

__all__ = ["copy_problems", "document_file", "draft_book", "export_claims", "import_claims",
           "turtle_text", "write_review"]

#: Proposals at least this confident are marked accept = yes in a draft.
ACCEPT_FROM = 0.5


@lru_cache(maxsize=64)
def _parsed(path: str, stamp: tuple[float, int]) -> Graph:
    from graph.sources import SourceFile, parse

    return parse(SourceFile(Path(path), "turtle", path))


def _graph_of(path: Path) -> Graph:
    stat = path.stat()
    return _parsed(str(path), (stat.st_mtime, stat.st_size))


def _data_files(kg) -> list[Path]:
    files = [s.path for s in kg.sources if not s.reference]
    if not files:
        raise DataError("the graph was not loaded from data files; load it with graph.load()")
    return files


def _document(kg, name: str) -> URIRef:
    """The source document ``name`` designates: its IRI, title, or key (``ocindex-2021-mali``)."""
    from graph.curation.draft import dockey
    from graph.errors import EntityNotFound

    try:
        return URIRef(kg.resolve(name, classes=("tkg:SourceDocument",)))
    except EntityNotFound as missing:
        try:
            return URIRef(kg.resolve(f"kb:doc-{dockey(name)}", classes=("tkg:SourceDocument",)))
        except (DataError, EntityNotFound):
            raise missing from None


def document_file(kg, document: str) -> Path:
    """The data file in which ``document`` is curated.

    That is the file that declares the document and cites it most (through its passages,
    or directly as score observations do).

    Raises
    ------
    graph.errors.EntityNotFound
        If no document has that name.
    graph.errors.DataError
        If no loaded data file declares it.

    Examples
    --------
    >>> document_file(kg, "kb:doc-ocindex-2021-mali").name
    'ocindex-2021-mali.ttl'
    >>> document_file(kg, "ocindex-enact-niger").name
    'ocindex-enact-niger.ttl'
    """
    doc = _document(kg, document)
    best, score = None, -1
    for path in _data_files(kg):
        data = _graph_of(path)
        if (doc, RDF.type, TKG.SourceDocument) not in data:
            continue
        cites = sum(1 for _ in data.subjects(None, doc))
        if cites > score:
            best, score = path, cites
    if best is None:
        raise DataError(f"no loaded data file declares {prefixed(str(doc))}")
    return best


def export_claims(kg, document: str, path: str | Path | None = None) -> dict[str, Any]:
    """Write the curated file of ``document`` as a review workbook (every row accepted).

    Importing the workbook again with :func:`import_claims` gives a graph isomorphic to the
    file: every triple has its cell.

    Parameters
    ----------
    kg : graph.KnowledgeGraph
        A graph loaded from data files.
    document : str
        The document (``kb:doc-...``, its title or its key).
    path : str or Path, optional
        The ``.xlsx`` to write; nothing is written if omitted.

    Returns
    -------
    dict
        ``document``, ``file`` (the data file), ``path`` and ``rows`` (rows per sheet), plus
        ``book``, the rows themselves.

    Examples
    --------
    >>> info = export_claims(kg, "kb:doc-iss-2022-arms-libya-niger")
    >>> info["file"], info["rows"]["Flows"] > 0
    ('iss-2022-arms-libya-niger.ttl', True)
    """
    source = document_file(kg, document)
    book = book_from_graph(_graph_of(source), kg)
    out = {"document": prefixed(str(_document(kg, document))),
           "file": source.name, "path": None,
           "rows": {s.name: len(book[s.name]["rows"]) for s in SHEETS if s.name in book},
           "book": book}
    if path is not None:
        from graph.curation.workbook import write_workbook

        out["path"] = str(write_workbook(book, path, kg))
    return out


# -- drafts ----------------------------------------------------------------------------------

def _declaration(kg, actor: str) -> dict[str, str]:
    """The row of an actor as a data file declares it (copied, never rewritten)."""
    iri = URIRef(expand(actor))
    for path in _data_files(kg):
        data = _graph_of(path)
        if (iri, RDF.type, None) in data and any(data.objects(iri, URIRef(
                "http://www.w3.org/2000/01/rdf-schema#label"))):
            part = Graph()
            sheet = sheet_named("Actors")
            paths = {URIRef(c.path) for c in sheet.columns if c.path}
            for pred, obj in data.predicate_objects(iri):
                if pred in paths:
                    part.add((iri, pred, obj))
            rows = book_from_graph(part, kg).get("Actors", {"rows": []})["rows"]
            if rows:
                return rows[0]
    return {"id": actor, "label": kg.label(str(iri))}


def draft_book(kg, result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The review book of a draft: the document, its passages, actors and proposed claims."""
    doc = result["document"]
    book: dict[str, dict[str, Any]] = {
        s.name: {"headers": [c.header for c in s.columns], "rows": []}
        for s in SHEETS if s.name in ("Sources", "Passages", "Actors")
        or s in CLAIM_SHEETS}
    book["Sources"]["rows"].append({
        "id": doc["id"], "class": "tkg:SourceDocument", "title": doc["title"],
        "publisher": doc.get("publisher") or "", "issued": doc.get("issued") or "",
        "reliability": doc["reliability"], "edition": doc.get("edition") or "",
        "url": doc.get("url") or ""})
    for p in result["passages"]:
        book["Passages"]["rows"].append({
            "id": p["id"], "class": "tkg:Passage", "document": p["document"],
            "section": p["section"], "section order": str(p["section_order"]),
            "paragraph": str(p["paragraph"]),
            "states fact": "true" if p["states_fact"] else "false",
            "start": str(p["start"]), "end": str(p["end"])})
    book[SOURCE_TEXT] = {"headers": ["passage", "text"],
                         "rows": [{"passage": p["id"], "text": p["text"]}
                                  for p in result["passages"] if p.get("text")]}
    for actor in result["actors"]:
        if actor.get("new"):
            row = {"id": actor["id"], "class": "; ".join(actor["class"]),
                   "label": actor["label"], "home places": "; ".join(actor["home"]),
                   "new": "yes"}
        else:
            row = _declaration(kg, actor["id"])
            row["new"] = "no"
        row[ACCEPT] = "yes"
        book["Actors"]["rows"].append(row)
    sheets = {"flow": "Flows", "activity": "Activities", "relation": "Relations",
              "event": "Events", "finding": "Findings"}
    classes = {s.name: prefixed(s.cls) for s in CLAIM_SHEETS}
    for claim in result["claims"]:
        name = sheets[claim["kind"]]
        row = {"id": claim["id"], "class": classes[name], "passage": claim["passage"],
               "label": claim["label"], "description": claim.get("description", ""),
               "certainty": claim["certainty"], "section": claim["section"],
               "paragraph": str(claim["paragraph"]), "period text": claim.get("period", ""),
               "cue": claim["cue"], "confidence": str(claim["confidence"]),
               "sentences": "; ".join(f"{a}-{b}" for a, b in claim["sentences"]),
               ACCEPT: "yes" if claim["confidence"] >= ACCEPT_FROM else "no"}
        if claim.get("start"):
            row["start year"] = str(claim["start"])
        if claim.get("end"):
            row["end year"] = str(claim["end"])
        lines = []
        for inv in claim["actors"]:
            line = f"{inv['actor']}: {', '.join(inv['roles'])}"
            if inv["certainty"]:
                line += f" ({inv['certainty']})"
            lines.append(line)
        row["actors and roles"] = "\n".join(lines)
        if claim["kind"] == "flow":
            row.update(commodity=claim["commodity"], origin="; ".join(claim["origin"]),
                       transits="; ".join(claim["transits"]),
                       destination="; ".join(claim["destination"]),
                       mode="; ".join(claim["mode"]))
        elif claim["kind"] == "activity":
            row.update(type="; ".join(claim["type"]), place="; ".join(claim["place"]),
                       commodity="; ".join(claim.get("commodities")
                                           or [claim["commodity"]] * bool(claim["commodity"])))
        elif claim["kind"] == "event":
            row.update(type="; ".join(claim["type"]), place="; ".join(claim["place"]))
            if not claim.get("start") and doc.get("issued"):
                row["start year"] = str(doc["issued"])[:4]
                row["note"] = ("The source describes the event without a year; the year of "
                               "the document is used.")
        elif claim["kind"] == "relation":
            row.update(type="; ".join(claim["type"]), subject=claim["subject"],
                       object=claim["object"], place="; ".join(claim["place"]))
        book[name]["rows"].append(row)
    return book


def write_review(kg, result: dict[str, Any], path: str | Path) -> dict[str, Any]:
    """Write a draft as a review workbook (``.xlsx``) or as Turtle (``.ttl``).

    The Turtle holds the proposals marked accept = yes, with their labels as descriptions
    (to be rewritten in the curator's words before the file is committed); it passes
    validation or raises :class:`graph.errors.SheetError`.

    Returns
    -------
    dict
        ``path`` and ``rows`` (rows per sheet), as :func:`import_claims` reports.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from graph.curation import draft
    >>> result = draft(kg, "TRADE\\n\\nGold is smuggled from Mali to the UAE.",
    ...                document="example-gold", title="Example", publisher="Example Institute")
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_review(kg, result, folder / "draft.xlsx")["rows"]["Flows"]
    1
    >>> write_review(kg, result, folder / "draft.ttl")["rows"]["Flows"]
    1
    """
    path = Path(path)
    book = draft_book(kg, result)
    if path.suffix.lower() == ".ttl":
        for sheet in CLAIM_SHEETS:
            for row in book[sheet.name]["rows"]:
                row["description"] = row["description"] or row["label"]
        header = (f"{result['document'].get('title', '')}\n\nDrafted by `tkg draft`, not "
                  "reviewed: every description repeats its neutral label and must be rewritten "
                  "in the curator's own words before this file is committed.")
        return _import_book(kg, book, str(path), path, header)
    if path.suffix.lower() != ".xlsx":
        raise DataError(f"{path}: write the draft as .xlsx (to review) or .ttl")
    from graph.curation.workbook import write_workbook

    write_workbook(book, path, kg)
    return {"path": str(path), "rows": {n: len(t["rows"]) for n, t in book.items()}}


def _header(doc: dict, source: Path) -> str:
    return (f"{doc.get('title', '')}\n\nSource: {doc.get('url') or 'not given'}\n"
            f"Written by `tkg import claims` from {source.name}; descriptions are the "
            "curator's own words.")


# -- import ----------------------------------------------------------------------------------

def import_claims(kg, workbook: str | Path, out: str | Path | None = None) -> dict[str, Any]:
    """Turn the accepted rows of a review workbook into validated Turtle.

    Parameters
    ----------
    kg : graph.KnowledgeGraph
        The graph whose vocabularies, gazetteer and actors the cells name.
    workbook : str or Path
        The ``.xlsx`` written by ``tkg draft`` or ``tkg export claims`` and reviewed.
    out : str or Path, optional
        The Turtle file to write (replaced atomically, only when there is no problem).

    Returns
    -------
    dict
        ``path``, ``rows`` (imported rows per sheet), ``triples`` and ``turtle`` (bytes).

    Raises
    ------
    graph.errors.SheetError
        Listing every problem by sheet, row and column: unknown names, missing required
        cells, malformed values, descriptions that copy the source, and violations of the
        SHACL shapes. Nothing is written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> sheet = pathlib.Path(tempfile.mkdtemp()) / "gold.xlsx"
    >>> _ = export_claims(kg, "kb:doc-carnegie-2020-dubai-gold", sheet)
    >>> report = import_claims(kg, sheet)
    >>> report["rows"]["Flows"] >= 1, report["turtle"].startswith(b"# ")
    (True, True)
    """
    from graph.curation.workbook import read_workbook

    workbook = Path(workbook)
    book = read_workbook(workbook)
    sources = book.get("Sources", {}).get("rows", [])
    doc = {"title": sources[0].get("title", "") if sources else "",
           "url": sources[0].get("url", "") if sources else ""}
    return _import_book(kg, book, str(workbook), out, _header(doc, workbook))


#: Banner of each sheet's nodes in the Turtle written, in the order of data/README.md.
BANNERS = {"Sources": "Source documents", "Passages": "Passages", "Actors": "Actors",
           "Flows": "Flows", "Activities": "Activities", "Relations": "Actor relations",
           "Events": "Events", "Findings": "Findings", "Scores": "Index scores",
           "Other": "Other nodes"}


def _closure(data: Graph, subject, into: Graph) -> None:
    for pred, obj in data.predicate_objects(subject):
        into.add((subject, pred, obj))
        if isinstance(obj, BNode):
            _closure(data, obj, into)


def turtle_text(data: Graph, where: dict[str, tuple[str, int]], header: str) -> bytes:
    """``data`` as Turtle laid out as data/README.md asks: a comment header, the prefixes, then
    one banner per group (source documents, passages, actors, each kind of claim, scores),
    each group serialised by rdflib's ``longturtle`` so that diffs stay small."""
    whole = bind(data).serialize(format="longturtle", encoding="utf-8").decode("utf-8")
    prefixes = [line for line in whole.splitlines() if line.startswith(("PREFIX", "@prefix"))]
    groups: dict[str, list] = {}
    for subject in sorted({s for s in data.subjects() if isinstance(s, URIRef)}, key=str):
        sheet = where.get(str(subject), ("Other", 0))[0]
        groups.setdefault(sheet, []).append(subject)
    parts = ["".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()), "",
             *prefixes, ""]
    rule = "#" * 65
    for sheet in [*BANNERS, *sorted(set(groups) - set(BANNERS))]:
        if sheet not in groups:
            continue
        part = bind(Graph())
        for subject in groups[sheet]:
            _closure(data, subject, part)
        body = part.serialize(format="longturtle", encoding="utf-8").decode("utf-8")
        body = "\n".join(line for line in body.splitlines()
                         if not line.startswith(("PREFIX", "@prefix"))).strip()
        parts += [rule, f"#    {BANNERS.get(sheet, sheet)}", rule, "", body, ""]
    return "\n".join(parts).encode("utf-8")


def _import_book(kg, book: dict, name: str, out, header: str) -> dict[str, Any]:
    from graph.cache import write_atomic

    data, problems, where = graph_from_book(book, kg)
    problems += copy_problems(book)
    if not problems:
        problems = _shape_problems(data, book, where)
    if problems:
        raise SheetError(name, problems)
    turtle = turtle_text(data, where, header)
    if out is not None:
        path = Path(out)
        if path.is_dir():
            raise DataError(f"{path}: is a folder; give a file name for the Turtle output")
        try:
            write_atomic(path, turtle)
        except OSError as exc:
            raise DataError(f"{path}: cannot write ({exc.strerror})") from None
    counts: dict[str, int] = {}
    for sheet, _ in where.values():
        counts[sheet] = counts.get(sheet, 0) + 1
    return {"path": str(out) if out is not None else None, "rows": counts,
            "triples": len(data), "turtle": turtle, "warnings": _clashes(kg, where, out)}


#: Sheets whose nodes belong to one data file only (actors and shared documents do not).
_OWNED = {"Passages", "Flows", "Activities", "Relations", "Events", "Findings", "Scores"}


def _clashes(kg, where: dict[str, tuple[str, int]], out) -> list[str]:
    """Warnings for nodes another loaded data file already has (a document curated twice)."""
    target = Path(out).resolve() if out is not None else None
    try:
        files = [p for p in _data_files(kg) if p.resolve() != target]
    except DataError:
        return []
    owners: dict[str, Path] = {}
    for path in files:
        for subject in _graph_of(path).subjects(RDF.type, None):
            owners.setdefault(str(subject), path)
    found = [(sheet, row, iri) for iri, (sheet, row) in where.items()
             if sheet in _OWNED and iri in owners]
    if not found:
        return []
    found.sort()
    by_file = sorted({owners[iri].name for _, _, iri in found})
    first = ", ".join(f"{s} row {r} ({prefixed(i)})" for s, r, i in found[:3])
    return [f"{len(found)} row(s) have ids that {', '.join(by_file)} already uses, e.g. {first}: "
            "is this document curated there already? Give new ids or edit that file."]


#: Columns written in the reviewer's own words, checked against the source's text.
OWN_WORDS = ("description", "definition")
#: Words in a row shared with the source that make a copy (data/README.md).
RUN = 6


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", text)


def copy_problems(book: dict[str, dict[str, Any]]) -> list[dict]:
    """Rows whose description or definition repeats :data:`RUN` words in a row of the source.

    Only a draft carries the source (its ``Source text`` sheet). Runs made only of capitalised
    words and numbers (names, titles, figures) do not count.
    """
    source = book.get(SOURCE_TEXT, {}).get("rows", [])
    runs: set[tuple[str, ...]] = set()
    for row in source:
        words = [w.casefold() for w in _words(str(row.get("text", "")))]
        runs |= {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}
    if not runs:
        return []
    problems = []
    for sheet in SHEETS:
        table = book.get(sheet.name)
        if not table or not sheet.reviewed:
            continue
        headers = table["headers"]
        for number, row in enumerate(table["rows"], start=2):
            if str(row.get(ACCEPT, "")).strip().lower() not in ("yes", "y", "true", "1", "x"):
                continue
            for header in OWN_WORDS:
                words = _words(str(row.get(header, "") or ""))
                for i in range(len(words) - RUN + 1):
                    window = words[i:i + RUN]
                    if sum(not w[:1].isupper() and not w[:1].isdigit() for w in window) < 3:
                        continue
                    if tuple(w.casefold() for w in window) in runs:
                        index = headers.index(header) if header in headers else 0
                        problems.append({
                            "sheet": sheet.name, "row": row.get("_row", number),
                            "column": column_letter(index), "header": header,
                            "message": f"repeats the source word for word ('{' '.join(window)}"
                                       "...'); write it in your own words"})
                        break
    return problems


def _shape_problems(data: Graph, book: dict, where: dict) -> list[dict]:
    """Validate ``data`` as a data file; locate each violation in the workbook."""
    from graph.validate import validate

    with tempfile.TemporaryDirectory(prefix="tkg-claims-") as folder:
        path = Path(folder) / "claims.ttl"
        path.write_bytes(bind(data).serialize(format="turtle", encoding="utf-8"))
        report = validate([path])
    labels = {}
    for name, table in book.items():
        for number, row in enumerate(table["rows"], start=2):
            labels.setdefault(str(row.get("label", "")), (name, row.get("_row", number)))
    problems = []
    for v in report.violations:
        if Path(v.file).name != "claims.ttl":
            continue
        place = where.get(v.focus)
        header = None
        if place is None and " of " in v.label:
            # A blank node: an involvement, described as "tkg:qualifiedInvolvement of LABEL".
            place = labels.get(v.label.split(" of ", 1)[1])
            header = "actors and roles"
        sheet_name, row = place or ("(file)", 0)
        sheet = sheet_named(sheet_name)
        headers = book.get(sheet_name, {}).get("headers", [])
        if header is None and sheet is not None:
            for column in sheet.columns:
                if column.path and encode_term(URIRef(column.path)) == v.path:
                    header = column.header
                    break
        header = header or v.path or "id"
        index = headers.index(header) if header in headers else 0
        value = f" (value: {v.value})" if v.value else ""
        problems.append({"sheet": sheet_name, "row": row, "column": column_letter(index),
                         "header": header, "message": f"{v.message}{value} [{v.shape}]"})
    return problems
