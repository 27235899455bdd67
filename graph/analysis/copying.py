"""Copying: pairs of documents whose claims overlap far beyond chance, flagged as probably derived.

A rewrite or news summary of a source is not independent corroboration of it
(:mod:`graph.evidence`), but only if the graph knows one came from the other. This analysis
finds pairs a curator should check: documents whose claims share far more than documents
usually do, counting

* **claim tuples**: (kind, topic, place) of each claim, where the topic is its commodity,
  Index indicator or market, or its activity, event or relation type;
* **actors**: the actors the claims name;
* **figures**: numbers in the claims' descriptions (tonnages, scores, counts);
* **wording**: pairs of consecutive words of the descriptions, reported but not scored:
  descriptions are the curators' paraphrases, not the sources' sentences.

Each feature is weighted by its rarity across documents (IDF), and a pair's ``score`` is
the weight they share over the weight of the smaller document (the overlap coefficient):
1.0 when everything one document says is also in the other. ``chance`` is the mean score
over all pairs; a pair is flagged when its score is at least ``min_score`` and at least
three times ``chance``. Each flagged pair says whether a shared lineage is declared
(``prov:wasDerivedFrom`` and the like, see :func:`graph.evidence.document_roots`); an
undeclared one is a candidate for a curator to confirm, never a finding.

References
----------
.. [1] X. L. Dong, L. Berti-Equille and D. Srivastava, "Integrating conflicting data: the
   role of source dependence", PVLDB 2(1), 2009 — copiers betray themselves by sharing
   the same (especially the same rare, or false) values as the source they copy.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from itertools import combinations, pairwise
from statistics import mean
from typing import Any

from graph.errors import QueryError

__all__ = ["copying"]

#: Weights of the feature families in the shared weight.
_WEIGHTS = {"claim": 1.0, "actor": 0.5, "figure": 1.0, "wording": 0.0}
#: A flagged pair scores at least this multiple of the mean over all pairs.
_ABOVE_CHANCE = 3.0
_WORD = re.compile(r"[a-z]+")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?")
_RELIABILITY = "ABCDEF"


def _short(iri: str) -> str:
    return re.split(r"[/#]", str(iri))[-1]


def copying(kg, min_score: float = 0.25, undeclared: bool = False,
            top: int | None = None) -> list[dict[str, Any]]:
    """Document pairs whose claims overlap far beyond chance, best first, with the evidence.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    min_score : float
        Lowest overlap reported (0 to 1); default 0.25. Pairs must also score three times
        the mean over all pairs.
    undeclared : bool
        Only pairs whose shared lineage is not declared in the data.
    top : int, optional
        At most this many pairs.

    Returns
    -------
    list of dict
        ``a`` and ``b`` ({id, title, reliability}), ``probable_copy`` (the less reliable
        of the two, the one that likely derives from the other), ``score``, ``chance``,
        ``shared_claims`` (readable tuples), ``shared_actors``, ``shared_figures``,
        ``shared_wording`` (how many word pairs; not scored), ``declared`` (a shared original is
        stated) and ``verdict``.

    Raises
    ------
    graph.errors.QueryError
        If ``min_score`` is outside 0..1 or ``top`` is not positive.

    Examples
    --------
    >>> flagged = copying(kg)
    >>> pair = next(p for p in flagged if {p["a"]["id"], p["b"]["id"]} == {
    ...     "https://w3id.org/tkg/kb/doc-financialcrime-world-mauritania-crime-hub",
    ...     "https://w3id.org/tkg/kb/doc-financialcrime-world-mauritania-criminal-haven"})
    >>> pair["declared"], pair["score"] >= 0.25
    (True, True)
    """
    if not 0 <= min_score <= 1:
        raise QueryError(f"min_score must lie between 0 and 1, not {min_score!r}")
    if top is not None and top < 1:
        raise QueryError(f"top must be a positive number of pairs, not {top!r}")
    from graph.evidence import document_roots

    features = _features(kg)
    documents = {r["document"]: r for r in kg.query("source-documents")}
    idf = _idf(features)
    weight = {doc: sum(idf[f] * _WEIGHTS[f[0]] for f in feats)
              for doc, feats in features.items()}
    scored = []
    for a, b in combinations(sorted(features), 2):
        shared = features[a] & features[b]
        smaller = min(weight[a], weight[b])
        score = sum(idf[f] * _WEIGHTS[f[0]] for f in shared) / smaller if smaller else 0.0
        scored.append((a, b, score, shared))
    chance = mean(s for _, _, s, _ in scored) if scored else 0.0
    roots = document_roots(kg)
    found = []
    for a, b, score, shared in scored:
        if score < min_score or score < _ABOVE_CHANCE * chance:
            continue
        declared = bool(set(roots.get(a, [a])) & set(roots.get(b, [b])))
        if undeclared and declared:
            continue
        grade = {d: (documents.get(d, {}).get("reliability") or "F") for d in (a, b)}
        copy = max((a, b), key=lambda d: _RELIABILITY.index(str(grade[d])))
        found.append({
            "a": _doc(documents, a), "b": _doc(documents, b),
            "probable_copy": copy if grade[a] != grade[b] else None,
            "score": round(score, 3),
            "chance": round(chance, 3),
            "shared_claims": sorted(" / ".join(_short(p) for p in f[1:]) for f in shared
                                    if f[0] == "claim"),
            "shared_actors": sorted(_short(f[1]) for f in shared if f[0] == "actor"),
            "shared_figures": sorted(f[1] for f in shared if f[0] == "figure"),
            "shared_wording": sum(1 for f in shared if f[0] == "wording"),
            "declared": declared,
            "verdict": ("probably derived; lineage declared" if declared else
                        "probably derived; lineage NOT declared: check and add "
                        "prov:wasDerivedFrom"),
        })
    found.sort(key=lambda p: (-p["score"], str(p["a"]["id"]), str(p["b"]["id"])))
    return found[:top] if top else found


def _features(kg) -> dict[str, set[tuple[str, ...]]]:
    features: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for r in kg.query("document-features"):
        doc = r["document"]
        kind = _short(r["kind"])
        if r["topic"] is not None:
            features[doc].add(("claim", kind, str(r["topic"]), str(r["place"] or "")))
        if r["actor"] is not None:
            features[doc].add(("actor", str(r["actor"])))
        text = str(r["text"] or "")
        for figure in _FIGURE.findall(text):
            features[doc].add(("figure", figure.replace(",", "")))
        words = _WORD.findall(text.lower())
        for pair in pairwise(words):
            features[doc].add(("wording", " ".join(pair)))
    return features


def _idf(features: dict[str, set[tuple[str, ...]]]) -> dict[tuple[str, ...], float]:
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    for feats in features.values():
        for f in feats:
            counts[f] += 1
    n = len(features)
    return {f: math.log((n + 1) / c) for f, c in counts.items()}


def _doc(documents: dict[str, Any], doc: str) -> dict[str, Any]:
    row = documents.get(doc, {})
    return {"id": doc, "title": row.get("title"), "reliability": row.get("reliability")}
