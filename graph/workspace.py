"""Workspaces: a folder that holds one knowledge base, found the way git finds a repository.

A workspace is a folder with a ``tkg.toml`` file, or with a ``pyproject.toml`` that has a
``[tool.tkg]`` table (this project's own checkout is one: its ``data/`` is the knowledge
base). The file names the data folders and whether the bundled knowledge base is included
as a read-only base layer; the built store lives in ``.tkg/`` beside it (see
:mod:`graph.store`). Outside any workspace the bundled knowledge base is used, with its
store in the user's cache folder.

How a workspace is chosen, first match wins: an explicit folder (``--workspace DIR``), the
``TKG_WORKSPACE`` environment variable, the nearest folder at or above the current one that
holds a workspace file, and finally the bundled knowledge base.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import DataError
from graph.resources import RDF_SUFFIXES, bundled_data_files, ontology_dir, ontology_files
from graph.sources import SourceFile, graph_name

__all__ = [
    "CONFIG_NAME",
    "ENV_VAR",
    "STATE_DIR",
    "Workspace",
    "bundled_workspace",
    "find_workspace",
    "init_workspace",
    "read_workspace",
]

#: The file that makes a folder a workspace.
CONFIG_NAME = "tkg.toml"
#: The folder, beside the workspace file, that holds the built store.
STATE_DIR = ".tkg"
#: Environment variable naming the workspace folder.
ENV_VAR = "TKG_WORKSPACE"

#: Keys a workspace file may set, with their types (a typo is an error, not a silent default).
_KEYS: dict[str, type] = {"data": list, "bundled": bool, "ontology": str}


@dataclass(frozen=True)
class Workspace:
    """One knowledge base: where its sources are and where its store is built.

    Examples
    --------
    >>> ws = bundled_workspace()
    >>> ws.root is None, ws.bundled
    (True, True)
    >>> any(s.path.name == "ocindex-2021-mali.ttl" for s in ws.sources())
    True
    """

    #: The workspace folder; ``None`` for the bundled knowledge base alone.
    root: Path | None
    #: Folders whose RDF files are the workspace's own sources.
    data_dirs: tuple[Path, ...] = ()
    #: Whether the bundled knowledge base is included as a read-only base layer.
    bundled: bool = True
    #: Folder of the ontology, vocabularies and gazetteer loaded with every graph.
    ontology: Path = field(default_factory=ontology_dir)
    #: Folder holding the built store, its manifest and the build lock.
    state: Path = field(default_factory=lambda: Path(STATE_DIR))
    #: The file the workspace was read from, if any.
    config: Path | None = None

    @property
    def name(self) -> str:
        """A short name for messages: the folder, or "the bundled knowledge base"."""
        return str(self.root) if self.root else "the bundled knowledge base"

    def display(self, path: Path) -> str:
        """``path`` relative to the workspace folder when inside it, for short messages."""
        if self.root is not None:
            try:
                return str(path.relative_to(self.root))
            except ValueError:
                pass
        if self.bundled and path.parent == _bundled_dir():
            return f"(bundled) {path.name}"
        if self.ontology in path.parents:
            return f"(ontology) {path.relative_to(self.ontology)}"
        return str(path)

    def data_files(self) -> list[Path]:
        """The workspace's own data files (not the bundled ones), sorted by folder and name.

        Raises
        ------
        graph.errors.DataError
            If a data folder named in the workspace file does not exist.
        """
        found: list[Path] = []
        for folder in self.data_dirs:
            if not folder.is_dir():
                raise DataError(f"{self.config or folder}: data folder {folder} does not exist")
            # scandir knows each entry's kind without a stat call per file
            with os.scandir(folder) as entries:
                found += sorted(folder / e.name for e in entries
                                if Path(e.name).suffix in RDF_SUFFIXES and e.is_file()
                                and not e.name.startswith("."))
        return found

    def sources(self) -> list[SourceFile]:
        """Every file of the knowledge base: the ontology first, then bundled and own data.

        Each file gets its own named graph, named after the file; two data files with the
        same name would share one, so that is an error naming both.
        """
        selected = [SourceFile(p, RDF_SUFFIXES[p.suffix], graph_name(p, True), True)
                    for p in ontology_files(self.ontology)]
        data = (bundled_data_files() if self.bundled else []) + self.data_files()
        seen: dict[str, Path] = {}
        for path in data:
            name = graph_name(path, False)
            if name in seen:
                raise DataError(f"{path}: same file name as {seen[name]}; rename one of them "
                                f"(each file is one named graph, named after the file)")
            seen[name] = path
            selected.append(SourceFile(path, RDF_SUFFIXES[path.suffix], name))
        return selected


def _bundled_dir() -> Path:
    from graph.resources import data_dir

    return data_dir()


def bundled_workspace() -> Workspace:
    """The bundled knowledge base alone, with its store in the user's cache folder.

    The store folder is keyed by where the bundled files are, so two installations of
    different versions never share (and keep rebuilding) one store.
    """
    from graph.cache import cache_dir

    where = hashlib.sha256(str(_bundled_dir().resolve()).encode()).hexdigest()[:12]
    return Workspace(root=None, bundled=True, state=cache_dir() / f"bundled-{where}")


def _config_in(folder: Path) -> tuple[Path, dict] | None:
    """The workspace settings declared in ``folder``, or ``None`` if it is not a workspace."""
    own = folder / CONFIG_NAME
    if own.is_file():
        return own, _read_toml(own).get("workspace", {})
    project = folder / "pyproject.toml"
    if project.is_file():
        table = _read_toml(project).get("tool", {}).get("tkg")
        if table is not None:
            return project, table
    return None


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from None


def read_workspace(folder: str | Path) -> Workspace:
    """The workspace whose file is in ``folder``.

    Raises
    ------
    graph.errors.DataError
        If ``folder`` holds no workspace file, or the file sets an unknown key or a value of
        the wrong type (the message names the file and the key).

    Examples
    --------
    >>> import tempfile
    >>> ws = read_workspace(init_workspace(tempfile.mkdtemp()).root)
    >>> ws.bundled, [d.name for d in ws.data_dirs]
    (True, ['data'])
    """
    folder = Path(folder).expanduser().resolve()
    found = _config_in(folder)
    if found is None:
        raise DataError(f"{folder}: not a workspace (no {CONFIG_NAME}); "
                        f"create one with: tkg init {folder}")
    config, table = found
    for key, value in table.items():
        if key not in _KEYS:
            raise DataError(f"{config}: unknown workspace setting {key!r}; "
                            f"known settings: {', '.join(sorted(_KEYS))}")
        if not isinstance(value, _KEYS[key]):
            raise DataError(f"{config}: workspace setting {key!r} must be a "
                            f"{_KEYS[key].__name__}, not {value!r}")
    data = table.get("data", ["data"])
    if not all(isinstance(d, str) for d in data):
        raise DataError(f"{config}: workspace setting 'data' must list folder names")
    ontology = folder / table["ontology"] if "ontology" in table else ontology_dir()
    if not (ontology / "tkg.ttl").is_file():
        raise DataError(f"{config}: ontology folder {ontology} has no tkg.ttl")
    return Workspace(root=folder, data_dirs=tuple(folder / d for d in data),
                     bundled=table.get("bundled", True), ontology=ontology,
                     state=folder / STATE_DIR, config=config)


def find_workspace(explicit: str | Path | None = None,
                   start: str | Path | None = None) -> Workspace:
    """The workspace to use: ``explicit``, ``$TKG_WORKSPACE``, the nearest one up from
    ``start`` (default: the current folder), else the bundled knowledge base.

    Raises
    ------
    graph.errors.DataError
        If ``explicit`` or ``$TKG_WORKSPACE`` names a folder that is not a workspace.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = init_workspace(pathlib.Path(tempfile.mkdtemp()) / "mine").root
    >>> find_workspace(start=root / "data").root == root
    True
    """
    chosen = explicit or os.environ.get(ENV_VAR)
    if chosen:
        return read_workspace(chosen)
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _config_in(folder) is not None:
            return read_workspace(folder)
    return bundled_workspace()


_CONFIG_TEXT = """\
# A tkg workspace: one knowledge base. Commands run in this folder or below it use it.
[workspace]
# Folders holding your source files (Turtle and other RDF), relative to this file.
data = ["data"]
# Include the bundled knowledge base (the Index profiles and regional sources) as a
# read-only base layer under your own files.
bundled = {bundled}
"""

_README_TEXT = """\
# {name}: a tkg workspace

