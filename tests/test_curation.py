"""Curation without Turtle: drafting from text, the review workbook, import and export.

The round trip runs for every bundled data file: `export_claims` writes the file's document
as a workbook, `import_claims` reads it back through the same code a reviewer's workbook
takes (openpyxl, name resolution, SHACL), and the Turtle it writes must be isomorphic to the
data file. The drafter's quality on the seed profile is measured in
``tests/benchmarks/test_curation_quality.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from graph.cli import cli
from graph.curation import (
    document_file,
    draft,
    draft_book,
    export_claims,
    import_claims,
    read_text,
    split,
    write_review,
)
from graph.curation.cells import decode_literal, encode_literal, split_cell
from graph.curation.lexicon import lexicon
from graph.errors import DataError, SheetError
from graph.namespaces import TKG
from graph.resources import bundled_data_files

openpyxl = pytest.importorskip("openpyxl")

TEXT = """\
TRADE

Libya is an important source of illicit arms for armed groups in Mali. These weapons include
heavy machine guns mounted on 4×4 vehicles. Small arms in central Mali likely come from looted
stockpiles and might even be procured directly from Malian security forces.

DRUGS

Cocaine coming from Latin America transits through Niger, destined for Europe. Evidence
suggests that heroin is smuggled into Mali via Senegal. Since 2012 fuel smuggling
networks and some Tuareg groups have moved cannabis from Morocco to Niger, helped by
decentralised smuggling networks.
There are concerns but no tangible evidence that methamphetamine is trafficked from Nigeria
to Mali.
"""


def flows(result):
    return {c["commodity"]: c for c in result["claims"] if c["kind"] == "flow"}


@pytest.fixture(scope="module")
def drafted(kg):
    return draft(kg, TEXT, document="example-2024-mali", title="Example profile",
                 url="https://example.org/mali", publisher="Example Institute")


# -- splitting ------------------------------------------------------------------------------

def test_split_finds_sections_paragraphs_and_joins_page_breaks():
    text = ("CRIMINALITY\n\nPEOPLE\n\nFirst paragraph here with words. Second sentence.\n\n"
            "6.00\n\nA paragraph cut by a page break and\n\n\n\nits end is here.\n\n"
            "RESILIENCE\n\n## Civil society\n\nMali has a free press and many journals.")
    parts = split(text)
    assert [(p.section, p.section_order, p.number) for p in parts] == [
        ("People", 1, 1), ("People", 1, 2), ("Civil society", 2, 1)]
    assert parts[1].text == "A paragraph cut by a page break and its end is here."
    assert [s.text for s in parts[0].sentences] == ["First paragraph here with words.",
                                                    "Second sentence."]


def test_sentence_offsets_point_into_the_original_text():
    text = read_text(Path(__file__).parent / "data" / "curation" / "niger-notes.txt")
    for paragraph in split(text):
        for sentence in paragraph.sentences:
            original = " ".join(text[sentence.start:sentence.end].split())
            assert original == sentence.text


# -- the vocabulary comes from the graph ----------------------------------------------------

def test_lexicon_reads_labels_hidden_cues_and_demonyms_from_the_graph(kg):
    lex = lexicon(kg)
    assert lex.phrases["commodity"][("hashish",)][0].endswith("/cannabis-resin")
    assert lex.phrases["certainty"][("no", "tangible", "evidence")][0].endswith(
        "/unsubstantiated")
    assert lex.phrases["place"][("northern", "mali")][0].endswith("/MLI-north")
    assert lex.phrases["demonym"][("european",)][0].endswith("/europe")
    # Labels of the certainty grades are not cues: "reported" in a text proves nothing.
    assert ("reported",) not in lex.phrases["certainty"]


def test_a_concept_added_to_the_graph_is_drafted_without_code_changes(tmp_path):
    import graph

    extra = tmp_path / "widgets.ttl"
    extra.write_text("""\
@prefix com: <https://w3id.org/tkg/vocab/commodity/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix tkg: <https://w3id.org/tkg/ontology#> .
com:zorblax a skos:Concept, tkg:Commodity ;
    skos:inScheme com:commodities ;
    skos:broader com:licit-goods ;
    skos:prefLabel "Zorblax"@en ;
    skos:altLabel "blue widgets"@en .
