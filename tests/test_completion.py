"""Shell completion through click's documented mechanism (_TKG_COMPLETE=bash_source tkg)."""

from __future__ import annotations

from click.testing import CliRunner

from graph.cli import cli


def complete(line: str) -> list[str]:
    words = line.split(" ")
    result = CliRunner().invoke(cli, [], prog_name="tkg", env={
        "_TKG_COMPLETE": "bash_complete", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)})
    assert result.exit_code == 0, result.output
    return [item.split(",", 1)[1] for item in result.output.splitlines()]


def test_script_for_each_shell():
    for shell in ("bash", "zsh", "fish"):
        result = CliRunner().invoke(cli, [], prog_name="tkg",
                                    env={"_TKG_COMPLETE": f"{shell}_source"})
        assert result.exit_code == 0 and "_TKG_COMPLETE" in result.output


def test_commands_and_options_complete():
    assert "flows" in complete("tkg fl")
    assert "--min-certainty" in complete("tkg flows --min")


def test_entity_names_complete_from_their_own_vocabulary(kg):
    grades = complete("tkg flows --min-certainty ")
    assert grades == sorted(kg.label(i) for i in kg.index.entities
                            if kg.is_a(i, "tkg:CertaintyGrade"))
    commodities = complete("tkg flows --commodity coc")
    assert "Cocaine" in commodities and "Côte d'Ivoire" not in commodities
    assert all(kg.is_a(kg.resolve(c, ["tkg:Commodity"]), "tkg:Commodity") for c in commodities)
    places = complete("tkg routes Lib")
    assert "Libya" in places and all(kg.is_a(kg.resolve(p, ["tkg:Place"]), "tkg:Place")
                                     for p in places)
    assert "Mali" in complete("tkg analyze compare Niger Ma")
