"""Where the bundled ontology, shapes, data and queries live, in a checkout or an installed copy.

In a source checkout they are the top-level ``ontology/`` and ``data/`` folders; an installed
package carries the same files as ``graph._ontology`` and ``graph._data`` (see pyproject.toml).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

__all__ = [
    "bundled_data_files",
    "data_dir",
    "ontology_dir",
    "ontology_files",
    "queries_dir",
    "shapes_file",
]

_HERE = Path(__file__).resolve().parent

#: File suffixes read as RDF, with the parser format of each.
RDF_SUFFIXES: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}


def _packaged(name: str, checkout: Path) -> Path:
    if checkout.is_dir():
        return checkout
    # The bundled folders are namespace packages (no __init__.py): take their one location.
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"bundled files {name} are missing from this installation")
    return Path(next(iter(spec.submodule_search_locations)))


def ontology_dir() -> Path:
    """Folder holding ``tkg.ttl``, ``shapes.ttl``, ``places.ttl``, ``vocab/`` and ``alignments/``.

    Examples
    --------
    >>> (ontology_dir() / "tkg.ttl").is_file()
    True
    """
    return _packaged("graph._ontology", _HERE.parent / "ontology")


def data_dir() -> Path:
    """Folder holding the curated data files, one per source document."""
    return _packaged("graph._data", _HERE.parent / "data")


def queries_dir() -> Path:
    """Folder holding the named SPARQL queries (``*.rq``) and materialisation updates."""
    return _HERE / "queries"


def shapes_file() -> Path:
    """The SHACL shapes every data file is validated against."""
    return ontology_dir() / "shapes.ttl"


def ontology_files(root: Path | None = None) -> list[Path]:
    """The reference files loaded with every graph: ontology, vocabularies, gazetteer, alignments.

    The shapes are not part of the graph; they are only used to validate it. ``root`` is the
    ontology folder (default: the bundled one, see :func:`ontology_dir`).

    Examples
    --------
    >>> [p.name for p in ontology_files()][:1]
    ['tkg.ttl']
    """
    root = root or ontology_dir()
    files = [root / "tkg.ttl"]
    files += sorted((root / "vocab").glob("*.ttl"))
    if (root / "places.ttl").is_file():
        files.append(root / "places.ttl")
    files += sorted((root / "alignments").glob("*.ttl"))
    return files


def bundled_data_files() -> list[Path]:
    """The curated data files shipped with the project, sorted by name."""
    return sorted(p for p in data_dir().iterdir() if p.suffix in RDF_SUFFIXES)
