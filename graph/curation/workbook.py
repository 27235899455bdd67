"""Write a book (see :mod:`graph.curation.rows`) as an Excel workbook and read one back.

The workbook opens with an ``About`` sheet that says how to review, then one sheet per kind
of node, then ``Lists``: the vocabularies (prefixed name and label) that the drop-down lists
of the ``terms`` columns offer. Drop-downs do not stop a reviewer from typing a label or
several values; the importer checks every cell. Needs openpyxl (the ``curation`` extra).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from graph.curation.layout import ACCEPT, SHEETS, SOURCE_TEXT, Column
from graph.errors import DataError
from graph.lookup import prefixed

__all__ = ["ABOUT", "read_workbook", "write_workbook"]

#: The reviewer's instructions, first sheet of every workbook.
ABOUT = [
    "Review workbook of the Trafficking Knowledge Graph (see data/README.md).",
    "",
    "One sheet per kind of claim, one row per claim. Each row cites its passage "
    "(kb:psg-DOCUMENT-SECTION-N: the section and paragraph of the source).",
    "Set accept to yes for every row to keep and to no for every row to leave out.",
    "Write each description IN YOUR OWN WORDS: never copy a sentence of the source "
    "(six words in a row is too many). Labels drafted here are neutral templates.",
    "Check the certainty against the wording (cue shows the word the drafter read): plain "
    "statement = reported; likely, evidence suggests = likely; might, suspected, suggesting, "
    "alleged = suspected; concerns but no tangible evidence = unsubstantiated.",
    "Cells hold prefixed names (place:LBY, com:cocaine, kb:actor-aqim); a label such as "
    "'Libya' also works. Several values: separate them with ';' (text: one per line).",
    "Actors: one per line, 'actor: role, role (certainty)', the certainty only where it "
    "differs from the claim's. New actors (new = yes) name networks and groups, never an "
    "ethnic or national group.",
    "Then: tkg import claims THIS.xlsx -o data/DOCUMENT.ttl  (nothing is written while a "
    "problem remains; each problem names sheet, row and column).",
]
_WIDE = {"label", "description", "definition", "title", "note", "actors and roles",
         "alternative labels"}
_MAX_ROWS = 2000


def _openpyxl():
    try:
        import openpyxl
    except ImportError:
        raise DataError("spreadsheets need openpyxl: pip install '.[curation]'") from None
    return openpyxl


def _lists(kg) -> dict[str, list[tuple[str, str]]]:
    """Class IRI -> (prefixed name, label) of its instances, sorted by label."""
    from graph.curation.lexicon import lexicon

    lex = lexicon(kg)
    members: dict[str, list[tuple[str, str]]] = {}
    wanted = {key for sheet in SHEETS for c in sheet.columns
              if (key := _range_of(kg, c)) and "://" in key}
    index = kg.index
    for cls in sorted(wanted):
        found = [(prefixed(iri), e.label) for iri, e in index.entities.items()
                 if index.is_a(iri, cls)]
        if found:
            members[cls] = sorted(found, key=lambda p: (p[1].casefold(), p[0]))
    members["actor classes"] = sorted(((prefixed(c), kg.label(c)) for c in lex.actor_classes),
                                      key=lambda p: p[1].casefold())
    members["accept"] = [("yes", "import the row"), ("no", "leave it out")]
    return members


def _declared(kg, path: str) -> str | None:
    from graph.curation.lexicon import lexicon

    return lexicon(kg).ranges.get(path)


def _range_of(kg, column: Column) -> str | None:
    if column.header == ACCEPT:
        return "accept"
    if column.header == "class" and column.range:
        return "actor classes"
    if column.kind not in ("terms", "list") or column.path is None or column.header == "class":
        return None
    return column.range or _declared(kg, column.path)


def write_workbook(book: dict[str, dict[str, Any]], path: str | Path, kg) -> Path:
    """Write ``book`` to ``path`` (.xlsx) with drop-down lists from ``kg``'s vocabularies.

    Sheets follow the layout's order; a sheet of the book the layout does not know is
    written after them as it is.

    Raises
    ------
    graph.errors.DataError
        If openpyxl is missing or the file cannot be written.
    """
    openpyxl = _openpyxl()
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    wb = openpyxl.Workbook()
    about = wb.active
    about.title = "About"
    for line in ABOUT:
        about.append([line])
    about.column_dimensions["A"].width = 120
    lists = _lists(kg)
    list_sheet = None
    refs: dict[str, str] = {}

    def reference(key: str) -> str:
        nonlocal list_sheet
        if key in refs:
            return refs[key]
        if list_sheet is None:
            list_sheet = wb.create_sheet("Lists")
        col = 2 * len(refs) + 1
        letter = openpyxl.utils.get_column_letter(col)
        list_sheet.cell(row=1, column=col, value=key if "://" not in key else prefixed(key))
        list_sheet.cell(row=1, column=col + 1, value="label")
        for i, (name, label) in enumerate(lists[key], start=2):
            list_sheet.cell(row=i, column=col, value=name)
            list_sheet.cell(row=i, column=col + 1, value=label)
        refs[key] = f"Lists!${letter}$2:${letter}${len(lists[key]) + 1}"
        return refs[key]

    order = [s.name for s in SHEETS if s.name in book] + [n for n in book
                                                          if n not in {s.name for s in SHEETS}]
    layout = {s.name: s for s in SHEETS}
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    for name in order:
        table = book[name]
        ws = wb.create_sheet(name)
        headers = table["headers"]
        ws.append(headers)
        sheet = layout.get(name)
        for col, header in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=col)
            cell.font, cell.fill = bold, fill
            column = sheet.column(header) if sheet else None
            if column is not None and column.hint:
                cell.comment = Comment(column.hint, "tkg")
            letter = openpyxl.utils.get_column_letter(col)
            ws.column_dimensions[letter].width = 48 if header in _WIDE else 20
            key = _range_of(kg, column) if column is not None else None
            if key in lists:
                strict = header in (ACCEPT, "certainty")
                validation = DataValidation(type="list", formula1=reference(key),
                                            allow_blank=True, showErrorMessage=strict)
                if not strict:
                    validation.errorStyle = "information"
                ws.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{max(_MAX_ROWS, len(table['rows']) + 50)}")
        wrap = Alignment(wrap_text=True, vertical="top")
        for r, row in enumerate(table["rows"], start=2):
            for col, header in enumerate(headers, start=1):
                value = row.get(header)
                if value is None or value == "":
                    continue
                cell = ws.cell(row=r, column=col, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                    if "\n" in value or header in _WIDE:
                        cell.alignment = wrap
        ws.freeze_panes = "B2"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
    except OSError as exc:
        raise DataError(f"{path}: cannot write ({exc.strerror})") from None
    return path


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_workbook(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read the sheets of a review workbook into a book; each row keeps its ``_row`` number.

    Raises
    ------
    graph.errors.DataError
        If the file is missing, is not an .xlsx workbook, or openpyxl is not installed.
    """
    openpyxl = _openpyxl()
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException...
        raise DataError(f"{path}: not an .xlsx workbook ({exc})") from None
    names = {s.name for s in SHEETS} | {SOURCE_TEXT}
    book: dict[str, dict[str, Any]] = {}
    for ws in wb.worksheets:
        if ws.title not in names:
            if ws.title not in ("About", "Lists") and ws.max_row > 1:
                # A renamed or added sheet with rows: reported, never silently skipped.
                book[ws.title] = {"headers": [], "rows": [], "unknown": True}
            continue
        rows = ws.iter_rows(values_only=True)
        header_row = next(rows, None) or ()
        headers = [_text(h).strip() for h in header_row]
        while headers and not headers[-1]:
            headers.pop()
        table = {"headers": headers, "rows": []}
        for number, values in enumerate(rows, start=2):
            row = {h: _text(v) for h, v in zip(headers, values, strict=False) if h}
            if any(v.strip() for v in row.values()):
                row["_row"] = number
                table["rows"].append(row)
        book[ws.title] = table
    return book
