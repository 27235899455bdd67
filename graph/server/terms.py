"""The terms of a graph for the SPARQL editor's completion: classes, properties, entities.

:func:`vocabulary` lists every class, property and labelled entity of a graph once, each
with its short id (the prefixed name of :func:`graph.lookup.short_id`, what a query may
write), its label and its kind; :class:`TermIndex` answers what the editor asks while the
user types: the terms whose short id starts with ``tkg:Fl``, or whose label has a word
starting with ``Fl``, and the labels of the IRIs in a result table. The endpoint builds the
list in a query worker once per state of the graph (``/terms``); a notebook may call both
directly.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from graph.lookup import normalise, short_id
from graph.prefixes import PREFIXES

__all__ = ["Term", "TermIndex", "vocabulary"]

_OWL, _RDF, _RDFS = PREFIXES["owl"], PREFIXES["rdf"], PREFIXES["rdfs"]
_CLASS_TYPES = frozenset({_OWL + "Class", _RDFS + "Class"})
_PROPERTY_TYPES = frozenset({_OWL + "ObjectProperty", _OWL + "DatatypeProperty",
                             _OWL + "AnnotationProperty", _RDF + "Property"})
#: The order kinds are offered in when two terms match equally well.
_KIND_ORDER = {"class": 0, "property": 1, "entity": 2}

#: Most terms one completion request returns.
MAX_LIMIT = 200
#: Most keys one search reads in one tier (a prefix of one or two letters on a large graph
#: matches more; the best of those read are offered).
_SCAN = 5000
#: Words of a label after the first that are searched as word starts.
_LATER_WORDS = 8


@dataclass(frozen=True)
class Term:
    """One term a query can name."""

    #: The short id: the prefixed name with the project prefixes (``tkg:Flow``), or the IRI.
    id: str
    #: The full IRI.
    iri: str
    #: Its English label (the local name when it has none).
    label: str
    #: ``class``, ``property`` or ``entity``.
    kind: str
    #: For an entity: the label of its most specific class (``armed group``); else ``""``.
    type: str = ""
    #: Its alternative labels and codes (``AQIM``, ``MLI``), sorted.
    aliases: tuple[str, ...] = ()
    #: For an entity: the short ids of its classes and of their superclasses, to restrict a
    #: search to the instances of a class (not sent by ``/terms``).
    classes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The term as a plain dictionary (what ``/terms`` sends; ``classes`` left out)."""
        data = asdict(self)
        del data["classes"]
        return {**data, "aliases": list(self.aliases)}


def _kind(types: Iterable[str]) -> str:
    types = set(types)
    if types & _CLASS_TYPES:
        return "class"
    if types & _PROPERTY_TYPES:
        return "property"
    return "entity"


def vocabulary(kg, fresh: bool = False) -> list[Term]:
    """Every class, property and labelled entity of ``kg``, sorted by short id.

    Labelled entities (the ontology's classes and properties among them) come from the
    graph's entity index (:attr:`graph.KnowledgeGraph.index`, cached with the graph);
    classes with instances and properties used in a triple but labelled nowhere
    (``rdfs:label``, ``skos:prefLabel``...) from the internal query ``_terms-in-use``.

    Parameters
    ----------
    kg : graph.KnowledgeGraph
        The graph.
    fresh : bool
        Read the entities from the store now, not from the index cached with the graph:
        for a store changed since it was opened (the endpoint after an update).

    Returns
    -------
    list of Term

    Examples
    --------
    >>> terms = {t.id: t for t in vocabulary(kg)}
    >>> terms["tkg:Flow"].kind, terms["rdfs:label"].kind, terms["place:MLI"].label
    ('class', 'property', 'Mali')
    """
    if fresh:
        from graph.kg import KnowledgeGraph

        kg = KnowledgeGraph(kg.backend, kg.sources)  # no key: an index built, not read
    index = kg.index
    found: dict[str, Term] = {}
    closures: dict[frozenset[str], tuple[str, ...]] = {}  # asserted types -> every class
    for iri, entity in index.entities.items():
        kind = _kind(entity.types)
        classes: tuple[str, ...] = ()
        if kind == "entity":
            types = frozenset(entity.types)
            classes = closures.get(types)
            if classes is None:
                every = {c for t in types for c in index.ancestors(t)}
                classes = closures[types] = tuple(sorted(short_id(c) for c in every))
        found[iri] = Term(short_id(iri), str(iri), entity.label, kind,
                          index.kind(iri) if kind == "entity" else "",
                          tuple(sorted(entity.names - {entity.label}, key=str.casefold)),
                          classes)
    for row in kg.query("_terms-in-use"):
        iri = str(row["term"])
        if iri not in found:
            short = short_id(iri)
            local = short.split(":", 1)[1] if short != iri else iri
            found[iri] = Term(short, iri, local, str(row["kind"]))
    return sorted(found.values(), key=lambda t: (t.id, t.iri))


