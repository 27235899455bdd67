"""Import the Global Organized Crime Index's dataset workbook as Data Cube observations.

``import_ocindex`` reads the workbook's edition sheets (``2021_dataset``, ``2023_dataset``),
maps columns and names through the ontology, recomputes the averages, ranks every country,
and writes Turtle. The stages are separate modules:

- :mod:`graph.importer.workbook` — sheets, rows and cells, checked as they are read;
- :mod:`graph.importer.mapping` — columns to ``ind:`` concepts, names to gazetteer places;
- :mod:`graph.importer.averages` — averages recomputed and compared with the printed ones;
- :mod:`graph.importer.ranking` — world, continent and sub-region ranks;
- :mod:`graph.importer.known` — observations other files already state;
- :mod:`graph.importer.turtle` — the observations as Turtle, written atomically.

The workbook is GI-TOC's; the project never ships it. Point the importer at your copy.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import DataError, EntityNotFound

__all__ = ["DEFAULT_EDITIONS", "SHEET_NAME", "ImportReport", "import_ocindex"]

#: Editions the dataset workbook holds, one sheet each.
DEFAULT_EDITIONS = (2021, 2023)
#: Name of an edition's sheet in the workbook.
SHEET_NAME = "{year}_dataset"


@dataclass
class ImportReport:
    """What an import read, checked and wrote."""

    #: File name of the workbook.
    workbook: str
    #: Edition year -> sheet name and number of countries read from it.
    editions: dict[int, dict]
    #: ISO3 codes of the countries written, sorted.
    countries: list[str]
    #: Observations written: edition year -> {"IndicatorScore": n, "AggregateScore": n, "Rank": n}.
    counts: dict[int, dict[str, int]]
    #: Observations left out because a ``known`` file states the same value.
    left_out: int
    #: Printed averages that differ from the recomputed ones beyond rounding
    #: (:class:`graph.importer.averages.AverageMismatch`; ``str()`` gives the message).
    warnings: list = field(default_factory=list)
    #: The observations as an rdflib graph (with the source and data set blocks).
    graph: object = None
    #: Where the Turtle was written, or None.
    out: Path | None = None
    #: Wall-clock seconds for the whole import.
    seconds: float = 0.0
    #: The comment lines at the top of the Turtle file.
    header: str = ""

    @property
    def observations(self) -> int:
        """Total number of observations written."""
        return sum(sum(kinds.values()) for kinds in self.counts.values())

    def rows(self) -> list[dict]:
        """One summary row per edition, for :func:`graph.output.emit`."""
        rows = []
        for year, info in self.editions.items():
            kinds = self.counts.get(year, {})
            rows.append({
                "edition": year,
                "sheet": info["sheet"],
                "countries read": info["countries"],
                "countries written": len(self.countries),
                "indicator scores": kinds.get("IndicatorScore", 0),
                "averages": kinds.get("AggregateScore", 0),
                "ranks": kinds.get("Rank", 0),
                "average warnings": sum(1 for w in self.warnings if w.year == year),
            })
        return rows

    def turtle(self) -> bytes:
        """The Turtle document (as written to ``out``, if it was)."""
        from graph.importer.turtle import write_turtle

        return write_turtle(self.graph, None, self.header)

    def summary(self) -> str:
        """A few lines for a person: what was read and written, how long it took, warnings."""
        years = " and ".join(str(y) for y in self.editions)
        lines = [f"read {self.workbook}: editions {years}, "
                 + ", ".join(f"{info['countries']} countries in {info['sheet']}"
                             for info in self.editions.values())]
        target = str(self.out) if self.out else "standard output"
        lines.append(f"wrote {self.observations} observations for {len(self.countries)} "
                     f"countries ({len(self.graph)} triples) to {target} in {self.seconds:.2f} s")
        if self.left_out:
            lines.append(f"left out {self.left_out} observations already stated with the same "
                         f"value in the known files")
        lines.append(f"{len(self.warnings)} printed average(s) differ from the recomputed mean "
                     f"beyond rounding" + (":" if self.warnings else ""))
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def _select(countries: Iterable[str] | None, vocab, tables) -> set | None:
    if countries is None:
        return None
    by_code = {code.upper(): place for place, code in vocab.iso3.items()}
    selected = set()
    for item in countries:
        text = str(item).strip()
        if not text:
            continue
        place = by_code.get(text.upper())
        if place is None:
            from graph.importer.mapping import key

            place = vocab.countries.get(key(text))
        if place is None:
            import difflib

            close = difflib.get_close_matches(text.upper(), list(by_code), n=3, cutoff=0.6)
            raise EntityNotFound(text, close, kind="country")
        selected.add(place)
    if not selected:
        raise DataError("no countries selected; give ISO3 codes such as MLI,NER")
    for table in tables:
        missing = selected - {row.place for row in table.rows}
        if missing:
            raise DataError(f"{', '.join(sorted(vocab.iso3[p] for p in missing))}: not in sheet "
                            f"{table.sheet!r} of {table.workbook}")
    return selected


def _rank_note(table, record, vocab) -> str:
    note = (f"Derived by ranking every country of the workbook's {table.sheet} sheet by "
            f"{vocab.label(record.average).lower()}, highest first, on the unrounded mean of the "
            f"indicator scores; tied scores share a rank.")
    tied = sorted(vocab.label(p) for p in record.tied_with)
    if 0 < len(tied) <= 3:
        names = tied[0] if len(tied) == 1 else ", ".join(tied[:-1]) + " and " + tied[-1]
        note += f" Tied with {names}."
    elif tied:
        note += f" Tied with {len(tied)} other countries."
    return note


def import_ocindex(workbook: str | Path, out: str | Path | None = None,
                   countries: Iterable[str] | None = None, *, known: Iterable[str | Path] = (),
                   editions: Iterable[int] = DEFAULT_EDITIONS) -> ImportReport:
    """Read the Index dataset workbook and turn it into score, average and rank observations.

    Parameters
    ----------
    workbook : str or Path
        The GI-TOC dataset workbook (``global_oc_index.xlsx``), read only.
    out : str or Path, optional
        Turtle file to write (replaced atomically). Nothing is written when omitted, or when
        anything fails.
    countries : iterable of str, optional
        ISO3 codes (or gazetteer names) of the countries to write; all by default. Ranks are
        always taken among every country of the sheet.
    known : iterable of str or Path
        Turtle files whose observations take precedence: an observation with the same country,
        indicator, edition (and scope) and the same value is left out; a different value is an
        error.
    editions : iterable of int
        Edition years to read, one sheet ``{year}_dataset`` each.

    Returns
    -------
    ImportReport
        Counts, the average warnings, the rdflib graph, the time taken.

    Raises
    ------
    graph.errors.WorkbookError
        If the workbook is missing or broken: a missing sheet, an unknown, renamed or missing
        column, a score that is empty, not a number, off the 1-10 scale or off the half-point
        grid, an unknown country or region. The message names sheet, row and column (the
        exception's ``problems`` lists every problem found).
    graph.errors.EntityNotFound
        If a country in ``countries`` is not in the gazetteer.
    graph.errors.DataError
        If a selected country is not in a sheet, or a ``known`` file states another value.

    Examples
    --------
    >>> import_ocindex("missing.xlsx")
    Traceback (most recent call last):
    ...
    graph.errors.WorkbookError: missing.xlsx: no such file

    With the workbook (here from ``../shared``):

    >>> report = import_ocindex(workbook_path, countries=["MLI"])  # doctest: +SKIP
    >>> report.counts[2021]  # doctest: +SKIP
    {'IndicatorScore': 26, 'AggregateScore': 4, 'Rank': 6}

    Notes
    -----
    Printed averages are stored as printed (that is what GI-TOC publishes); one that differs
    from the recomputed mean by more than 0.005 becomes a warning and a ``skos:note`` on the
    observation. Ranks are ``tkg:derived``: standard competition ranks on the exact means.
    """
    from graph.importer.averages import check_averages
    from graph.importer.known import read_known
    from graph.importer.mapping import load_vocabulary, map_sheet
    from graph.importer.ranking import rank_edition
    from graph.importer.turtle import ObservationGraph, write_turtle
    from graph.importer.workbook import raise_problems, read_sheets

    start = time.perf_counter()
    path = Path(workbook)
    years = list(editions)
    sheets = read_sheets(path, [SHEET_NAME.format(year=year) for year in years])
    vocab = load_vocabulary()
    problems, tables = [], []
    for year, sheet in zip(years, sheets.values(), strict=True):
        table, found = map_sheet(sheet, year, path.name, vocab)
        problems += found
        if table is not None:
            tables.append(table)
    raise_problems(problems)
    selected = _select(countries, vocab, tables)
    observations = ObservationGraph(read_known(known))
    warnings = []
    for table in tables:
        exact, mismatches = check_averages(table, vocab)
        warnings += mismatches
        noted = {(m.iso3, m.average): m for m in mismatches}
        rows = [row for row in table.rows if selected is None or row.place in selected]
        for row in rows:
            for concept in sorted(row.scores):
                observations.score(row.iso3, row.place, concept, table.edition, table.year,
                                   row.scores[concept], average=False,
                                   cell=table.cell(row, concept))
            for concept in sorted(row.printed):
                mismatch = noted.get((row.iso3, vocab.label(concept)))
                note = None if mismatch is None else (
                    f"The workbook prints {mismatch.printed}; the mean of the indicator scores is "
                    f"{float(mismatch.recomputed):.4g}.")
                observations.score(row.iso3, row.place, concept, table.edition, table.year,
                                   row.printed[concept], average=True,
                                   cell=table.cell(row, concept), note=note)
        by_place = {row.place: row for row in rows}
        for record in rank_edition(table, exact, vocab):
            row = by_place.get(record.place)
            if row is None:
                continue
            observations.rank(row.iso3, row.place, record.average, table.edition, table.year,
                              record.scope, record.region, record.rank, record.out_of,
                              cell=table.cell(row, record.average),
                              note=_rank_note(table, record, vocab))
    written = sorted({row.iso3 for table in tables for row in table.rows
                      if selected is None or row.place in selected})
    known_names = sorted({Path(k).name for k in known})
    header = _header(path.name, tables, written, observations.left_out, known_names)
    target = None if out is None else Path(out)
    if target is not None:
        write_turtle(observations.graph, target, header)
    counts: dict[int, dict[str, int]] = {}
    for (edition, kind), n in observations.counts.items():
        year = next(t.year for t in tables if t.edition == edition)
        counts.setdefault(year, {})[kind] = n
    return ImportReport(
        workbook=path.name,
        editions={t.year: {"sheet": t.sheet, "countries": len(t.rows)} for t in tables},
        countries=written,
        counts={t.year: counts.get(t.year, {}) for t in tables},
        left_out=observations.left_out,
        warnings=warnings,
        graph=observations.graph,
        out=target,
        seconds=time.perf_counter() - start,
        header=header,
    )


def _header(workbook: str, tables, written: list[str], left_out: int, known: list[str]) -> str:
    total = max((len(t.rows) for t in tables), default=0)
    scope = (f"all {len(written)} countries" if len(written) == total
             else f"{len(written)} of {total} countries: {' '.join(written)}")
    lines = [
        "Global Organized Crime Index: indicator scores, printed averages and derived ranks,",
        f"editions {' and '.join(str(t.year) for t in tables)}, for {scope}.",
        "",
        "Figures: Global Initiative against Transnational Organized Crime (GI-TOC), https://ocindex.net,",
        f"from its dataset workbook (kb:doc-ocindex-dataset-2023), file {workbook}, sheets "
        f"{', '.join(t.sheet for t in tables)}.",
        "Ranks are computed from those figures (tkg:derived true): every country of a sheet,",
        "highest first, tied scores sharing a rank, within the world, the continent and the",
        "sub-region the workbook gives.",
    ]
    if known:
        lines.append(f"Left out: {left_out} observations already stated, with the same values, "
                     f"in {', '.join(known)}.")
    lines += ["", "Generated by `tkg import ocindex`: regenerate it, do not edit it by hand."]
    return "\n".join(lines)
