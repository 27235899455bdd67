"""The importer on small synthetic workbooks with known answers (no ../shared needed).

Each workbook is built here with openpyxl from the ontology's own labels, so the tests also
show that a workbook spelled the way the ontology spells things imports cleanly.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from graph.cli import cli
from graph.errors import DataError, EntityNotFound, WorkbookError
from graph.importer import import_ocindex
from graph.importer.mapping import key, load_vocabulary
from graph.importer.ranking import competition_ranks
from graph.namespaces import IND, KB, PLACE, TKG

openpyxl = pytest.importorskip("openpyxl")

#: country name, continent, region, market score, actor score, resilience score (per edition).
COUNTRIES = [
    ("Mali", "Africa", "West Africa", 6.0, 5.0, 2.0),
    ("Niger", "Africa", "West Africa", 5.5, 5.0, 2.0),
    ("Algeria", "Africa", "North Africa ", 4.0, 4.5, 3.0),   # trailing space, as the 2021 sheet has
    ("France", "Europe", "Western Europe", 4.5, 5.0, 7.0),
]


def headers(year: int, suffix: str) -> list[tuple[object, str]]:
    """(concept, header) for every concept the edition measures, averages with ``suffix``."""
    vocab = load_vocabulary()
    edition = vocab.editions[year]
    order = {TKG.IndexAggregate: 0, TKG.CriminalMarket: 1, TKG.CriminalActorType: 2,
             TKG.ResilienceIndicator: 3}
    concepts = sorted(vocab.columns_of(edition),
                      key=lambda c: (order[vocab.indicator_class[c]], str(c)))
    return [(c, vocab.label(c) + (suffix if vocab.is_average(c) else "")) for c in concepts]


def value_for(concept, market, actor, res):
    vocab = load_vocabulary()
    cls = vocab.indicator_class[concept]
    if cls == TKG.CriminalMarket:
        return market
    if cls == TKG.CriminalActorType:
        return actor
    if cls == TKG.ResilienceIndicator:
        return res
    exact = {IND["criminal-markets"]: market, IND["criminal-actors"]: actor,
             IND.resilience: res, IND.criminality: (market + actor) / 2}[concept]
    return float(Decimal(str(exact)).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"))


def make_workbook(path, countries=COUNTRIES, edit=None):
    """Write a two-sheet workbook; ``edit(book)`` may break it before saving."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for year, suffix in ((2021, ""), (2023, " avg,")):
        sheet = book.create_sheet(f"{year}_dataset")
        columns = headers(year, suffix)
        sheet.append(["Continent", "Region", "Country"] + [h for _, h in columns])
        for name, continent, region, market, actor, res in countries:
            sheet.append([continent, region, name]
                         + [value_for(c, market, actor, res) for c, _ in columns])
    if edit:
        edit(book)
    book.save(path)
    return path


def column_of(sheet, header: str) -> int:
    """1-based column of ``header`` in row 1."""
    for cell in sheet[1]:
        if cell.value == header:
            return cell.column
    raise KeyError(header)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = make_workbook(tmp_path_factory.mktemp("wb") / "small.xlsx")
    return path, import_ocindex(path)


def score(graph, subject):
    values = list(graph.objects(KB[subject], TKG.score))
    assert len(values) == 1, (subject, values)
    return values[0]


def rank(graph, subject):
    node = KB[subject]
    return (graph.value(node, TKG.rank).toPython(), graph.value(node, TKG.rankOutOf).toPython(),
            graph.value(node, TKG.scopeRegion))


# -- names ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Criminality avg,", "criminality avg"),
    ("  Caribbean ", "caribbean"),
    ("Côte d’Ivoire", "cote d'ivoire"),
    ("Congo, Dem. Rep.", "congo, dem. rep"),
])
def test_key_folds_case_accents_spaces_and_trailing_punctuation(text, expected):
    assert key(text) == expected


def test_every_workbook_header_style_maps_to_the_same_concept():
    vocab = load_vocabulary()
    assert vocab.indicators[key("Criminality avg,")] == vocab.indicators[key("Criminality")] \
        == IND.criminality
    assert vocab.indicators[key("Criminal markets")] == IND["criminal-markets"]  # not the scheme
    assert vocab.ranked == (IND.criminality, IND.resilience)


