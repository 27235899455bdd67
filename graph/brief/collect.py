"""What a country brief reads from the graph, read once per graph and kept as plain data.

Six named queries (``brief-observations``, ``brief-indicators``, ``brief-documents``,
``brief-claim-extras``, ``brief-actor-types``, ``brief-borders``) give flat rows; grades
with their hedge frames and the Index actor types of actor classes come from the ontology
model (:attr:`graph.kg.KnowledgeGraph.ontology`), the claims themselves from the claims
snapshot (:func:`graph.claims.model`). Everything is read for all countries at once, so
that writing the briefs of all 193 countries costs one read, not 193.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph.claims import Claim, Model, cached, model, rows
from graph.namespaces import TKG

__all__ = ["Snapshot", "corroboration", "snapshot"]

#: Index indicator classes, in the order the brief's sections follow.
MARKET, ACTOR_TYPE, RESILIENCE, AGGREGATE = (
    str(TKG.CriminalMarket), str(TKG.CriminalActorType), str(TKG.ResilienceIndicator),
    str(TKG.IndexAggregate))


@dataclass
class Snapshot:
    """The brief's view of one graph: figures, indicators, documents, grades, borders."""

    #: The traversal snapshot (claims, labels, hierarchies, grade levels).
    model: Model
    #: country -> list of observations ({obs, indicator, year, kind, score, rank, out_of,
    #: scope, scope_label, region, derived, documents}).
    observations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: indicator -> {id, label, class, group, group_label, broader}.
    indicators: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: document -> {id, title, publisher, issued, edition, reliability, ...}.
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: claim -> facet -> values (indicator, assessment, trendCause, eventType).
    extras: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: actor -> its classes; class -> Index actor types.
    actor_classes: dict[str, set[str]] = field(default_factory=dict)
    class_types: dict[str, set[str]] = field(default_factory=dict)
    #: country -> neighbouring countries.
    borders: dict[str, set[str]] = field(default_factory=dict)
    #: grades, firmest first: {id, label, level, frame}.
    grades: list[dict[str, Any]] = field(default_factory=list)

    def grade(self, iri: str | None) -> dict[str, Any] | None:
        """The grade record of ``iri`` (``None`` for no grade)."""
        return next((g for g in self.grades if g["id"] == iri), None) if iri else None

    def editions(self, country: str) -> list[int]:
        """Edition years with at least one figure for ``country``, oldest first."""
        return sorted({o["year"] for o in self.observations.get(country, ())})

    def actor_types(self, actor: str) -> list[str]:
        """Index actor types an actor counts under, through its classes' superclasses."""
        found: set[str] = set()
        todo = list(self.actor_classes.get(actor, ()))
        seen: set[str] = set()
        while todo:
            cls = todo.pop()
            if cls in seen:
                continue
            seen.add(cls)
            found |= self.class_types.get(cls, set())
            todo.extend(self.model.superclasses.get(cls, ()))
        return sorted(found)


def snapshot(kg) -> Snapshot:
    """The brief's snapshot of ``kg``, read on first use and kept while ``kg`` lives.

    Examples
    --------
    >>> snap = snapshot(kg)
    >>> [g["label"] for g in snap.grades]
    ['confirmed', 'reported', 'likely', 'suspected', 'unsubstantiated']
    >>> snap.editions("https://w3id.org/tkg/place/MLI")
    [2021, 2023, 2025]
    """
    return cached(kg, "brief-snapshot", lambda: _read(kg))


def _read(kg) -> Snapshot:
    snap = Snapshot(model(kg))
    by_obs: dict[str, dict[str, Any]] = {}
    for row in rows(kg, "brief-observations"):
        obs = by_obs.get(row["obs"])
        if obs is None:
            obs = by_obs[row["obs"]] = {
                "obs": row["obs"], "area": row["area"], "indicator": row["indicator"],
                "year": int(row["year"]), "kind": row["kind"], "score": _number(row["score"]),
                "rank": _int(row["rank"]), "out_of": _int(row["outOf"]), "scope": row["scope"],
                "scope_label": row["scopeLabel"], "region": row["region"],
                "derived": bool(row["derived"]), "documents": []}
            snap.observations.setdefault(row["area"], []).append(obs)
        if row["document"] and row["document"] not in obs["documents"]:
            obs["documents"].append(row["document"])
    # The query has no ORDER BY (sorting 200,000 rows costs more than sorting here).
    for found in snap.observations.values():
        found.sort(key=lambda o: (o["year"], o["indicator"], o["obs"]))
        for o in found:
            o["documents"].sort()
    for row in rows(kg, "brief-indicators"):
        found = snap.indicators.setdefault(row["indicator"], {
            "id": row["indicator"], "label": row["label"], "class": row["class"],
            "group": row["group"], "group_label": row["groupLabel"], "broader": row["broader"]})
        found["group"] = found["group"] or row["group"]
        found["group_label"] = found["group_label"] or row["groupLabel"]
    for row in rows(kg, "brief-documents"):
        snap.documents.setdefault(row["document"], {
            "id": row["document"], "title": row["title"] or snap.model.label(row["document"]),
            "publisher": row["publisher"], "issued": _year(row["issued"]),
            "edition": _int(row["edition"]), "reliability": row["reliabilityLabel"],
            "reliability_level": _int(row["reliabilityLevel"]), "url": row["url"]})
    extras: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows(kg, "brief-claim-extras"):
        values = extras[row["claim"]][row["facet"]]
        if row["value"] not in values:
            values.append(row["value"])
    snap.extras = {k: dict(v) for k, v in extras.items()}
    for row in rows(kg, "brief-actor-types"):
        snap.actor_classes.setdefault(row["actor"], set()).add(row["class"])
    onto = kg.ontology
    snap.class_types = {c: set(types) for c, types in onto.index_actor_types.items()}
    for row in rows(kg, "brief-borders"):
        snap.borders.setdefault(row["country"], set()).add(row["neighbour"])
    snap.grades = [{"id": g.id, "label": g.label or g.id, "level": g.level, "frame": g.hedge}
                   for g in onto.certainty]
    return snap


def corroboration(kg, claim: Claim) -> int:
    """How many independent lineages of sources state or support a claim.

    A news summary of an Index page is the Index's lineage, not a second source (see
    :func:`graph.evidence.independent_lineages`); this is the one place the brief counts
    corroboration.

    Examples
    --------
    >>> from graph.claims import model
    >>> m = model(kg)
    >>> corroboration(kg, m.claims["https://w3id.org/tkg/kb/flow-ocindex-2021-mali-arms-libya"])
    2
    """
    from graph.evidence import independent_lineages

    return independent_lineages(kg).get(str(claim.id), 0)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _year(value: Any) -> int | None:
    if value is None:
        return None
    text = str(value)
    return int(text[:4]) if text[:4].isdigit() else None
