"""Duplicates: pairs of actors that may be one group under two IRIs, ranked for a curator.

Each data file declares the actors it names, so the same group can arrive twice ("Islamic
State-aligned armed groups in Mali" and "Islamic State Sahel Province"). This analysis does
not merge anything; it ranks candidate pairs with the evidence a curator needs to decide:
merge them (one IRI), or link them with ``skos:closeMatch`` (they overlap) or
``skos:broadMatch`` (one is part of the other). Pairs already linked are reported with
their link.

The score mixes three similarities, each an IDF-weighted Jaccard index so that what many
actors share ("Mali", "groups", the Sahel) counts little and what few share counts much:

* **names**: the words of the labels and alternative labels;
* **definitions**: the words of the two definitions;
* **context**: home places, and the places, markets and commodities of the claims each
  actor is involved in, leaving out the claims that name both (a source that names two
  actors side by side tells them apart, so those claims say nothing about identity; their
  number is reported as ``shared_claims``).

``score = 0.5 * names + 0.2 * definitions + 0.3 * context``; a context overlap that rests
on little (one common feature such as the home country) is discounted, and the score is
halved for actors based in places apart (Malian and Nigerien security forces), which
``same_area`` reports.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from itertools import combinations
from typing import Any

from graph.errors import QueryError

__all__ = ["duplicates"]

#: Words that carry no identity in an actor's name.
_STOPWORDS = {"a", "an", "and", "at", "by", "for", "from", "in", "into", "its", "of", "on",
              "or", "the", "their", "to", "who", "with", "whose", "that", "which", "as"}
#: Weights of the name, definition and context similarities in the score.
_WEIGHTS = (0.5, 0.2, 0.3)
#: Factor for actors based in places apart (neither home lies within the other's).
_ELSEWHERE = 0.5
#: Context overlaps resting on few or common features (a shared home country) count less:
#: the overlap is scaled by shared / (shared + this), shared being the IDF weight in common.
_CONTEXT_SHRINK = 4.0


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOPWORDS}


def _idf(features: dict[str, set[str]]) -> dict[str, float]:
    counts: dict[str, int] = defaultdict(int)
    for values in features.values():
        for v in values:
            counts[v] += 1
    n = max(len(features), 1)
    return {v: math.log((n + 1) / (c + 0.5)) for v, c in counts.items()}


def _weighted_jaccard(a: set[str], b: set[str], idf: dict[str, float],
                      shrink: float = 0.0) -> float:
    """IDF-weighted Jaccard; ``shrink`` discounts overlaps that rest on little evidence."""
    union = sum(idf[v] for v in a | b)
    shared = sum(idf[v] for v in a & b)
    if not union:
        return 0.0
    return shared / union * (shared / (shared + shrink) if shrink else 1.0)


def _word_overlap(a: set[str], b: set[str], idf: dict[str, float]) -> float:
    """Mean of the weighted Jaccard and overlap coefficients: a short name inside a long one
    ("Islamic State Sahel Province" in "Islamic State-aligned armed groups") still counts."""
    smaller = min(sum(idf[v] for v in a), sum(idf[v] for v in b))
    if not smaller:
        return 0.0
    containment = sum(idf[v] for v in a & b) / smaller
    return (_weighted_jaccard(a, b, idf) + containment) / 2


def duplicates(kg, min_score: float = 0.3, top: int | None = None,
               unlinked: bool = False) -> list[dict[str, Any]]:
    """Candidate pairs of duplicate or overlapping actors, best first, with the evidence.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    min_score : float
        Lowest score reported (0 to 1); default 0.3.
    top : int, optional
        At most this many pairs.
    unlinked : bool
        Only pairs a curator has not decided on yet (no ``skos:*Match``, ``owl:sameAs`` or
        ``owl:differentFrom``).

    Returns
    -------
    list of dict
        ``a`` and ``b`` ({id, label}), ``score``, ``names``, ``definitions`` and
        ``context`` (the three similarities), ``shared_words``, ``shared_places``,
        ``shared_markets``, ``shared_commodities`` (labels), ``shared_claims`` (how many
        claims name both),
        ``same_area`` (whether one's home place lies within the other's) and ``link`` (the
        curator's decision: ``closeMatch``, ``broadMatch`` (also through a chain of them),
        ``exactMatch``, ``differentFrom`` for a pair checked and found distinct, or None).

    Raises
    ------
    graph.errors.QueryError
        If ``min_score`` is outside 0..1 or ``top`` is not positive.

    Examples
    --------
    >>> pairs = duplicates(kg, min_score=0.3)
    >>> pair = next(p for p in pairs if {p["a"]["label"], p["b"]["label"]} == {
    ...     "armed groups in Mali", "rebel armed groups in Mali"})
    >>> pair["link"], pair["shared_words"]
    ('broadMatch', ['armed', 'groups', 'mali'])
    >>> duplicates(kg, min_score=0.3, unlinked=True)
    []
    """
    if not 0 <= min_score <= 1:
        raise QueryError(f"min_score must lie between 0 and 1, not {min_score!r}")
    if top is not None and top < 1:
        raise QueryError(f"top must be a positive number of pairs, not {top!r}")
    labels: dict[str, str] = {}
    names: dict[str, set[str]] = defaultdict(set)
    definitions: dict[str, set[str]] = defaultdict(set)
    homes: dict[str, set[str]] = defaultdict(set)
    home_places: dict[str, set[str]] = defaultdict(set)
    within: dict[str, set[str]] = defaultdict(set)
    for r in kg.query("place-ancestors"):
        within[r["place"]].add(r["ancestor"])
    for r in kg.query("actor-names"):
        actor = r["actor"]
        if r["label"] is not None:
            labels[actor] = str(r["label"])
            names[actor] |= _words(str(r["label"]))
        if r["altLabel"] is not None:
            names[actor] |= _words(str(r["altLabel"]))
        if r["definition"] is not None:
            definitions[actor] |= _words(str(r["definition"]))
        if r["home"] is not None:
            homes[actor].add(f"place {r['home']}")
            home_places[actor].add(r["home"])
    #: actor -> claim -> context features of that claim
    claims: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in kg.query("actor-contexts"):
        features = claims[r["actor"]][r["claim"]]
        for kind in ("place", "market", "commodity"):
            if r[kind] is not None:
                features.add(f"{kind} {r[kind]}")

    def context_of(actor: str, leave_out: set[str]) -> set[str]:
        found = set(homes[actor])
        for claim, features in claims[actor].items():
            if claim not in leave_out:
                found |= features
        return found

    links = {}
    broader: dict[str, set[str]] = defaultdict(set)
    for r in kg.query("actor-matches"):
        relation = str(r["relation"]).rsplit("#", 1)[-1]
        links[frozenset((r["actor"], r["other"]))] = relation
        if relation == "broadMatch":
            broader[r["actor"]].add(r["other"])
        elif relation == "narrowMatch":
            broader[r["other"]].add(r["actor"])
    for actor in list(broader):  # a chain of broadMatch links relates its ends too
        for ancestor in _reachable(broader, actor) - broader[actor]:
            links.setdefault(frozenset((actor, ancestor)), "broadMatch")
    actors = sorted(labels)
    name_idf = _idf({a: names[a] for a in actors})
    definition_idf = _idf({a: definitions[a] for a in actors})
    context_idf = _idf({a: context_of(a, set()) for a in actors})
    found = []
    for a, b in combinations(actors, 2):
        both = set(claims[a]) & set(claims[b])
        ctx_a, ctx_b = context_of(a, both), context_of(b, both)
        name_score = _word_overlap(names[a], names[b], name_idf)
        definition_score = _word_overlap(definitions[a], definitions[b], definition_idf)
        context_score = _weighted_jaccard(ctx_a, ctx_b, context_idf, shrink=_CONTEXT_SHRINK)
        score = sum(w * s for w, s in zip(_WEIGHTS, (name_score, definition_score,
                                                     context_score), strict=True))
        same_area = _same_area(home_places[a], home_places[b], within)
        if not same_area:
            score *= _ELSEWHERE
        link = links.get(frozenset((a, b)))
        if score < min_score or (unlinked and link):
            continue
        shared = ctx_a & ctx_b
        found.append({
            "a": {"id": a, "label": labels[a]},
            "b": {"id": b, "label": labels[b]},
            "score": round(score, 3),
            "names": round(name_score, 3),
            "definitions": round(definition_score, 3),
            "context": round(context_score, 3),
            "shared_words": sorted(names[a] & names[b]),
            "shared_places": _labels(kg, shared, "place"),
            "shared_markets": _labels(kg, shared, "market"),
            "shared_commodities": _labels(kg, shared, "commodity"),
            "shared_claims": len(both),
            "same_area": same_area,
            "link": link,
        })
    found.sort(key=lambda p: (-p["score"], p["a"]["label"], p["b"]["label"]))
    return found[:top] if top else found


def _reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(edges.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edges.get(node, ()))
    return seen


def _same_area(a: set[str], b: set[str], within: dict[str, set[str]]) -> bool:
    """Whether one actor's home lies within (or is) the other's; unknown homes do not differ."""
    if not a or not b:
        return True
    return any(y in within.get(x, {x}) or x in within.get(y, {y}) for x in a for y in b)


def _labels(kg, features: set[str], kind: str) -> list[str]:
    prefix = kind + " "
    return sorted(kg.label(f[len(prefix):]) for f in features if f.startswith(prefix))
