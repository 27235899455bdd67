"""Regenerate ``graph/_tkg.py``, the closed namespace of the ontology, from ``ontology/tkg.ttl``.

Run ``python ontology/tools/namespace.py`` in a checkout after adding or renaming a term in
tkg.ttl; tests/test_namespaces.py fails until you do. It wraps rdflib's own
``rdflib/tools/defined_namespace_creator.py`` and only rewrites the docstring. A development
script, not part of the package: nothing imports it at run time.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from graph.prefixes import PREFIXES

ROOT = Path(__file__).resolve().parents[2]  # the checkout: ontology/tools/ is two down
TARGET = ROOT / "graph" / "_tkg.py"
DOCSTRING = '''"""
    Terms of the Trafficking Knowledge Graph ontology.

    Generated from: ontology/tkg.ttl by rdflib/tools/defined_namespace_creator.py
    (regenerate with `python ontology/tools/namespace.py`; tests/test_namespaces.py checks it)
    """'''


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "rdflib.tools.defined_namespace_creator", "-f",
             str(ROOT / "ontology" / "tkg.ttl"), PREFIXES["tkg"], "TKG"],
            cwd=folder, check=True, capture_output=True)
        text = (Path(folder) / "_TKG.py").read_text(encoding="utf-8")
    text = re.sub(r'"""\n    DESCRIPTION_EDIT_ME_!.*?"""', DOCSTRING, text, count=1, flags=re.S)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
