"""Everything the graph says about one country: Index scores, flows in, out and through, actors."""

from __future__ import annotations

from typing import Any

from graph.claims import model, scoped
from graph.layouts import Record
from graph.traverse.flows import flow_record
from graph.traverse.who import claims_at, involvement_rows

__all__ = ["country", "country_rows"]


def country(kg, name: str, min_certainty: str | None = None) -> dict[str, Any]:
    """A country profile: scores by edition, inbound, outbound and transit flows, actors.

    Places within the country (``tkg:partOf``, e.g. northern Mali) count as the country.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    name : str
        The country: name, alternative name, ISO code or IRI.
    min_certainty : str, optional
        Lowest grade of the flows and involvements reported (scores are not graded).

    Returns
    -------
    dict
        ``country`` ({id, label, iso3}); ``scores`` (list of {indicator ({id, label}),
        kind, edition (year), value}, by edition then indicator); ``ranks`` (list of
        {indicator, edition, rank, out_of, scope}); ``inbound``, ``outbound``, ``transit``
        (flows whose destination, origin or transit lies in the country, as returned by
        :func:`~graph.traverse.flows`); ``actors`` (one row per actor and role in claims
        located in the country, as returned by :func:`~graph.traverse.who`). Jupyter shows
        it as the CLI's table.

    Raises
    ------
    graph.errors.EntityNotFound
        If ``name`` is not a country (the message suggests close names).

    Examples
    --------
    >>> mali = country(kg, "Mali")
    >>> [s["value"] for s in mali["scores"]
    ...  if s["indicator"]["label"] == "Arms trafficking" and s["edition"] == 2021]
    [8.0]
    >>> "Libya" in {o["label"] for f in mali["inbound"] for o in f["origins"]}
    True
    """
    iri = kg.resolve(str(name), classes=("tkg:Country",))
    # Only the claims located in the country (or one of its parts) are read, when the
    # store can select them; else every claim, once.
    within = kg.ontology.descendants(iri, "partOf")
    candidates = claims_at(kg, within)
    m = model(kg) if candidates is None else scoped(kg, candidates)
    min_level = m.min_level(min_certainty)
    scores, ranks = [], []
    for row in kg.query("country-scores", country=iri):
        indicator = {"id": row["indicator"], "label": row["indicatorLabel"]}
        if row.get("score") is not None:
            scores.append({"indicator": indicator, "kind": kg.label(row["kind"]),
                           "edition": row["year"], "value": row["score"]})
        if row.get("rank") is not None:
            ranks.append({"indicator": indicator, "edition": row["year"], "rank": row["rank"],
                          "out_of": row["outOf"], "scope": row["scopeLabel"],
                          "derived": bool(row.get("derived"))})
    scores = _unique(scores)
    ranks = _unique(ranks)

    def flows_by(facet: str) -> list[dict[str, Any]]:
        return [flow_record(m, c, min_level) for c in m.select_flows(min_level=min_level)
                if within.intersection(c.values.get(facet, ()))]

    claims = [c for c in m.claims.values() if c.places & within]
    info = m.place_info.get(iri, {})
    return Record({
        "country": {"id": iri, "label": m.label(iri), "iso3": info.get("iso3")},
        "scores": scores,
        "ranks": ranks,
        "inbound": flows_by("destination"),
        "outbound": flows_by("origin"),
        "transit": flows_by("transit"),
        "actors": involvement_rows(m, claims, min_level),
    }, country_rows, "country")


def _unique(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for row in rows:
        if row not in out:
            out.append(row)
    out.sort(key=lambda r: (r["edition"], r["indicator"]["label"].casefold()))
    return out


def country_rows(profile: dict[str, Any]) -> list[dict[str, Any]]:
    """Flatten a :func:`country` profile into rows for a table or CSV.

    Each row has ``section`` (score, rank, inbound, outbound, transit, actor), ``item``,
    ``edition``, ``value``, ``detail``, ``id`` (the indicator, flow or actor) and
    ``sources`` (the passages a flow or an actor's claims cite; empty for scores).

    Examples
    --------
    >>> rows = country_rows(country(kg, "Mali"))
    >>> sorted({r["section"] for r in rows})
    ['actor', 'inbound', 'outbound', 'rank', 'score', 'transit']
    """
    rows: list[dict[str, Any]] = []
    for score in profile["scores"]:
        rows.append({"section": "score", "item": score["indicator"]["label"],
                     "edition": score["edition"], "value": score["value"],
                     "detail": score["kind"], "id": score["indicator"]["id"], "sources": []})
    for rank in profile["ranks"]:
        rows.append({"section": "rank", "item": rank["indicator"]["label"],
                     "edition": rank["edition"], "value": f"{rank['rank']}/{rank['out_of']}",
                     "detail": rank["scope"] + (" (derived)" if rank["derived"] else ""),
                     "id": rank["indicator"]["id"], "sources": []})
    for section in ("inbound", "outbound", "transit"):
        for flow in profile[section]:
            rows.append({"section": section, "item": flow["label"], "edition": None,
                         "value": flow["commodity"]["label"] if flow["commodity"] else None,
                         "detail": flow["certainty"]["label"] if flow["certainty"] else None,
                     "id": flow["id"], "sources": flow["sources"]})
    for actor in profile["actors"]:
        rows.append({"section": "actor", "item": actor["actor"]["label"], "edition": None,
                     "value": actor["role"],
                     "detail": "; ".join(m["label"] for m in actor["markets"]),
                     "id": actor["actor"]["id"], "sources": actor.get("sources", [])})
    return rows
