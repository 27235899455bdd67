"""Evidence for claims: sources, the lineage of documents, independent corroboration, conflicts.

The corroboration rule
----------------------
Every claim keeps the certainty grade its own source's wording warrants. Corroboration is
reported *beside* that grade and never raises it: an analyst reads "suspected, 2 independent
lineages", not a silently upgraded "confirmed".

1. **Lineage of a document.** Documents say where they come from: ``prov:wasDerivedFrom``
   (a summary, news item or rewrite of another document), ``prov:wasRevisionOf`` (a later
   edition of the same series), ``prov:alternateOf`` (the same text served at two
   addresses) and ``prov:wasQuotedFrom`` (it quotes another document in part). A document
   that states none is marked ``tkg:original true``. The *roots* of a document are the
   originals it comes from: a derivation, revision or alternate takes its parent's roots;
   a document that only quotes keeps itself as a root and adds the roots of what it quotes.
2. **Lineage of a passage.** A passage may name its own source (``prov:wasQuotedFrom`` on a
   passage that quotes another document); its roots are then that document's roots.
   Otherwise a passage has the roots of its document.
3. **Independent lineages of a claim.** Collect the passages of the claim and of every claim
   that ``tkg:supports`` it. Two of these are in the same lineage when their roots share an
   original (transitively); the number of groups is the claim's ``independent_lineages``.
   A rewrite of an Index page therefore never corroborates the page, and two rewrites of
   one page count once.
4. **Conflicts** carry a reason from the conflict-reason scheme (different figure,
   direction, certainty, or edition/period). A different edition or period is a change over
   time, reported with ``is_contradiction`` false.

This follows the Admiralty (NATO STANAG 2511) separation of source reliability (A-F, on the
document) from information credibility (1-6, our certainty grade, where "confirmed by other
independent sources" is the top); ICD 203's analytic standards (describe the quality and
credibility of sources, express and explain uncertainty, never fold them into one number);
and the source-dependence line of truth discovery (Dong, Berti-Equille and Srivastava,
"Integrating conflicting data: the role of source dependence", VLDB 2009), which counts
copies of a source as one voice.

Every function reads the graph through named queries (``document-lineage``,
``source-documents``, ``claim-passages``, ``claim-links``) and returns plain data.
"""

from __future__ import annotations

import contextlib
import difflib
import weakref
from collections import defaultdict
from functools import cached_property
from typing import Any

from graph.errors import EntityNotFound, QueryError
from graph.lookup import expand_iri
from graph.prefixes import PREFIXES

__all__ = [
    "combined_lineages",
    "corroboration",
    "document_roots",
    "evidence",
    "evidence_rows",
    "independent_lineages",
    "lineage_chain",
    "lineages_of",
    "resolve_claim",
]

_PROV = PREFIXES["prov"]
#: Relations whose subject has no lineage of its own: it takes its parent's roots.
_DERIVING = {_PROV + "wasDerivedFrom", _PROV + "wasRevisionOf", _PROV + "alternateOf"}
_QUOTING = _PROV + "wasQuotedFrom"
_DIFFERENT_EDITION = PREFIXES["conflict"] + "different-edition"

