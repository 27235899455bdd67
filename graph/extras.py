"""Optional dependencies: import one, or stop with a one-line hint that installs it.

The hint works from a clone of the repository (``pip install '.[server]'``), since the
package is not on an index; every command and method that needs an extra goes through
:func:`need`, so the CLI prints the hint instead of a traceback.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from graph.errors import MissingExtra

__all__ = ["EXTRAS", "hint", "need"]

#: Extra (as named in pyproject.toml) -> the packages it installs.
EXTRAS: dict[str, tuple[str, ...]] = {
    "pandas": ("pandas",),
    "importer": ("openpyxl",),
    "exports": ("followthemoney",),
    "server": ("starlette", "uvicorn"),
    "notebooks": ("nbclient", "nbformat", "ipykernel", "matplotlib", "pandas"),
}


def hint(extra: str) -> str:
    """The install command for ``extra``, from a clone or from a built wheel.

    Examples
    --------
    >>> hint("server").split(" (")[0]
    "pip install '.[server]'"
    """
    return (f"pip install '.[{extra}]' (in a clone of the repository; "
            f"or pip install 'trafficking-kg[{extra}]')")


def need(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module``, or raise :class:`~graph.errors.MissingExtra` saying how to get it.

    Parameters
    ----------
    module : str
        The module to import, e.g. ``"pandas"``.
    extra : str
        The extra of pyproject.toml that installs it, e.g. ``"pandas"``.
    purpose : str
        What needs it, for the message, e.g. ``"KnowledgeGraph.frame"``.

    Examples
    --------
    >>> need("json", "pandas", "a test").__name__
    'json'
    >>> need("surely_not_installed_x", "pandas", "kg.frame()")
    Traceback (most recent call last):
    ...
    graph.errors.MissingExtra: kg.frame() needs surely_not_installed_x, which is not ...
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        missing = (exc.name or module).split(".")[0]
        raise MissingExtra(f"{purpose} needs {missing}, which is not installed: "
                           f"{hint(extra)}") from None
