"""Colours, shapes and dash patterns of the views, read from the graph's ontology model.

Nothing here names a commodity, a grade or a class, and nothing reads the ontology itself:
everything comes from :attr:`graph.kg.KnowledgeGraph.ontology`. The look of each term comes
from ``ontology/presentation.ttl`` (``pres:colour``, ``pres:shape``, ``pres:dashPattern``;
add a view colour there) and is inherited along the hierarchies of the knowledge graph: a
commodity takes the colour of its nearest ``skos:broader`` concept that has one, a node the
shape and colour of its nearest superclass that has them. Certainty grades are ordered by
their ``tkg:level``.
"""

from __future__ import annotations

import zlib
from collections import deque
from collections.abc import Iterable
from typing import Any

from graph.namespaces import PRES, TKG

__all__ = ["PRES", "Styler", "presentation"]

#: Last resorts, for terms and classes that presentation.ttl (or the graph) gives no look.
_DEFAULT_NODE = {"shape": "dot", "colour": "#607d8b"}
_DEFAULT_LINE = "#777777"


def presentation() -> dict[str, dict[str, Any]]:
    """The hints of the bundled ``ontology/presentation.ttl``: term IRI -> {"colour", "shape",
    "dashes", "foundById"} (a graph's own hints are in ``kg.ontology.hints``).

    Examples
    --------
    >>> presentation()["https://w3id.org/tkg/ontology#Country"]["shape"]
    'dot'
    """
    from graph.ontology import bundled_hints

    return bundled_hints()


def _nearest(start: Iterable[str], parents: dict[str, set[str]], wanted) -> str | None:
    """The first node reachable from ``start`` (breadth first, itself included) that is wanted."""
    seen: set[str] = set()
    queue = deque(sorted(start))
    while queue:
        node = queue.popleft()
        if node in seen:
            continue
        seen.add(node)
        if wanted(node):
            return node
        queue.extend(sorted(parents.get(node, ())))
    return None


class Styler:
    """Looks up the drawing style of commodities, certainty grades, nodes and claim lines.

    Built once per view from the graph's ontology model (:attr:`KnowledgeGraph.ontology`):
    its hierarchies, grades and presentation hints.

    Examples
    --------
    >>> styler = Styler(kg)
    >>> styler.commodity("https://w3id.org/tkg/vocab/commodity/heavy-machine-guns")["label"]
    'Arms'
    >>> [g["label"] for g in styler.grades()][:2]
    ['confirmed', 'reported']
    """

    def __init__(self, kg):
        self.kg = kg
        onto = kg.ontology
        #: Term IRI -> presentation hints.
        self.hints = onto.hints
        #: Concept -> its broader concepts.
        self.broader = onto.broader
        #: Class -> its superclasses.
        self.supers = onto.superclasses
        #: Class label -> class IRI (our ontology's classes).
        self.class_by_label: dict[str, str] = {}
        for cls, label in onto.classes.items():
            self.class_by_label.setdefault(label.casefold(), cls)
        self._commodities: dict[str, dict[str, Any]] = {}
        self._nodes: dict[frozenset, dict[str, Any]] = {}
        #: Colours dealt out to commodity branches without one (``pres:palette``).
        self.palette: list[str] = str(
            self.hints.get(str(TKG.Commodity), {}).get("palette") or _DEFAULT_LINE).split()
        #: Certainty grade IRI -> level, from tkg:level, firmest first.
        self.levels: dict[str, int] = {str(g.id): g.level for g in onto.certainty}

    # -- commodities ---------------------------------------------------------------------

    def commodity(self, iri: str) -> dict[str, Any]:
        """The colour group of a commodity: {"key", "label", "colour"}.

        The key is the nearest concept on the ``skos:broader`` chain (the commodity itself
        included) that has a ``pres:colour``; failing that, the top of the chain, with a
        colour of ``tkg:Commodity``'s ``pres:palette`` chosen by its IRI.
        """
        iri = str(iri)
        if iri not in self._commodities:
            self._commodities[iri] = self._commodity(iri)
        return self._commodities[iri]

    def _commodity(self, iri: str) -> dict[str, Any]:
        key = _nearest([iri], self.broader, lambda c: "colour" in self.hints.get(c, {}))
        if key is not None:
            colour = self.hints[key]["colour"]
        else:
            key = iri
            while self.broader.get(key):
                key = min(self.broader[key])
            palette = self.palette
            colour = palette[zlib.crc32(key.encode()) % len(palette)]
        return {"key": key, "label": self.kg.label(key), "colour": colour}

    # -- certainty -----------------------------------------------------------------------

    def level(self, grade: str | None) -> int | None:
        """The ``tkg:level`` of a certainty grade (None for an unknown grade)."""
        return self.levels.get(str(grade)) if grade is not None else None

    def certainty(self, grade: str | None) -> dict[str, Any]:
        """{"key", "label", "level", "dashes"}; dashes is a list of pixel lengths or False."""
        key = str(grade) if grade is not None else ""
        pattern = self.hints.get(key, {}).get("dashes")
        dashes = [float(x) for x in pattern.split()] if pattern else False
        return {"key": key, "label": self.kg.label(key) if key else "no grade",
                "level": self.level(grade), "dashes": dashes}

    def grades(self) -> list[dict[str, Any]]:
        """Every certainty grade of the graph, firmest first."""
        return [self.certainty(g) for g in self.levels]

    # -- nodes and lines -----------------------------------------------------------------

    def node(self, iri: str, type_label: str | None = None) -> dict[str, Any]:
        """{"key", "label", "shape", "colour"} of a node, from its classes.

        The classes are the node's asserted types in the graph or, for nodes the graph does
        not know (synthetic data), the class whose label is ``type_label``.
        """
        entity = self.kg.index.entities.get(str(iri))
        classes = set(entity.types) if entity else set()
        if not classes and type_label:
            first = str(type_label).split(",")[0].strip().casefold()
            if first in self.class_by_label:
                classes = {self.class_by_label[first]}
        key = frozenset(classes)
        if key not in self._nodes:
            self._nodes[key] = self._node(key)
        return self._nodes[key]

    def _node(self, classes: frozenset[str]) -> dict[str, Any]:
        key = _nearest(classes, self.supers, lambda c: "shape" in self.hints.get(c, {}))
        if key is None:
            return {"key": "", "label": "other", **_DEFAULT_NODE}
        hint = self.hints[key]
        return {"key": key, "label": self.kg.label(key),
                "shape": hint["shape"], "colour": hint.get("colour", _DEFAULT_NODE["colour"])}

    def line(self, cls: str) -> dict[str, Any]:
        """{"key", "label", "colour"} of lines that stand for claims of class ``cls``."""
        colour = self.hints.get(str(cls), {}).get("colour", _DEFAULT_LINE)
        return {"key": str(cls), "label": self.kg.label(str(cls)), "colour": colour}
