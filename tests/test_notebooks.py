"""The notebooks run top to bottom, and what they find agrees with the library.

Each notebook in ``notebooks/`` is executed with nbclient in a temporary folder (nothing is
written back to the repository). Its last code cell, tagged ``findings``, displays the key
findings as JSON; the tests read that output and derive the same facts here through the
library, by other routes where there is one, so a notebook that runs but computes the wrong
thing fails.
"""

from __future__ import annotations

import importlib.util
import json
import re

import pytest

from conftest import ROOT, SHARED, require

NOTEBOOKS = ROOT / "notebooks"
TRAFFICKING = NOTEBOOKS / "01-mali-trafficking-networks.ipynb"
NEIGHBOURS = NOTEBOOKS / "02-mali-among-neighbours.ipynb"
WORKBOOK = SHARED / "ocindex" / "global_oc_index.xlsx"
#: What executing the notebooks needs (the ``notebooks`` extra).
NEEDS = ("nbclient", "nbformat", "ipykernel", "matplotlib", "pandas")
#: Seconds any one cell may take before the run fails.
CELL_TIMEOUT = 600


def _require_tools() -> None:
    missing = [name for name in NEEDS if importlib.util.find_spec(name) is None]
    require(not missing, f"executing notebooks needs {', '.join(missing)} "
                         f"(pip install -e '.[notebooks]')")