""", encoding="utf-8")
    small = graph.load([extra])
    result = draft(small, "TRADE\n\nBlue widgets are smuggled from Libya into Chad by road.",
                   document="example-widgets", title="Widgets")
    (flow,) = [c for c in result["claims"] if c["kind"] == "flow"]
    assert (flow["commodity"], flow["origin"], flow["destination"]) == (
        "com:zorblax", ["place:LBY"], ["place:TCD"])


# -- drafting -------------------------------------------------------------------------------

def test_place_roles_follow_the_words_around_them(drafted):
    found = flows(drafted)
    assert (found["com:arms"]["origin"], found["com:arms"]["destination"]) == (
        ["place:LBY"], ["place:MLI"])
    cocaine = found["com:cocaine"]
    assert (cocaine["origin"], cocaine["transits"], cocaine["destination"]) == (
        ["place:latin-america"], ["place:NER"], ["place:europe"])
    heroin = found["com:heroin"]
    assert (heroin["transits"], heroin["destination"]) == (["place:SEN"], ["place:MLI"])
    # "These weapons include heavy machine guns": the places of the sentence before.
    guns = found["com:heavy-machine-guns"]
    assert (guns["origin"], guns["destination"], guns["mode"]) == (
        ["place:LBY"], ["place:MLI"], ["mode:vehicle-convoy"])
    # A place only said to be "in" somewhere, with no origin named: where it arrives.
    assert found["com:small-arms"]["destination"] == ["place:MLI-centre"]


def test_certainty_follows_the_wording_and_records_the_cue(drafted):
    found = flows(drafted)
    assert (found["com:arms"]["certainty"], found["com:arms"]["cue"]) == ("cert:reported", "")
    assert (found["com:heroin"]["certainty"], found["com:heroin"]["cue"]) == (
        "cert:likely", "Evidence suggests")
    assert found["com:small-arms"]["certainty"] == "cert:likely"
    assert found["com:methamphetamine"]["certainty"] == "cert:unsubstantiated"
    # The later, weaker hedge ("might") holds for the actor named after it.
    (forces,) = found["com:small-arms"]["actors"]
    assert forces["actor"] == "kb:actor-security-forces-mali"
    assert forces["certainty"] == "cert:suspected"


def test_actors_known_new_and_never_ethnic(drafted):
    arms = flows(drafted)["com:arms"]
    assert arms["actors"] == [{"actor": "kb:actor-armed-groups-mali",
                               "roles": ["role:receives"], "certainty": None}]
    new = {a["label"]: a for a in drafted["actors"] if a["new"]}
    assert set(new) == {"fuel smuggling networks in Mali"}
    assert new["fuel smuggling networks in Mali"]["class"] == ["tkg:SmugglingNetwork"]
    # A phrase whose IRI the graph already has is that actor, not a new one.
    cannabis = flows(drafted)["com:cannabis"]
    assert {a["actor"] for a in cannabis["actors"]} == {
        "kb:actor-fuel-smuggling-networks-mali", "kb:actor-decentralised-smuggling-networks-mali"}
    # Groups of people are never drafted as actors.
    assert not any("tuareg" in a["id"] for a in drafted["actors"] if a["new"])


def test_periods_are_read(kg):
    result = draft(kg, "DRUGS\n\nSince 2012 cannabis has been trafficked from Morocco to "
                   "Mali. In 2020 heroin was imported into Mali by air. During the COVID-19 "
                   "pandemic gold was smuggled from Mali to the UAE.",
                   document="example-periods", title="Periods")
    found = flows(result)
    assert (found["com:cannabis"]["start"], found["com:cannabis"]["end"]) == (2012, None)
    assert (found["com:heroin"]["start"], found["com:heroin"]["end"]) == (2020, 2020)
    assert found["com:gold"]["period"] == "During the COVID-19 pandemic"


def test_every_proposal_has_its_passage_offsets_and_no_sentence_of_the_source(drafted):
    words = re.findall(r"\w+", TEXT.lower())
    runs = {" ".join(words[i:i + 6]) for i in range(len(words) - 5)}
    for claim in drafted["claims"]:
        section = re.sub(r"[^a-z]+", "-", claim["section"].lower())
        assert claim["passage"] == f"kb:psg-example-2024-mali-{section}-{claim['paragraph']}"
        assert claim["description"] == ""
        assert 0 < claim["confidence"] < 1
        for start, end in claim["sentences"]:
            assert 0 <= start < end <= len(TEXT)
        label = " ".join(re.findall(r"\w+", claim["label"].lower()))
        assert not any(run in label for run in runs), claim["label"]


def test_bad_document_key_and_unknown_edition(kg):
    with pytest.raises(DataError, match="lower-case words"):
        draft(kg, TEXT, document="Example Doc", title="x")
    with pytest.raises(DataError, match="no ind:edition-1999"):
        draft(kg, TEXT, document="example", title="x", edition=1999)


# -- cells ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ['plain "quoted" words', "two\nlines", "", "é@fr"])
def test_literals_survive_a_cell(text):
    from rdflib import Literal

    for literal in (Literal(text, lang="fr"), Literal(text), Literal(text, lang="en")):
        encoded = encode_literal(literal)
        assert "\n" not in encoded
        assert decode_literal(encoded) == literal


def test_cells_split_on_separators_but_not_inside_quotes():
    assert split_cell('place:MLI; place:NER\nplace:TCD') == ["place:MLI", "place:NER",
                                                              "place:TCD"]
    assert split_cell('"a; b"@en\nc', "\n") == ['"a; b"@en', "c"]


# -- the review workbook --------------------------------------------------------------------

def test_draft_workbook_has_one_sheet_per_kind_and_drop_downs(kg, drafted, tmp_path):
    path = tmp_path / "draft.xlsx"
    write_review(kg, drafted, path)
    wb = openpyxl.load_workbook(path)
    assert {"About", "Sources", "Passages", "Actors", "Flows", "Activities", "Relations",
            "Events", "Findings", "Lists"} <= set(wb.sheetnames)
    flows_ws = wb["Flows"]
    headers = [c.value for c in flows_ws[1]]
    for header in ("id", "passage", "commodity", "origin", "transits", "destination",
                   "actors and roles", "start year", "certainty", "cue", "confidence",
                   "description", "accept", "section", "paragraph"):
        assert header in headers
    lists = {str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1
             for v in flows_ws.data_validations.dataValidation}
    letter = openpyxl.utils.get_column_letter(headers.index("commodity") + 1)
    column = re.match(r"Lists!\$([A-Z]+)\$", lists[letter]).group(1)
    offered = {c.value for c in wb["Lists"][column]}
    assert {"com:cocaine", "com:cannabis-resin"} <= offered
    certainty = openpyxl.utils.get_column_letter(headers.index("certainty") + 1)
    column = re.match(r"Lists!\$([A-Z]+)\$", lists[certainty]).group(1)
    assert {c.value for c in wb["Lists"][column]} >= {"cert:likely", "cert:suspected"}


def _fill(path: Path, sheet: str, edits: dict[tuple[int, str], str]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    for (row, header), value in edits.items():
        ws.cell(row=row, column=headers.index(header) + 1, value=value)
    wb.save(path)


def _rows(path: Path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    headers = [c.value for c in ws[1]]
    return [dict(zip(headers, (c.value for c in row), strict=False))
            for row in ws.iter_rows(min_row=2)]


def test_import_names_sheet_row_and_column_and_writes_nothing(kg, drafted, tmp_path):
    path = tmp_path / "draft.xlsx"
    write_review(kg, drafted, path)
    rows = _rows(path, "Flows")
    arms = next(i for i, r in enumerate(rows, start=2) if r["commodity"] == "com:arms")
    _fill(path, "Flows", {(arms, "origin"): "Lybia", (arms, "start year"): "20x1",
                          (arms, "certainty"): "cert:probable"})
    out = tmp_path / "out.ttl"
    out.write_text("# kept\n", encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        import_claims(kg, path, out)
    problems = {(p["sheet"], p["row"], p["header"]): p for p in caught.value.problems}
    assert "no place matches 'Lybia'" in problems[("Flows", arms, "origin")]["message"]
    assert "whole number" in problems[("Flows", arms, "start year")]["message"]
    assert "cert:probable" in problems[("Flows", arms, "certainty")]["message"]
    # Descriptions are the reviewer's to write: every accepted row without one is listed.
    accepted = [i for i, r in enumerate(rows, start=2) if r["accept"] == "yes"]
    assert {i for (s, i, h) in problems if s == "Flows" and h == "description"} == set(accepted)
    letter = openpyxl.utils.get_column_letter(
        [c.value for c in openpyxl.load_workbook(path)["Flows"][1]].index("origin") + 1)
    assert f"Flows row {arms}, column {letter} (origin)" in str(caught.value)
    assert out.read_text(encoding="utf-8") == "# kept\n"


def test_reviewed_workbook_imports_to_valid_turtle(kg, drafted, tmp_path):
    from graph.validate import validate

    path = tmp_path / "draft.xlsx"
    write_review(kg, drafted, path)
    edits = {}
    for sheet in ("Flows", "Activities", "Relations", "Events"):
        for i, row in enumerate(_rows(path, sheet), start=2):
            if row["accept"] == "yes":
                edits.setdefault(sheet, {})[(i, "description")] = "Described in our words."
    rows = _rows(path, "Flows")
    cocaine = next(i for i, r in enumerate(rows, start=2) if r["commodity"] == "com:cocaine")
    heroin = next(i for i, r in enumerate(rows, start=2) if r["commodity"] == "com:heroin")
    edits["Flows"][(cocaine, "destination")] = "Europe; Middle East"   # labels work too
    # Actors by label, including a new one declared in this workbook; roles and grade too.
    edits["Flows"][(cocaine, "actors and roles")] = (
        "armed groups in Mali: transports\nfuel smuggling networks in Mali: transports, "
        "supplies (suspected)")
    edits["Flows"][(heroin, "accept")] = "no"
    for sheet, changes in edits.items():
        _fill(path, sheet, changes)
    out = tmp_path / "example.ttl"
    report = import_claims(kg, path, out)
    assert validate([out]).conforms
    g = Graph().parse(out)
    from graph.namespaces import KB, PLACE

    flow = KB["flow-example-2024-mali-cocaine-latin-america"]
    assert set(g.objects(flow, TKG.destination)) == {PLACE.europe, PLACE["middle-east"]}
    from graph.namespaces import CERT, ROLE

    parts = {g.value(i, TKG.actor): (set(g.objects(i, TKG.role)), g.value(i, TKG.certainty))
             for i in g.objects(flow, TKG.qualifiedInvolvement)}
    assert parts == {KB["actor-armed-groups-mali"]: ({ROLE.transports}, None),
                     KB["actor-fuel-smuggling-networks-mali"]: (
                         {ROLE.transports, ROLE.supplies}, CERT.suspected)}
    assert (KB["actor-fuel-smuggling-networks-mali"], RDF.type, TKG.SmugglingNetwork) in g
    assert (KB["flow-example-2024-mali-heroin-sen"], RDF.type, TKG.Flow) not in g
    assert report["rows"]["Flows"] == sum(1 for r in rows if r["accept"] == "yes") - 1


def test_a_shape_violation_is_located_in_the_workbook(kg, drafted, tmp_path):
    path = tmp_path / "draft.xlsx"
    write_review(kg, drafted, path)
    rows = _rows(path, "Flows")
    arms = next(i for i, r in enumerate(rows, start=2) if r["commodity"] == "com:arms")
    edits = {(i, "description"): "Ours." for i, r in enumerate(rows, start=2)}
    edits[(arms, "commodity")] = "com:arms; com:ammunition"
    edits.update({(i, "accept"): "no" for i in range(2, len(rows) + 2) if i != arms})
    _fill(path, "Flows", edits)
    for sheet in ("Activities", "Relations", "Events"):
        _fill(path, sheet, {(i, "accept"): "no"
                            for i in range(2, len(_rows(path, sheet)) + 2)})
    with pytest.raises(SheetError) as caught:
        import_claims(kg, path)
    (problem,) = caught.value.problems
    assert (problem["sheet"], problem["row"], problem["header"]) == ("Flows", arms, "commodity")
    assert "shape:Flow-commodity" in problem["message"]


def test_a_description_copied_from_the_source_is_refused(kg, drafted, tmp_path):
    path = tmp_path / "draft.xlsx"
    write_review(kg, drafted, path)
    assert "Source text" in openpyxl.load_workbook(path).sheetnames
    rows = _rows(path, "Flows")
    edits = {(i, "description"): "Our own short summary." for i in range(2, len(rows) + 2)}
    arms = next(i for i, r in enumerate(rows, start=2) if r["commodity"] == "com:arms")
    # Six words in a row from the source, with a name among them, still count.
    edits[(arms, "description")] = "Libya is an important source of illicit arms, the text says."
    _fill(path, "Flows", edits)
    with pytest.raises(SheetError) as caught:
        import_claims(kg, path)
    copied = [p for p in caught.value.problems if "word for word" in p["message"]]
    assert [(p["sheet"], p["row"], p["header"]) for p in copied] == [
        ("Flows", arms, "description")]


def test_draft_straight_to_turtle_validates(kg, drafted, tmp_path):
    from graph.validate import validate

    out = tmp_path / "draft.ttl"
    write_review(kg, drafted, out)
    assert validate([out]).conforms


# -- export and the round trip of every data file -------------------------------------------

def _document_of(kg, path: Path) -> str:
    g = Graph().parse(path)
    for doc in sorted(g.subjects(RDF.type, TKG.SourceDocument), key=str):
        if document_file(kg, str(doc)) == path:
            return str(doc)
    raise AssertionError(f"no document is curated in {path.name}")


@pytest.mark.parametrize("path", bundled_data_files(), ids=lambda p: p.name)
def test_export_then_import_gives_the_same_graph(kg, path, tmp_path):
    document = _document_of(kg, path)
    sheet = tmp_path / "sheet.xlsx"
    info = export_claims(kg, document, sheet)
    assert info["file"] == path.name
    out = tmp_path / "back.ttl"
    import_claims(kg, sheet, out)
    original, back = Graph().parse(path), Graph().parse(out)
    if not isomorphic(original, back):
        _, only_file, only_sheet = graph_diff(to_isomorphic(original), to_isomorphic(back))
        pytest.fail(f"only in the file: {sorted(only_file)[:3]}; "
                    f"only after the sheet: {sorted(only_sheet)[:3]}")


def test_import_warns_when_a_document_is_curated_in_another_file(kg, tmp_path):
    sheet = tmp_path / "iss.xlsx"
    export_claims(kg, "kb:doc-iss-2022-arms-libya-niger", sheet)
    elsewhere = import_claims(kg, sheet, tmp_path / "copy.ttl")
    (warning,) = elsewhere["warnings"]
    assert "iss-2022-arms-libya-niger.ttl already uses" in warning
    same = document_file(kg, "kb:doc-iss-2022-arms-libya-niger")
    assert import_claims(kg, sheet)["warnings"] and not _clash_free(kg, sheet, same)


def _clash_free(kg, sheet: Path, target: Path) -> list[str]:
    """Warnings when writing back to the file the rows come from (computed, not written)."""
    from graph.curation.claims import _clashes
    from graph.curation.rows import graph_from_book
    from graph.curation.workbook import read_workbook

    _, _, where = graph_from_book(read_workbook(sheet), kg)
    return _clashes(kg, where, target)


def test_a_renamed_sheet_is_a_problem_not_a_silent_loss(kg, tmp_path):
    sheet = tmp_path / "iss.xlsx"
    export_claims(kg, "kb:doc-iss-2022-arms-libya-niger", sheet)
    wb = openpyxl.load_workbook(sheet)
    wb["Flows"].title = "My flows"
    wb.save(sheet)
    with pytest.raises(SheetError, match=r"My flows row 1, column A \(sheet\): unknown sheet"):
        import_claims(kg, sheet)


def test_any_blank_node_structure_survives_the_sheet(kg):
    """Structures the layout has no column for (a qualified derivation, an involvement with a
    note) go to a column of their property in Turtle notation and come back the same."""
    from graph.curation.rows import book_from_graph, graph_from_book
    from graph.prefixes import sparql_prolog

    data = Graph().parse(data=sparql_prolog() + """
