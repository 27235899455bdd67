"""Content-addressed cache of validated, materialised graphs and of validation reports.

Entries are keyed by a SHA-256 over the content of every input file (and the code's rules
version), so editing any file invalidates exactly the entries that depended on it. Entries
are written to a temporary name and renamed into place, so a crash never leaves half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["cache_dir", "content_key", "read_json", "store_path", "write_atomic", "write_json"]

#: Bump when materialisation or validation logic changes, to invalidate old entries.
RULES_VERSION = "1"


def cache_dir() -> Path:
    """The cache folder: ``$TKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/tkg``, else ``~/.cache/tkg``."""
    if os.environ.get("TKG_CACHE_DIR"):
        root = Path(os.environ["TKG_CACHE_DIR"])
    else:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tkg"
    root.mkdir(parents=True, exist_ok=True)
    return root


def content_key(paths: Iterable[Path], *extra: str) -> str:
    """Hash the names and bytes of ``paths`` (in the given order) plus ``extra`` strings.

    Examples
    --------
    >>> len(content_key([], "x"))
    64
    """
    digest = hashlib.sha256(RULES_VERSION.encode())
    for path in paths:
        digest.update(Path(path).name.encode() + b"\0")
        digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    for item in extra:
        digest.update(item.encode() + b"\0")
    return digest.hexdigest()


def store_path(key: str, suffix: str) -> Path:
    """Path of the cache entry ``key`` with ``suffix`` (which may not exist yet)."""
    return cache_dir() / f"{key}{suffix}"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path):
    """Return the JSON stored at ``path``, or ``None`` if it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, value) -> None:
    """Store ``value`` as JSON at ``path`` atomically."""
    write_atomic(path, json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"))
