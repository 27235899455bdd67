"""Requests for the interactive views (:mod:`graph.views`) at ``/views``, answered in a worker.

``GET /views`` draws all flows; its URL parameters are the filters of
:func:`graph.views.render` (``commodity``, ``country``, ``actor``, ``layout``,
``min_certainty``, ``title``); ``/views/commodity/cocaine`` (or ``country``, ``actor``) is
a shorter link for one filter. Views are built in a query worker, like queries: under the
same time limit, on the same copy of the graph, never in the process that serves HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.server.worker import Reply, error

__all__ = ["FILTERS", "handle"]

#: URL parameters a view accepts (the keyword arguments of :func:`graph.views.render`).
FILTERS = ("commodity", "country", "actor", "layout", "min_certainty", "title")


def _renderer():
    try:
        import graph.views as views
    except ImportError:
        return None
    render = getattr(views, "render", None)
    return render if callable(render) else None


def handle(kg, params: Sequence[tuple[str, str]], root: str | None = None) -> Reply:
    """Render the view selected by ``params`` (name, value pairs) as an HTML page.

    ``root`` (the way back to the endpoint's top from the view's URL) adds the endpoint's
    navigation (Search · SPARQL · Views) to the view's panel.
    """
    from graph.errors import TkgError

    render = _renderer()
    if render is None:
        return error(404, "interactive views are not available: this installation's "
                          "graph.views has no render() function")
    filters: dict[str, str] = {}
    for name, value in params:
        if name not in FILTERS:
            return error(400, f"unknown view parameter {name!r}; use {', '.join(FILTERS)}")
        if name in filters:
            return error(400, f"view parameter {name!r} given twice")
        if value.strip():
            filters[name] = value.strip()
    try:
        if root is None:
            page = render(kg, **filters)
        else:
            from graph.views import view_data
            from graph.views.page import page as view_page

            data = view_data(kg, **filters)
            data["nav"] = [["Search", root or "./"], ["SPARQL", f"{root}sparql"],
                           ["Views", f"{root}views"]]
            page = view_page(data)
    except TkgError as exc:
        return error(400, str(exc))
    return Reply(200, page.encode("utf-8"), "text/html; charset=utf-8")
