"""Search for the explorer: ``tkg search``'s lookup, grouped by kind, with suggestions."""

from __future__ import annotations

from typing import Any

from graph.errors import QueryError
from graph.explore.kinds import KINDS, OTHER, kind_of
from graph.lookup import normalise, short_id

__all__ = ["search"]

#: Results read before grouping (the counts are of these).
_READ = 500


def search(kg, text: str, per_kind: int = 20) -> dict[str, Any]:
    """Entities whose label, alternative label or description contains ``text``, by kind.

    The same lookup as ``tkg search`` (:meth:`graph.KnowledgeGraph.search`): label matches
    first, then alternative names, then descriptions. When nothing matches, close names
    are suggested, as a mistyped name on the command line gets "did you mean".

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    text : str
        What to look for (case and accents are ignored).
    per_kind : int
        Results listed per kind (the counts cover all matches, up to 500 in all).

    Returns
    -------
    dict
        ``query``, ``total`` (matches), ``groups`` (one per kind that has matches, in the
        order of :data:`graph.explore.KINDS`: ``kind``, ``heading``, ``count`` and
        ``results``, each ``{id, short, label, type}``) and ``suggestions`` (``{id,
        short, label, type}`` of close names when nothing matched, else empty).

    Raises
    ------
    graph.errors.QueryError
        If ``text`` is empty.

    Examples
    --------
    >>> found = search(kg, "aqim")
    >>> found["groups"][0]["kind"], found["groups"][0]["results"][0]["short"]
    ('actor', 'kb:actor-aqim')
    >>> [s["label"] for s in search(kg, "Lybia")["suggestions"]][:1]
    ['Libya']
    """
    needle = " ".join(str(text).split())
    if not needle:
        raise QueryError("search for what? the text is empty")
    rows = kg.search(needle, _READ)
    index = kg.index_of(r["id"] for r in rows)  # just the entities found
    # An entity named exactly so (by label, alternative label or code) comes first.
    wanted = normalise(needle)
    rows.sort(key=lambda r: not _exact(index, r["id"], wanted))
    groups: dict[str, dict[str, Any]] = {}
    headings = {kind: heading for kind, _, heading in (*KINDS, OTHER)}
    for row in rows:
        kind = kind_of(index, row["id"])
        group = groups.setdefault(kind, {"kind": kind, "heading": headings[kind], "count": 0,
                                         "results": []})
        group["count"] += 1
        if len(group["results"]) < per_kind:
            group["results"].append(_ref(index, row["id"]))
    order = [kind for kind, _, _ in (*KINDS, OTHER)]
    suggestions = [] if rows else _suggestions(kg, needle)
    return {"query": needle, "total": len(rows),
            "groups": [groups[k] for k in order if k in groups], "suggestions": suggestions}


def _exact(index, iri: str, wanted: str) -> bool:
    entity = index.entities.get(str(iri))
    return bool(entity) and any(normalise(n) == wanted for n in {entity.label, *entity.names})


def _ref(names, iri: str) -> dict[str, Any]:
    """``{id, short, label, type}`` of ``iri``, named by ``names`` (a graph or an index)."""
    return {"id": str(iri), "short": short_id(iri), "label": names.label(iri),
            "type": names.kind(iri)}


def _suggestions(kg, text: str, n: int = 5) -> list[dict[str, Any]]:
    """Entities whose names are close to ``text`` (the "did you mean" of a lookup)."""
    index = kg.index
    found: list[str] = []
    by_id = ":" in text and " " not in text
    for name in index.suggest(text, ids=by_id, n=n):
        try:
            iri = str(index.resolve(name))
        except Exception:  # an ambiguous label: its entities are listed by id instead
            continue
        if iri not in found and index.kind(iri):  # things in the graph, not ontology terms
            found.append(iri)
    return [_ref(kg, iri) for iri in found[:n]]
