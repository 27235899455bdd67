"""The importer on the real Index workbook, and the bundled regional score file it produced.

The workbook is read from ``../shared/ocindex/global_oc_index.xlsx`` (tests skip outside CI
when it is missing). Expected figures are read from the workbook here with openpyxl,
independently of the importer, or taken from the printed profiles (Mali's ranks).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from rdflib import RDF, Graph

from graph.importer import import_ocindex
from graph.importer.mapping import key, load_vocabulary
from graph.namespaces import IND, KB, PLACE, TKG
from graph.resources import bundled_data_files, data_dir

openpyxl = pytest.importorskip("openpyxl")

REGION = ["MLI", "NER", "BFA", "DZA", "LBY", "MRT", "GIN", "CIV", "NGA", "ARE", "SEN", "TCD"]
REGION_FILE = "ocindex-dataset-region.ttl"
#: The curated Mali files whose observations the regional file leaves out (same values).
MALI_FILES = ["ocindex-2021-mali.ttl", "ocindex-2023-mali.ttl"]


@pytest.fixture(scope="module")
def workbook(shared_dir) -> Path:
    path = shared_dir / "ocindex" / "global_oc_index.xlsx"
    assert path.is_file(), path
    return path


@pytest.fixture(scope="module")
def full(workbook):
    """All 193 countries, both editions, nothing written."""
    return import_ocindex(workbook)


@pytest.fixture(scope="module")
def sheets(workbook) -> dict[int, list[dict]]:
    """The workbook's rows as dicts keyed by trimmed header, read without the importer."""
    book = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    try:
        result = {}
        for year in (2021, 2023):
            rows = book[f"{year}_dataset"].iter_rows(values_only=True)
            header = [str(h).strip().rstrip(",") for h in next(rows)]
            result[year] = [dict(zip(header, r, strict=True)) for r in rows if r[2]]
        return result
    finally:
        book.close()


def rank_of(graph, iso3, average, scope, year):
    node = KB[f"rank-{iso3}-{average}-{scope}-{year}"]
    return (graph.value(node, TKG.rank).toPython(), graph.value(node, TKG.rankOutOf).toPython(),
            graph.value(node, TKG.scopeRegion))


# -- the whole workbook -------------------------------------------------------------------------

def test_all_193_countries_and_both_editions(full):
    vocab = load_vocabulary()
    read = {year: info["countries"] for year, info in full.editions.items()}
    assert read == {2021: 193, 2023: 193}
    assert len(full.countries) == 193
    g = full.graph
    per = Counter()
    for obs in g.subjects(TKG.refArea, None):
        per[(g.value(obs, TKG.refArea), g.value(obs, TKG.edition), g.value(obs, RDF.type))] += 1
    assert {area for area, _, _ in per} == set(vocab.iso3)  # every gazetteer country
    for year in (2021, 2023):
        edition = vocab.editions[year]
        indicators = len(vocab.columns_of(edition)) - 4
        for country in vocab.iso3:
            assert per[(country, edition, TKG.IndicatorScore)] == indicators, (country, year)
            assert per[(country, edition, TKG.AggregateScore)] == 4
            assert per[(country, edition, TKG.Rank)] == 6
    assert full.counts[2021]["IndicatorScore"] == 193 * 26
    assert full.counts[2023]["IndicatorScore"] == 193 * 32


def test_every_figure_equals_the_workbook_cell(full, sheets):
    vocab = load_vocabulary()
    g = full.graph
    checked = 0
    for year, rows in sheets.items():
        for row in rows:
            iso3 = vocab.iso3[vocab.countries[key(row["Country"])]]
            for header, value in row.items():
                concept = vocab.indicators.get(key(header))
                if concept is None:
                    continue
                node = KB[f"score-{iso3}-{str(concept).rsplit('/', 1)[-1]}-{year}"]
                [stored] = g.objects(node, TKG.score)
                assert Decimal(str(stored)) == Decimal(str(value)), (node, value)
                checked += 1
    assert checked == 193 * (30 + 36)


