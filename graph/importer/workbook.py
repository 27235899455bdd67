"""Read the Index's dataset workbook: sheets, header rows and score cells, checked as they are read.

This module knows the shape of a spreadsheet (sheets, rows, lettered columns), not what the
columns mean: :mod:`graph.importer.mapping` gives the columns their concepts. Every problem is
a :class:`Problem` that names the workbook, sheet, row and column, so that a user can open the
file and go straight to the cell.

openpyxl is imported only here, and only when a workbook is opened.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from graph.errors import WorkbookError

__all__ = ["MAX_SCORE", "MIN_SCORE", "Problem", "Sheet", "column_letter", "parse_score",
           "raise_problems", "read_sheets"]

#: The Index scale: every indicator score and average lies between these bounds.
MIN_SCORE = Decimal(1)
MAX_SCORE = Decimal(10)

_HALF = Decimal("0.5")
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workbook, located as precisely as the problem allows."""

    #: File name of the workbook (no folder, so messages never show machine paths).
    workbook: str
    #: Sheet name, or None for a problem with the file itself.
    sheet: str | None
    #: 1-based row number, or None for a problem with the whole sheet.
    row: int | None
    #: Column letter (``"H"``), or None.
    column: str | None
    #: The column's header, when known.
    header: str | None
    #: What is wrong, naming the offending value.
    message: str

    def location(self) -> str:
        """Workbook, sheet, row and column, as far as known: ``book.xlsx, sheet 'x', row 3``."""
        where = [self.workbook]
        if self.sheet is not None:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}" + (f" ({self.header!r})" if self.header else ""))
        return ", ".join(where)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


@dataclass(frozen=True)
class Sheet:
    """The cells of one worksheet: the header row and every non-empty data row."""

    #: Sheet name as in the workbook.
    name: str
    #: Header cells of row 1, stripped of surrounding spaces ("" for an empty cell).
    header: tuple[str, ...]
    #: ``(row number, cell values)`` for every row after the header with at least one value.
    rows: tuple[tuple[int, tuple[Any, ...]], ...]


def column_letter(index: int) -> str:
    """The spreadsheet letter of the 0-based column ``index``.

    Examples
    --------
    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(38)
    ('A', 'Z', 'AA', 'AM')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def raise_problems(problems: list[Problem]) -> None:
    """Raise a :class:`WorkbookError` for ``problems`` (first one in the message), if any.

    The exception's ``problems`` attribute holds the full list.
    """
    if not problems:
        return
    more = len(problems) - 1
    message = str(problems[0]) + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")
    error = WorkbookError(message)
    error.problems = list(problems)
    raise error


def _openpyxl():
    from graph.extras import need

    return need("openpyxl", "importer", "reading the Index workbook")


def read_sheets(path: str | Path, names: Iterable[str]) -> dict[str, Sheet]:
    """Read the sheets ``names`` of the workbook at ``path``.

    Parameters
    ----------
    path : str or Path
        An Excel ``.xlsx`` workbook.
    names : iterable of str
        Sheets to read; each must exist.

    Returns
    -------
    dict
        Sheet name -> :class:`Sheet`, in the order of ``names``.

    Raises
    ------
    graph.errors.WorkbookError
        If the file is missing or not a workbook, or a sheet is missing (the message lists the
        sheets the workbook has).

    Examples
    --------
    >>> read_sheets("no-such.xlsx", ["2021_dataset"])
    Traceback (most recent call last):
    ...
    graph.errors.WorkbookError: no-such.xlsx: no such file
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise WorkbookError(f"{path}: no such file")
    openpyxl = _openpyxl()
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise WorkbookError(f"{path}: not an Excel .xlsx workbook ({exc})") from None
    try:
        wanted = list(names)
        missing = [sheet for sheet in wanted if sheet not in book.sheetnames]
        raise_problems([Problem(name, sheet, None, None, None,
                                f"no such sheet; the workbook has {', '.join(book.sheetnames)}")
                        for sheet in missing])
        return {sheet: _read_sheet(book[sheet], name) for sheet in wanted}
    finally:
        book.close()


def _read_sheet(worksheet, workbook: str) -> Sheet:
    rows = worksheet.iter_rows(values_only=True)
    header_row = next(rows, None)
    if header_row is None:
        raise_problems([Problem(workbook, worksheet.title, 1, None, None,
                                "the sheet is empty; expected a header row")])
    header = tuple("" if value is None else str(value).strip() for value in header_row)
    body = []
    for number, values in enumerate(rows, start=2):
        if any(value is not None and str(value).strip() != "" for value in values):
            body.append((number, tuple(values)))
    return Sheet(worksheet.title, header, tuple(body))


def parse_score(value: Any, *, grid: bool) -> Decimal:
    """Turn one cell into a score on the Index scale, or raise ``ValueError`` saying why.

    Indicator scores (``grid=True``) must lie on the half-point grid and come back with one
    decimal; averages (``grid=False``) are rounded half-up to the two decimals the workbook
    prints.

    Examples
    --------
    >>> parse_score(7.5, grid=True), parse_score(8, grid=True), parse_score(2.375, grid=False)
    (Decimal('7.5'), Decimal('8.0'), Decimal('2.38'))
    >>> parse_score("n/a", grid=True)
    Traceback (most recent call last):
    ...
    ValueError: 'n/a' is not a number
    >>> parse_score(11, grid=True)
    Traceback (most recent call last):
    ...
    ValueError: 11 is outside the Index scale of 1 to 10
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("the cell is empty; every country needs a score")
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else repr(value)
                         if isinstance(value, float) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a number")
    if not MIN_SCORE <= number <= MAX_SCORE:
        raise ValueError(f"{value!r} is outside the Index scale of {MIN_SCORE} to {MAX_SCORE}")
    if not grid:
        return number.quantize(_CENT, rounding=ROUND_HALF_UP)
    halves = number / _HALF
    if halves != halves.to_integral_value():
        raise ValueError(f"{value!r} is not on the half-point grid (1, 1.5, 2, ... 10)")
    return number.quantize(Decimal("0.1"))
