"""The words the drafter looks for, read from the graph: labels of concepts, places and actors.

Nothing here is a word list of its own. Each category is a property of the ontology
(``tkg:commodity``, ``tkg:place``, ``tkg:actor``, ``tkg:mode``, ``tkg:certainty``...); the
terms of a category are the instances of that property's ``rdfs:range``, and their names are
their ``rdfs:label`` / ``skos:prefLabel``, ``skos:altLabel`` and ``skos:hiddenLabel`` (the
wording cues, such as "evidence suggests" on ``cert:likely``). Plurals and demonyms
("Malian", "European") are derived from the labels by English spelling rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph._tkg import TKG

__all__ = ["CATEGORIES", "Lexicon", "Mention", "Token", "lexicon", "stem", "tokenize"]

#: Category name -> the property whose range holds its terms.
CATEGORIES = {
    "commodity": TKG.commodity,
    "place": TKG.place,
    "actor": TKG.actor,
    "mode": TKG.mode,
    "certainty": TKG.certainty,
    "role": TKG.role,
    "activity": TKG.activityType,
    "event": TKG.eventType,
    "relation": TKG.relationType,
}
#: Categories whose one-word names also match inflected forms ("controls" ~ "controlling").
_STEMMED = {"role", "activity", "event", "relation"}
#: Categories matched by their cues only (hidden labels): their labels are too common words.
_CUES_ONLY = {"certainty"}
#: Categories whose names also match in the plural.
_PLURAL = {"commodity", "actor", "mode", "activity", "event"}
#: How strongly a name identifies a term (higher is stronger).
STRENGTH = {"label": 3, "alt": 2, "hidden": 2, "variant": 1}

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Token:
    """One word of a text, folded for matching, with its character offsets."""

    #: The folded word (lower case, no accents).
    norm: str
    #: Offset of its first character in the text it was read from.
    start: int
    #: Offset just after its last character.
    end: int
    #: The word as written.
    raw: str


@dataclass(frozen=True)
class Mention:
    """A name of a term found in a run of tokens."""

    #: Category name (a key of :data:`CATEGORIES`, or ``"demonym"``).
    category: str
    #: The term's IRI.
    term: str
    #: Index of the first token.
    start: int
    #: Index after the last token.
    end: int
    #: How the name matched: label, alt, hidden or variant.
    strength: str


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split ``text`` into words (hyphenated words stay whole), folded for matching.

    Examples
    --------
    >>> [t.norm for t in tokenize("Mali’s 4×4 vehicles, Al-Qaeda")]
    ['mali', '4x4', 'vehicles', 'al-qaeda']
    """
    text = text.replace("\u00d7", "x")
    # A possessive 's is not part of the name it follows.
    text = re.sub(r"[’']s\b", "  ", text)
    return [Token(_fold(m.group()), m.start() + offset, m.end() + offset, m.group())
            for m in _WORD.finditer(text)]


def stem(word: str) -> str:
    """A crude English stem, enough to match "controls", "controlling" and "control".

    Examples
    --------
    >>> stem("supplies"), stem("taxes"), stem("produces"), stem("cultivation")
    ('suppl', 'tax', 'produc', 'cultivat')
    """
    for suffix, replacement in (("ies", ""), ("xes", "x"), ("ation", "at"), ("ion", ""),
                                ("ing", ""), ("es", ""), ("s", ""), ("e", "")):
        if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= 3:
            return word[: len(word) - len(suffix)] + replacement
    return word


def _plurals(words: tuple[str, ...], singular: bool) -> list[tuple[str, ...]]:
    last = words[-1]
    forms = []
    if last.endswith("y") and len(last) > 2:
        forms.append(last[:-1] + "ies")
    elif last.endswith(("s", "x", "ch", "sh")):
        forms.append(last + "es")
        if singular and last.endswith("s") and len(last) > 3:
            forms.append(last[:-1])
    else:
        forms.append(last + "s")
    return [(*words[:-1], form) for form in forms]


def _demonym(words: tuple[str, ...]) -> tuple[str, ...] | None:
    """The adjective of a place name by the common English endings ("Mali" -> "malian")."""
    last = words[-1]
    if len(last) < 4:
        return None
    if last.endswith("a"):
        form = last + "n"
    elif last.endswith(("i", "o")):
        form = last + "an"
    elif last.endswith("e"):
        form = last[:-1] + "ean"
    else:
        return None
    return (*words[:-1], form)