def test_printed_averages_agree_with_the_indicators(full, sheets):
    # The real workbook prints every average as the half-up rounding of the exact mean.
    assert full.warnings == []
    mali = next(r for r in sheets[2021] if r["Country"] == "Mali")
    resilience = [v for h, v in mali.items() if vocab_class(h) == TKG.ResilienceIndicator]
    assert Fraction(sum(Decimal(str(v)) for v in resilience)) / 12 == Fraction(19, 8)  # 2.375
    assert str(full.graph.value(KB["score-MLI-resilience-2021"], TKG.score)) == "2.38"


def vocab_class(header):
    vocab = load_vocabulary()
    return vocab.indicator_class.get(vocab.indicators.get(key(header)))


@pytest.mark.parametrize("average, year, expected", [
    ("resilience", 2021, (178, 45, 15)),       # the 2021 profile's ranking line
    ("criminality", 2021, (49, 16, 5)),        # implied by the 2023 page's rank changes
    ("criminality", 2023, (50, 15, 3)),        # printed on the 2023 page
])
def test_mali_ranks(full, average, year, expected):
    g = full.graph
    world, continent, region = (rank_of(g, "MLI", average, s, year)
                                for s in ("world", "continent", "subregion"))
    assert (world[0], continent[0], region[0]) == expected
    assert (world[1], continent[1], region[1]) == (193, 54, 15)
    assert (world[2], continent[2], region[2]) == (None, PLACE.africa, PLACE["west-africa"])


def test_ties_share_a_rank_on_unrounded_means(full):
    g = full.graph
    # Mali and Comoros both average exactly 2.375 in 2021: both 178th
    assert rank_of(g, "COM", "resilience", "world", 2021)[0] == 178
    # 2023: Mali, Comoros and DR Congo tie at 2.375 and share 176th; the next is 179th
    tied = [c for c in ("MLI", "COM", "COD")
            if rank_of(g, c, "resilience", "world", 2023)[0] == 176]
    assert tied == ["MLI", "COM", "COD"]
    ranks = sorted(g.value(s, TKG.rank).toPython() for s in g.subjects(TKG.rankScope,
                   IND["scope-world"]) if g.value(s, TKG.indicator) == IND.resilience
                   and g.value(s, TKG.edition) == IND["edition-2023"])
    assert ranks[175:179] == [176, 176, 176, 179]


def test_scopes_follow_each_editions_regions(full, sheets):
    g = full.graph
    # The 2021 sheet writes "Caribbean " with a trailing space in every row but Haiti's.
    raw = {r["Country"]: r["Region"] for r in sheets[2021]}
    assert raw["Haiti"] == "Caribbean" and raw["Jamaica"] == "Caribbean "
    caribbean = sum(1 for region in raw.values() if region.strip() == "Caribbean")
    for iso3 in ("HTI", "JAM"):
        assert rank_of(g, iso3, "criminality", "subregion", 2021)[1:] == (caribbean,
                                                                          PLACE.caribbean)
        assert rank_of(g, iso3, "criminality", "subregion", 2023)[2] == \
            PLACE["caribbean-central-america"]
    sizes = Counter(r["Continent"].strip() for r in sheets[2023])
    assert rank_of(g, "FRA", "resilience", "continent", 2023)[1] == sizes["Europe"]


def test_output_validates(workbook, tmp_path):
    from graph.validate import validate

    out = tmp_path / "three.ttl"
    import_ocindex(workbook, out, ["MLI", "HTI", "NZL"])
    report = validate([out])
    assert report.conforms, report.summary()


def test_turtle_is_stable_across_runs(workbook, tmp_path):
    first = import_ocindex(workbook, tmp_path / "a.ttl", ["NER", "JPN"])
    second = import_ocindex(workbook, tmp_path / "b.ttl", ["JPN", "NER"])
    assert (tmp_path / "a.ttl").read_bytes() == (tmp_path / "b.ttl").read_bytes() == first.turtle()
    assert second.seconds < 60  # sanity bound only; speed is reported, not tested


# -- the bundled regional file ----------------------------------------------------------------

def test_bundled_region_file_is_what_the_importer_produces(workbook, tmp_path):
    """Regenerate data/ocindex-dataset-region.ttl (in another process it was) and compare bytes."""
    out = tmp_path / REGION_FILE
    import_ocindex(workbook, out, REGION, known=[data_dir() / name for name in MALI_FILES])
    assert out.read_bytes() == (data_dir() / REGION_FILE).read_bytes(), \
        "regenerate with: tkg import ocindex WORKBOOK --countries " + ",".join(REGION) + \
        " " + " ".join(f"--known data/{n}" for n in MALI_FILES) + f" --out data/{REGION_FILE}"


