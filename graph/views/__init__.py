"""Interactive network views: self-contained HTML pages drawn with vis-network.

A view shows the flows of the knowledge graph as lines between places (colour = commodity
branch, dashes = less certain, width = number of flows) and, for an actor, its ego network.
Hovering over or clicking a line shows each claim behind it in our own words, its certainty
and its source (document, section, paragraph, reliability). The legend filters by
commodity, certainty and period. In the geographic layout the flows are drawn over Natural
Earth country outlines (:mod:`graph.views.basemap`), the page opens on the focus country,
and the page places the labels itself so that none overlaps another or leaves the window.

Every page is one file that requests nothing from the network: vis-network, the styles and
the data are inline, and a Content-Security-Policy forbids any request. Labels reach the
page only as escaped JSON read into the DOM as text (see :mod:`graph.views.escape`).

Functions
---------
- :func:`view` writes one view to a file; :func:`overview` the geographic view of all flows
  (what ``tkg build`` writes); :func:`render` returns the page as a string;
  :func:`show` displays it inline in Jupyter.
- :func:`view_data` gives the plain data a page draws (nodes with positions, lines, claims,
  legend), for tests and other front ends.
- :func:`graph.views.basemap.land_borders` gives the pairs of countries whose outlines
  share a border (the source of the gazetteer's ``tkg:borders``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from graph.errors import ExportError
from graph.views.model import view_data

__all__ = ["overview", "render", "show", "view", "view_data"]


def render(kg, *, commodity: str | None = None, country: str | None = None,
           actor: str | None = None, layout: str = "geo", min_certainty: str | None = None,
           title: str | None = None, network=None) -> str:
    """The HTML page of a view, as a string (parameters as for :func:`view`).

    Examples
    --------
    >>> html = render(kg, commodity="arms")
    >>> html.startswith("<!DOCTYPE html>"), "<title>Arms flows</title>" in html
    (True, True)
    """
    from graph.views.page import page

    return page(view_data(kg, commodity=commodity, country=country, actor=actor, layout=layout,
                          min_certainty=min_certainty, title=title, network=network))


def view(kg, path: str | Path, commodity: str | None = None, country: str | None = None,
         actor: str | None = None, layout: str = "geo", min_certainty: str | None = None,
         title: str | None = None, network=None) -> dict[str, Any]:
    """Write an interactive view of the graph's flows to ``path`` (one HTML file).

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    path : str or Path
        The HTML file to write (replaced whole; parent folders are created).
    commodity : str, optional
        Only flows of this commodity or a narrower one ("drugs" includes cocaine).
    country : str, optional
        Only flows that start, pass or end in this place (a country or region) or a place
        within it.
    actor : str, optional
        The actor's ego network: its flows, its relations to other actors and the other
        actors of its flows (actors sit next to their home places or flows).
    layout : {"geo", "force"}
        ``"geo"``: places at their latitude and longitude, a route map; ``"force"``: a
        spring layout computed once in Python. Physics is off in the page either way.
    min_certainty : str, optional
        Only claims at least as certain as this grade (e.g. ``"likely"``).
    title : str, optional
        Page title; made from the selection when omitted.
    network : networkx.MultiDiGraph, optional
        Draw this flow network instead of the graph's (see
        :func:`graph.views.model.view_data`).

    Returns
    -------
    dict
        ``path``, ``title``, ``layout`` and the numbers of ``nodes``, ``edges`` (lines
        drawn) and ``claims`` in the view.

    Raises
    ------
    graph.errors.EntityNotFound, graph.errors.AmbiguousEntity
        A commodity, country, actor or grade name that matches nothing or several things.
    graph.errors.UnknownName
        An unknown layout.
    graph.errors.ExportError
        If the file cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "mali.html"
    >>> info = view(kg, out, country="Mali")
    >>> info["title"], info["nodes"] > 5, out.stat().st_size > 100_000
    ('All flows through Mali', True, True)
    """
    from graph.views.page import page

    data = view_data(kg, commodity=commodity, country=country, actor=actor, layout=layout,
                     min_certainty=min_certainty, title=title, network=network)
    _write(Path(path), page(data))
    return {"path": str(path), "title": data["title"], "layout": layout,
            "nodes": len(data["nodes"]), "edges": len(data["edges"]),
            "claims": len(data["claims"])}


def overview(kg, path: str | Path, **filters: Any) -> dict[str, Any]:
    """Write the geographic view of all flows (``tkg build`` writes it as overview.html).

    ``filters`` are passed to :func:`view` (commodity, country, actor, min_certainty,
    layout, title).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> info = overview(kg, pathlib.Path(tempfile.mkdtemp()) / "overview.html")
    >>> info["title"], info["layout"]
    ('All flows', 'geo')
    """
    return view(kg, path, **filters)


def show(kg, *, height: int = 640, **filters: Any):
    """Display a view inline in Jupyter (an iframe whose ``srcdoc`` holds the whole page).

    ``filters`` are those of :func:`view`. The iframe is sandboxed (scripts only), so the
    page cannot reach the notebook. Returns an ``IPython.display.HTML`` object, or, without
    IPython, an object with the same ``_repr_html_``.

    Examples
    --------
    >>> frame = show(kg, commodity="gold")
    >>> frame._repr_html_().startswith('<div class="tkg-view"><iframe srcdoc="&lt;!DOCTYPE')
    True
    """
    from graph.views.escape import srcdoc

    html = render(kg, **filters)
    markup = (f'<div class="tkg-view"><iframe srcdoc="{srcdoc(html)}" sandbox="allow-scripts" '
              f'style="width:100%;height:{int(height)}px;border:1px solid #d5dbe3" '
              f'title="network view"></iframe></div>')
    try:
        from IPython.display import HTML
    except ImportError:
        return _Html(markup)
    return HTML(markup)


class _Html:
    """Minimal stand-in for ``IPython.display.HTML`` when IPython is not installed."""

    def __init__(self, markup: str):
        self.data = markup

    def _repr_html_(self) -> str:
        return self.data


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (a temporary file renamed into place)."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
