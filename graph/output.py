"""Write rows as a table, JSON or CSV: the one place each output format is produced.

Rows are dictionaries of plain values (see :mod:`graph.backends.base`); nested values, such
as a flow's list of origins, are flattened to their labels for tables and CSV and kept as
they are in JSON. IRIs print as short ids (``kb:<localname>``, see
:func:`graph.lookup.short_id`) in tables and source passages as citations
("ocindex-2021-mali § Drugs ¶2", see :func:`citation`). Text for the terminal is stripped
of control characters here, at the last step, so that labels in the data cannot inject
terminal escape sequences.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, Any

from graph.backends.base import IRI
from graph.errors import UnknownName
from graph.lookup import short_id

__all__ = ["FORMATS", "Column", "cell", "citation", "emit", "emit_object", "terminal_width"]

#: Output formats every listing command accepts.
FORMATS = ("table", "json", "csv")

#: A column: a key of the rows, or ``(header, function of the row)`` for a derived column.
Column = str | tuple[str, Callable[[Mapping[str, Any]], Any]]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def citation(source: Mapping[str, Any]) -> str:
    """A source passage as "document § section ¶ paragraph", the form every table shows.

    The document is named by its short name: its id without ``kb:doc-``
    (``kb:doc-ocindex-2021-mali`` is "ocindex-2021-mali"), which ``tkg coverage
    --document`` and ``tkg evidence`` accept back with the prefix.

    Examples
    --------
    >>> citation({"document": "https://w3id.org/tkg/kb/doc-ocindex-2021-mali",
    ...           "section": "Drugs", "paragraph": 2})
    'ocindex-2021-mali § Drugs ¶2'
    """
    document = str(source.get("document") or "")
    name = short_id(document) if document else str(source.get("title") or "?")
    name = name.removeprefix("kb:").removeprefix("doc-")
    text = name
    if source.get("section"):
        text += f" § {source['section']}"
    if source.get("paragraph") is not None:
        text += f" ¶{source['paragraph']}"
    return text


def _is_source(value: Mapping[str, Any]) -> bool:
    return "document" in value and "paragraph" in value


def cell(value: Any, *, short_iris: bool = True, decimals: int | None = None) -> str:
    """Flatten one value to text: labels of nested objects, short ids for IRIs, citations.

    Examples
    --------
    >>> cell([{"id": "x", "label": "Libya"}, {"id": "y", "label": "Niger"}])
    'Libya; Niger'
    >>> cell(IRI("https://w3id.org/tkg/place/MLI"))
    'place:MLI'
    >>> cell(8.0)
    '8'
    >>> cell(8.0, decimals=2)
    '8.00'
    """
    if value is None:
        return ""
    if isinstance(value, IRI):
        return short_id(value) if short_iris else str(value)
    if isinstance(value, Mapping):
        if _is_source(value):
            return citation(value)
        if "label" in value:
            return cell(value["label"], short_iris=short_iris)
        return "; ".join(f"{k}={cell(v, short_iris=short_iris)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return "; ".join(cell(v, short_iris=short_iris, decimals=decimals) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return ""
        return f"{value:.{decimals}f}" if decimals is not None else f"{value:g}"
    return str(value)


def _terminal(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)


def _json_default(value: Any) -> Any:
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def emit(rows: Iterable[Mapping[str, Any]], fmt: str = "table", stream: IO[str] | None = None,
         columns: Sequence[Column] | None = None, *, headers: Mapping[str, str] | None = None,
         decimals: int | None = None, note: str | None = None,
         optional: Sequence[str] = ()) -> int:
    """Write ``rows`` to ``stream`` (stdout by default) in ``fmt``; return the row count.

    JSON is streamed row by row and is ``[]`` when there are no rows; it always holds the
    rows as they are (``columns``, ``headers``, ``decimals`` and ``note`` shape the table
    and CSV only). CSV and tables take their columns from ``columns`` or from the first row.

    Parameters
    ----------
    rows : iterable of mapping
        The rows.
    fmt : {"table", "json", "csv"}
        The output format.
    stream : file, optional
        Where to write (default: standard output).
    columns : sequence of str or (str, callable), optional
        Keys to show, or ``(header, function of the row)`` for a derived column.
    headers : mapping, optional
        Table headers for some keys, e.g. ``{"length": "length (legs)"}``.
    decimals : int, optional
        Print floats with this many decimals (Index scores: 2, as the Index prints them).
    note : str, optional
        A line printed under the table explaining its columns (tables only).
    optional : sequence of str, optional
        Columns a table may leave out, in this order, when the terminal is too narrow.

    Examples
    --------
    >>> emit([{"country": "Mali", "score": 8.0}], "csv")
    country,score
    Mali,8
    1
    >>> emit([{"country": "Mali", "score": 8.0}], "csv", decimals=2)
    country,score
    Mali,8.00
    1
    >>> emit([], "json")
    []
    0
    """
    if fmt not in FORMATS:
        raise UnknownName("format", fmt, FORMATS)
    out = stream or sys.stdout
    if fmt == "json":
        count = 0
        for row in rows:
            out.write("[\n  " if count == 0 else ",\n  ")
            out.write(json.dumps(dict(row), ensure_ascii=False, default=_json_default))
            count += 1
        out.write("[]\n" if count == 0 else "\n]\n")
        return count
    rows = list(rows)
    cols = list(columns) if columns else (list(rows[0].keys()) if rows else [])
    names = [c if isinstance(c, str) else c[0] for c in cols]
    getters = [(lambda row, key=c: row.get(key)) if isinstance(c, str) else c[1] for c in cols]
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        if cols:
            writer.writerow(names)
        for row in rows:
            writer.writerow([cell(get(row), short_iris=False, decimals=decimals)
                             for get in getters])
        return len(rows)
    shown = [(headers or {}).get(n, n) for n in names]
    _table([[cell(get(row), decimals=decimals) for get in getters] for row in rows], shown,
           out, names, optional)
    if note and rows:
        out.write(_terminal(note) + "\n")
    return len(rows)


def emit_object(value: Mapping[str, Any], stream: IO[str] | None = None) -> None:
    """Write one JSON object (for commands whose answer is a record, not a list of rows).

    Examples
    --------
    >>> emit_object({"country": {"id": "x", "label": "Mali"}, "scores": []})
    {
      "country": {
        "id": "x",
        "label": "Mali"
      },
      "scores": []
    }
    """
    out = stream or sys.stdout
    out.write(json.dumps(dict(value), ensure_ascii=False, indent=2, default=_json_default) + "\n")


#: Columns that hold copyable ids: never wrapped or cut.
_ID_COLUMNS = {"id", "prefixed", "flow_ids"}
#: Columns of several items (ids, citations): one item per line in tables.
_LINE_COLUMNS = {"flow_ids", "sources"}


def terminal_width(out: IO[str]) -> int:
    """Width to lay tables out in: the terminal's, else ``$COLUMNS``, else 200 (pipes, files)."""
    if out.isatty():
        import shutil

        return shutil.get_terminal_size((120, 24)).columns
    text = os.environ.get("COLUMNS", "")
    return int(text) if text.isdigit() and int(text) >= 40 else 200


