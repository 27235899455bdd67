"""Who is involved in a commodity or at a place: actors with the roles they play."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph import query as named
from graph.backends.base import IRI
from graph.claims import Claim, Model, model, scoped
from graph.layouts import Rows
from graph.query import expand_iri
from graph.traverse.flows import certainty_record

__all__ = ["claims_at", "claims_of", "who"]


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
    term = kg.resolve(str(commodity_or_place), classes=("tkg:Commodity", "tkg:Place"))
    # The classes of the one term, not the whole entity index (seconds on a large graph).
    if kg.index_of([term]).is_a(term, expand_iri("tkg:Place")):
        places = kg.ontology.descendants(term, "partOf")
        m = _snapshot(kg, claims_at(kg, places))
        claims = [c for c in m.claims.values() if c.places & places]
    else:
        commodities = kg.ontology.descendants(term)
        m = _snapshot(kg, claims_of(kg, commodities))
        claims = [c for c in m.claims.values()
                  if commodities.intersection(c.values.get("commodity", ()))]
    return Rows(involvement_rows(m, claims, m.min_level(min_certainty)), "who")


def claims_at(kg, places: Iterable[str]) -> set[str] | None:
    """The claims located at one of ``places``, selected by the store.

    A claim is located at a place when it is one of its origins, transits or destinations
    (flows) or its ``tkg:place`` (any other claim). Pass a place with its parts
    (``kg.ontology.descendants(place, "partOf")``) to include them. ``None`` when the
    backend cannot bind many values at once: then the caller reads every claim, once.

    Examples
    --------
    >>> found = claims_at(kg, kg.ontology.descendants(kg.resolve("Mali"), "partOf"))
    >>> found is None or any("mali" in c for c in found)
    True
    """
    return _select(kg, "_claims-at-places", "place", places)


def claims_of(kg, commodities: Iterable[str]) -> set[str] | None:
    """The claims (flows, activities...) of one of ``commodities``, selected by the store.

    Pass a commodity with everything narrower (``kg.ontology.descendants(commodity)``) to
    include them. ``None`` when the backend cannot bind many values at once.

    Examples
    --------
    >>> found = claims_of(kg, kg.ontology.descendants(kg.resolve("drugs")))
    >>> found is None or any(c.endswith("cocaine-latin-america") for c in found)
    True
    """
    return _select(kg, "_claims-of-commodities", "commodity", commodities)


def _select(kg, name: str, variable: str, terms: Iterable[str]) -> set[str] | None:
    if not kg.backend.binds_many:
        return None
    terms = sorted(IRI(t) for t in terms)
    query = named.get(name).sparql
    return {row["claim"] for row in kg.rows_each(query, variable, terms)}


def _snapshot(kg, candidates: set[str] | None) -> Model:
    """The claims to look at: only ``candidates`` when the store selected them, else all."""
    return model(kg) if candidates is None else scoped(kg, candidates)


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
