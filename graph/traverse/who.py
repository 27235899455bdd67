"""Who is involved in a commodity or at a place: actors with the roles they play."""

from __future__ import annotations

from typing import Any

from graph.claims import Claim, Model, model
from graph.layouts import Rows
from graph.traverse.flows import certainty_record

__all__ = ["who"]


def who(kg, commodity_or_place: str, min_certainty: str | None = None) -> list[dict[str, Any]]:
    """Actors involved in claims about a commodity or a place, one row per actor and role.

    For a commodity, the claims (flows and activities) of that commodity or a narrower one;
    for a place, the claims located there or in one of its parts (a flow's origins,
    transits and destinations, any other claim's ``tkg:place``).

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    commodity_or_place : str
        A commodity or a place (label, alternative label, code or IRI).
    min_certainty : str, optional
        Lowest grade kept, applied to each involvement: its own ``tkg:certainty`` when it
        has one, else the claim's.

    Returns
    -------
    list of dict
        Sorted by actor label, then role: ``actor`` ({id, label, type}), ``role`` (label),
        ``commodities`` and ``markets`` (lists of {id, label}, from the matching claims in
        which the actor plays that role), ``claims`` (how many), ``claim_ids`` (their IRIs),
        ``certainty`` (the strongest grade among them, {id, label, level}) and ``sources``
        (the passages those claims cite, as in :func:`~graph.traverse.flows`).

    Raises
    ------
    graph.errors.EntityNotFound
        If the name is neither a commodity nor a place.

    Examples
    --------
    Who moves cocaine? State officials appear only when suspected claims are admitted:

    >>> officials = "Malian state officials at national and local level"
    >>> [(r["role"], r["certainty"]["label"]) for r in who(kg, "cocaine")
    ...  if r["actor"]["label"] == officials]
    [('colludes', 'suspected')]
    >>> officials in {r["actor"]["label"] for r in who(kg, "cocaine", min_certainty="reported")}
    False
    """
    m = model(kg)
    min_level = m.min_level(min_certainty)
    term = m.resolve(commodity_or_place, "tkg:Commodity", "tkg:Place")
    if kg.is_a(term, "tkg:Place"):
        places = m.descendants(term, "partOf")
        claims = [c for c in m.claims.values() if c.places & places]
    else:
        commodities = m.descendants(term)
        claims = [c for c in m.claims.values()
                  if commodities.intersection(c.values.get("commodity", ()))]
    return Rows(involvement_rows(m, claims, min_level), "who")


def involvement_rows(m: Model, claims: list[Claim], min_level: int | None) -> list[dict]:
    """One row per (actor, role) over ``claims``, with commodities, markets and claim count."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for claim in claims:
        markets = m.claim_markets(claim)
        for inv in claim.involvements:
            grade = m.involvement_certainty(claim, inv)
            if not m.passes(grade, min_level):
                continue
            for role in inv.roles:
                row = rows.get((inv.actor, role))
                if row is None:
                    row = rows[(inv.actor, role)] = {
                        "actor": m.typed(inv.actor), "role": m.label(role),
                        "commodities": set(), "markets": set(), "claims": set(),
                        "grade": grade, "sources": []}
                row["commodities"].update(claim.values.get("commodity", ()))
                row["markets"].update(markets)
                row["claims"].add(claim.id)
                for source in claim.sources:
                    if source not in row["sources"]:
                        row["sources"].append(source)
                if m.level(grade) > m.level(row["grade"]):
                    row["grade"] = grade
    out = []
    for row in rows.values():
        out.append({"actor": row["actor"], "role": row["role"],
                    "commodities": _refs(m, row["commodities"]),
                    "markets": _refs(m, row["markets"]),
                    "claims": len(row["claims"]), "claim_ids": sorted(row["claims"]),
                    "certainty": certainty_record(m, row["grade"]),
                    # Sorted: the claims come in the store's order, which backends differ in.
                    "sources": [dict(s) for s in sorted(row["sources"], key=_source_order)]})
    out.sort(key=lambda r: (r["actor"]["label"].casefold(), r["actor"]["id"], r["role"]))
    return out


def _refs(m: Model, iris) -> list[dict[str, Any]]:
    return sorted((m.ref(i) for i in iris), key=lambda r: (r["label"].casefold(), r["id"]))


def _source_order(source: dict[str, Any]) -> tuple:
    return (str(source.get("title") or source["document"]), str(source.get("section") or ""),
            source.get("paragraph") or 0, str(source["passage"]))
