"""Broken copies of the real Index workbook: every problem is named by sheet, row and column,
and nothing is written.

Each case copies ``../shared/ocindex/global_oc_index.xlsx`` into a temporary folder with
openpyxl, breaks one thing and imports it into an output file that already exists, which must
come out unchanged.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import WorkbookError
from graph.importer import import_ocindex

openpyxl = pytest.importorskip("openpyxl")

OLD = b"# an earlier import\n"


@pytest.fixture(scope="module")
def original(shared_dir):
    return shared_dir / "ocindex" / "global_oc_index.xlsx"


def locate(sheet, header: str, country: str | None = None) -> tuple[int, int]:
    """(row, column) of ``header``'s column, in ``country``'s row (or the header row)."""
    col = next(c.column for c in sheet[1] if c.value is not None and c.value.strip() == header)
    if country is None:
        return 1, col
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 3).value == country)
    return row, col


def letter(col: int) -> str:
    return openpyxl.utils.get_column_letter(col)


def put(sheet_name, header, country, value):
    def edit(book):
        sheet = book[sheet_name]
        row, col = locate(sheet, header, country)
        sheet.cell(row, col).value = value
        return (f"sheet '{sheet_name}', row {row}, column {letter(col)} "
                f"\\('{header}'\\)")
    return edit


def rename_header(sheet_name, header, new):
    def edit(book):
        sheet = book[sheet_name]
        _, col = locate(sheet, header)
        sheet.cell(1, col).value = new
        return f"sheet '{sheet_name}', row 1, column {letter(col)} \\('{new}'\\)"
    return edit


def delete_column(sheet_name, header):
    def edit(book):
        sheet = book[sheet_name]
        _, col = locate(sheet, header)
        sheet.delete_cols(col)
        return f"sheet '{sheet_name}', row 1"
    return edit


def duplicate_country(sheet_name, country, copy_of):
    def edit(book):
        sheet = book[sheet_name]
        row, col = locate(sheet, "Country", country)
        first, _ = locate(sheet, "Country", copy_of)
        sheet.cell(row, col).value = copy_of
        return f"sheet '{sheet_name}', row {max(row, first)}, column C \\('Country'\\)"
    return edit


def delete_sheet(sheet_name):
    def edit(book):
        del book[sheet_name]
        return f"sheet '{sheet_name}'"
    return edit


CASES = {
    "missing sheet": (delete_sheet("2021_dataset"), "no such sheet; the workbook has"),
    "renamed column": (rename_header("2023_dataset", "Arms trafficking", "Arms trade"),
                       "unknown column 'Arms trade': no Index indicator has this name"),
    "misspelt column": (rename_header("2021_dataset", "Cocaine trade", "Cocain trade"),
                        "did you mean 'cocaine trade'"),
    "missing column": (delete_column("2023_dataset", "Financial crimes"),
                       "no column for 'Financial crimes', which the 2023 edition measures"),
    "column of another edition": (rename_header("2021_dataset", "Human smuggling",
                                                "Financial crimes"),
                                  "'Financial crimes' is not measured in the 2021 edition"),
    "non-numeric score": (put("2021_dataset", "Arms trafficking", "Mali", "n/a"),
                          "'n/a' is not a number"),
    "score above the scale": (put("2023_dataset", "Arms trafficking", "Mali", 11),
                              "11 is outside the Index scale of 1 to 10"),
    "score below the scale": (put("2021_dataset", "Prevention", "Niger", 0),
                              "0 is outside the Index scale"),
    "score off the half-point grid": (put("2023_dataset", "Heroin trade", "Chad", 6.3),
                                      r"6.3 is not on the half-point grid"),
    "empty score": (put("2023_dataset", "Law enforcement", "Senegal", None),
                    "the cell is empty"),
    "non-numeric average": (put("2023_dataset", "Resilience avg,", "Libya", "low"),
                            "'low' is not a number"),
    "unknown country": (put("2021_dataset", "Country", "Mali", "Atlantis"),
                        "unknown country 'Atlantis': not a name or alternative name"),
    "duplicate country": (duplicate_country("2023_dataset", "Niger", "Mali"),
                          r"'Mali' appears twice \(first in row \d+\)"),
    "unknown region": (put("2021_dataset", "Region", "Niger", "Westeros"),
                       "unknown sub-region 'Westeros'"),
    "region outside its continent": (put("2023_dataset", "Region", "Niger", "Western Europe"),
                                     "sub-region 'Western Europe' is not part of 'Africa'"),
}


@pytest.fixture()
def broken(original, tmp_path):
    def make(edit):
        book = openpyxl.load_workbook(original)
        where = edit(book)
        path = tmp_path / "global_oc_index.xlsx"
        book.save(path)
        return path, where
    return make


@pytest.mark.parametrize("case", list(CASES))
def test_broken_workbook_names_sheet_row_and_column(broken, tmp_path, case):
    edit, message = CASES[case]
    path, where = broken(edit)
    out = tmp_path / "scores.ttl"
    out.write_bytes(OLD)
    with pytest.raises(WorkbookError) as caught:
        import_ocindex(path, out)
    text = str(caught.value)
    assert text.startswith("global_oc_index.xlsx, ")
    assert re.search(where, text), (where, text)
    assert re.search(message, text), (message, text)
    assert out.read_bytes() == OLD  # nothing written, no temporary file left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["global_oc_index.xlsx", "scores.ttl"]


def test_renamed_column_error_also_reports_the_concept_left_without_a_column(broken):
    path, _ = broken(rename_header("2023_dataset", "Arms trafficking", "Arms trade"))
    with pytest.raises(WorkbookError, match=r"\(and 1 more problem\)") as caught:
        import_ocindex(path)
    second = str(caught.value.problems[1])
    assert "row 1: no column for 'Arms trafficking'" in second


def test_no_output_file_is_created_on_error(broken, tmp_path):
    path, _ = broken(put("2021_dataset", "Country", "Mali", "Atlantis"))
    out = tmp_path / "new" / "scores.ttl"
    with pytest.raises(WorkbookError):
        import_ocindex(path, out)
    assert not out.exists() and not out.parent.exists()


@pytest.mark.parametrize("content, match", [
    (b"Continent,Region,Country\n", "not an Excel .xlsx workbook"),
    (None, "no such file"),
])
def test_not_a_workbook(tmp_path, content, match):
    path = tmp_path / "global_oc_index.xlsx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(WorkbookError, match=match):
        import_ocindex(path, tmp_path / "out.ttl")
    assert not (tmp_path / "out.ttl").exists()


def test_cli_reports_the_cell_and_exits_2(broken, tmp_path):
    path, where = broken(put("2023_dataset", "Arms trafficking", "Mali", "n/a"))
    out = tmp_path / "scores.ttl"
    result = CliRunner().invoke(cli, ["import", "ocindex", str(path), "--out", str(out)])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("error: global_oc_index.xlsx, sheet '2023_dataset'")
    assert re.search(where, line) and "'n/a' is not a number" in line
    assert not out.exists()