class TermIndex:
    """The terms of :func:`vocabulary`, searchable as the editor needs.

    Every search is a binary search in sorted keys (short ids; labels, alternative labels,
    local names and the later words of labels, normalised), so a keystroke costs about the
    same on the bundled data as on a graph of a million triples. A search by label reads
    every matching class and property but at most :data:`_SCAN` matching entity keys per
    tier (a prefix of one or two letters on a large graph): the best of those are offered.

    Examples
    --------
    >>> index = TermIndex(vocabulary(kg))
    >>> [t.id for t in index.complete("tkg:Flo")][:1]
    ['tkg:Flow']
    >>> [t.label for t in index.lookup(["https://w3id.org/tkg/place/MLI"])]
    ['Mali']
    """

    def __init__(self, terms: Iterable[Term]) -> None:
        #: Every term, by IRI.
        self.terms: dict[str, Term] = {t.iri: t for t in terms}
        self._terms = list(self.terms.values())
        self._ids = sorted((t.id.casefold(), n) for n, t in enumerate(self._terms))
        # The label tiers, best first: label, alternative label, local name, later words;
        # each for the ontology's terms (read whole) and for the entities (read in part).
        tiers: dict[bool, tuple[list[tuple[str, int]], ...]] = {
            True: ([], [], [], []), False: ([], [], [], [])}
        for n, term in enumerate(self._terms):
            tier = tiers[term.kind != "entity"]
            label = normalise(term.label)
            tier[0].append((label, n))
            tier[1].extend((normalise(alias), n) for alias in term.aliases)
            tier[2].append((normalise(term.id.split(":", 1)[-1]), n))
            start = label.find(" ")
            for _ in range(_LATER_WORDS):
                if start < 0:
                    break
                tier[3].append((label[start + 1:], n))
                start = label.find(" ", start + 1)
        self._tiers = [(sorted(ours), sorted(entities))
                       for ours, entities in zip(tiers[True], tiers[False], strict=True)]

    def __len__(self) -> int:
        return len(self.terms)

    def complete(self, text: str, limit: int = 20, classes: Iterable[str] = ()) -> list[Term]:
        """Terms for what the user has typed: a prefixed name or a word of a label.

        ``tkg:Fl`` gives the terms whose short id starts with it (case-insensitively; those
        matching the case typed come first, classes before properties before entities);
        ``Fl`` (no colon) gives the terms whose label, alternative label or local name starts
        with it, then those with a later word of the label starting with it; within each,
        classes, properties, then entities, shorter labels first. An empty text gives
        nothing.

        Parameters
        ----------
        text : str
            What the user has typed.
        limit : int
            Most terms returned; capped at :data:`MAX_LIMIT`.
        classes : iterable of str
            Only entities of one of these classes (short ids, ``tkg:Commodity``), or of
            their subclasses.

        Returns
        -------
        list of Term
            Best first.
        """
        limit = max(1, min(int(limit), MAX_LIMIT))
        text = text.strip()
        wanted = frozenset(classes)
        if not text:
            return []
        if ":" in text or text.startswith("<"):
            return self._by_prefix(text.lstrip("<"), limit, wanted)
        return self._by_label(text, limit, wanted)

    @staticmethod
    def _scan(keys: list[tuple[str, int]], wanted: str, most: int = _SCAN):
        """The term numbers of the keys starting with ``wanted`` (at most ``most``)."""
        position = bisect.bisect_left(keys, (wanted, -1))
        for key, n in keys[position:position + most]:
            if not key.startswith(wanted):
                break
            yield n

    def _by_prefix(self, text: str, limit: int, classes: frozenset[str]) -> list[Term]:
        matches = [self._terms[n] for n in self._scan(self._ids, text.casefold())]
        if text.startswith(("http://", "https://", "urn:")):
            matches += [t for t in self._terms if t.id != t.iri and t.iri.startswith(text)]
        if classes:
            matches = [t for t in matches if classes.intersection(t.classes)]
        matches.sort(key=lambda t: (not t.id.startswith(text) and not t.iri.startswith(text),
                                    _KIND_ORDER.get(t.kind, 3), len(t.id), t.id))
        return matches[:limit]

    def _by_label(self, text: str, limit: int, classes: frozenset[str]) -> list[Term]:
        wanted = normalise(text)
        seen: set[int] = set()
        found: list[Term] = []
        for ours, entities in self._tiers:
            batch = []
            numbers = [*self._scan(entities, wanted)] if classes else \
                [*self._scan(ours, wanted, len(ours)), *self._scan(entities, wanted)]
            for n in numbers:
                if n not in seen and (not classes or classes.intersection(self._terms[n].classes)):
                    seen.add(n)
                    batch.append(self._terms[n])
            batch.sort(key=lambda t: (_KIND_ORDER.get(t.kind, 3), len(t.label), t.id))
            found += batch
            if len(found) >= limit:
                break
        return found[:limit]

    def lookup(self, iris: Iterable[str]) -> list[Term]:
        """The terms of the known ``iris`` (unknown ones are left out), in the order given."""
        seen, out = set(), []
        for iri in iris:
            term = self.terms.get(str(iri))
            if term is not None and term.iri not in seen:
                seen.add(term.iri)
                out.append(term)
        return out