kb:flow-x a tkg:Flow ; rdfs:label "x"@en ; dcterms:description "y"@en ; tkg:commodity com:gold ;
    tkg:origin place:MLI ; tkg:certainty cert:reported ;
    prov:wasDerivedFrom kb:psg-iss-2022-arms-libya-niger-article-1 ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity kb:doc-iss-2022-arms-libya-niger ;
        skos:note "via a \\"summary\\";\\nsecond line"@en ; tkg:route ( place:NER place:DZA ) ] ;
    tkg:qualifiedInvolvement [ tkg:actor kb:actor-armed-groups-mali ; tkg:role role:transports ;
        skos:note "a note on the involvement"@en ] .
""", format="turtle")
    book = book_from_graph(data, kg)
    (row,) = book["Flows"]["rows"]
    assert row["prov:qualifiedDerivation"].startswith("[ a prov:Derivation ;")
    back, problems, _ = graph_from_book(book, kg)
    assert problems == []
    assert isomorphic(back, data)


def test_draft_book_copies_existing_actor_declarations(kg, drafted):
    book = draft_book(kg, drafted)
    (row,) = [r for r in book["Actors"]["rows"] if r["id"] == "kb:actor-armed-groups-mali"]
    assert row["label"] == "armed groups in Mali"
    assert row["class"] == "tkg:ArmedGroup"
    assert row["new"] == "no"


# -- command line ---------------------------------------------------------------------------

def test_cli_draft_review_import_validate(tmp_path):
    runner = CliRunner()
    text = tmp_path / "profile.txt"
    text.write_text(TEXT, encoding="utf-8")
    sheet = tmp_path / "draft.xlsx"
    result = runner.invoke(cli, ["draft", str(text), "--document", "example-2024-mali",
                                 "--title", "Example", "--publisher", "Example Institute",
                                 "-o", str(sheet)])
    assert result.exit_code == 0, result.output
    assert "Flows" in result.output and sheet.is_file()
    out = tmp_path / "example.ttl"
    result = runner.invoke(cli, ["import", "claims", str(sheet), "-o", str(out)])
    assert result.exit_code == 1
    assert "description" in result.output and not out.exists()
    for name in ("Flows", "Activities", "Relations", "Events"):
        _fill(sheet, name, {(i, "description"): "In our own words."
                            for i in range(2, len(_rows(sheet, name)) + 2)})
    result = runner.invoke(cli, ["import", "claims", str(sheet), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["validate", str(out)]).exit_code == 0


def test_cli_export_claims_and_export_formats_side_by_side(tmp_path):
    runner = CliRunner()
    sheet = tmp_path / "iss.xlsx"
    result = runner.invoke(cli, ["export", "claims", "--document",
                                 "kb:doc-iss-2022-arms-libya-niger", "-o", str(sheet),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    assert sheet.is_file() and '"Flows"' in result.output
    turtle = tmp_path / "all.ttl"
    result = runner.invoke(cli, ["export", "--format", "turtle", "-o", str(turtle)])
    assert result.exit_code == 0, result.output
    assert turtle.stat().st_size > 0


def _minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF that prints ``lines`` (Helvetica), built by hand: no writer needed."""
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 11 Tf 72 720 Td 14 TL " + " ".join(
        f"({escape(line)}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return out


