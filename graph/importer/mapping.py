"""Give the workbook's columns and names their meaning, read from the ontology and the gazetteer.

Column headers are matched to Index concepts (``ind:``) by ``skos:prefLabel`` and
``skos:altLabel``; countries to gazetteer places by ``rdfs:label`` and ``skos:altLabel``;
continents and sub-regions to the gazetteer's Index regions; sheets to editions by
``tkg:year``. Names are compared case- and accent-insensitively, with surrounding spaces and
trailing punctuation dropped (the 2023 sheet writes ``"Criminality avg,"``, the 2021 sheet
``"Caribbean "``). Nothing here lists a column or a country: a new spelling is added to the
Turtle, not to the code.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from graph.importer.workbook import Problem, Sheet, column_letter, parse_score
from graph.lookup import normalise

__all__ = ["CountryRow", "EditionTable", "Vocabulary", "key", "load_vocabulary", "map_sheet"]

#: Header cells that locate a country rather than score it (matched like every other name).
STRUCTURE_COLUMNS = ("Continent", "Region", "Country")

_TRAILING = re.compile(r"[\s,.;:]+$")


def key(name: str) -> str:
    """The form in which names are compared: normalised, without trailing punctuation.

    Examples
    --------
    >>> key("Criminality avg,"), key("Caribbean "), key("Côte d'Ivoire")
    ('criminality avg', 'caribbean', "cote d'ivoire")
    """
    return _TRAILING.sub("", normalise(name))


@dataclass
class Vocabulary:
    """What the importer reads from the ontology, vocabularies and gazetteer (rdflib terms)."""

    #: Name key -> Index concept (markets, actor types, resilience indicators, averages).
    indicators: dict = field(default_factory=dict)
    #: Index concept -> its class (``tkg:CriminalMarket``, ..., ``tkg:IndexAggregate``).
    indicator_class: dict = field(default_factory=dict)
    #: Index concept -> the editions that measure it (``tkg:measuredIn``).
    measured_in: dict = field(default_factory=dict)
    #: Index average -> the averages it is the mean of (their ``skos:broader``).
    narrower_averages: dict = field(default_factory=dict)
    #: The averages the Index ranks countries on: top concepts of ``ind:aggregates``.
    ranked: tuple = ()
    #: Edition year -> edition concept.
    editions: dict = field(default_factory=dict)
    #: Name key -> country place.
    countries: dict = field(default_factory=dict)
    #: Country place -> ISO 3166-1 alpha-3 code.
    iso3: dict = field(default_factory=dict)
    #: Name key -> supranational region (continents and Index sub-regions included).
    regions: dict = field(default_factory=dict)
    #: Place -> every place it is part of, transitively.
    part_of: dict = field(default_factory=dict)
    #: Any IRI -> its English label, for messages.
    labels: dict = field(default_factory=dict)

    def is_average(self, concept) -> bool:
        """True for an Index average (an ``tkg:IndexAggregate``)."""
        from graph.namespaces import TKG

        return self.indicator_class.get(concept) == TKG.IndexAggregate

    def columns_of(self, edition) -> set:
        """Every Index concept the edition measures, hence every column its sheet must have."""
        return {c for c, editions in self.measured_in.items() if edition in editions}

    def label(self, iri) -> str:
        """The English label of ``iri``, or its local name."""
        return self.labels.get(iri) or str(iri).rsplit("/", 1)[-1]


def _add(table: dict, name: str, iri, what: str) -> None:
    k = key(name)
    if table.get(k, iri) != iri:
        from graph.errors import DataError

        raise DataError(f"the ontology gives the {what} name {name!r} to both "
                        f"{table[k]} and {iri}; make the labels unique")
    table[k] = iri


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """Read the bundled ontology, vocabularies and gazetteer into a :class:`Vocabulary`.

    Raises
    ------
    graph.errors.DataError
        If two concepts (or two places of one kind) share a name.

    Examples
    --------
    >>> vocab = load_vocabulary()
    >>> vocab.indicators["criminality avg"] == vocab.indicators["criminality"]
    True
    >>> vocab.iso3[vocab.countries["cote d'ivoire"]]
    'CIV'
    """
    from rdflib import RDF, RDFS, SKOS, Graph, Literal

    from graph.namespaces import IND, TKG
    from graph.sources import collect, parse

    g = Graph()
    for source in collect([]):
        g += parse(source)

    def english(term) -> list[str]:
        return [str(o) for o in g.objects(term, SKOS.prefLabel)]

    vocab = Vocabulary()
    for subject, label in g.subject_objects(RDFS.label | SKOS.prefLabel):
        if isinstance(label, Literal) and label.language in (None, "en"):
            vocab.labels.setdefault(subject, str(label))
    classes = set(g.transitive_subjects(RDFS.subClassOf, TKG.IndexIndicator)) - {TKG.IndexIndicator}
    for cls in sorted(classes):
        for concept in g.subjects(RDF.type, cls):
            vocab.indicator_class[concept] = cls
            vocab.measured_in[concept] = frozenset(g.objects(concept, TKG.measuredIn))
            for name in english(concept) + [str(o) for o in g.objects(concept, SKOS.altLabel)]:
                _add(vocab.indicators, name, concept, "Index indicator")
    for concept, cls in vocab.indicator_class.items():
        if cls == TKG.IndexAggregate:
            for broader in g.objects(concept, SKOS.broader):
                vocab.narrower_averages.setdefault(broader, []).append(concept)
    vocab.narrower_averages = {k: tuple(sorted(v)) for k, v in vocab.narrower_averages.items()}
    vocab.ranked = tuple(sorted(g.objects(IND.aggregates, SKOS.hasTopConcept)))
    for edition in g.subjects(RDF.type, TKG.Edition):
        year = g.value(edition, TKG.year)
        if year is not None:
            vocab.editions[int(year)] = edition
    for country in g.subjects(RDF.type, TKG.Country):
        vocab.iso3[country] = str(g.value(country, TKG.iso3))
        for name in g.objects(country, RDFS.label | SKOS.altLabel):
            _add(vocab.countries, str(name), country, "country")
    for region in g.subjects(RDF.type, TKG.SupranationalRegion):
        for name in g.objects(region, RDFS.label | SKOS.altLabel):
            _add(vocab.regions, str(name), region, "region")
    parents = defaultdict(set)
    for child, parent in g.subject_objects(TKG.partOf):
        parents[child].add(parent)
    for place in list(parents):
        seen, todo = set(), list(parents[place])
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(parents.get(parent, ()))
        vocab.part_of[place] = frozenset(seen)
    return vocab


@dataclass
class CountryRow:
    """One country's row of one sheet, with every name resolved and every score checked."""

    #: The gazetteer place of the country.
    place: object
    #: Its ISO3 code.
    iso3: str
    #: The name as written in the workbook.
    name: str
    #: 1-based row number in the sheet.
    row: int
    #: The Index continent (gazetteer place) from the Continent column.
    continent: object
    #: The Index sub-region (gazetteer place) from the Region column.
    region: object
    #: Market, actor-type and resilience-indicator scores: concept -> Decimal (one decimal).
    scores: dict[object, Decimal] = field(default_factory=dict)
    #: The averages the workbook prints: concept -> Decimal (two decimals).
    printed: dict[object, Decimal] = field(default_factory=dict)