#: One computed evidence table per loaded graph (the graph does not change once loaded).
_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class _Tables:
    """Everything the evidence functions need, read with four queries."""

    def __init__(self, kg, scope: list[str] | None = None,
                 known: dict[str, list[tuple[str, str]]] | None = None,
                 linked: bool = False, sources: tuple[str, ...] = ()) -> None:
        # With ``scope`` (claim IRIs), only those claims and the claims supporting them are
        # read (bound as VALUES rows), so a question about a few claims of a large graph
        # does not read every claim's sources. ``known`` gives the (passage, document) pairs
        # of claims the caller has read already; only the other claims' are read here (the
        # table then serves lineage counts only: grades and labels are left out). With
        # ``linked``, the links of the scope's claims in both directions are read, and the
        # claims at their other end too (what :func:`evidence` shows of one claim).
        # ``sources`` (documents or passages) have their lineage read too.
        links = _rows(kg, "claim-links", "other", scope)
        if scope is not None and linked:
            both = {tuple(r.items()): r for r in
                    links + _rows(kg, "claim-links", "claim", scope)}
            links = sorted(both.values(), key=lambda r: (r["claim"], r["link"], r["other"]))
            scope = sorted(set(scope) | {r[k] for r in links for k in ("claim", "other")})
        elif scope is not None:
            supporters = {r["claim"] for r in links if r["link"] == "supports"}
            scope = sorted(set(scope) | supporters)
        self._kg = kg
        self._scope = scope
        self._sources = sources
        #: claim -> {label, certainty, certaintyLabel, level, passages: [..]}
        self.claims: dict[str, dict[str, Any]] = {}
        known = known if scope is not None else None
        for claim, pairs in (known or {}).items():
            self.claims[claim] = {"label": None, "certainty": None, "certainty_label": None,
                                  "level": None, "passages": [
                                      {"passage": p, "document": d, "section": None,
                                       "paragraph": None} for p, d in pairs]}
        if known is not None:
            scope = [c for c in scope if c not in known]
        for r in _rows(kg, "claim-passages", "claim", scope) if scope != [] else ():
            claim = self.claims.setdefault(r["claim"], {
                "label": r["label"], "certainty": r["certainty"],
                "certainty_label": r["certaintyLabel"], "level": r["level"], "passages": []})
            claim["passages"].append({"passage": r["passage"], "document": r["document"],
                                      "section": r["section"], "paragraph": r["paragraph"]})
        #: document or passage -> [(relation, document)]
        self.links: dict[str, list[tuple[str, str]]] = defaultdict(list)
        if scope is None:
            lineage = kg.query("document-lineage")
        else:
            # Only what the claims' passages and documents come from, one step per query.
            lineage, todo, seen = [], set(sources), set()
            for claim in self.claims.values():
                for p in claim["passages"]:
                    todo |= {p["passage"], p["document"]}
            while todo:
                seen |= todo
                step = _rows(kg, "document-lineage", "from", sorted(todo))
                lineage += step
                todo = {r["to"] for r in step} - seen
        for r in lineage:
            self.links[r["from"]].append((r["relation"], r["to"]))
        #: claim -> [(link, other, reason, reasonLabel)], in both directions
        self.supported_by: dict[str, list[str]] = defaultdict(list)
        self.supports: dict[str, list[str]] = defaultdict(list)
        self.conflicts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        shortcut = set()
        qualified = []
        for r in links:
            if r["link"] == "supports":
                self.supports[r["claim"]].append(r["other"])
                self.supported_by[r["other"]].append(r["claim"])
            elif r["link"] == "conflictsWith":
                shortcut.add(frozenset((r["claim"], r["other"])))
            else:
                qualified.append(r)
        reasons = {}
        for r in qualified:
            reasons[frozenset((r["claim"], r["other"]))] = (r["reason"], r["reasonLabel"])
        for pair in sorted(shortcut | set(reasons), key=sorted):  # a stable order
            reason, label = reasons.get(pair, (None, None))
            a, b = sorted(pair) if len(pair) == 2 else (next(iter(pair)),) * 2
            for this, other in ((a, b), (b, a)):
                self.conflicts[this].append({
                    "other": other, "reason": reason, "reason_label": label,
                    "is_contradiction": reason != _DIFFERENT_EDITION})
        self._roots: dict[str, frozenset[str]] = {}

    @cached_property
    def documents(self) -> dict[str, dict[str, Any]]:
        """document -> {title, reliability, original}; read on first use (lineage counts
        need none of it). A scoped table reads only the documents its claims cite and
        their lineages name."""
        wanted = None
        if self._scope is not None:
            wanted = {p["document"] for c in self.claims.values() for p in c["passages"]}
            wanted |= set(self._sources)
            wanted |= {to for links in self.links.values() for _, to in links}
            wanted = sorted(wanted)
        return {r["document"]: {"title": r["title"], "reliability": r["reliability"],
                                "original": bool(r["original"]) if r["original"] is not None
                                else False}
                for r in (_rows(self._kg, "source-documents", "document", wanted)
                          if wanted != [] else ())}

    def roots(self, node: str, _seen: frozenset[str] = frozenset()) -> frozenset[str]:
        """The original documents a document or passage comes from (see the module rule)."""
        if node in self._roots:
            return self._roots[node]
        if node in _seen:  # a cycle in the data: stop here, the node stands for itself
            return frozenset((node,))
        seen = _seen | {node}
        links = self.links.get(node, [])
        deriving = [to for rel, to in links if rel in _DERIVING]
        quoted = [to for rel, to in links if rel == _QUOTING]
        found: set[str] = set()
        for parent in deriving + quoted:
            found |= self.roots(parent, seen)
        if not deriving:
            found.add(node)
        result = frozenset(found)
        self._roots[node] = result
        return result

    def passage_roots(self, passage: str, document: str) -> frozenset[str]:
        """A passage that names its own source takes that source's roots; else its document's."""
        if passage in self.links:
            found: set[str] = set()
            for _, to in self.links[passage]:
                found |= self.roots(to)
            return frozenset(found)
        return self.roots(document)

    def groups(self, *claims: str) -> list[list[frozenset[str]]]:
        """The claims' sources (own and supporting passages), grouped into lineages."""
        root_sets = [self.passage_roots(p["passage"], p["document"])
                     for claim in claims
                     for c in [claim, *self.supported_by.get(claim, [])]
                     for p in self.claims.get(c, {}).get("passages", [])]
        return _components(root_sets)