def test_pdf_input_keeps_headings_and_paragraphs(kg, tmp_path):
    pytest.importorskip("pypdf")
    pdf = tmp_path / "profile.pdf"
    pdf.write_bytes(_minimal_pdf([
        "TRADE",
        "Libya is an important source of illicit arms and ammunition for armed",
        "groups in Mali. Heavy weapons are moved across the desert by the same",
        "networks.",
        "Fuel is smuggled from Algeria into northern Mali by road.",
    ]))
    text = read_text(pdf)
    parts = split(text)
    assert [(p.section, p.number) for p in parts] == [("Trade", 1), ("Trade", 2)]
    result = draft(kg, text, document="example-pdf", title="PDF")
    found = flows(result)
    assert found["com:arms"]["passage"] == "kb:psg-example-pdf-trade-1"
    assert (found["com:fuel"]["origin"], found["com:fuel"]["destination"],
            found["com:fuel"]["passage"]) == (["place:DZA"], ["place:MLI-north"],
                                              "kb:psg-example-pdf-trade-2")


def test_read_text_errors(tmp_path):
    fake = tmp_path / "profile.pdf"
    fake.write_text("not a pdf", encoding="utf-8")
    with pytest.raises(DataError, match=r"profile\.pdf: not a readable PDF"):
        read_text(fake)
    with pytest.raises(DataError, match="no such file"):
        read_text(tmp_path / "missing.txt")
