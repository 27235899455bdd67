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

The explorer's pages (search, entity pages; :mod:`graph.server.pages`) are built on the
server from elements made by :func:`tag`, which escapes every text child and attribute
value it is given; only what :func:`tag` itself returns (a :class:`Markup`) is taken as
HTML, so a label with markup in it is always shown as text.
"""

from __future__ import annotations

import html
import json
import secrets
from functools import lru_cache
from pathlib import Path

from graph.prefixes import PREFIXES

__all__ = ["ENTITY_POLICY", "NETWORK_POLICY", "PAGE_POLICY", "VIEW_POLICY", "Markup",
           "assets_dir", "escape", "join", "new_nonce", "page_policy", "render_page", "tag"]

#: Content Security Policy of the query page: our own script, style and data only.
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
               "img-src 'self' data:; base-uri 'none'; form-action 'self'; "
               "frame-ancestors 'none'")
#: Content Security Policy of a view page: its inline script and style, nothing from outside.
VIEW_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
               "img-src data:; font-src data:; base-uri 'none'; form-action 'none'")

#: Content Security Policy of the explorer's pages: the query page's, plus frames of the
#: endpoint itself (an entity page's network view).
ENTITY_POLICY = PAGE_POLICY.replace("img-src", "frame-src 'self'; img-src")
#: Content Security Policy of an entity's network view (a view page in a frame of the entity
#: page): its inline script and style, requests to the endpoint (a node's neighbours).
NETWORK_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                  "connect-src 'self'; img-src data:; font-src data:; base-uri 'none'; "
                  "form-action 'none'; frame-ancestors 'self'")

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


class Markup(str):
    """HTML made by :func:`tag` (or :func:`escape`): safe to put into a page as it is."""

    __slots__ = ()


def escape(text: object) -> str:
    """``text`` escaped for HTML element content and quoted attribute values.

    A :class:`Markup` (HTML this module built) is returned unchanged.

    Examples
    --------
    >>> escape('</textarea><script>alert("x")</script>')
    '&lt;/textarea&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    if isinstance(text, Markup):
        return text
    return html.escape(str(text), quote=True)


_VOID = frozenset({"br", "input", "link", "meta", "img", "hr"})


def _children(children) -> str:
    out = []
    for child in children:
        if child is None or child is False:
            continue
        if isinstance(child, (list, tuple)):
            out.append(_children(child))
        else:
            out.append(escape(child))
    return "".join(out)


def tag(name: str, /, *children: object, **attributes: object) -> Markup:
    """One HTML element: text children and attribute values escaped, :class:`Markup` kept.

    ``name`` and the attribute names are our code's own (``class_`` gives ``class``,
    ``aria_label`` gives ``aria-label``); a value of ``None`` or ``False`` leaves the
    attribute out, ``True`` writes it bare. Children may be text, numbers, elements or
    lists of them.

    Examples
    --------
    >>> tag("a", "<b>x</b>", href="?q=a&b", class_="term")
    '<a href="?q=a&amp;b" class="term">&lt;b&gt;x&lt;/b&gt;</a>'
    >>> tag("p", tag("em", "kept"), " & text")
    '<p><em>kept</em> &amp; text</p>'
    """
    attrs = []
    for key, value in attributes.items():
        if value is None or value is False:
            continue
        key = key.rstrip("_").replace("_", "-")
        attrs.append(f" {key}" if value is True else f' {key}="{escape(value)}"')
    head = f"<{name}{''.join(attrs)}>"
    if name in _VOID:
        return Markup(head)
    return Markup(f"{head}{_children(children)}</{name}>")


def join(items, separator: object = ", ") -> Markup:
    """Elements and texts joined by ``separator`` (escaped), as :class:`Markup`.

    Examples
    --------
    >>> join([tag("b", "a"), "<c>"])
    '<b>a</b>, &lt;c&gt;'
    """
    return Markup(escape(separator).join(escape(i) for i in items))


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
