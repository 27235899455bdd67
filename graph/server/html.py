"""The endpoint's HTML: the one place where text from a request or the graph meets HTML.

The query page is a static template (``assets/index.html``) plus our own script and style
sheet, all served by the endpoint itself: nothing is fetched from elsewhere, and the Content
Security Policy sent with it (:data:`PAGE_POLICY`) forbids it. Only two values are written
into the page on the server, both through :func:`escape`: the query to show (from
``?query=``) and the endpoint's mode. Everything else (named queries, results, error
messages) is fetched by the script and put into the page with ``textContent``.
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

__all__ = ["PAGE_POLICY", "VIEW_POLICY", "assets_dir", "escape", "render_page"]

#: Content Security Policy of the query page: our own script, style and data only.
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
               "img-src 'self' data:; base-uri 'none'; form-action 'self'; "
               "frame-ancestors 'none'")
#: Content Security Policy of a view page: its inline script and style, nothing from outside.
VIEW_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
               "img-src data:; font-src data:; base-uri 'none'; form-action 'none'")

_DEFAULT_QUERY = """\
# Flows with their commodity and certainty (tkg:, place:, skos: ... are predeclared)
SELECT ?flow ?label ?commodityLabel ?certaintyLabel WHERE {
  ?flow a tkg:Flow ;
        rdfs:label ?label ;
        tkg:commodity/skos:prefLabel ?commodityLabel ;
        tkg:certainty/skos:prefLabel ?certaintyLabel .
}
ORDER BY ?label
"""


def assets_dir() -> Path:
    """The folder of the page's static files."""
    return Path(__file__).resolve().parent / "assets"


def escape(text: object) -> str:
    """``text`` escaped for HTML element content and quoted attribute values.

    Examples
    --------
    >>> escape('</textarea><script>alert("x")</script>')
    '&lt;/textarea&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    return html.escape(str(text), quote=True)


@lru_cache(maxsize=1)
def _template() -> str:
    return (assets_dir() / "index.html").read_text(encoding="utf-8")


def render_page(query: str | None = None, *, updates: bool = False, max_rows: int = 0,
                timeout: float = 0.0) -> bytes:
    """The query page, with ``query`` in the editor (escaped).

    Examples
    --------
    >>> page = render_page("SELECT * { ?s ?p '</textarea>' }").decode()
    >>> "&lt;/textarea&gt;" in page and "'</textarea>'" not in page
    True
    """
    mode = "read-write (updates need the token)" if updates else "read-only"
    limits = f"{mode}; answers are cut at {max_rows:,} rows; queries stop after {timeout:g} s"
    values = {"query": query if query is not None else _DEFAULT_QUERY, "limits": limits}
    page = _template()
    for name, value in values.items():
        page = page.replace("{{" + name + "}}", escape(value))
    return page.encode("utf-8")