# -- ranking --------------------------------------------------------------------------------

@pytest.mark.parametrize("values, expected", [
    ({"a": 1}, {"a": 1}),
    ({"a": 2, "b": 2, "c": 2}, {"a": 1, "b": 1, "c": 1}),
    ({"a": 9, "b": 7, "c": 7, "d": 7, "e": 1}, {"a": 1, "b": 2, "c": 2, "d": 2, "e": 5}),
    ({"a": Fraction(19, 8), "b": Fraction(238, 100)}, {"b": 1, "a": 2}),  # 2.375 < 2.38
])
def test_competition_ranking(values, expected):
    assert competition_ranks(values) == expected


# -- a clean import -------------------------------------------------------------------------

def test_every_country_and_indicator_of_both_editions(small):
    _, report = small
    vocab = load_vocabulary()
    for year in (2021, 2023):
        n = len(vocab.columns_of(vocab.editions[year]))
        assert report.counts[year] == {"IndicatorScore": 4 * (n - 4), "AggregateScore": 16,
                                       "Rank": 4 * 2 * 3}
    assert report.countries == ["DZA", "FRA", "MLI", "NER"]
    assert report.warnings == []


def test_scores_keep_the_curated_lexical_forms(small):
    _, report = small
    g = report.graph
    assert score(g, "score-MLI-arms-trafficking-2021") == Literal("6.0", datatype=_decimal())
    assert str(score(g, "score-NER-criminality-2023")) == "5.25"
    assert str(score(g, "score-MLI-resilience-2023")) == "2.00"


def _decimal():
    from rdflib import XSD

    return XSD.decimal


def test_ranks_in_three_scopes_with_ties(small):
    _, g = small[0], small[1].graph
    assert rank(g, "rank-FRA-resilience-world-2021") == (1, 4, None)
    assert rank(g, "rank-DZA-resilience-world-2021") == (2, 4, None)
    assert rank(g, "rank-MLI-resilience-world-2021") == (3, 4, None)
    assert rank(g, "rank-NER-resilience-world-2021") == (3, 4, None)
    assert rank(g, "rank-MLI-resilience-continent-2021") == (2, 3, PLACE.africa)
    assert rank(g, "rank-NER-resilience-subregion-2023") == (1, 2, PLACE["west-africa"])
    assert rank(g, "rank-DZA-resilience-subregion-2023") == (1, 1, PLACE["north-africa"])
    # criminality: Mali 5.5, Niger 5.25, France 4.75, Algeria 4.25
    assert rank(g, "rank-MLI-criminality-world-2021")[0] == 1
    assert rank(g, "rank-NER-criminality-world-2021")[0] == 2
    assert rank(g, "rank-FRA-criminality-world-2021")[0] == 3
    assert rank(g, "rank-DZA-criminality-world-2021")[0] == 4
    note = str(g.value(KB["rank-MLI-resilience-world-2021"], URIRef(
        "http://www.w3.org/2004/02/skos/core#note")))
    assert "Tied with Niger." in note
    assert g.value(KB["rank-MLI-resilience-world-2021"], TKG.derived).toPython() is True


def test_selected_countries_are_ranked_among_all(tmp_path):
    path = make_workbook(tmp_path / "wb.xlsx")
    report = import_ocindex(path, countries=["ner", "Algeria"])
    assert report.countries == ["DZA", "NER"]
    assert rank(report.graph, "rank-NER-resilience-world-2021") == (3, 4, None)
    assert not list(report.graph.triples((None, TKG.refArea, PLACE.MLI)))


@pytest.mark.parametrize("countries, error, match", [
    (["XYZ"], EntityNotFound, "no country matches 'XYZ'"),
    (["PER"], DataError, r"PER: not in sheet '2021_dataset' of wb.xlsx"),
    ([" "], DataError, "no countries selected"),
])
def test_bad_country_selection(tmp_path, countries, error, match):
    path = make_workbook(tmp_path / "wb.xlsx")
    with pytest.raises(error, match=match):
        import_ocindex(path, tmp_path / "out.ttl", countries)
    assert not (tmp_path / "out.ttl").exists()