@dataclass
class Lexicon:
    """Names of the terms of every category, as folded word tuples, and what they name."""

    #: category -> word tuple -> (term IRI, strength name).
    phrases: dict[str, dict[tuple[str, ...], tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(dict))
    #: category -> one-word stems -> term IRI (inflected matches of short names).
    stems: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    #: category -> the class its terms belong to.
    classes: dict[str, str] = field(default_factory=dict)
    #: term IRI -> English label.
    labels: dict[str, str] = field(default_factory=dict)
    #: Actor class IRI -> folded label words (for noun phrases such as "smuggling networks").
    actor_classes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Property IRI -> its declared rdfs:range.
    ranges: dict[str, str] = field(default_factory=dict)
    #: Certainty grade IRI -> tkg:level (higher is firmer).
    levels: dict[str, int] = field(default_factory=dict)
    #: Longest name, in words.
    longest: int = 1

    def add(self, category: str, words: tuple[str, ...], term: str, strength: str) -> None:
        """Register ``words`` as a name of ``term``; a stronger name of another term wins."""
        if not words:
            return
        slot = self.phrases[category]
        current = slot.get(words)
        if current is None or STRENGTH[strength] > STRENGTH[current[1]]:
            slot[words] = (term, strength)
        self.longest = max(self.longest, len(words))

    def find(self, tokens: list[Token], categories: Iterable[str]) -> list[Mention]:
        """Every name of the given categories in ``tokens``, longest first, not overlapping.

        Names of different categories may overlap (a place inside an actor's name); the
        caller decides which wins.
        """
        found = []
        words = [t.norm for t in tokens]
        for category in categories:
            slot = self.phrases.get(category, {})
            stems = self.stems.get(category, {})
            i = 0
            while i < len(words):
                hit = None
                for n in range(min(self.longest, len(words) - i), 0, -1):
                    match = slot.get(tuple(words[i:i + n]))
                    if match:
                        hit = Mention(category, match[0], i, i + n, match[1])
                        break
                if hit is None and stems:
                    word = words[i]
                    for prefix, term in stems.items():
                        if word.startswith(prefix):
                            hit = Mention(category, term, i, i + 1, "variant")
                            break
                if hit is not None:
                    found.append(hit)
                    i = hit.end
                else:
                    i += 1
        return found


def lexicon(kg) -> Lexicon:
    """Read the drafter's lexicon from ``kg`` (kept in the graph's cache, :meth:`kg.cached`).

    Parameters
    ----------
    kg : graph.KnowledgeGraph
        Any loaded graph; its vocabularies, gazetteer and actors give the names.

    Returns
    -------
    Lexicon

    Examples
    --------
    >>> lex = lexicon(kg)
    >>> lex.phrases["commodity"][("weapons",)][0]
    'https://w3id.org/tkg/vocab/commodity/arms'
    >>> lex.phrases["certainty"][("evidence", "suggests")][0]
    'https://w3id.org/tkg/vocab/certainty/likely'
    >>> lex.phrases["demonym"][("malian",)][0]
    'https://w3id.org/tkg/place/MLI'
    """
    return kg.cached("curation-lexicon", lambda: _read_lexicon(kg))


def _read_lexicon(kg) -> Lexicon:
    lex = Lexicon()
    onto = kg.ontology
    ranges = lex.ranges
    ranges.update(onto.ranges)
    for cls, label in onto.classes.items():
        if onto.is_subclass(cls, TKG.Actor):
            lex.actor_classes[cls] = tuple(t.norm for t in tokenize(label))
    lex.levels.update({str(g.id): g.level for g in onto.certainty})
    for category, prop in CATEGORIES.items():
        if str(prop) in ranges:
            lex.classes[category] = ranges[str(prop)]
    names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in kg.query("_curation-lexicon"):
        names[str(row["term"])].append((row["kind"], str(row["name"])))
    for term, entries in names.items():
        cats = [c for c, cls in lex.classes.items() if kg.is_a(term, cls)]
        if not cats:
            continue
        for kind, name in entries:
            if kind == "label" and term not in lex.labels:
                lex.labels[term] = name
        for category in cats:
            for kind, name in entries:
                if category in _CUES_ONLY and kind != "hidden":
                    continue
                words = tuple(t.norm for t in tokenize(name))
                if not words:
                    continue
                lex.add(category, words, term, kind)
                if category in _PLURAL:
                    for form in _plurals(words, singular=kind == "label"):
                        lex.add(category, form, term, "variant")
                if category in _STEMMED and len(words) == 1 and kind != "hidden":
                    lex.stems[category].setdefault(stem(words[0]), term)
                if category == "place" and kind in ("label", "alt"):
                    form = _demonym(words)
                    if form:
                        lex.add("demonym", form, term, "variant")
    return lex