def merged_graph(*extra: Graph) -> Graph:
    g = Graph()
    for path in bundled_data_files():
        g.parse(path)
    for other in extra:
        g += other
    return g


def assert_one_value_per_observation(g: Graph) -> int:
    """No observation has two values, whether under one IRI or two IRIs with equal dimensions."""
    by_dims = defaultdict(set)
    count = 0
    for obs in set(g.subjects(TKG.refArea, None)):
        for prop in (TKG.score, TKG.rank):
            values = set(g.objects(obs, prop))
            assert len(values) <= 1, f"{obs} has {prop} {sorted(values)}"
            for value in values:
                dims = (g.value(obs, TKG.refArea), g.value(obs, TKG.indicator),
                        g.value(obs, TKG.edition), g.value(obs, TKG.rankScope))
                by_dims[dims].add(Decimal(str(value)))
                count += 1
    clashes = {dims: values for dims, values in by_dims.items() if len(values) > 1}
    assert not clashes
    return count


def test_bundled_data_never_states_two_values_for_one_observation():
    assert assert_one_value_per_observation(merged_graph()) > 900


def test_full_import_merges_with_the_bundled_data(full):
    # the user's 193-country import loaded next to the curated files: identical figures merge
    assert assert_one_value_per_observation(merged_graph(full.graph)) >= full.observations


def test_bundled_data_covers_every_region_country_and_edition(kg):
    rows = kg.query("""
      SELECT ?iso3 ?year ?kind (COUNT(DISTINCT ?obs) AS ?n) WHERE {
        ?obs tkg:refArea ?c ; tkg:edition ?e ; a ?kind . ?c tkg:iso3 ?iso3 . ?e tkg:year ?year .
        FILTER (?kind IN (tkg:IndicatorScore, tkg:AggregateScore, tkg:Rank) && ?year < 2025)
      } GROUP BY ?iso3 ?year ?kind""")
    counts = {(r["iso3"], r["year"], r["kind"].rsplit("#", 1)[-1]): r["n"] for r in rows}
    for iso3 in REGION:
        for year, indicators in ((2021, 26), (2023, 32)):
            assert counts[(iso3, year, "IndicatorScore")] == indicators, (iso3, year)
            assert counts[(iso3, year, "AggregateScore")] == 4
            assert counts[(iso3, year, "Rank")] == 6


# -- score questions ----------------------------------------------------------------------------

def expected_high_arms_low_resilience(rows, countries=None) -> set[str]:
    vocab = load_vocabulary()
    found = set()
    for row in rows:
        iso3 = vocab.iso3[vocab.countries[key(row["Country"])]]
        if countries is not None and iso3 not in countries:
            continue
        if row["Arms trafficking"] >= 8 and row["Resilience avg"] < 3:
            found.add(iso3)
    return found


def test_arms_trafficking_8_or_more_with_resilience_below_3(kg, kg_oxigraph, sheets):
    params = {"indicator": "arms trafficking", "atLeast": 8, "resilienceBelow": 3, "year": 2023}
    expected = expected_high_arms_low_resilience(sheets[2023], set(REGION))
    assert expected == {"LBY", "TCD", "MLI"}  # the workbook, read directly, says so
    for graph in (kg, kg_oxigraph):
        rows = graph.query("countries-by-score", params)
        assert {r["iso3"] for r in rows} == expected
        assert all(r["score"] >= 8 and r["resilience"] < 3 for r in rows)
        assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_score_question_over_all_193_countries(full, sheets, tmp_path):
    import graph

    path = tmp_path / "ocindex-all.ttl"
    path.write_bytes(full.turtle())
    everything = graph.load([path], backend="oxigraph", validate=False)
    rows = everything.query("countries-by-score", indicator="Arms trafficking", atLeast=8,
                            resilienceBelow=3, year=2023)
    assert {r["iso3"] for r in rows} == expected_high_arms_low_resilience(sheets[2023])
    assert len(rows) > 12