@dataclass
class EditionTable:
    """One sheet, read as one edition of the Index."""

    #: The workbook's file name.
    workbook: str
    #: The sheet name.
    sheet: str
    #: The edition's year.
    year: int
    #: The edition concept (``ind:edition-2021``).
    edition: object
    #: Concept -> 0-based column index.
    columns: dict
    #: Header text of each column index.
    headers: tuple[str, ...]
    #: The countries, in sheet order.
    rows: list[CountryRow]

    def cell(self, row: CountryRow, concept) -> str:
        """Where a country's figure for ``concept`` sits, for messages."""
        index = self.columns[concept]
        return Problem(self.workbook, self.sheet, row.row, column_letter(index),
                       self.headers[index], "").location()


def _suggest(name: str, names) -> str:
    close = difflib.get_close_matches(key(name), list(names), n=3, cutoff=0.6)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def map_sheet(sheet: Sheet, year: int, workbook: str, vocab: Vocabulary | None = None,
              ) -> tuple[EditionTable | None, list[Problem]]:
    """Resolve one sheet's columns, countries and regions and check every score.

    Parameters
    ----------
    sheet : Sheet
        As read by :func:`graph.importer.workbook.read_sheets`.
    year : int
        The edition the sheet holds; must be a ``tkg:year`` of an edition in the ontology.
    workbook : str
        The workbook's file name, for messages.
    vocab : Vocabulary, optional
        Defaults to :func:`load_vocabulary`.

    Returns
    -------
    (EditionTable or None, list of Problem)
        The table is None when the header row is unusable; problems are in sheet order.
    """
    vocab = vocab or load_vocabulary()
    problems: list[Problem] = []

    def problem(row, column, message):
        header = sheet.header[column] if column is not None and column < len(sheet.header) else None
        problems.append(Problem(workbook, sheet.name, row,
                                None if column is None else column_letter(column),
                                header or None, message))

    if year not in vocab.editions:
        problem(None, None, f"no edition of the Index has the year {year} in the ontology; "
                            f"known years: {', '.join(map(str, sorted(vocab.editions)))}")
        return None, problems
    edition = vocab.editions[year]
    structure = {key(name): name for name in STRUCTURE_COLUMNS}
    located: dict[str, int] = {}
    columns: dict = {}
    for index, header in enumerate(sheet.header):
        if not header:
            if any(index < len(v) and v[index] not in (None, "") for _, v in sheet.rows):
                problem(1, index, "the column has values but no header")
            continue
        k = key(header)
        if k in structure:
            if structure[k] in located:
                problem(1, index, f"a second {structure[k]!r} column "
                                  f"(the first is column {column_letter(located[structure[k]])})")
            located[structure[k]] = index
            continue
        concept = vocab.indicators.get(k)
        if concept is None:
            problem(1, index, f"unknown column {header!r}: no Index indicator has this name"
                              + _suggest(header, vocab.indicators))
        elif edition not in vocab.measured_in.get(concept, ()):
            problem(1, index, f"{vocab.label(concept)!r} is not measured in the {year} edition "
                              f"(tkg:measuredIn in the ontology)")
        elif concept in columns:
            problem(1, index, f"a second column for {vocab.label(concept)!r} "
                              f"(the first is column {column_letter(columns[concept])})")
        else:
            columns[concept] = index
    for name in STRUCTURE_COLUMNS:
        if name not in located:
            problem(1, None, f"no {name!r} column")
    for concept in sorted(vocab.columns_of(edition) - set(columns)):
        problem(1, None, f"no column for {vocab.label(concept)!r}, which the {year} edition "
                         f"measures; headers are matched to its skos:prefLabel or skos:altLabel")
    if problems:
        return None, problems

    rows: list[CountryRow] = []
    first_row: dict = {}
    c_col, r_col, n_col = (located[n] for n in STRUCTURE_COLUMNS)
    for number, values in sheet.rows:
        def value(index, values=values):
            return values[index] if index < len(values) else None

        name = str(value(n_col) or "").strip()
        country = vocab.countries.get(key(name)) if name else None
        if not name:
            problem(number, n_col, "no country name")
        elif country is None:
            problem(number, n_col, f"unknown country {name!r}: not a name or alternative name of "
                                   f"a gazetteer country" + _suggest(name, vocab.countries))
        elif country in first_row:
            problem(number, n_col, f"{name!r} appears twice (first in row {first_row[country]})")
        else:
            first_row[country] = number
        places = []
        for index, kind in ((c_col, "continent"), (r_col, "sub-region")):
            text = str(value(index) or "").strip()
            place = vocab.regions.get(key(text)) if text else None
            if place is None:
                problem(number, index, f"unknown {kind} {text!r}: not a region of the gazetteer"
                                       + _suggest(text, vocab.regions))
            places.append(place)
        continent, region = places
        if continent is not None and region is not None \
                and continent not in vocab.part_of.get(region, ()):
            problem(number, r_col, f"sub-region {vocab.label(region)!r} is not part of "
                                   f"{vocab.label(continent)!r} in the gazetteer")
        record = CountryRow(country, vocab.iso3.get(country, ""), name, number, continent, region)
        for concept, index in columns.items():
            average = vocab.is_average(concept)
            try:
                score = parse_score(value(index), grid=not average)
            except ValueError as exc:
                problem(number, index, str(exc))
                continue
            (record.printed if average else record.scores)[concept] = score
        rows.append(record)
    if not rows:
        problem(None, None, "no country rows under the header")
    table = EditionTable(workbook, sheet.name, year, edition, columns, sheet.header, rows)
    return (None if problems else table), problems
