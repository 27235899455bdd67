"""Print a brief's HTML to PDF with the system's headless Chromium (A4, page numbers).

The page sets the paper size, margins and the page-number footer in its own ``@page``
rules, and keeps figures and tables whole (``break-inside: avoid``); Chromium only prints
it. The network is blocked for the browser (``--host-resolver-rules``), like the views'
browser tests do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from graph.errors import ExportError

__all__ = ["chromium", "print_pdf"]

#: Where to look for Chromium, after the TKG_CHROMIUM environment variable.
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium() -> str:
    """The path of the Chromium executable (``$TKG_CHROMIUM``, else on ``PATH``).

    Raises
    ------
    graph.errors.ExportError
        One line saying how to install it, when none is found.
    """
    named = os.environ.get("TKG_CHROMIUM")
    if named and Path(named).is_file():
        return named
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise ExportError("PDF output needs Chromium: install it (Debian: apt-get install chromium) "
                      "or set TKG_CHROMIUM to its path; --format html works without it")


def print_pdf(page: str, path: str | Path, timeout: float = 120) -> Path:
    """Print the HTML ``page`` to the PDF file ``path`` with headless Chromium.

    Examples
    --------
    >>> print_pdf("<h1>Brief</h1>", "brief.pdf")          # doctest: +SKIP
    PosixPath('.../brief.pdf')

    Raises
    ------
    graph.errors.ExportError
        If Chromium is missing, fails or times out.
    """
    browser = chromium()
    path = Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix="tkg-brief-") as folder:
        source = Path(folder) / "brief.html"
        source.write_text(page, encoding="utf-8")
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu",
                   "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                   "--disable-background-networking", "--host-resolver-rules=MAP * ~NOTFOUND",
                   f"--user-data-dir={Path(folder) / 'profile'}", "--no-pdf-header-footer",
                   "--virtual-time-budget=3000", f"--print-to-pdf={path}", source.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                  check=False)
        except subprocess.TimeoutExpired:
            raise ExportError(f"Chromium did not print {path} within {timeout:.0f} s") from None
        if done.returncode != 0 or not path.is_file():
            detail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
            raise ExportError(f"Chromium could not print {path}: {detail[0]}")
    return path
