"""Convergence: actors and places that span several criminal markets or commodities.

Convergence of illicit markets (the same groups or hubs serving drugs, arms, people and
resources at once) is a central theme of the Global Organized Crime Index; here it is
counted from the claims: an actor spans the markets of the claims it is involved in, a
place the markets of the claims located there.
"""

from __future__ import annotations

from typing import Any

from graph.claims import Claim, Model, model
from graph.errors import QueryError, UnknownName

__all__ = ["convergence"]

MEASURES = ("market", "commodity")
SUBJECTS = ("actor", "place")


def convergence(kg, k: int = 2, by: str = "market", of: str = "actor",
                min_certainty: str | None = None,
                include_parts: bool = False) -> list[dict[str, Any]]:
    """Actors (or places) whose claims span at least ``k`` markets (or commodities).

    Markets are reached through a claim's commodities (up ``skos:broader`` to
    ``tkg:market``), an activity's own ``tkg:market`` and its activity type's market.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    k : int
        Minimum number of distinct markets (or commodities); default 2.
    by : {"market", "commodity"}
        What is counted.
    of : {"actor", "place"}
        Actors through their involvements, or places through the claims located there
        (a flow's origins, transits and destinations; another claim's ``tkg:place``).
    min_certainty : str, optional
        Lowest grade kept: of each involvement (its own grade, else the claim's) for
        actors, of each claim for places.
    include_parts : bool
        For places: also count claims located in their parts (Mali then includes
        northern Mali). Off by default, since every region would then include the world.

    Returns
    -------
    list of dict
        Sorted by ``count`` (descending), then label. For actors: ``actor`` ({id, label,
        type}); for places: ``place`` ({id, label, type}); both with ``markets`` and
        ``commodities`` (lists of {id, label}) and ``count`` (of the ``by`` kind).

    Raises
    ------
    graph.errors.UnknownName
        If ``by`` or ``of`` is not one of the choices.
    graph.errors.QueryError
        If ``k`` is not a positive integer.

    Examples
    --------
    >>> rows = convergence(kg, k=4)
    >>> armed = [r for r in rows if r["actor"]["label"] == "armed groups in Mali"][0]
    >>> {"Arms trafficking", "Cocaine trade"} <= {m["label"] for m in armed["markets"]}
    True
    >>> "Mali" in [r["place"]["label"] for r in convergence(kg, k=4, of="place")]
    True
    """
    if by not in MEASURES:
        raise UnknownName("convergence measure", by, MEASURES)
    if of not in SUBJECTS:
        raise UnknownName("convergence subject", of, SUBJECTS)
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise QueryError(f"k must be a positive integer, got {k!r}")
    m = model(kg)
    min_level = m.min_level(min_certainty)
    spans = (_actor_spans if of == "actor" else _place_spans)(m, min_level, include_parts)
    rows = []
    for subject, (markets, commodities) in spans.items():
        count = len(markets if by == "market" else commodities)
        if count < k:
            continue
        rows.append({of: m.typed(subject), "markets": _refs(m, markets),
                     "commodities": _refs(m, commodities), "count": count})
    rows.sort(key=lambda r: (-r["count"], r[of]["label"].casefold(), r[of]["id"]))
    return rows


def _add(spans: dict, subject: str, m: Model, claim: Claim) -> None:
    markets, commodities = spans.setdefault(subject, (set(), set()))
    markets |= m.claim_markets(claim)
    commodities.update(claim.values.get("commodity", ()))


def _actor_spans(m: Model, min_level: int | None, include_parts: bool) -> dict:
    spans: dict[str, tuple[set, set]] = {}
    for claim in m.claims.values():
        for inv in claim.involvements:
            if m.passes(m.involvement_certainty(claim, inv), min_level):
                _add(spans, inv.actor, m, claim)
    return spans


def _place_spans(m: Model, min_level: int | None, include_parts: bool) -> dict:
    spans: dict[str, tuple[set, set]] = {}
    for claim in m.claims.values():
        if not m.passes(claim.certainty, min_level):
            continue
        places = set(claim.places)
        if include_parts:
            places = {up for p in places for up in m.ancestors(p, "partOf")}
        for place in places:
            _add(spans, place, m, claim)
    return spans


def _refs(m: Model, iris) -> list[dict[str, Any]]:
    return sorted((m.ref(i) for i in iris), key=lambda r: (r["label"].casefold(), r["id"]))