Your own sources, next to {base}.

- Add one Turtle file per source document to `data/`: how to write one is in the
  project's data/README.md.
- `tkg build` checks every file and updates the store in `.tkg/` (only what changed).
- `tkg status` lists each file: loaded, changed, new, invalid or removed.
- Every command run here (`tkg flows`, `tkg country`, `tkg viz`, `tkg export`,
  `tkg serve`) answers from this workspace; in Python, `graph.open()` or `graph.load()`.

`.tkg/` and `build/` are generated: do not edit or commit them.
"""


def init_workspace(folder: str | Path = ".", *, empty: bool = False) -> Workspace:
    """Create a workspace in ``folder``: ``tkg.toml``, ``data/``, a short README, .gitignore.

    Parameters
    ----------
    folder : str or Path
        Created if missing. Files already there are kept; an existing workspace file is an
        error, so nothing is overwritten.
    empty : bool
        Leave the bundled knowledge base out (only your own files are loaded).

    Returns
    -------
    Workspace

    Raises
    ------
    graph.errors.DataError
        If ``folder`` is already a workspace or cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> ws = init_workspace(tempfile.mkdtemp(), empty=True)
    >>> ws.bundled, (ws.root / "tkg.toml").is_file(), (ws.root / "data").is_dir()
    (False, True, True)
    """
    root = Path(folder).expanduser().resolve()
    if (root / CONFIG_NAME).exists():
        raise DataError(f"{root / CONFIG_NAME}: already a workspace; nothing was changed")
    try:
        (root / "data").mkdir(parents=True, exist_ok=True)
        readme = root / "README.md"
        if not readme.exists():
            base = "nothing else (an empty workspace)" if empty else \
                "the bundled knowledge base (a read-only base layer)"
            readme.write_text(_README_TEXT.format(name=root.name, base=base), encoding="utf-8")
        ignore = root / ".gitignore"
        if not ignore.exists():
            ignore.write_text(f"{STATE_DIR}/\nbuild/\n", encoding="utf-8")
        # The workspace file last: a folder is a workspace only once everything is in place.
        (root / CONFIG_NAME).write_text(
            _CONFIG_TEXT.format(bundled="false" if empty else "true"), encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{root}: cannot create the workspace ({exc.strerror})") from None
    return read_workspace(root)
