"""Write rows as a table, JSON or CSV: the one place each output format is produced.

Rows are dictionaries of plain values (see :mod:`graph.backends.base`); nested values, such
as a flow's list of origins, are flattened to their labels for tables and CSV and kept as
they are in JSON. Text for the terminal is stripped of control characters here, at the last
step, so that labels in the data cannot inject terminal escape sequences.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from graph.backends.base import IRI
from graph.errors import UnknownName
from graph.lookup import prefixed

__all__ = ["FORMATS", "cell", "emit", "emit_object"]

#: Output formats every listing command accepts.
FORMATS = ("table", "json", "csv")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def cell(value: Any, *, short_iris: bool = True) -> str:
    """Flatten one value to text: labels of nested objects, prefixed names for IRIs.

    Examples
    --------
    >>> cell([{"id": "x", "label": "Libya"}, {"id": "y", "label": "Niger"}])
    'Libya; Niger'
    >>> cell(IRI("https://w3id.org/tkg/place/MLI"))
    'place:MLI'
    >>> cell(8.0)
    '8'
    """
    if value is None:
        return ""
    if isinstance(value, IRI):
        return prefixed(value) if short_iris else str(value)
    if isinstance(value, Mapping):
        if "label" in value:
            return cell(value["label"], short_iris=short_iris)
        return "; ".join(f"{k}={cell(v, short_iris=short_iris)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return "; ".join(cell(v, short_iris=short_iris) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if value == value else ""
    return str(value)


def _terminal(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)


def _json_default(value: Any) -> Any:
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def emit(rows: Iterable[Mapping[str, Any]], fmt: str = "table", stream: IO[str] | None = None,
         columns: Sequence[str] | None = None) -> int:
    """Write ``rows`` to ``stream`` (stdout by default) in ``fmt``; return the row count.

    JSON is streamed row by row and is ``[]`` when there are no rows. CSV and tables take
    their columns from ``columns`` or from the first row.

    Examples
    --------
    >>> emit([{"country": "Mali", "score": 8.0}], "csv")
    country,score
    Mali,8
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
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        if cols:
            writer.writerow(cols)
        for row in rows:
            writer.writerow([cell(row.get(c), short_iris=False) for c in cols])
        return len(rows)
    _table(rows, cols, out)
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


def _table(rows: list[Mapping[str, Any]], cols: list[str], out: IO[str]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if not rows:
        out.write("(no rows)\n")
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for col in cols:
        table.add_column(Text(_terminal(col)), overflow="fold")
    for row in rows:
        # Text(...) renders the value literally: no rich markup, no escape sequences.
        table.add_row(*(Text(_terminal(cell(row.get(c)))) for c in cols))
    width = None if out.isatty() else 200
    Console(file=out, width=width, highlight=False, soft_wrap=False).print(table)
