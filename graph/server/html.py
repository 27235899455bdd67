"""The endpoint's HTML: the one place where text from a request or the graph meets HTML.

The query page is a static template (``assets/index.html``) plus our own script
(``assets/app.js``), style sheet and the vendored editor (``assets/vendor/codemirror.js``,
CodeMirror 6 with a SPARQL mode, see ``assets/vendor/README.md``), all served by the endpoint
itself: nothing is fetched from elsewhere, and the Content Security Policy sent with it
(:func:`page_policy`) forbids it. The editor adds its own style rules at run time in
``<style>`` elements; the policy allows those by a nonce new with every page, and nothing
else inline. Only these values are written into the page on the server, all through
:func:`escape`: the query to show (from ``?query=``), the endpoint's mode, the project
prefixes and the nonce. Everything else (named queries, results, labels, error messages) is
fetched by the script and put into the page with ``textContent``.
"""

from __future__ import annotations

import html
import json
import secrets
from functools import lru_cache
from pathlib import Path

from graph.prefixes import PREFIXES

__all__ = ["PAGE_POLICY", "VIEW_POLICY", "assets_dir", "escape", "new_nonce", "page_policy",
           "render_page"]

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


def new_nonce() -> str:
    """A fresh random nonce for one page's Content Security Policy."""
    return secrets.token_urlsafe(18)


def page_policy(nonce: str) -> str:
    """The query page's Content Security Policy: :data:`PAGE_POLICY`, plus the editor's
    ``<style>`` elements that carry ``nonce``.

    Examples
    --------
    >>> page_policy("abc").split("; ")[2]
    "style-src 'self' 'nonce-abc'"
    """
    return PAGE_POLICY.replace("style-src 'self'", f"style-src 'self' 'nonce-{nonce}'")


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
                timeout: float = 0.0, nonce: str = "") -> bytes:
    """The query page, with ``query`` in the editor (escaped).

    ``nonce`` is the one of the page's policy (:func:`page_policy`); the editor gives it to
    the style elements it adds.

    Examples
    --------
    >>> page = render_page("SELECT * { ?s ?p '</textarea>' }").decode()
    >>> "&lt;/textarea&gt;" in page and "'</textarea>'" not in page
    True
    """
    mode = "read-write (updates need the token)" if updates else "read-only"
    limits = f"{mode}; answers are cut at {max_rows:,} rows; queries stop after {timeout:g} s"
    values = {"query": query if query is not None else _DEFAULT_QUERY, "limits": limits,
              "prefixes": json.dumps(PREFIXES, separators=(",", ":")), "nonce": nonce}
    page = _template()
    for name, value in values.items():
        page = page.replace("{{" + name + "}}", escape(value))
    return page.encode("utf-8")
