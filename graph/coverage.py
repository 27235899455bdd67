"""Source coverage: which paragraphs of each source document the claims cite.

A passage marked ``tkg:statesFact true`` must be cited by at least one claim (or score);
coverage is reported per document and section so a curator sees what is still missing.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

__all__ = ["coverage", "uncited"]


def coverage(kg, document: str | None = None) -> list[dict[str, Any]]:
    """Per document and section: factual passages, how many are cited, and which are not.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    document : str, optional
        Only this source document: its id (``kb:doc-ocindex-2021-mali``), its short name
        (``ocindex-2021-mali``, as tables cite it), its title or its IRI.

    Returns
    -------
    list of dict
        ``{"document", "title", "section", "passages", "cited", "uncited", "share"}`` per
        section in reading order: ``passages`` counts the paragraphs that state facts,
        ``cited`` those at least one claim cites, ``uncited`` lists the paragraph numbers no
        claim cites and ``share`` is ``cited / passages`` (1.0: every factual paragraph).

    Raises
    ------
    graph.errors.EntityNotFound
        If ``document`` is not a source document in the graph (with close names).

    Examples
    --------
    >>> rows = coverage(kg, "kb:doc-ocindex-2021-mali")
    >>> all(r["cited"] == r["passages"] for r in rows)
    True
    >>> coverage(kg, "kb:doc-unknown")
    Traceback (most recent call last):
    ...
    graph.errors.EntityNotFound: no source document matches 'kb:doc-unknown'...
    """
    params = {"document": _document(kg, document)} if document else {}
    sections: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
    for row in kg.query("passages", params):
        if row["statesFact"] is False:
            continue
        key = (row["document"], row["section"])
        entry = sections.setdefault(key, {
            "document": row["document"], "title": row["title"], "section": row["section"],
            "passages": 0, "cited": 0, "uncited": []})
        entry["passages"] += 1
        if row["claims"]:
            entry["cited"] += 1
        else:
            entry["uncited"].append(row["paragraph"])
    for entry in sections.values():
        entry["share"] = round(entry["cited"] / entry["passages"], 3) if entry["passages"] else 1.0
    return list(sections.values())


def _document(kg, name: str):
    """The IRI of a source document named by id, short name, title or IRI."""
    from graph.errors import EntityNotFound

    classes = ("tkg:SourceDocument",)
    try:
        return kg.resolve(name, classes=classes)
    except EntityNotFound as exc:
        try:  # the short name tables cite: the id without "kb:doc-"
            return kg.resolve(f"doc-{name}", classes=classes)
        except EntityNotFound:
            raise exc from None


def uncited(kg) -> list[dict[str, Any]]:
    """Factual passages that no claim cites.

    Returns ``{"passage", "document", "section", "paragraph"}`` dictionaries.
    """
    return [{"passage": r["passage"], "document": r["document"], "section": r["section"],
             "paragraph": r["paragraph"]}
            for r in kg.query("passages") if r["statesFact"] is not False and not r["claims"]]
