"""Find flows by commodity, place, actor, certainty and period.

Commodity arguments include every narrower concept ("drugs" finds cocaine) and place
arguments every part ("Mali" finds northern Mali); both hierarchies are read from the graph
(``skos:broader`` and ``tkg:partOf``), as is the order of certainty grades (``tkg:level``).
"""

from __future__ import annotations

from typing import Any

from graph import query as named
from graph.backends.base import IRI
from graph.claims import Claim, Model, model, parse_period, scoped
from graph.layouts import Rows
from graph.query import expand_iri

__all__ = ["candidate_flows", "flows"]


def flows(kg, commodity: str | None = None, origin: str | None = None,
          transit: str | None = None, destination: str | None = None,
          actor: str | None = None, min_certainty: str | None = None,
          period: Any = None, min_lineages: int | None = None) -> list[dict[str, Any]]:
    """Flows matching every given filter, with their places, actors and sources.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    commodity : str, optional
        A commodity (label, alternative label or IRI); narrower commodities match too.
    origin, transit, destination : str, optional
        Places; a flow matches when one of its origins (transits, destinations) is the place
        or lies within it (``tkg:partOf``).
    actor : str, optional
        Only flows this actor is involved in (with a certainty that passes ``min_certainty``).
    min_certainty : str, optional
        Lowest certainty grade kept ("likely", ``cert:likely``...). Applies to the flow and,
        for the ``actors`` listed, to each involvement: an involvement's own grade overrides
        the flow's for that actor.
    period : int, str or (int, int), optional
        Years, e.g. ``2021``, ``"2015-2021"`` or ``(2015, None)``. Flows overlapping the
        period match; a flow that states no years is not excluded.
    min_lineages : int, optional
        Only flows stated or supported by at least this many independent lineages of
        sources (:func:`graph.evidence.independent_lineages`).

    Returns
    -------
    list of dict
        One dict per flow, sorted by label (a list that Jupyter shows as the CLI's table),
        with keys ``id``, ``label``, ``description``,
        ``commodity`` ({id, label}), ``origins``, ``transits`` (in route order),
        ``destinations`` (lists of {id, label}), ``actors`` (list of {id, label, type,
        role, roles, certainty}), ``mode`` (list of {id, label}), ``period`` ({start, end,
        label}), ``trend``, ``magnitude``, ``certainty`` ({id, label, level}), ``sources``
        (list of {document, title, section, paragraph, label}) and
        ``independent_lineages`` (int; the certainty is the source's own, never raised by it).

    Raises
    ------
    graph.errors.EntityNotFound
        A name that matches nothing (the message suggests close names).
    graph.errors.QueryError
        A malformed period.

    Examples
    --------
    >>> drugs = {f["commodity"]["label"] for f in flows(kg, commodity="drugs", transit="Mali")}
    >>> {"Cocaine", "Cannabis resin"} <= drugs
    True
    >>> any(f["commodity"]["label"] == "Heavy machine guns"
    ...     for f in flows(kg, commodity="arms", origin="Libya"))
    True
    >>> found = flows(kg, commodity="cocaine", origin="Latin America", transit="Mali")
    >>> [[t["label"] for t in f["transits"]] for f in found
    ...  if f["label"].startswith("Cocaine from Latin America through northern Mali")]
    [['Northern Mali']]
    >>> [f["label"] for f in flows(kg, commodity="arms", destination="Mali", min_lineages=2)
    ...  if f["label"].startswith("Arms from Libya")]
    ['Arms from Libya to armed groups in Mali']

    See Also
    --------
    graph.traverse.routes : chain flows into multi-leg routes.
    graph.traverse.flow_network : the same flows as a networkx graph.
    """
    names = {"commodity": _resolve(kg, commodity, "tkg:Commodity"),
             "origin": _resolve(kg, origin, "tkg:Place"),
             "transit": _resolve(kg, transit, "tkg:Place"),
             "destination": _resolve(kg, destination, "tkg:Place"),
             "actor": _resolve(kg, actor, "tkg:Actor")}
    candidates = candidate_flows(kg, **names)
    m = model(kg) if candidates is None else scoped(kg, candidates)
    min_level = m.min_level(min_certainty)
    selected = m.select_flows(**names, min_level=min_level, period=parse_period(period))
    from graph.evidence import lineages_of

    lineages = lineages_of(kg, [c.id for c in selected],
                           {str(c.id): [(s["passage"], s["document"]) for s in c.sources]
                            for c in selected})
    records = [{**flow_record(m, claim, min_level),
                "independent_lineages": lineages.get(str(claim.id), 0)} for claim in selected]
    if min_lineages:
        records = [r for r in records if r["independent_lineages"] >= min_lineages]
    return Rows(records, "flows")


