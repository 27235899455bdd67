"""Country briefs: an evidence-backed profile of one country, generated from the graph.

A brief follows the structure of the Index's country profiles: a summary with the
criminality and resilience scores, ranks and the change from the previous edition; one
section per criminal market, criminal actor type and resilience indicator with its score
and the claims behind it, written as prose in the wording of each claim's certainty grade;
the country among its neighbours; and an evidence appendix listing every cited passage,
the reliability of its source and its corroboration. Every sentence carries citation
markers that link to the appendix.

Functions
---------
- :func:`brief` returns a brief as HTML or Markdown text;
- :func:`write_brief` writes it to a file, also as PDF (printed by headless Chromium);
- :func:`brief_data` gives its content as plain data (sections, sentences, citations).

The module itself is callable, so that ``graph.brief(kg, "Mali", edition=2021)`` is
:func:`brief`:

>>> import graph
>>> "## Neighbours" in graph.brief(kg, "Mali", edition=2021, fmt="md")
True
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

from graph.brief.compose import brief_data
from graph.errors import ExportError, QueryError

__all__ = ["FORMATS", "brief", "brief_data", "write_brief"]

#: Output formats of :func:`write_brief` (:func:`brief` returns text: html or md).
FORMATS = ("html", "md", "pdf")


def brief(kg, country: str, edition: int | str = "latest", fmt: str = "html",
          route_map: bool = True) -> str:
    """A country brief as text.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    country : str
        The country: name, alternative name, ISO code or IRI ("Mali", "MLI").
    edition : int or "latest"
        The Index edition (2021, 2023, 2025); ``"latest"``: the newest with a figure for
        the country.
    fmt : {"html", "md"}
        One self-contained HTML page (inline charts and the country's route map, no
        request of any kind), or Markdown with the same text.
    route_map : bool
        Embed the country's interactive geographic view in the HTML (default).

    Returns
    -------
    str
        The brief.

    Raises
    ------
    graph.errors.EntityNotFound
        If ``country`` is not a country (the message suggests close names).
    graph.errors.QueryError
        If ``fmt`` or ``edition`` is unknown, or the country has no figure in that edition.

    Examples
    --------
    >>> text = brief(kg, "Mali", edition=2021, fmt="md")
    >>> "On resilience, Mali ranks 178th of 193 countries" in text
    True
    >>> brief(kg, "Mali", fmt="docx")
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: unknown brief format 'docx'; choose html or md (pdf: write_brief)

    See Also
    --------
    graph.traverse.country : the same country's scores, flows and actors as rows.
    """
    from graph.brief import render

    if fmt not in ("html", "md"):
        raise QueryError(f"unknown brief format {fmt!r}; choose html or md (pdf: write_brief)")
    data = brief_data(kg, country, edition)
    if fmt == "md":
        return render.markdown(data)
    return render.html(data, _route_map(kg, data) if route_map else None)


def write_brief(kg, country: str, path: str | Path, edition: int | str = "latest",
                fmt: str | None = None) -> dict[str, Any]:
    """Write a country brief to ``path`` as HTML, Markdown or PDF.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    country, edition
        As for :func:`brief`.
    path : str or Path
        The file to write (parent folders are created).
    fmt : {"html", "md", "pdf"}, optional
        By default taken from the file's suffix (``.md``, ``.pdf``; anything else: html).
        PDF is printed from the HTML by headless Chromium (A4, page numbers).

    Returns
    -------
    dict
        ``path``, ``format``, ``country``, ``edition``, ``sections`` (top-level section
        titles), ``claims`` (claims described) and ``citations`` (appendix entries).

    Raises
    ------
    graph.errors.ExportError
        If the file cannot be written, or Chromium is missing for a PDF.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "mali.md"
    >>> info = write_brief(kg, "Mali", out, edition=2021)
    >>> info["format"], info["edition"], info["claims"] > 50
    ('md', 2021, True)
    """
    from graph.brief import render

    path = Path(path)
    fmt = fmt or {".md": "md", ".pdf": "pdf"}.get(path.suffix.lower(), "html")
    if fmt not in FORMATS:
        raise QueryError(f"unknown brief format {fmt!r}; choose {', '.join(FORMATS)}")
    data = brief_data(kg, country, edition)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "md":
            path.write_text(render.markdown(data), encoding="utf-8")
        elif fmt == "html":
            path.write_text(render.html(data, _route_map(kg, data)), encoding="utf-8")
        else:
            from graph.brief.pdf import print_pdf

            print_pdf(render.html(data, _route_map(kg, data)), path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc}") from exc
    return {"path": str(path), "format": fmt, "country": data["country"]["label"],
            "edition": data["edition"],
            "sections": [s["title"] for s in data["sections"] if s["level"] == 2]
            + ["Evidence appendix"],
            "claims": len(data["claims"]), "citations": len(data["appendix"])}


def _route_map(kg, data: dict[str, Any]) -> dict[str, Any] | None:
    """The geographic view of the brief's own flows (page and data), or ``None`` without any.

    The view draws only the flows the brief describes (the same edition and sources), so
    that the map and the text agree.
    """
    if not data["narrative"]:
        return None
    from graph.traverse import flow_network
    from graph.views import view_data
    from graph.views.page import page

    described = set(data["claims"])
    full = flow_network(kg)
    network = full.__class__()
    network.add_nodes_from(full.nodes(data=True))
    network.add_edges_from((s, t, k, d) for s, t, k, d in full.edges(keys=True, data=True)
                           if d.get("flow") in described)
    network.remove_nodes_from([n for n in list(network) if network.degree(n) == 0])
    if not network.number_of_edges():
        return None
    view = view_data(kg, network=network, layout="geo",
                     title=f"Flows of the {data['country']['label']} brief, {data['edition']}")
    if not view["edges"]:
        return None
    return {"page": page(view), "data": view}


class _CallableModule(types.ModuleType):
    """This module, callable: ``graph.brief(...)`` is :func:`brief`."""

    def __call__(self, kg, country: str, edition: int | str = "latest", fmt: str = "html",
                 route_map: bool = True) -> str:
        return brief(kg, country, edition=edition, fmt=fmt, route_map=route_map)


sys.modules[__name__].__class__ = _CallableModule
