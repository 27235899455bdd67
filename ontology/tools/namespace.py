"""Regenerate ``graph/_tkg.py``, the closed namespace of the ontology, from ``ontology/tkg.ttl``.

Run ``python -m graph.tools.namespace`` after adding or renaming a term in tkg.ttl;
tests/test_namespaces.py fails until you do. It wraps rdflib's own
``rdflib/tools/defined_namespace_creator.py`` and only rewrites the docstring.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from graph.prefixes import PREFIXES
from graph.resources import ontology_dir

TARGET = Path(__file__).resolve().parent.parent / "_tkg.py"
DOCSTRING = '''"""
    Terms of the Trafficking Knowledge Graph ontology.

    Generated from: ontology/tkg.ttl by rdflib/tools/defined_namespace_creator.py
    (regenerate with `python -m graph.tools.namespace`; tests/test_namespaces.py checks it)
    """'''


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "rdflib.tools.defined_namespace_creator", "-f",
             str(ontology_dir() / "tkg.ttl"), PREFIXES["tkg"], "TKG"],
            cwd=folder, check=True, capture_output=True)
        text = (Path(folder) / "_TKG.py").read_text(encoding="utf-8")
    text = re.sub(r'"""\n    DESCRIPTION_EDIT_ME_!.*?"""', DOCSTRING, text, count=1, flags=re.S)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