# -- averages ---------------------------------------------------------------------------

def set_cell(sheet_name, header, country, value):
    def edit(book):
        sheet = book[sheet_name]
        col = column_of(sheet, header)
        row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 3).value == country)
        sheet.cell(row, col).value = value
    return edit


def test_printed_average_off_beyond_rounding_is_a_warning_not_an_error(tmp_path):
    path = make_workbook(tmp_path / "wb.xlsx",
                         edit=set_cell("2023_dataset", "Resilience avg,", "Niger", 2.1))
    report = import_ocindex(path, tmp_path / "out.ttl")
    [warning] = report.warnings
    assert (warning.iso3, warning.year, warning.average) == ("NER", 2023, "Resilience")
    assert warning.recomputed == 2 and warning.printed == Decimal("2.10")
    assert str(warning).startswith("wb.xlsx, sheet '2023_dataset', row 3, column ")
    assert "('Resilience avg,'): Resilience of NER (2023) is printed as 2.10" in str(warning)
    # the printed figure is stored, with the recomputed one in a note
    assert str(score(report.graph, "score-NER-resilience-2023")) == "2.10"
    note = report.graph.value(KB["score-NER-resilience-2023"],
                              URIRef("http://www.w3.org/2004/02/skos/core#note"))
    assert "mean of the indicator scores is 2" in str(note)
    # ranks use the exact mean, so Niger still ties Mali
    assert rank(report.graph, "rank-NER-resilience-world-2023")[0] == 3
    assert (tmp_path / "out.ttl").is_file()


@pytest.mark.parametrize("printed, warned", [
    (2.0, False), (2.004, False), (1.996, False),   # two-decimal roundings of the exact 2.0
    (2.01, True), (1.99, True), (2.5, True),
])
def test_rounding_tolerance(tmp_path, printed, warned):
    path = make_workbook(tmp_path / "wb.xlsx",
                         edit=set_cell("2021_dataset", "Resilience", "Mali", printed))
    assert bool(import_ocindex(path).warnings) is warned


# -- known observations -----------------------------------------------------------------

def known_file(tmp_path, value: str) -> str:
    path = tmp_path / "known.ttl"
    path.write_text(f"""
@prefix kb: <https://w3id.org/tkg/kb/> . @prefix tkg: <https://w3id.org/tkg/ontology#> .
@prefix ind: <https://w3id.org/tkg/vocab/index/> . @prefix place: <https://w3id.org/tkg/place/> .
kb:score-MLI-arms-trafficking-2021 tkg:refArea place:MLI ; tkg:indicator ind:arms-trafficking ;
    tkg:edition ind:edition-2021 ; tkg:score {value} .
""", encoding="utf-8")
    return str(path)


def test_known_observation_with_the_same_value_is_left_out(tmp_path):
    path = make_workbook(tmp_path / "wb.xlsx")
    report = import_ocindex(path, countries=["MLI"], known=[known_file(tmp_path, "6.0")])
    assert report.left_out == 1
    assert not list(report.graph.triples((KB["score-MLI-arms-trafficking-2021"], None, None)))
    assert report.counts[2021]["IndicatorScore"] == 25
    assert "Left out: 1 observations" in report.header and "known.ttl" in report.header


def test_known_observation_with_another_value_is_an_error(tmp_path):
    path = make_workbook(tmp_path / "wb.xlsx")
    out = tmp_path / "out.ttl"
    with pytest.raises(DataError, match=r"known.ttl states score-MLI-arms-trafficking-2021 = "
                                        r"7.5, but the workbook has 6.0 \(wb.xlsx, sheet "
                                        r"'2021_dataset', row 2, column [A-Z]+ "
                                        r"\('Arms trafficking'\)\)"):
        import_ocindex(path, out, known=[known_file(tmp_path, "7.5")])
    assert not out.exists()


# -- broken synthetic workbooks (the real workbook gets the same in test_importer_workbook) --

