"""Entities near an entity in the full heterogeneous graph (any edge type, either direction)."""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any

from graph import query as named
from graph.backends.base import IRI
from graph.claims import model
from graph.errors import QueryError
from graph.traverse.projections import _category, full_graph

__all__ = ["adjacent", "neighbours"]


def neighbours(kg, entity: str, depth: int = 1,
               min_certainty: str | None = None) -> list[dict[str, Any]]:
    """Entities within ``depth`` edges of ``entity`` in :func:`full_graph`.

    Edges are followed in both directions. Each entity is reported once, at its shortest
    distance, with the edge that first reached it.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    entity : str
        Any entity: label, alternative label, code, prefixed name or IRI.
    depth : int
        How many edges away to look (default 1). The number of entities grows quickly
        with depth, since concepts such as certainty grades link many claims.
    min_certainty : str, optional
        Leave out claims below this grade (and involvements whose grade is below it).

    Returns
    -------
    list of dict
        Sorted by distance, then label: ``id``, ``label``, ``type``, ``category``,
        ``distance``, ``relation`` (label of the edge that reached it), ``direction``
        ("out" when the edge points away from ``via``, else "in") and ``via`` ({id, label}:
        the entity one step closer).

    Raises
    ------
    graph.errors.EntityNotFound
        If ``entity`` matches nothing.
    graph.errors.QueryError
        If ``depth`` is not a positive integer, or the entity is not in the full graph.

    Examples
    --------
    >>> rows = neighbours(kg, "Arms from Libya to armed groups in Mali")
    >>> sorted((r["relation"], r["label"]) for r in rows if r["category"] == "place")
    [('destination', 'Mali'), ('origin', 'Libya')]
    >>> "involved in" in {r["relation"] for r in neighbours(kg, "AQIM") if r["category"] == "claim"}
    True
    """
    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 1:
        raise QueryError(f"depth must be a positive integer, got {depth!r}")
    if kg.backend.binds_many and not kg.is_cached(("claims", ("full_graph", None))):
        return _Stepper(kg, min_certainty).neighbours(entity, depth)
    m = model(kg)
    start = m.resolve(entity)
    graph = full_graph(kg, min_certainty)
    if start not in graph:
        raise QueryError(f"{kg.label(start)!r} ({start}) is not in the graph of entities"
                         + (" at this certainty" if min_certainty else ""))
    found: dict[str, dict[str, Any]] = {}
    queue = deque([(start, 0)])
    seen = {start}
    while queue:
        node, distance = queue.popleft()
        if distance == depth:
            continue
        steps = [(v, d, "out") for _, v, d in graph.out_edges(node, data=True)]
        steps += [(u, d, "in") for u, _, d in graph.in_edges(node, data=True)]
        steps.sort(key=lambda s: (graph.nodes[s[0]]["label"].casefold(), s[0], s[1]["relation"]))
        for other, data, direction in steps:
            if other in seen:
                continue
            seen.add(other)
            found[other] = _record(other, graph.nodes[other], distance + 1, data["relation"],
                                   direction, node, graph.nodes[node]["label"])
            queue.append((other, distance + 1))
    return sorted(found.values(), key=lambda r: (r["distance"], r["label"].casefold(), r["id"]))


def adjacent(kg, iri: str) -> list[dict[str, Any]] | None:
    """The entities one edge away from node ``iri`` of :func:`full_graph`, named or not (a
    passage has no name to look it up by), read from the store as :func:`neighbours` steps.

    ``None`` on a backend that cannot bind many values (use the whole graph there).

    Returns
    -------
    list of dict or None
        ``id``, ``label``, ``type``, ``category``, ``relation`` and ``direction`` of each
        entity, once (its first edge: out edges before in edges); empty when ``iri`` is no
        node of the graph.

    Examples
    --------
    >>> rows = adjacent(kg, "https://w3id.org/tkg/kb/flow-ocindex-2021-mali-arms-libya")
    >>> rows is None or ("origin", "Libya") in {(r["relation"], r["label"]) for r in rows}
    True
    """
    if not kg.backend.binds_many:
        return None
    stepper = _Stepper(kg, None)
    iri = str(iri)
    stepper.learn([iri])
    if stepper.nodes[iri] is None:
        return []
    found: dict[str, dict[str, Any]] = {}
    for other, relation, direction in sorted(stepper.steps([iri]).get(iri, []),
                                             key=lambda s: s[2] != "out"):
        attrs = stepper.nodes[other]
        found.setdefault(other, {"id": other, "label": attrs["label"], "type": attrs["type"],
                                 "category": attrs["category"], "relation": relation,
                                 "direction": direction})
    return list(found.values())