def _resolve(kg, name: str | None, cls: str) -> IRI | None:
    return None if name is None or name == "" else kg.resolve(str(name), classes=(cls,))


def candidate_flows(kg, commodity: str | None = None, origin: str | None = None,
                    transit: str | None = None, destination: str | None = None,
                    actor: str | None = None) -> set[str] | None:
    """The flows that can match the given filters, selected by the store.

    Each filter is one query (commodities with everything narrower, places with their
    parts, the actor's involvements); the answer is their intersection, a superset of the
    flows :func:`flows` returns (certainty and period are checked on the claims read).
    ``None`` when no filter is given or the backend cannot bind many values at once: then
    every claim is read, once, and kept for later questions.

    Examples
    --------
    >>> from graph.backends import IRI
    >>> found = candidate_flows(kg, commodity=IRI("https://w3id.org/tkg/vocab/commodity/drugs"))
    >>> found is None or any(f.endswith("cocaine-latin-america") for f in found)
    True
    """
    if not kg.backend.binds_many:
        return None
    parts = []
    if commodity:
        parts.append(_column(kg, "_flows-by-commodity", "flow", commodity=commodity))
    for facet, place in (("origin", origin), ("transit", transit),
                         ("destination", destination)):
        if place:
            parts.append(_column(kg, "_flows-by-place", "flow", place=place,
                                 facet=expand_iri(f"tkg:{facet}")))
    if actor:
        parts.append(_column(kg, "_claims-of-actor", "claim", actor=actor))
    if not parts:
        return None
    return set.intersection(*parts)


def _column(kg, name: str, column: str, **bindings: Any) -> set[str]:
    return {row[column] for row in kg.execute(named.get(name).sparql, bindings).iterdicts()}


def flow_record(m: Model, claim: Claim, min_level: int | None = None) -> dict[str, Any]:
    """The plain description of one flow (the JSON contract of ``tkg flows``)."""
    start, end = claim.first("startYear"), claim.first("endYear")
    return {
        "id": claim.id,
        "label": claim.label,
        "description": claim.first("description"),
        "commodity": m.ref(claim.first("commodity")),
        "origins": [m.ref(p) for p in claim.values.get("origin", ())],
        "transits": [m.ref(p) for p in claim.values.get("transit", ())],
        "destinations": [m.ref(p) for p in claim.values.get("destination", ())],
        "actors": m.actors(claim, min_level),
        "mode": [m.ref(v) for v in claim.values.get("mode", ())],
        "period": period_record(start, end),
        "trend": m.ref(claim.first("trend")),
        "magnitude": m.ref(claim.first("magnitude")),
        "certainty": certainty_record(m, claim.certainty),
        "sources": [dict(s) for s in claim.sources],
    }


def certainty_record(m: Model, grade: str | None) -> dict[str, Any] | None:
    """``{"id", "label", "level"}`` of a certainty grade."""
    if grade is None:
        return None
    return {**m.ref(grade), "level": m.levels.get(grade)}


def period_record(start: int | None, end: int | None) -> dict[str, Any]:
    """``{"start", "end", "label"}``; the label reads "2012", "2012-2020", "since 2012"..."""
    if start is None and end is None:
        label = ""
    elif start == end:
        label = str(start)
    elif end is None:
        label = f"since {start}"
    elif start is None:
        label = f"until {end}"
    else:
        label = f"{start}-{end}"
    return {"start": start, "end": end, "label": label}
