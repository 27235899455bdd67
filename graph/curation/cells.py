"""Write RDF terms into spreadsheet cells and read them back, losslessly.

A cell holds one or more values of one property. IRIs are written as prefixed names; text
as itself; a value that does not fit its column's kind (a French label in an English text
column, a date typed otherwise) in Turtle notation (``"texte"@fr``), which the reader
understands in every column.
"""

from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef

from graph.lookup import prefixed
from graph.prefixes import PREFIXES

__all__ = ["CellError", "decode_literal", "encode_literal", "encode_term", "expand", "split_cell"]

_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(\S+))?$', re.S)
_CURIE = re.compile(r"^([A-Za-z][\w-]*):(\S*)$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNESCAPES = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t"}


class CellError(ValueError):
    """A cell value that cannot be read; the message says what is wrong with it."""


def encode_term(term) -> str:
    """A term in Turtle notation with the project prefixes (IRIs and literals).

    Examples
    --------
    >>> from rdflib import URIRef
    >>> encode_term(URIRef("https://w3id.org/tkg/place/MLI"))
    'place:MLI'
    >>> from rdflib import XSD
    >>> encode_term(Literal("2021", datatype=XSD.gYear))
    '"2021"^^xsd:gYear'
    """
    if isinstance(term, URIRef):
        short = prefixed(str(term))
        return short if short != str(term) else f"<{term}>"
    if isinstance(term, Literal):
        return encode_literal(term)
    raise CellError(f"a blank node cannot go in a cell ({term})")


def encode_literal(literal: Literal) -> str:
    """A literal in Turtle notation, escaped so that it stays on one line."""
    text = "".join(_ESCAPES.get(c, c) for c in str(literal))
    if literal.language:
        return f'"{text}"@{literal.language}'
    if literal.datatype is not None:
        return f'"{text}"^^{encode_term(URIRef(literal.datatype))}'
    return f'"{text}"'


def decode_literal(text: str) -> Literal | None:
    """The literal written in Turtle notation in ``text``, or None if it is not one.

    Examples
    --------
    >>> decode_literal('"Mali"@fr')
    rdflib.term.Literal('Mali', lang='fr')
    >>> decode_literal('plain words') is None
    True
    """
    match = _QUOTED.match(text.strip())
    if not match:
        return None
    body = re.sub(r"\\(.)", lambda m: _UNESCAPES.get(m.group(1), m.group(1)), match.group(1))
    if match.group(2):
        return Literal(body, lang=match.group(2))
    if match.group(3):
        return Literal(body, datatype=expand(match.group(3)))
    return Literal(body)


def expand(name: str) -> URIRef:
    """The IRI of a prefixed name or ``<IRI>``; raises :class:`CellError` otherwise.

    Examples
    --------
    >>> expand("place:MLI")
    rdflib.term.URIRef('https://w3id.org/tkg/place/MLI')
    """
    name = name.strip()
    if name.startswith("<") and name.endswith(">"):
        return URIRef(name[1:-1])
    if "://" in name and " " not in name:
        return URIRef(name)
    match = _CURIE.match(name)
    if match and match.group(1) in PREFIXES:
        return URIRef(PREFIXES[match.group(1)] + match.group(2))
    if match:
        raise CellError(f"unknown prefix {match.group(1)!r} in {name!r}; known prefixes: "
                        + ", ".join(sorted(PREFIXES)))
    raise CellError(f"{name!r} is not a prefixed name or an IRI")


def is_name(text: str) -> bool:
    """Whether ``text`` is written as an IRI or prefixed name (not as a label)."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return True
    if "://" in text and " " not in text:
        return True
    match = _CURIE.match(text)
    return bool(match) and match.group(1) in PREFIXES


def split_cell(text: str, separators: str = ";\n") -> list[str]:
    """The values of a cell, split at the separators (quoted text is never split)."""
    values, current, quoted, escaped = [], [], False, False
    for char in text:
        if quoted:
            current.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
            continue
        if char == '"' and not "".join(current).strip():
            quoted = True
            current.append(char)
        elif char in separators:
            values.append("".join(current))
            current = []
        else:
            current.append(char)
    values.append("".join(current))
    return [v.strip() for v in values if v.strip()]


def is_blank(term) -> bool:
    """Whether ``term`` is a blank node."""
    return isinstance(term, BNode)
