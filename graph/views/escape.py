"""Escaping for the HTML views: the one place where text from the graph meets HTML.

Everything a view shows (labels, ids, descriptions, tooltips, the page title) reaches the
page through two doors only, both here:

- :func:`script_json` encodes the view's data as JSON that is safe inside a
  ``<script type="application/json">`` element; the page's script reads it with
  ``JSON.parse`` and puts every string into the DOM with ``textContent``, never as HTML.
- :func:`html_text` escapes the few strings written into the HTML itself (the title),
  and :func:`srcdoc` escapes a whole page for an ``<iframe srcdoc="...">`` attribute.
"""

from __future__ import annotations

import html
import json
from typing import Any

__all__ = ["html_text", "script_json", "srcdoc"]

#: Characters that could end a script element, open an HTML comment or an entity, or end a
#: JavaScript line inside JSON, with the JSON escape that stands for each.
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_TABLE = str.maketrans(_SCRIPT_UNSAFE)


def script_json(data: Any) -> str:
    """JSON text of ``data`` that can sit inside a ``<script>`` element unchanged.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026`` and the line
    separators U+2028/U+2029 their escapes, so that neither ``</script>`` nor ``<!--`` can
    appear in the output; ``JSON.parse`` gives back the original strings.

    Examples
    --------
    >>> script_json({"label": "</script><b>x</b>"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003ex\\\\u003c/b\\\\u003e"}'
    >>> import json; json.loads(script_json(["a & b <!--"]))
    ['a & b <!--']
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_TABLE)


def html_text(text: Any) -> str:
    """``text`` escaped for HTML element content and quoted attribute values.

    Examples
    --------
    >>> html_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(str(text), quote=True)


def srcdoc(page: str) -> str:
    """A whole HTML page escaped as the value of an ``<iframe srcdoc="...">`` attribute.

    Examples
    --------
    >>> srcdoc('<p title="a">&amp;</p>')
    '&lt;p title=&quot;a&quot;&gt;&amp;amp;&lt;/p&gt;'
    """
    return html.escape(page, quote=True)