def _rows(kg, name: str, variable: str, values: list[str] | None) -> list[dict[str, Any]]:
    """The rows of named query ``name``: all of them, or with ``variable`` bound to each of
    ``values`` (IRIs, one VALUES row each)."""
    if values is None:
        return kg.query(name)
    from graph import query as named
    from graph.backends.base import IRI

    return list(kg.rows_each(named.get(name).sparql, variable, [IRI(v) for v in values]))


def _components(root_sets: list[frozenset[str]]) -> list[list[frozenset[str]]]:
    """Group root sets that share an original, transitively (union-find)."""
    parent = list(range(len(root_sets)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, roots in enumerate(root_sets):
        for root in roots:
            if root in owner:
                parent[find(i)] = find(owner[root])
            else:
                owner[root] = i
    groups: dict[int, list[frozenset[str]]] = defaultdict(list)
    for i, roots in enumerate(root_sets):
        groups[find(i)].append(roots)
    return list(groups.values())


def _tables(kg) -> _Tables:
    try:
        tables = _TABLES.get(kg)
    except TypeError:  # an object that cannot be weakly referenced: compute every time
        return _Tables(kg)
    if tables is None:
        tables = _Tables(kg)
        _TABLES[kg] = tables
    return tables


def resolve_claim(kg, claim: str) -> str:
    """The full IRI of a claim given as an IRI, a prefixed name or a local name.

    Raises
    ------
    graph.errors.EntityNotFound
        If no claim of the graph has that IRI; the message suggests close claim names.

    Examples
    --------
    >>> resolve_claim(kg, "flow-ocindex-2021-mali-arms-libya")
    'https://w3id.org/tkg/kb/flow-ocindex-2021-mali-arms-libya'
    >>> resolve_claim(kg, "kb:flow-ocindex-2021-mali-arms-libya") == \\
    ...     resolve_claim(kg, "https://w3id.org/tkg/kb/flow-ocindex-2021-mali-arms-libya")
    True
    """
    return _resolve(kg, claim, _tables(kg))


def _claim_iri(claim: str) -> str:
    """The full IRI ``claim`` names, whether or not the graph has it."""
    text = str(claim).strip()
    for candidate in (text, f"kb:{text}"):  # a bare local name is a knowledge-base claim
        try:
            return str(expand_iri(candidate))
        except QueryError:
            continue
    return text  # not an IRI at all: no claim, and the suggestions say so


def _resolve(kg, claim: str, tables: _Tables) -> str:
    """:func:`resolve_claim` against ``tables`` (the whole graph's, or a scoped one that
    holds the claim; a claim it lacks is looked up in the whole graph for suggestions)."""
    text = str(claim).strip()
    iri = _claim_iri(text)
    if iri not in tables.claims and tables._scope is not None:
        tables = _tables(kg)
    if iri not in tables.claims:
        local = iri.removeprefix(PREFIXES["kb"])
        names = [c.removeprefix(PREFIXES["kb"]) for c in tables.claims]
        close = difflib.get_close_matches(local, names, n=3, cutoff=0.6)
        raise EntityNotFound(text, [f"kb:{c}" for c in close], kind="claim")
    return iri


def document_roots(kg) -> dict[str, list[str]]:
    """Each source document mapped to the originals it comes from (itself if an original).

    Examples
    --------
    >>> roots = document_roots(kg)
    >>> roots["https://w3id.org/tkg/kb/doc-ocindex-2021-mali"] == [
    ...     "https://w3id.org/tkg/kb/doc-ocindex-2021-mali"]
    True
    >>> roots["https://w3id.org/tkg/kb/doc-financialcrime-world-mali"] == [
    ...     "https://w3id.org/tkg/kb/doc-ocindex-2021-mali"]
    True
    """
    tables = _tables(kg)
    return {doc: sorted(tables.roots(doc)) for doc in tables.documents}


def lineage_chain(kg, document: str, passage: str | None = None) -> list[dict[str, Any]]:
    """The documents a source comes from, nearest first: each step names how it is linked.

    The first step is the document itself (``relation`` None); each further step gives the
    ``relation`` (``wasDerivedFrom``, ``wasQuotedFrom``, ``wasRevisionOf``, ``alternateOf``)
    and ``of``, the document (or passage) that has it. An original has a one-step chain.

    Examples
    --------
    >>> [s["document"] for s in lineage_chain(kg, "https://w3id.org/tkg/kb/doc-ocindex-2021-mali")]
    ['https://w3id.org/tkg/kb/doc-ocindex-2021-mali']
    """
    if kg.backend.binds_many and kg not in _TABLES:  # read just this source's lineage
        tables = _Tables(kg, [], sources=tuple(str(s) for s in (document, passage) if s))
    else:
        tables = _tables(kg)
    return _chain(tables, str(document), passage and str(passage))


def _chain(tables: _Tables, document: str, passage: str | None) -> list[dict[str, Any]]:
    steps = [_step(tables, document, None, None)]
    queue = [passage] if passage and passage in tables.links else []
    queue.append(document)
    seen = {document}
    while queue:
        node = queue.pop(0)
        for relation, to in tables.links.get(node, []):
            if to in seen:
                continue
            seen.add(to)
            steps.append(_step(tables, to, relation.removeprefix(_PROV), node))
            queue.append(to)
    return steps


def _step(tables: _Tables, document: str, relation: str | None, of: str | None) -> dict:
    info = tables.documents.get(document, {})
    return {"document": document, "title": info.get("title"),
            "reliability": info.get("reliability"), "original": info.get("original", False),
            "relation": relation, "of": of}


def independent_lineages(kg) -> dict[str, int]:
    """Every claim mapped to the number of independent lineages that state or support it.

    One pass over the graph for all claims, so flows, views and briefs can use it cheaply.

    Examples
    --------
    >>> counts = independent_lineages(kg)
    >>> counts["https://w3id.org/tkg/kb/flow-ocindex-2021-mali-arms-libya"] >= 2
    True
    """
    tables = _tables(kg)
    return {claim: len(tables.groups(claim)) for claim in tables.claims}


def lineages_of(kg, claims, passages: dict[str, list[tuple[str, str]]] | None = None
                ) -> dict[str, int]:
    """The independent lineages of just ``claims`` (full IRIs), reading only those claims
    (and the claims that support them) on a backend that binds many values at once; the
    same numbers as :func:`independent_lineages`.

    ``passages`` may give, per claim, the (passage, document) pairs it is derived from, when
    the caller has read them already (as :func:`graph.traverse.flows` has): they are then not
    read again.

    Examples
    --------
    >>> arms = "https://w3id.org/tkg/kb/flow-ocindex-2021-mali-arms-libya"
    >>> lineages_of(kg, [arms]) == {arms: independent_lineages(kg)[arms]}
    True
    """
    claims = [str(c) for c in claims]
    whole = not kg.backend.binds_many or kg in _TABLES  # or already read: use it
    tables = _tables(kg) if whole else _Tables(kg, claims, passages)
    return {claim: len(tables.groups(claim)) if claim in tables.claims else 0
            for claim in claims}


def combined_lineages(kg, claims) -> int:
    """Independent lineages behind several claims taken together, such as the flows one
    edge of a map stands for: sources shared by the claims count once, unlike a sum.

    Examples
    --------
    >>> arms = ["kb:flow-ocindex-2021-mali-arms-libya",
    ...         "kb:flow-ocindex-2021-mali-ammunition-libya"]
    >>> combined_lineages(kg, arms)  # the Index profile and the ISS study, once each
    2
    """
    tables = _tables(kg)
    # Full IRIs (as the views pass them) are taken as they are: a claim that cites no
    # passage adds no lineage. Short names are resolved, and an unknown one is an error.
    return len(tables.groups(*(c if c.startswith(("http://", "https://"))
                               else resolve_claim(kg, c) for c in map(str, claims))))


def corroboration(kg, claim: str) -> dict[str, Any]:
    """The claim's own certainty beside its independent lineages and their best reliability.

    Returns
    -------
    dict
        ``certainty`` (the source's grade, unchanged), ``independent_lineages`` (int) and
        ``best_reliability`` (the best Admiralty letter among the lineages' documents).

    Examples
    --------
    >>> c = corroboration(kg, "kb:flow-ocindex-2021-mali-small-arms-central")
    >>> c["certainty"], c["independent_lineages"] >= 2, c["best_reliability"]
    ('reported', True, 'B')
    """
    tables = _tables(kg)
    iri = resolve_claim(kg, claim)
    docs = {p["document"] for c in [iri, *tables.supported_by.get(iri, [])]
            for p in tables.claims.get(c, {}).get("passages", [])}
    grades = sorted(g for d in docs if (g := tables.documents.get(d, {}).get("reliability")))
    return {"certainty": tables.claims[iri]["certainty_label"],
            "independent_lineages": len(tables.groups(iri)),
            "best_reliability": grades[0] if grades else None}


def evidence(kg, claim: str) -> dict[str, Any]:
    """Where a claim comes from, how many independent lineages back it, what it conflicts with.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    claim : str
        A flow, activity, actor relation, event or finding: full IRI, prefixed name
        (``kb:flow-...``) or local name (``flow-...``).

    Returns
    -------
    dict
        ``id``, ``label``, ``certainty`` (the source's own grade, never raised by
        corroboration), ``sources`` (one per passage: ``document``, ``title``,
        ``reliability``, ``section``, ``paragraph``, ``certainty``, ``lineage`` — the chain
        from :func:`lineage_chain`), ``independent_lineages`` (int), ``supports`` (claims
        linked by ``tkg:supports`` either way: ``id``, ``label``, ``certainty``,
        ``direction`` — "supported by" or "supports" — and ``independent``, true when the
        other claim's lineage shares no original with this claim's own sources) and
        ``conflicts`` (``id``, ``label``, ``certainty``, ``reason``, ``reason_label``,
        ``is_contradiction``; a different edition or period is not a contradiction).

    Raises
    ------
    graph.errors.EntityNotFound
        If ``claim`` names no claim; the message suggests close names.

    Examples
    --------
    >>> e = evidence(kg, "kb:flow-ocindex-2021-mali-arms-libya")
    >>> sorted(e)
    ['certainty', 'conflicts', 'id', 'independent_lineages', 'label', 'sources', 'supports']
    >>> e["certainty"], e["independent_lineages"]
    ('reported', 2)
    >>> [s["title"] for s in e["sources"]]
    ['Global Organized Crime Index 2021: Mali']

    See Also
    --------
    independent_lineages : the counts for every claim at once.
    """
    tables = None
    if kg.backend.binds_many and kg not in _TABLES:
        # Read only this claim, the claims linked to it and their sources' lineage.
        # A name that is no IRI at all ("hello world") gets suggestions from the whole table.
        with contextlib.suppress(QueryError):
            tables = _Tables(kg, [_claim_iri(claim)], linked=True)
    tables = tables or _tables(kg)
    iri = _resolve(kg, claim, tables)
    info = tables.claims[iri]
    sources = [{
        "document": p["document"],
        "title": tables.documents.get(p["document"], {}).get("title"),
        "reliability": tables.documents.get(p["document"], {}).get("reliability"),
        "section": p["section"],
        "paragraph": p["paragraph"],
        "certainty": info["certainty_label"],
        "lineage": _chain(tables, p["document"], p["passage"]),
    } for p in info["passages"]]
    own_roots = frozenset().union(*(tables.passage_roots(p["passage"], p["document"])
                                    for p in info["passages"]))
    supports = []
    for direction, others in (("supported by", tables.supported_by.get(iri, [])),
                              ("supports", tables.supports.get(iri, []))):
        for other in others:
            other_roots = frozenset().union(*(
                tables.passage_roots(p["passage"], p["document"])
                for p in tables.claims.get(other, {}).get("passages", [])))
            independent = bool(other_roots) and own_roots.isdisjoint(other_roots)
            supports.append({**_ref(tables, other), "direction": direction,
                             "independent": independent})
    conflicts = [{**_ref(tables, c["other"]), "reason": c["reason"],
                  "reason_label": c["reason_label"], "is_contradiction": c["is_contradiction"]}
                 for c in tables.conflicts.get(iri, [])]
    return {
        "id": iri,
        "label": info["label"],
        "certainty": info["certainty_label"],
        "sources": sources,
        "independent_lineages": len(tables.groups(iri)),
        "supports": supports,
        "conflicts": conflicts,
    }


def _ref(tables: _Tables, claim: str) -> dict[str, Any]:
    info = tables.claims.get(claim, {})
    return {"id": claim, "label": info.get("label"), "certainty": info.get("certainty_label")}


def evidence_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per source, support and conflict of an :func:`evidence` record, for tables."""
    rows = []
    for s in record["sources"]:
        chain = " <- ".join(f"{step['relation']} {step['title'] or step['document']}"
                            for step in s["lineage"][1:]) or "original"
        rows.append({"kind": "source", "item": s["title"], "reliability": s["reliability"],
                     "where": f"{s['section']} ¶{s['paragraph']}", "certainty": s["certainty"],
                     "detail": chain})
    rows.append({"kind": "corroboration", "item": f"{record['independent_lineages']} "
                 "independent lineage(s)", "reliability": None, "where": None,
                 "certainty": record["certainty"],
                 "detail": "the source's own grade; corroboration never raises it"})
    for s in record["supports"]:
        rows.append({"kind": s["direction"], "item": s["label"], "reliability": None,
                     "where": s["id"], "certainty": s["certainty"],
                     "detail": "independent lineage" if s["independent"] else "same lineage"})
    for c in record["conflicts"]:
        rows.append({"kind": "conflict" if c["is_contradiction"] else "change over time",
                     "item": c["label"], "reliability": None, "where": c["id"],
                     "certainty": c["certainty"], "detail": c["reason_label"]})
    return rows