def execute(path, folder, env: dict[str, str | None]):
    """Run the notebook at ``path`` with the kernel's working folder ``folder``.

    ``env`` sets (or, for ``None``, removes) environment variables for the kernel. Returns
    the executed notebook (in memory only); a cell that raises fails the test with the
    cell's traceback.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        try:
            client.execute()
        except CellExecutionError as exc:
            pytest.fail(f"{path.name} failed:\n{exc}")
    return notebook


def findings(notebook) -> dict:
    """The JSON displayed by the cell tagged ``findings``."""
    cells = [c for c in notebook.cells if "findings" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "exactly one cell must be tagged 'findings'"
    for output in cells[0].outputs:
        data = output.get("data", {})
        if "application/json" in data:
            value = data["application/json"]
            return json.loads(value) if isinstance(value, str) else dict(value)
    raise AssertionError("the findings cell displayed no JSON")


def markdown_outputs(notebook) -> str:
    """Every Markdown output of the executed notebook, joined."""
    return "\n".join(o["data"]["text/markdown"] for c in notebook.cells if c.cell_type == "code"
                     for o in c.outputs if "text/markdown" in o.get("data", {}))


@pytest.fixture(scope="module")
def trafficking(tmp_path_factory):
    _require_tools()
    return execute(TRAFFICKING, tmp_path_factory.mktemp("nb1"), {})


@pytest.fixture(scope="module")
def among_neighbours(tmp_path_factory):
    _require_tools()
    env = {"TKG_OCINDEX_WORKBOOK": str(WORKBOOK) if WORKBOOK.is_file() else None}
    return execute(NEIGHBOURS, tmp_path_factory.mktemp("nb2"), env)


# -- the committed files ---------------------------------------------------------------------


@pytest.mark.parametrize("path", [TRAFFICKING, NEIGHBOURS], ids=lambda p: p.stem)
def test_committed_without_outputs_or_machine_paths(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code, f"{path.name} has no code"
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code), (
        f"{path.name}: clear outputs and execution counts before committing")
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"(?<![\w.])/(work|tmp|root|home|Users)/", text), (
        f"{path.name} contains a machine path")
    assert "import rdflib" not in text and "from rdflib" not in text, (
        f"{path.name} must use the public graph API, not rdflib")
    assert notebook["cells"][0]["cell_type"] == "markdown"
    assert "**Question.**" in "".join(notebook["cells"][0]["source"])


# -- 01: Mali's trafficking networks ---------------------------------------------------------


def test_trafficking_flows_by_direction(trafficking, kg):
    from graph.traverse import country

    found = findings(trafficking)
    profile = country(kg, "Mali")
    directions = ("inbound", "outbound", "transit")
    assert found["flows"] == {d: len(profile[d]) for d in directions}
    assert found["commodities"] == {
        d: sorted({f["commodity"]["label"] for f in profile[d]}) for d in directions}


def test_trafficking_claims_by_certainty(trafficking, kg):
    # Re-derived from the long-format claim facets instead of the notebook's property path.
    found = findings(trafficking)
    mali = kg.resolve("Mali", classes=("tkg:Country",))
    within = {r["p"] for r in kg.query("SELECT ?p WHERE { ?p tkg:partOf+ ?c }", c=mali)}
    within.add(mali)
    located = {r["claim"] for r in kg.query("claim-facets")
               if r["facet"] in {"origin", "transit", "destination", "place"}
               and r["value"] in within}
    grade = {r["claim"]: r["label"] for r in kg.query(
        "SELECT ?claim ?label WHERE { ?claim tkg:certainty ?g . ?g skos:prefLabel ?label }")}
    expected: dict[str, int] = {}
    for claim in located:
        expected[grade[claim]] = expected.get(grade[claim], 0) + 1
    assert found["claims_by_certainty"] == expected


def test_trafficking_only_suspected(trafficking, kg):
    # Actor-role pairs that disappear when only claims graded "likely" or firmer are kept.
    from graph.traverse import who

    found = findings(trafficking)
    every = {(r["actor"]["label"], r["role"]) for r in who(kg, "Mali")}
    firmer = {(r["actor"]["label"], r["role"]) for r in who(kg, "Mali", min_certainty="likely")}
    expected = sorted(f"{actor} | {role}" for actor, role in every - firmer)
    assert found["only_suspected"] == expected
    assert expected, "the Mali data should hold suspected involvements"
    # The report never states them without their grade.
    text = markdown_outputs(trafficking)
    for actor, role in every - firmer:
        lines = [line for line in text.splitlines() if line.startswith(f"- {actor} — {role}")]
        assert lines and all(re.search(r"\((suspected|unsubstantiated);", line)
                             for line in lines), actor


def test_trafficking_convergence_and_broker(trafficking, kg):
    from graph.analysis import brokers, convergence
    from graph.traverse import who

    found = findings(trafficking)
    in_mali = {r["actor"]["id"] for r in who(kg, "Mali")}
    assert found["converging_actors"] == {
        r["actor"]["label"]: r["count"] for r in convergence(kg, k=3)
        if r["actor"]["id"] in in_mali}
    assert found["top_broker"] == brokers(kg, top=1)[0]["place"]["label"]


def test_trafficking_chokepoints_in_mali(trafficking, kg):
    from graph.analysis import chokepoints
    from graph.traverse import country

    found = findings(trafficking)
    mali = kg.resolve("Mali", classes=("tkg:Country",))
    within = {r["p"] for r in kg.query("SELECT ?p WHERE { ?p tkg:partOf* ?c }", c=mali)}
    profile = country(kg, "Mali")
    flowing = {f["commodity"]["id"] for d in ("inbound", "outbound", "transit")
               for f in profile[d]}
    families = {r["label"] for c in flowing for r in kg.query(
        "SELECT ?label WHERE { ?c skos:broader* ?top . "
        "?top skos:topConceptOf ?scheme ; skos:prefLabel ?label }", c=c)}
    names = families | {kg.label(c) for c in flowing}
    expected = sorted(f"{name} | {r['place']['label']}" for name in names
                      for r in chokepoints(kg, commodity=name) if r["place"]["id"] in within)
    assert found["chokepoints_in_mali"] == expected


def test_trafficking_route_map_is_inline(trafficking):
    # The view of graph.views.show: a sandboxed iframe holding the whole page.
    frames = [o["data"]["text/html"] for c in trafficking.cells if c.cell_type == "code"
              for o in c.outputs if "<iframe srcdoc=" in o.get("data", {}).get("text/html", "")]
    assert len(frames) == 1
    assert 'sandbox="allow-scripts"' in frames[0]
    assert "All flows through Mali" in frames[0]



def test_trafficking_shows_the_librarys_brief(trafficking, kg):
    # The notebook calls graph.brief; what it shows is the library's own text.
    from graph.brief import brief

    text = brief(kg, "Mali", edition=2021, fmt="md")
    shown = markdown_outputs(trafficking)
    assert text.split("## Criminal markets")[0].strip() in shown
    assert "On resilience, Mali ranks 178th of 193 countries" in shown
    assert "### Arms trafficking" in shown

# -- 02: Mali among its neighbours -----------------------------------------------------------


def _scores(kg, name: str) -> dict[tuple[str, int], float]:
    iri = kg.resolve(name, classes=("tkg:Country",))
    return {(r["indicatorLabel"], r["year"]): r["score"]
            for r in kg.query("country-scores", country=iri) if r["score"] is not None}


def test_neighbours_are_the_bordering_countries(among_neighbours, kg):
    from graph.traverse import neighbours

    found = findings(among_neighbours)
    expected = sorted(r["label"] for r in neighbours(kg, "Mali")
                      if r["relation"] == "borders" and kg.is_a(r["id"], "tkg:Country"))
    assert found["neighbours"] == expected
    assert len(expected) == 7


def test_neighbours_scores_and_changes(among_neighbours, kg):
    found = findings(among_neighbours)
    countries = ["Mali", *found["neighbours"]]
    assert sorted(found["criminality_2023"]) == sorted(countries)
    for name in countries:
        scores = _scores(kg, name)
        assert found["criminality_2023"][name] == scores[("Criminality", 2023)], name
        assert found["resilience_2023"][name] == scores[("Resilience", 2023)], name
        change = scores[("Criminality", 2023)] - scores[("Criminality", 2021)]
        assert found["criminality_change"][name] == pytest.approx(change, abs=1e-9), name
    crim = found["criminality_2023"]
    assert found["highest_criminality_2023"] == max(crim, key=crim.get)


def test_neighbours_mali_markets(among_neighbours, kg):
    found = findings(among_neighbours)
    mali = kg.resolve("Mali", classes=("tkg:Country",))
    expected = sorted(r["indicatorLabel"] for r in kg.query("country-scores", country=mali)
                      if r["year"] == 2023 and r["score"] is not None and r["score"] >= 7
                      and kg.is_a(r["indicator"], "tkg:CriminalMarket"))
    assert found["mali_markets_7_or_more"] == expected


def test_neighbours_world_ranks(among_neighbours, kg):
    # The ranks the notebook computes from the workbook must match the ranks the Index
    # printed on its Mali pages (bundled data), and the gazetteer's count of countries.
    require(WORKBOOK.is_file(), f"{WORKBOOK} is not present (the Index workbook)")
    from graph.traverse import country

    world = findings(among_neighbours)["world"]
    assert world is not None, "the workbook was given but the notebook skipped the world part"
    total = kg.query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a tkg:Country }")[0]["n"]
    assert world["countries"] == total == 193
    ranks = {(r["indicator"]["label"], r["edition"], r["scope"]): r["rank"]
             for r in country(kg, "Mali")["ranks"]}
    assert world["criminality_rank_2023"] == ranks[("Criminality", 2023, "World")]
    assert world["resilience_rank_2023"] == ranks[("Resilience", 2023, "World")]
    assert world["countries_more_criminal"] < world["criminality_rank_2023"]


def test_neighbours_without_workbook_skips_gracefully(tmp_path):
    _require_tools()
    missing = tmp_path / "no-such-workbook.xlsx"
    notebook = execute(NEIGHBOURS, tmp_path, {"TKG_OCINDEX_WORKBOOK": str(missing)})
    assert findings(notebook)["world"] is None
    text = markdown_outputs(notebook)
    assert "Skipped: the Index workbook is not available" in text
    assert "no-such-workbook.xlsx" in text
