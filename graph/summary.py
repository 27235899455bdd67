"""Counts that describe a loaded graph: classes, flows per commodity, countries, certainty."""

from __future__ import annotations

from typing import Any

from graph.coverage import coverage

__all__ = ["summary", "summary_text"]


def summary(kg) -> dict[str, Any]:
    """What is in the graph, as plain data.

    Returns
    -------
    dict
        ``triples``; ``classes`` (class label -> instances); ``flows_per_commodity``;
        ``countries`` (countries with claims or scores); ``claims_by_certainty``
        (grade -> count, firmest first); ``coverage`` (per document section).

    Examples
    --------
    >>> s = summary(kg)
    >>> s["classes"]["flow"] > 0
    True
    """
    by_grade: dict[str, int] = {}
    for row in kg.query("claims-by-certainty"):
        by_grade[row["gradeLabel"]] = by_grade.get(row["gradeLabel"], 0) + row["claims"]
    return {
        "triples": len(kg),
        "classes": {r["classLabel"]: r["count"] for r in kg.query("class-counts")},
        "flows_per_commodity": {r["commodityLabel"]: r["flows"]
                                for r in kg.query("flows-per-commodity")},
        "countries": [{"country": r["label"], "iso3": r["iso3"], "claims": r["claims"],
                       "scores": r["scores"]} for r in kg.query("countries")],
        "claims_by_certainty": by_grade,
        "coverage": coverage(kg),
    }


def summary_text(data: dict[str, Any]) -> str:
    """The summary as short plain text for the terminal and ``summary.txt``."""
    lines = [f"{data['triples']} triples"]
    lines.append("Instances per class: " + ", ".join(
        f"{label} {count}" for label, count in data["classes"].items()))
    lines.append("Flows per commodity: " + ", ".join(
        f"{label} {count}" for label, count in data["flows_per_commodity"].items()))
    lines.append("Claims per certainty grade: " + ", ".join(
        f"{label} {count}" for label, count in data["claims_by_certainty"].items()))
    with_claims = [c for c in data["countries"] if c["claims"]]
    lines.append(f"Countries: {len(data['countries'])} with claims or scores, "
                 f"{len(with_claims)} with claims")
    lines.append("Source coverage (factual paragraphs cited by claims):")
    for row in data["coverage"]:
        missing = f" - uncited paragraphs {row['uncited']}" if row["uncited"] else ""
        cited = f"{row['cited']}/{row['passages']}"
        lines.append(f"  {row['title']} / {row['section']}: {cited}{missing}")
    return "\n".join(lines)