def _table(cells: list[list[str]], headers: list[str], out: IO[str], keys: list[str],
           optional: Sequence[str] = ()) -> None:
    """Columns sized to the width: ids and short values whole, long text wrapped at words.

    When the columns do not fit, the ``optional`` ones are left out, in that order (a line
    under the table says which); when even that does not fit (a narrow terminal), each row
    is printed as a block of "header: value" lines instead, so that nothing is cut.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if not cells:
        out.write("(no rows)\n")
        return
    width = terminal_width(out)
    split = [i for i, key in enumerate(keys) if key in _LINE_COLUMNS]
    cells = [[value.replace("; ", "\n") if i in split else value
              for i, value in enumerate(row)] for row in cells]
    shown = list(range(len(headers)))
    hidden: list[str] = []
    plan = _plan(cells, headers, keys, shown, width)
    for key in optional:
        if plan is not None:
            break
        if key in keys:
            shown.remove(keys.index(key))
            hidden.append(headers[keys.index(key)])
            plan = _plan(cells, headers, keys, shown, width)
    if plan is None:
        _records(cells, headers, out, width)
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for i in shown:
        size, fixed = plan[i]
        if fixed:
            # Copyable ids and short values (grades, years, counts) stay on one line.
            table.add_column(Text(_terminal(headers[i])), no_wrap=True, width=size)
        else:
            table.add_column(Text(_terminal(headers[i])), overflow="fold", width=size)
    for row in cells:
        # Text(...) renders the value literally: no rich markup, no escape sequences.
        table.add_row(*(Text(_terminal(row[i])) for i in shown))
    Console(file=out, width=width, highlight=False, soft_wrap=False).print(table)
    if hidden:
        out.write(f"hidden at this width: {', '.join(hidden)} (a wider terminal or "
                  "--format json shows them)\n")


def _plan(cells: list[list[str]], headers: list[str], keys: list[str], shown: list[int],
          width: int) -> dict[int, tuple[int, bool]] | None:
    """Column index -> (width, fixed) for the ``shown`` columns, or ``None`` if they do not fit."""
    natural, fixed = {}, {}
    for i in shown:
        lines = [line for row in cells for line in row[i].split("\n")]
        values = max(len(line) for line in lines)
        natural[i] = max(len(headers[i]), values)
        # Ids, short values (grades, years, counts) and single words up to 70 characters
        # (codes) are never broken; headers never wrap.
        word = values <= 70 and not any(" " in row[i] for row in cells)
        fixed[i] = keys[i] in _ID_COLUMNS or values <= 16 or word
    room = width - 3 * (len(shown) - 1) - sum(natural[i] for i in shown if fixed[i])
    wanted = {i: min(natural[i], 60) for i in shown if not fixed[i]}
    # A wrapped column is at least as wide as its longest word (up to 30), so that names
    # such as a document's short name are not broken in the middle.
    least = {i: min(wanted[i], max(14, min(30, max(len(w) for row in cells
                                                   for w in row[i].split()))))
             for i in wanted}
    if room < sum(least.values()) or room < 0:
        return None
    sizes = dict(wanted)
    if sum(wanted.values()) > room:
        # Each gets its least width, and what is left is shared in proportion to the rest.
        extra = {i: want - least[i] for i, want in wanted.items()}
        spare, total = room - sum(least.values()), sum(extra.values()) or 1
        sizes = {i: least[i] + spare * more // total for i, more in extra.items()}
    return {i: (natural[i], True) if fixed[i] else (sizes[i], False) for i in shown}


def _records(cells: list[list[str]], headers: list[str], out: IO[str], width: int) -> None:
    import textwrap

    label = max(len(h) for h in headers)
    for number, row in enumerate(cells):
        if number:
            out.write("\n")
        for header, value in zip(headers, row, strict=True):
            lines = [line for item in value.split("\n")
                     for line in textwrap.wrap(_terminal(item), max(20, width - label - 2),
                                               break_on_hyphens=False,
                                               break_long_words=False)] or [""]
            out.write(f"{header:>{label}}: {lines[0]}\n")
            for line in lines[1:]:
                out.write(" " * (label + 2) + line + "\n")
