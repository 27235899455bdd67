"""Find entities by label, alternative label, code or id, and search them by text.

Also the one home of the helpers between IRIs and the names people type:
:func:`expand_iri` (a prefixed name or IRI to an IRI), :func:`prefixed` and :func:`short_id`
(an IRI to its prefixed name) and :func:`expand_id` (the same rule, failing as a lookup does).
The prefix table itself is :data:`graph.prefixes.PREFIXES`.

Names are matched case- and accent-insensitively. Every entity is reachable by its full IRI,
its prefixed name (``place:MLI``), its local name (``MLI``), its English label, its
alternative labels and, for countries, its ISO codes, so "uae", "United Arab Emirates",
"ARE" and ``place:ARE`` all find the same country. Unknown names get suggestions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.backends.base import IRI
from graph.errors import AmbiguousEntity, EntityNotFound, QueryError, plural
from graph.prefixes import PREFIXES

__all__ = [
    "Entity",
    "EntityIndex",
    "SearchTable",
    "expand_id",
    "expand_iri",
    "normalise",
    "prefixed",
    "short_id",
]

#: Vocabularies up to this size are listed whole when a name matches none of them.
_LISTED = 50

#: How strongly each kind of name identifies an entity; lower wins when names collide.
_PRIORITY = {"id": 0, "label": 1, "code": 2, "alt": 3, "local": 4}


def normalise(name: str) -> str:
    """Fold case, accents, quotes and spacing so that equivalent spellings compare equal.

    Examples
    --------
    >>> normalise("  Côte d’Ivoire ")
    "cote d'ivoire"
    """
    if name.isascii():
        return " ".join(name.split()).casefold()
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


def prefixed(iri: str) -> str:
    """The shortest prefixed name of ``iri`` with the project prefixes, or the IRI itself.

    Examples
    --------
    >>> prefixed("https://w3id.org/tkg/place/MLI")
    'place:MLI'
    """
    best = None
    for name, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(PREFIXES[best])):
            best = name
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def short_id(iri: str) -> str:
    """The short, copyable id shown in tables: the prefixed name (``kb:<localname>``).

    Every command that takes an entity (``tkg evidence``, ``tkg neighbours``, ``--actor``...)
    accepts it, and :func:`expand_id` turns it back into the IRI, so the pair round-trips.
    An IRI outside the project namespaces is its own short id.

    Examples
    --------
    >>> short_id("https://w3id.org/tkg/kb/flow-ocindex-2021-mali-arms-libya")
    'kb:flow-ocindex-2021-mali-arms-libya'
    >>> expand_id(short_id("https://w3id.org/tkg/kb/flow-ocindex-2021-mali-arms-libya"))
    IRI('https://w3id.org/tkg/kb/flow-ocindex-2021-mali-arms-libya')
    """
    return prefixed(str(iri))


def expand_iri(value: str) -> IRI:
    """Expand a prefixed name such as ``place:MLI`` with the project prefixes, or keep a full IRI.

    Raises
    ------
    graph.errors.QueryError
        If ``value`` is neither an absolute IRI nor a prefixed name with a known prefix.

    Examples
    --------
    >>> expand_iri("place:MLI")
    IRI('https://w3id.org/tkg/place/MLI')
    >>> expand_iri("<https://example.org/x>")
    IRI('https://example.org/x')
    """
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        return IRI(text[1:-1])
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return IRI(PREFIXES[prefix] + local)
    if "://" in text or text.startswith("urn:"):
        return IRI(text)
    raise QueryError(f"{value!r} is not an IRI or a prefixed name with a known prefix")


def expand_id(text: str) -> IRI:
    """The IRI of a short id from :func:`short_id` (or of a full IRI, given as is or in ``<>``).

    Raises
    ------
    graph.errors.EntityNotFound
        If ``text`` has an unknown prefix and is not an absolute IRI.

    Examples
    --------
    >>> expand_id("place:MLI")
    IRI('https://w3id.org/tkg/place/MLI')
    >>> expand_id("<https://example.org/x>")
    IRI('https://example.org/x')
    """
    value = str(text).strip()
    try:
        return expand_iri(value)  # one rule for prefixed names and IRIs
    except QueryError:
        raise EntityNotFound(value, [], kind="id",
                             note=f"known prefixes: {', '.join(sorted(PREFIXES))}") from None


@dataclass
class Entity:
    """One named node of the graph."""

    #: Its IRI.
    id: IRI
    #: Its English label (``rdfs:label``, ``skos:prefLabel`` or title); the local name if none.
    label: str = ""
    #: Alternative labels and codes.
    names: set[str] = field(default_factory=set)
    #: Its asserted classes.
    types: set[str] = field(default_factory=set)


class EntityIndex:
    """In-memory index of every labelled node, built from one pass over the graph."""

    def __init__(self, names: Iterable[tuple[str, str, str]], types: Iterable[tuple[str, str]],
                 subclass: Iterable[tuple[str, str]], class_labels: dict[str, str],
                 secondary: Iterable[str] = ()):
        #: IRI -> :class:`Entity`.
        self.entities: dict[str, Entity] = {}
        self._names: dict[str, dict[str, int]] = defaultdict(dict)
        self._supers: dict[str, set[str]] = defaultdict(set)
        self._class_labels = class_labels
        self._secondary = list(secondary)
        for child, parent in subclass:
            self._supers[child].add(parent)
        for iri, kind, name in names:
            entity = self.entities.setdefault(iri, Entity(IRI(iri)))
            if kind == "label" and not entity.label:
                entity.label = name
            else:
                entity.names.add(name)
            self._add(name, iri, kind)
        for iri, cls in types:
            if iri in self.entities:
                self.entities[iri].types.add(cls)
        for iri, entity in self.entities.items():
            self._add(iri, iri, "id")
            short = prefixed(iri)
            if short != iri:
                self._add(short, iri, "id")
                self._add(short.split(":", 1)[1], iri, "local")
            if not entity.label:
                entity.label = short.split(":", 1)[-1]

    def to_json(self) -> dict:
        """The index as plain JSON data, so a cache can skip rebuilding it."""
        return {
            "entities": {iri: [e.label, sorted(e.names), sorted(e.types)]
                         for iri, e in self.entities.items()},
            "names": self._names, "supers": {k: sorted(v) for k, v in self._supers.items()},
            "class_labels": self._class_labels, "secondary": self._secondary,
        }

    @classmethod
    def from_json(cls, data: dict) -> EntityIndex:
        """Rebuild an index written by :meth:`to_json`."""
        index = cls([], [], [], data["class_labels"], data["secondary"])
        index.entities = {iri: Entity(IRI(iri), label, set(names), set(types))
                          for iri, (label, names, types) in data["entities"].items()}
        index._names.update(data["names"])
        index._supers.update({k: set(v) for k, v in data["supers"].items()})
        return index

    def _add(self, name: str, iri: str, kind: str) -> None:
        key = normalise(name)
        if key:
            slot = self._names[key]
            slot[iri] = min(slot.get(iri, 99), _PRIORITY[kind])

    def ancestors(self, cls: str) -> set[str]:
        """``cls`` and all its superclasses."""
        seen, todo = {cls}, [cls]
        while todo:
            for parent in self._supers.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def is_a(self, iri: str, cls: str) -> bool:
        """Whether entity ``iri`` is an instance of ``cls`` or of one of its subclasses."""
        entity = self.entities.get(iri)
        return bool(entity) and any(cls in self.ancestors(t) for t in entity.types)

    def kind(self, iri: str) -> str:
        """Label of the most specific asserted class of ``iri`` in our ontology ("" if none)."""
        entity = self.entities.get(iri)
        if not entity:
            return ""
        ours = [t for t in entity.types if t in self._class_labels]
        specific = [t for t in ours if not any(t != o and t in self.ancestors(o) for o in ours)]
        return ", ".join(sorted(self._class_labels[t] for t in specific))

    def label(self, iri: str) -> str:
        """The label of ``iri``, or its prefixed name if it has none."""
        entity = self.entities.get(iri)
        return entity.label if entity else prefixed(iri)

    def resolve(self, name: str, classes: Iterable[str] = ()) -> IRI:
        """The one entity ``name`` designates, optionally restricted to instances of ``classes``.

        Raises
        ------
        graph.errors.EntityNotFound
            With up to five close names as suggestions.
        graph.errors.AmbiguousEntity
            When several entities match with the same strength.
        """
        classes = list(classes)
        everything = self._names.get(normalise(name), {})
        candidates = everything
        if classes:
            candidates = {i: p for i, p in candidates.items()
                          if any(self.is_a(i, c) for c in classes)}
        if not candidates:
            kind = " or ".join(self._class_labels.get(c, prefixed(c)) for c in classes) or "entity"
            if everything:
                others = ", ".join(sorted(f"{self.label(i)} is a {self.kind(i) or prefixed(i)}"
                                          for i in everything))
                raise EntityNotFound(name, [], kind=kind, note=others)
            if not classes:
                raise EntityNotFound(name, self.suggest(name), kind=kind)
            # Suggestions come from the vocabulary asked for (grades for a grade, commodities
            # for a commodity), never from every entity: a near miss there is no help.
            # An id ("kb:doc-x") gets ids back, a name gets names.
            by_id = ":" in name and " " not in name.strip()
            suggestions = self.suggest(name, classes, ids=by_id)
            note = ""
            if not suggestions:
                members = self.members(classes, ids=by_id)
                if len(members) <= _LISTED:
                    note = f"known {plural(kind)}: {', '.join(members)}"
                else:
                    note = f"{len(members)} known; `tkg search` finds them by part of a name"
            raise EntityNotFound(name, suggestions, kind=kind, note=note)
        candidates = {i: p + (10 if p and any(self.is_a(i, c) for c in self._secondary) else 0)
                      for i, p in candidates.items()}
        best = min(candidates.values())
        top = sorted(i for i, p in candidates.items() if p == best)
        if len(top) > 1:
            raise AmbiguousEntity(name, [f"{self.label(i)} ({prefixed(i)})" for i in top])
        return IRI(top[0])

    def members(self, classes: Iterable[str], ids: bool = False) -> list[str]:
        """Labels (or short ids) of every entity of ``classes``, sorted, to list in a message."""
        classes = list(classes)
        return sorted({short_id(iri) if ids else e.label for iri, e in self.entities.items()
                       if any(self.is_a(iri, c) for c in classes)}, key=str.casefold)

    def suggest(self, name: str, classes: Iterable[str] = (), n: int = 5,
                cutoff: float = 0.6, ids: bool = False) -> list[str]:
        """Labels close to ``name`` among entities of ``classes`` (all entities if empty).

        With ``ids``, short ids (``kb:doc-...``) close to ``name`` instead.
        """
        classes = list(classes)
        pool = {}
        for iri, entity in self.entities.items():
            if classes and not any(self.is_a(iri, c) for c in classes):
                continue
            if ids:
                pool.setdefault(normalise(short_id(iri)), short_id(iri))
                continue
            for text in {entity.label, *entity.names}:
                pool.setdefault(normalise(text), entity.label)
        wanted = normalise(name)
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(wanted)
        scored = []
        for key in pool:
            matcher.set_seq1(key)
            if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
                continue
            score = matcher.ratio()
            if sorted(key) == sorted(wanted):
                score += 0.3  # the same letters in another order: a typing slip ("Lybia")
            if score >= cutoff:
                scored.append((-score, key))
        keys = [key for _, key in sorted(scored)[:n * 2]]
        contains = [k for k in pool if wanted in k and k not in keys]
        out: list[str] = []
        for key in keys + sorted(contains, key=len):
            if pool[key] not in out:
                out.append(pool[key])
        return out[:n]

    def complete(self, prefix: str, classes: Iterable[str] = (), limit: int = 50) -> list[str]:
        """Labels and codes of entities of ``classes`` that start with ``prefix`` (for shells).

        Matching ignores case and accents; labels come first, sorted.
        """
        classes = list(classes)
        wanted = normalise(prefix)
        labels, others = set(), set()
        for iri, entity in self.entities.items():
            if classes and not any(self.is_a(iri, c) for c in classes):
                continue
            if normalise(entity.label).startswith(wanted):
                labels.add(entity.label)
            others.update(n for n in entity.names if normalise(n).startswith(wanted))
        ordered = sorted(labels, key=str.casefold) + sorted(others - labels, key=str.casefold)
        return ordered[:limit]

    def search(self, text: str, descriptions: dict[str, str], limit: int = 50) -> list[dict]:
        """Entities whose label, alternative names or description contain ``text``.

        Label matches come first, then alternative names, then descriptions (see
        :class:`SearchTable`, which this builds for one search).
        """
        return SearchTable.of(self, descriptions).search(text, limit)


class SearchTable:
    """What a text search looks at, folded once: a row per entity that is a thing in the graph.

    Each row is ``[iri, label, kind, folded label, folded other names (one a line), folded
    description]``: plain JSON, so a table can be kept on disk per store state and searched
    without the entity index.

    Examples
    --------
    >>> table = SearchTable.of(kg.index, {})
    >>> table.search("Islamic Maghreb")[0]["prefixed"]
    'kb:actor-aqim'
    >>> SearchTable(table.rows).search("mali", 3) == table.search("mali", 3)
    True
    """

    def __init__(self, rows: list[list[str]]):
        #: The rows, in the index's order.
        self.rows = rows

    @classmethod
    def of(cls, index: EntityIndex, descriptions: dict[str, str]) -> SearchTable:
        """The table of ``index``'s entities with ``descriptions`` (entity -> text)."""
        rows = []
        for iri, entity in index.entities.items():
            kind = index.kind(iri)
            if not kind:
                continue  # ontology terms themselves; search is for things in the graph
            rows.append([str(iri), entity.label, kind, normalise(entity.label),
                         "\n".join(normalise(n) for n in entity.names),
                         normalise(descriptions.get(iri, ""))])
        return cls(rows)

    def search(self, text: str, limit: int = 50) -> list[dict]:
        """Entities whose label, alternative names or description contain ``text``.

        Label matches come first (an exact label first of all), then alternative names,
        then descriptions; by label within each.
        """
        needle = normalise(text)
        scored = []
        for iri, label, kind, folded, names, description in self.rows:
            if needle in folded:
                rank = 0 if folded == needle else 1
            elif needle in names:
                rank = 2
            elif needle in description:
                rank = 3
            else:
                continue
            scored.append((rank, label.casefold(), iri, label, kind))
        scored.sort()
        return [{"id": IRI(iri), "label": label, "type": kind, "prefixed": prefixed(iri)}
                for _, _, iri, label, kind in scored[:limit]]
