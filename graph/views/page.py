"""The HTML page of a view: our small template with vis-network and the data inline.

The page is one self-contained file. It embeds vis-network's script, read from the
installed pyvis package (vis-network is dual licensed MIT / Apache-2.0; its licence header is
kept), our own stylesheet and script from ``graph/views/assets/``, and the view's data as
JSON. It links nothing: no CDN, no font, no image. A Content-Security-Policy allows only
those inline scripts (by hash) and no request of any kind, so even a label that slipped
past the escaping could neither run a script nor load anything.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from graph.errors import TkgError
from graph.views.escape import html_text, script_json

__all__ = ["page", "vis_network"]

_ASSETS = Path(__file__).resolve().parent / "assets"
_SLOT = re.compile(r"\{\{(\w+)\}\}")


@lru_cache(maxsize=1)
def vis_network() -> tuple[str, str]:
    """(version, minified script) of the newest vis-network shipped with pyvis.

    Raises
    ------
    graph.errors.TkgError
        If pyvis or its copy of vis-network is missing.

    Examples
    --------
    >>> version, script = vis_network()
    >>> version.startswith("9."), "@license" in script[:1000]
    (True, True)
    """
    try:
        lib = Path(str(resources.files("pyvis"))) / "lib"
    except ModuleNotFoundError as exc:
        raise TkgError("the views need pyvis (pip install pyvis), which ships vis-network") from exc
    found = []
    for folder in lib.glob("vis-*"):
        script = folder / "vis-network.min.js"
        match = re.fullmatch(r"vis-(\d+)\.(\d+)\.(\d+)", folder.name)
        if match and script.is_file():
            found.append((tuple(int(x) for x in match.groups()), script))
    if not found:
        raise TkgError(f"no vis-network.min.js under {lib}; reinstall pyvis")
    version, script = max(found)
    text = script.read_text(encoding="utf-8")
    if "</script" in text.lower() or "<!--" in text:
        raise TkgError(f"{script} cannot be embedded in a page (contains </script or <!--)")
    return ".".join(map(str, version)), text


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("trafficking-kg")
    except PackageNotFoundError:
        return "dev"


def page(data: dict[str, Any], connect: bool = False) -> str:
    """The complete HTML page for view data from :func:`graph.views.model.view_data`.

    ``connect`` lets the page's script request its own server (``connect-src 'self'``):
    the endpoint's network views fetch a node's neighbours when it is expanded
    (``data["explore"]``); a view written to a file requests nothing.

    Examples
    --------
    >>> html = page({"title": "<b>t</b>", "layout": "geo", "scale": 20, "nodes": [],
    ...              "edges": [], "claims": [], "period": None,
    ...              "legend": {"groups": [], "grades": [], "kinds": []}})
    >>> "<title>&lt;b&gt;t&lt;/b&gt;</title>" in html, "https://" in html.split("<script")[0]
    (True, False)
    """
    vis_version, vis_js = vis_network()
    app_js = _asset("view.js")
    style = _asset("view.css")
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {_hash(vis_js)} {_hash(app_js)}",
        f"style-src {_hash(chr(10) + style + chr(10))}",
        "img-src data:",
        *(["connect-src 'self'"] if connect else []),
        "base-uri 'none'",
        "form-action 'none'",
    ])
    slots = {
        "csp": csp,
        "version": html_text(_version()),
        "vis_version": html_text(vis_version),
        "title": html_text(data["title"]),
        "style": style,
        "data": script_json(data),
        "vis_js": vis_js,
        "app_js": app_js,
    }
    return _SLOT.sub(lambda m: slots[m.group(1)], _asset("view.html"))