class _Stepper:
    """The same search, one depth at a time, each step read by bound queries: the edges of
    the frontier, then which of the entities they reach are nodes of :func:`full_graph`
    (their classes, their grade if claims) and their names. Nothing else is read."""

    def __init__(self, kg, min_certainty: str | None) -> None:
        self.kg = kg
        self.ontology = onto = kg.ontology
        self.min_level = None
        if min_certainty is not None and min_certainty != "":
            grade = kg.resolve(str(min_certainty), classes=("tkg:CertaintyGrade",))
            if grade not in onto.levels:
                raise QueryError(f"certainty grade {min_certainty!r} has no tkg:level in the graph")
            self.min_level = onto.levels[grade]
        self.shortcuts = set(onto.qualified_forms)
        self.collapsed = {c for c in onto.qualified_forms.values()
                          if not onto.is_subclass(c, named.expand_iri("tkg:Claim"))}
        #: node -> {label, type, category}; None for an entity that is no node.
        self.nodes: dict[str, dict[str, Any] | None] = {}
        self.grades: dict[str, str | None] = {}  # claim -> its grade
        self.index = None
        self._labels: dict[str, str] = {}
        # Read once, so that the steps bind entities only to single triple patterns (joined
        # with many VALUES rows, Oxigraph takes 100 s for 10k entities at 1M triples).
        kinds = kg.query("_node-classes")
        self.node_classes = {r["class"] for r in kinds if r["class"]}
        self.claim_kinds = {r["claimKind"] for r in kinds if r["claimKind"]}

    def _rows(self, name: str, variable: str, values) -> list[dict[str, Any]]:
        values = sorted({str(v) for v in values})
        if not values:
            return []
        return list(self.kg.rows_each(named.get(name).sparql, variable,
                                      [IRI(v) for v in values]))

    def passes(self, grade: str | None) -> bool:
        return self.min_level is None or self.ontology.levels.get(grade, 0) >= self.min_level

    def label(self, iri: str) -> str:  # for projections._category
        return self._labels.get(iri) or self.index.label(iri)

    def learn(self, entities) -> None:
        """Decide which of ``entities`` are nodes of the full graph, and name those."""
        todo = {str(e) for e in entities} - set(self.nodes)
        if not todo:
            return
        classes: dict[str, set[str]] = defaultdict(set)
        for row in self._rows("_entity-classes", "entity", todo):
            if row["class"] in self.node_classes:
                classes[row["entity"]].add(row["class"])
        claims = {e for e, types in classes.items() if types & self.claim_kinds}
        for claim in claims:
            self.grades[claim] = None
        for row in self._rows("_claim-grades", "claim", claims):
            if self.grades[row["claim"]] is None:
                self.grades[row["claim"]] = row["certainty"]
        passages = {r["passage"]: r for r in self._rows("claim-evidence", "passage", classes)}
        kept = {e: t for e, t in classes.items()
                if not t & self.collapsed
                and (e not in self.grades or self.passes(self.grades[e]))}
        onto = self.ontology
        self.index = self.kg.index_of(set(kept) | {onto.root(c) or c for t in kept.values()
                                                   for c in t})
        categories: dict[frozenset, str] = {}
        for entity in todo:
            types = kept.get(entity)
            if types is None:
                self.nodes[entity] = None
                continue
            key = frozenset(types)
            if key not in categories:
                categories[key] = _category(self, types)
            source = passages.get(entity)
            self.nodes[entity] = {
                "label": _source_label(source) if source else self.index.label(entity),
                "type": self.index.kind(entity), "category": categories[key]}

    def steps(self, frontier: list[str]) -> dict[str, list[tuple[str, str, str]]]:
        """node -> [(other, relation, direction)] for every node of ``frontier``."""
        edges = []  # (node, other, predicate, direction)
        for row in self._rows("graph-edges", "subject", frontier):
            edges.append((row["subject"], row["object"], row["predicate"], "out"))
        for row in self._rows("graph-edges", "object", frontier):
            edges.append((row["object"], row["subject"], row["predicate"], "in"))
        edges = [e for e in edges if e[2] not in self.shortcuts]
        involved = str(named.expand_iri("tkg:involvedIn"))
        rows = self._rows("involvements", "claim", frontier)
        rows += self._rows("involvements", "actor", frontier)
        self.learn({e[1] for e in edges} | {r[k] for r in rows for k in ("claim", "actor")})
        for row in rows:
            grade = row["certainty"] or self.grades.get(row["claim"])
            if not self.passes(grade):
                continue
            if row["actor"] in set(frontier):
                edges.append((row["actor"], row["claim"], involved, "out"))
            if row["claim"] in set(frontier):
                edges.append((row["claim"], row["actor"], involved, "in"))
        names = self.kg.index_of({e[2] for e in edges})
        found: dict[str, dict[tuple[str, str, str], None]] = defaultdict(dict)
        for node, other, predicate, direction in edges:
            if self.nodes.get(node) is None or self.nodes.get(other) is None:
                continue
            found[node][(other, names.label(predicate), direction)] = None
        return {node: list(steps) for node, steps in found.items()}

    def neighbours(self, entity: str, depth: int) -> list[dict[str, Any]]:
        start = self._resolve(entity)
        self.learn([start])
        if self.nodes[start] is None:
            raise QueryError(f"{self.kg.index_of([start]).label(start)!r} ({start}) is not in "
                             "the graph of entities"
                             + (" at this certainty" if self.min_level is not None else ""))
        found: dict[str, dict[str, Any]] = {}
        seen, frontier = {start}, [start]
        for distance in range(depth):
            steps = self.steps(frontier)
            following = []
            for node in frontier:
                # The order of the whole-graph search: out edges before in edges, then by
                # the other end's label, id and the relation's label.
                ordered = sorted(steps.get(node, []), key=lambda s: s[2] != "out")
                ordered.sort(key=lambda s: (self.nodes[s[0]]["label"].casefold(), s[0], s[1]))
                for other, relation, direction in ordered:
                    if other in seen:
                        continue
                    seen.add(other)
                    found[other] = _record(other, self.nodes[other], distance + 1, relation,
                                           direction, node, self.nodes[node]["label"])
                    following.append(other)
            frontier = following
            if not frontier:
                break
        return sorted(found.values(), key=lambda r: (r["distance"], r["label"].casefold(), r["id"]))

    def _resolve(self, entity: str) -> IRI:
        """The entity's IRI; an IRI or prefixed name with a name in the graph is taken as it
        is, anything else is looked up as :meth:`KnowledgeGraph.resolve` does."""
        text = str(entity).strip()
        if ":" in text and " " not in text:
            try:
                iri = named.expand_iri(text)
                if str(iri) in self.kg.index_of([iri]).entities:
                    return IRI(iri)
            except QueryError:  # not an IRI the store takes ("kb:a>b"): look it up by name
                pass
        return self.kg.resolve(text)


def _record(other: str, attrs: dict[str, Any], distance: int, relation: str, direction: str,
            via: str, via_label: str) -> dict[str, Any]:
    """One row of :func:`neighbours`, whichever path found it."""
    return {"id": other, "label": attrs["label"], "type": attrs["type"],
            "category": attrs["category"], "distance": distance, "relation": relation,
            "direction": direction, "via": {"id": via, "label": via_label}}


def _source_label(row: dict[str, Any]) -> str:
    from graph.claims import _source_label as label

    return label(row)
