"""Where the SPARQL servers started by ``.ci/servers.sh`` are, for the remote-backend tests.

The script prints ``export`` lines and writes them to ``$TKG_SERVERS_DIR/env`` (default
``$TMPDIR/tkg-servers/env``). Tests read the variables from the environment first, then from
that file, so ``.ci/servers.sh start`` followed by ``pytest`` works without ``eval``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

#: Server name -> environment variable holding its URL.
SERVERS = {"oxigraph": "TKG_TEST_OXIGRAPH_URL", "virtuoso": "TKG_TEST_VIRTUOSO_URL"}


def _env_file() -> Path:
    folder = os.environ.get("TKG_SERVERS_DIR") or str(Path(tempfile.gettempdir()) / "tkg-servers")
    return Path(folder) / "env"


def settings() -> dict[str, str]:
    """The ``TKG_TEST_*`` (and ``TKG_SERVERS_DIR``) settings: environment over the env file."""
    found: dict[str, str] = {}
    path = _env_file()
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            name, sep, value = line.removeprefix("export ").partition("=")
            if sep and name.startswith("TKG_"):
                found[name.strip()] = value.strip()
    found.update({k: v for k, v in os.environ.items() if k.startswith("TKG_TEST_")})
    return found


def url(server: str) -> str | None:
    """The URL of ``server`` (``"oxigraph"`` or ``"virtuoso"``), or ``None`` if not running."""
    return settings().get(SERVERS[server]) or None


def children(pid: int) -> list[int]:
    """Process IDs whose parent is ``pid`` (Linux /proc), for tests that stop a process tree."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


#: Installed in every page the endpoint browser tests open: records Content Security Policy
#: violations in ``window.__violations`` (a test asserts there are none).
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "")));
"""


@contextlib.contextmanager
def endpoint_chromium():
    """Headless Chromium (through playwright) that reaches the loopback endpoint and nothing
    else; skipped with a reason where it is missing (failing under ``CI=true``)."""
    import importlib.util

    from conftest import require
    from graph.views.browser import CHROMIUM_FLAGS, chromium_path

    require(chromium_path() is not None,
            "headless Chromium is not installed (apt-get install chromium)")
    require(importlib.util.find_spec("playwright") is not None,
            "the playwright package is not installed (pip install playwright)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # The views' flags resolve no host at all; the endpoint is on the loopback address.
        flags = [f for f in CHROMIUM_FLAGS if not f.startswith("--host-resolver-rules")]
        flags.append("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=flags)
        try:
            yield browser
        finally:
            browser.close()