@pytest.mark.parametrize("edit, match", [
    (set_cell("2021_dataset", "Human smuggling", "Niger", "n/a"),
     r"wb.xlsx, sheet '2021_dataset', row 3, column [A-Z]+ \('Human smuggling'\): "
     r"'n/a' is not a number"),
    (set_cell("2023_dataset", "Prevention", "France", 0.5),
     r"sheet '2023_dataset', row 5, column [A-Z]+ \('Prevention'\): 0.5 is outside"),
    (set_cell("2021_dataset", "Country", "Algeria", "Atlantis"),
     r"sheet '2021_dataset', row 4, column C \('Country'\): unknown country 'Atlantis'"),
    (set_cell("2021_dataset", "Region", "France", "Western Asia"),
     r"row 5, column B \('Region'\): sub-region 'Western Asia' is not part of 'Europe'"),
])
def test_broken_synthetic_workbook(tmp_path, edit, match):
    path = make_workbook(tmp_path / "wb.xlsx", edit=edit)
    with pytest.raises(WorkbookError, match=match):
        import_ocindex(path, tmp_path / "out.ttl")
    assert not (tmp_path / "out.ttl").exists()


def test_all_problems_are_collected(tmp_path):
    def edit(book):
        set_cell("2021_dataset", "Fauna crimes", "Mali", "x")(book)
        set_cell("2023_dataset", "Fauna crimes", "Mali", 12)(book)
    path = make_workbook(tmp_path / "wb.xlsx", edit=edit)
    with pytest.raises(WorkbookError, match=r"\(and 1 more problem\)") as caught:
        import_ocindex(path)
    assert [p.sheet for p in caught.value.problems] == ["2021_dataset", "2023_dataset"]


# -- CLI ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_cli_writes_turtle_and_a_summary(tmp_path, fmt):
    path = make_workbook(tmp_path / "wb.xlsx")
    out = tmp_path / "scores.ttl"
    result = CliRunner().invoke(cli, ["import", "ocindex", str(path), "--out", str(out),
                                      "--countries", "MLI,NER", "--format", fmt])
    assert result.exit_code == 0, result.output
    expected = import_ocindex(path, countries=["MLI", "NER"])
    assert out.read_bytes() == expected.turtle()
    if fmt == "json":
        assert json.loads(result.stdout) == json.loads(json.dumps(expected.rows()))
    elif fmt == "csv":
        assert result.stdout.splitlines()[0].startswith("edition,sheet,countries read")
    else:
        assert "wrote 156 observations for 2 countries" in result.stdout


def test_cli_without_out_writes_turtle_to_stdout(tmp_path):
    path = make_workbook(tmp_path / "wb.xlsx")
    result = CliRunner().invoke(cli, ["import", "ocindex", str(path), "--countries", "FRA"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Global Organized Crime Index")
    assert "kb:score-FRA-prevention-2023" in result.stdout
    assert "wrote 78 observations" in result.stderr


def test_cli_error_is_one_line_with_exit_code_2(tmp_path):
    path = make_workbook(tmp_path / "wb.xlsx",
                         edit=set_cell("2023_dataset", "Country", "Mali", "Atlantis"))
    result = CliRunner().invoke(cli, ["import", "ocindex", str(path), "--out",
                                      str(tmp_path / "o.ttl")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: wb.xlsx, sheet '2023_dataset', row 2, column C")
    assert not (tmp_path / "o.ttl").exists()


# -- the source blocks ----------------------------------------------------------------------

def test_source_and_data_set_blocks_match_every_data_file_that_declares_them():
    from rdflib import Graph

    from graph.importer.turtle import ObservationGraph
    from graph.resources import bundled_data_files

    mine = ObservationGraph().graph
    subjects = (KB["doc-ocindex-dataset-2023"], KB["dataset-ocindex"])
    declared = 0
    for path in bundled_data_files():
        theirs = Graph().parse(path)
        for subject in subjects:
            stated = set(theirs.predicate_objects(subject))
            if stated:
                declared += 1
                assert stated == set(mine.predicate_objects(subject)), (path.name, subject)
    assert declared >= 4  # the Mali files and the regional score file
