"""Open views in headless Chromium with the network blocked, and report what the page did.

Used by the browser tests and by the view benchmark (``tests/benchmarks/bench_views.py``).
It drives the system's Chromium (Debian package ``chromium``) through Playwright's Python
package (``pip install playwright``; never ``playwright install``: no browser is
downloaded). Every request other than the view file itself is aborted and recorded, so a
test can assert that a page asked for nothing.

Examples
--------
>>> with Browser() as browser:                                   # doctest: +SKIP
...     page = browser.open("build/overview.html")
...     page.report()["nodes"], page.requests
(19, [])
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Self

from graph.errors import TkgError

__all__ = ["CHROMIUM_FLAGS", "Browser", "Page", "chromium_path"]

#: Flags for a quiet, isolated headless Chromium that makes no background requests.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)

#: JavaScript run before any page script: records Content-Security-Policy violations and
#: dialogs (alert, confirm, prompt) so that a test sees even what the page suppressed.
_WATCH = """
window.__tkgWatch = {violations: [], dialogs: []};
document.addEventListener("securitypolicyviolation", function (e) {
  window.__tkgWatch.violations.push(e.violatedDirective + " " + (e.blockedURI || ""));
});
["alert", "confirm", "prompt"].forEach(function (name) {
  var original = window[name];
  window[name] = function (message) {
    window.__tkgWatch.dialogs.push(name + ": " + message);
    return original.apply(window, arguments);
  };
});
"""

#: JavaScript that reads a drawn view: its vis network's counts and the canvas' pixels.
_REPORT = """
(selector) => {
  const view = window.tkgView || {};
  const net = view.network || window.network;
  const canvas = document.querySelector(selector);
  let painted = 0, coloured = 0;
  if (canvas) {
    const px = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] === 0) continue;
      painted++;
      const hi = Math.max(px[i], px[i + 1], px[i + 2]), lo = Math.min(px[i], px[i + 1], px[i + 2]);
      if (hi - lo > 40) coloured++;
    }
  }
  return {
    first_draw_ms: view.firstDraw === undefined ? null : view.firstDraw,
    nodes: net ? net.body.data.nodes.length : null,
    edges: net ? net.body.data.edges.length : null,
    visible_nodes: net ? net.body.nodeIndices.length : null,
    visible_edges: net ? net.body.edgeIndices.length : null,
    painted_pixels: painted,
    coloured_pixels: coloured,
    violations: window.__tkgWatch ? window.__tkgWatch.violations : [],
    dialogs: window.__tkgWatch ? window.__tkgWatch.dialogs : [],
  };
}
"""

#: Default readiness test: our page's script sets ``tkgView.firstDraw`` on first draw.
READY = "window.tkgView && window.tkgView.firstDraw !== null"


def chromium_path() -> str | None:
    """The Chromium executable: ``$TKG_CHROMIUM``, else ``chromium`` on the PATH."""
    return os.environ.get("TKG_CHROMIUM") or shutil.which("chromium") \
        or shutil.which("chromium-browser")


class Page:
    """One opened view: the Playwright page plus what it requested and reported."""

    def __init__(self, page, requests: list[str], errors: list[str]):
        #: The Playwright ``Page``.
        self.page = page
        #: URLs the page asked for besides itself (all were aborted).
        self.requests = requests
        #: Script errors and console error messages.
        self.errors = errors

    def report(self, canvas: str = "#tkg-net canvas") -> dict[str, Any]:
        """Counts from the vis network, canvas pixels, CSP violations and dialogs."""
        return self.page.evaluate(_REPORT, canvas)

    def evaluate(self, script: str, arg: Any = None) -> Any:
        """Run JavaScript in the page and return its (JSON) result."""
        return self.page.evaluate(script, arg)

    def screenshot(self, path: str | Path) -> Path:
        """Save a PNG of the window."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path))
        return path

    def close(self) -> None:
        self.page.close()


class Browser:
    """Headless Chromium with a fresh profile, the network blocked; a context manager.

    Parameters
    ----------
    executable : str, optional
        Chromium to run (default :func:`chromium_path`).
    width, height : int
        Window size in CSS pixels.

    Raises
    ------
    graph.errors.TkgError
        If Playwright or Chromium is missing.
    """

    def __init__(self, executable: str | None = None, width: int = 1280, height: int = 800):
        self.executable = executable or chromium_path()
        self.width = width
        self.height = height
        self._playwright = None
        self._context = None
        self._profile: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> Self:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:
            raise TkgError("the browser checks need Playwright: pip install playwright "
                           "(it drives the system's Chromium; no browser download)") from exc
        if not self.executable:
            raise TkgError("no Chromium found: apt-get install chromium, or set TKG_CHROMIUM")
        self._profile = tempfile.TemporaryDirectory(prefix="tkg-chromium-")
        self._playwright = sync_playwright().start()
        try:
            self._context = self._playwright.chromium.launch_persistent_context(
                self._profile.name, executable_path=self.executable, headless=True,
                args=list(CHROMIUM_FLAGS), viewport={"width": self.width, "height": self.height},
                service_workers="block", offline=False)
        except Exception:
            self._playwright.stop()
            self._profile.cleanup()
            raise
        for page in self._context.pages:
            page.close()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop Chromium and remove its profile."""
        if self._context is not None:
            self._context.close()
            self._context = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    def open(self, path: str | Path, *, ready: str = READY, timeout: float = 60.0,
             init_script: str | None = None) -> Page:
        """Load the file ``path`` and wait until ``ready`` (a JavaScript expression) is true.

        Every request except the file itself is aborted and listed in ``Page.requests``.
        ``init_script`` runs before the page's own scripts. Raises Playwright's
        ``TimeoutError`` if the page is not ready within ``timeout`` seconds.
        """
        if self._context is None:
            raise TkgError("Browser.open() outside a `with Browser()` block")
        url = Path(path).resolve().as_uri()
        requests: list[str] = []
        errors: list[str] = []
        page = self._context.new_page()

        def route(route):
            if route.request.url == url and route.request.is_navigation_request():
                route.continue_()
            else:
                requests.append(route.request.url)
                route.abort()

        page.route("**/*", route)
        page.on("websocket", lambda ws: requests.append(ws.url))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("dialog", lambda dialog: dialog.dismiss())
        page.add_init_script(_WATCH)
        if init_script:
            page.add_init_script(init_script)
        try:
            page.goto(url, wait_until="load", timeout=timeout * 1000)
            page.wait_for_function(ready, timeout=timeout * 1000, polling=50)
        except Exception:
            page.close()
            raise
        return Page(page, requests, errors)
