"""Draft claims from a profile's text: flows, activities, relations and events per paragraph.

Rule-based on the graph's own vocabularies (see :mod:`graph.curation.lexicon`):

- **commodities, places, actors, modes, activity, event and relation types** are found by
  their labels, alternative labels and hidden labels in each sentence;
- a place's **role in a flow** comes from the words around it: "from", "out of", "between"
  (origin); "via", "through", "across" (transit); "to", "into", "for", "destined for"
  (destination); "X is a source / transit / destination"; "European markets"; a place only
  said to be "in" somewhere is a destination when the flow has an origin, else an origin when
  the sentence speaks of producing, poaching or exporting, else a destination; "bordering"
  names a place without a role;
- a sentence that goes on about "these drugs" or "these weapons" extends the flows of the
  sentence before; a sentence that only names actors for a commodity adds them to the
  paragraph's flow of that commodity, and a narrower commodity ("cannabis resin" after
  "cannabis") gets a flow of its own with the same places;
- **certainty** follows the first hedge of the sentence (the hidden labels of the certainty
  grades: "likely", "evidence suggests", "might", "suggesting", "no tangible evidence"...),
  reported when there is none; an actor named after a later, weaker hedge gets that grade
  on its involvement;
- **actors** are the actors of the graph named in the sentence, and new candidates for
  noun phrases such as "smuggling networks" or "armed groups" (heads taken from the labels of
  the actor classes); a capitalised modifier ("Tuareg groups") is never made an actor, since
  groups of people are not actors;
- **periods** from "since 2012", "between 2015 and 2018", "in 2020", "during the ...".

Every proposal carries its passage (section and paragraph), the offsets of the sentences it
came from, the cue word of its grade and a confidence between 0 and 1. Labels are neutral
templates ("Arms from Libya to Mali"); descriptions are left for the curator, never taken
from the source.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph.curation.lexicon import Lexicon, Mention, Token, lexicon, tokenize
from graph.curation.text import Paragraph, Sentence, split
from graph.errors import DataError
from graph.lookup import prefixed
from graph.namespaces import ADM, CERT, IND, KB

__all__ = ["dockey", "draft", "slug"]

# -- the grammar of the drafter: English words, not vocabulary --------------------------------

#: Words just before a place that give its role in a flow.
_BEFORE = {
    "from": "origin", "between": "origin", "originating": "origin", "out": "origin",
    "via": "transit", "through": "transit", "across": "transit", "transiting": "transit",
    "to": "destination", "into": "destination", "towards": "destination",
    "toward": "destination", "for": "destination",
    "in": "locative", "within": "locative", "inside": "locative", "at": "locative",
    "bordering": "none", "border": "none", "borders": "none", "near": "none",
    "neighbouring": "none", "neighboring": "none",
}
#: Words that may stand between a place and the word before it that gives its role.
_FILLER = {"the", "a", "an", "other", "some", "its", "their", "larger", "broader", "wider",
           "countries", "country", "including", "such", "as", "various", "neighbouring",
           "northern", "southern", "eastern", "western", "central", "parts", "part", "of",
           "route", "en", "markets", "market", "refineries", "region", "mostly", "mainly"}
#: Nouns after "X is a/an ..." that give X's role.
_AFTER = {"source": "origin", "producer": "origin", "origin": "origin", "exporter": "origin",
          "transit": "transit", "trans-shipment": "transit", "hub": "transit",
          "corridor": "transit", "destination": "destination", "recipient": "destination",
          "market": "destination", "importer": "destination", "export": "origin",
          "exports": "origin"}
_COPULA = {"is", "are", "was", "were", "remains", "has", "have", "been", "become", "becomes",
           "a", "an", "the", "important", "key", "main", "major", "primary", "significant",
           "growing", "country", "point", "also", "both", "ban", "on", "of", "regional"}
#: Nouns after a demonym that make the place a destination or an origin ("European markets").
_DEMONYM_NOUN = {"market": "destination", "markets": "destination", "buyers": "destination",
                 "consumers": "destination", "refineries": "destination",
                 "women": "origin", "girls": "origin", "boys": "origin", "men": "origin",
                 "children": "origin", "migrants": "origin", "countries": "origin",
                 "border": "none", "borders": "none", "nationals": "none"}
#: Word beginnings that mark movement; a flow needs one in its sentence.
_MOVEMENT = ("traffick", "smuggl", "trade", "export", "import", "transit", "trans-ship",
             "shipped", "shipment", "route", "move", "moving", "come", "coming", "comes",
             "corridor",
             "came", "destined", "bound", "source", "suppl", "flow", "courier", "lured",
             "sold", "sent", "carri", "procured")
#: Word beginnings that make a place only said to be "in" somewhere the origin.
_OUTBOUND = ("poach", "export", "produc", "cultivat", "logging", "extract", "harvest", "mined")
#: First words of a sentence that refer back to the sentence before.
_ANAPHORA = {"these", "this", "such", "those", "the", "it", "they"}
_NEGATION = {"not", "no", "never", "nor"}
_DETERMINERS = {"the", "a", "an", "of", "in", "and", "or", "by", "with", "some", "various",
                "other", "these", "those", "their", "its", "many", "most", "numerous", "all",
                "members", "between", "for", "from", "to", "as", "well", "both", "that",
                "which", "while", "are", "is", "were", "was", "have", "has"}
_CLAUSE = {"but", "where", "when", "who", "whose", "because", "if", "than", "then", "so",
           "also", "even", "only", "often", "mostly", "directly", "prevalent"}
#: Endings of the adjectives that may extend an actor noun phrase ("decentralised networks").
_ADJECTIVE = ("ed", "al", "ic", "ive", "ous", "ary", "ist", "ised", "ized", "ent", "ant")
_YEAR = r"(1[89]\d\d|20\d\d)"
_PERIODS = [
    (re.compile(rf"\bbetween {_YEAR} and {_YEAR}\b", re.I), "range"),
    (re.compile(rf"\bfrom {_YEAR} (?:to|until) {_YEAR}\b", re.I), "range"),
    (re.compile(rf"\bsince {_YEAR}\b", re.I), "since"),
    (re.compile(rf"\b(?:in|during|by) {_YEAR}\b", re.I), "year"),
    (re.compile(r"\bduring (?:the )?[\w-]+(?: [\w-]+){0,3}?"
                r" (?:pandemic|war|crisis|conflict|coup|closures?|lockdowns?)\b", re.I), "text"),
    (re.compile(rf"\b{_YEAR}\b"), "year"),
]


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens, as the IRI rule of ``data/README.md`` asks.

    Examples
    --------
    >>> slug("Criminal justice and security")
    'criminal-justice-and-security'
    >>> slug("Côte d’Ivoire")
    'cote-d-ivoire'
    """
    words = [t.norm for t in tokenize(text)]
    return re.sub(r"[^a-z0-9]+", "-", "-".join(words).encode("ascii", "ignore").decode()).strip("-")


def dockey(document: str) -> str:
    """The document key of ``kb:doc-KEY``, a full IRI or a bare key.

    Examples
    --------
    >>> dockey("kb:doc-ocindex-2021-mali"), dockey("ocindex-2021-mali")
    ('ocindex-2021-mali', 'ocindex-2021-mali')
    """
    key = prefixed(str(document)) if "://" in str(document) else str(document)
    key = key.removeprefix("kb:").removeprefix("doc-")
    if not key or slug(key) != key:
        raise DataError(f"document key {document!r} must be lower-case words joined by "
                        "hyphens, such as ocindex-2021-mali")
    return key


@dataclass
class _Actor:
    term: str | None          # an existing actor, or None for a candidate
    phrase: str               # the words as written
    start: int
    end: int
    cls: str | None = None    # candidate's class


@dataclass
class _Sentence:
    sentence: Sentence
    tokens: list[Token]
    mentions: dict[str, list[Mention]]
    roles: dict[int, str]                 # index of a place mention -> role
    places: list[Mention]
    actors: list[_Actor]
    cues: list[Mention]                   # certainty cues in order
    movement: bool
    outbound: bool
    anaphoric: bool
    period: dict[str, Any]


@dataclass
class _Flow:
    commodity: str
    places: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    modes: list[str] = field(default_factory=list)
    involvements: dict[str, dict] = field(default_factory=dict)
    grades: list[tuple[str, str]] = field(default_factory=list)   # (grade, cue)
    sentences: list[Sentence] = field(default_factory=list)
    period: dict[str, Any] = field(default_factory=dict)
    inherited: bool = False
    explicit: int = 0
    strength: str = "label"

    def has(self, role: str) -> bool:
        return bool(self.places.get(role))


class _Drafter:
    def __init__(self, kg, text: str, key: str, focus: str | None):
        self.kg = kg
        self.text = text
        self.key = key
        self.lex: Lexicon = lexicon(kg)
        self.reported = str(CERT.reported)
        self.paragraphs = split(text)
        self.focus = focus or self._focus()
        self.aliases = self._aliases()
        self.candidates: dict[str, dict] = {}
        self.used_actors: set[str] = set()
        self.ids: set[str] = set()
        self.role_terms = {w[0]: t for w, (t, _) in self.lex.phrases.get("role", {}).items()
                           if len(w) == 1}

    # -- the whole text -------------------------------------------------------------------

    def _focus(self) -> str | None:
        """The country named most often: what "the country" refers to."""
        counts: dict[str, int] = defaultdict(int)
        for paragraph in self.paragraphs:
            tokens = tokenize(paragraph.text)
            for mention in self.lex.find(tokens, ["place", "demonym"]):
                if self.kg.is_a(mention.term, "tkg:Country"):
                    counts[mention.term] += 1
        return max(counts, key=lambda t: (counts[t], t)) if counts else None

    def _aliases(self) -> dict[tuple[str, ...], str]:
        """Names relative to the focus country: "the country", "north of the country"."""
        if not self.focus:
            return {}
        aliases = {("the", "country"): self.focus}
        name = tuple(t.norm for t in tokenize(self.lex.labels.get(self.focus, "")))
        if not name:
            return aliases
        for words, (term, _) in self.lex.phrases.get("place", {}).items():
            n = len(name)
            for i in range(len(words) - n + 1):
                if words[i:i + n] == name and len(words) > n:
                    rest = (*words[:i], "the", "country", *words[i + n:])
                    aliases.setdefault(rest, term)
                    if words[:i] and words[i - 1] == "of" and i >= 2:
                        # "neighbouring countries of Mali" -> "neighbouring countries"
                        aliases.setdefault(words[:i - 1], term)
        return aliases

    # -- one sentence -----------------------------------------------------------------------

    def analyse(self, sentence: Sentence) -> _Sentence:
        tokens = tokenize(sentence.text)
        words = [t.norm for t in tokens]
        cats = ["commodity", "place", "actor", "mode", "certainty", "role", "activity",
                "event", "relation", "demonym"]
        found = self.lex.find(tokens, cats)
        found += self._alias_mentions(words, found)
        actors = self._actors(tokens, found)
        actor_spans = [(a.start, a.end) for a in actors]

        def inside(m: Mention, spans) -> bool:
            return any((s <= m.start and m.end <= e and (s, e) != (m.start, m.end))
                       or (s <= m.start < e and m.category != "place") for s, e in spans)

        commodity_spans = [(m.start, m.end) for m in found if m.category == "commodity"
                           and not inside(m, actor_spans)]
        mentions: dict[str, list[Mention]] = defaultdict(list)
        for m in found:
            if m.category == "actor":
                continue
            if m.category in ("commodity", "demonym", "mode") and inside(m, actor_spans):
                continue
            if m.category in ("place", "demonym") and any(
                    s <= m.start < e for s, e in commodity_spans):
                continue
            mentions[m.category].append(m)
        # "cannabis ..., with the drug being moved": a broader word refers back, it is no new flow.
        kept: list[Mention] = []
        for m in sorted(mentions["commodity"], key=lambda m: m.start):
            before = words[m.start - 1] if m.start else ""
            if before in _ANAPHORA and any(
                    o.term == m.term or m.term in _up(self.kg, o.term) for o in kept):
                continue
            kept.append(m)
        mentions["commodity"] = kept
        places = sorted(mentions["place"] + mentions["demonym"], key=lambda m: m.start)
        places = _dedupe(places)
        roles = self._roles(tokens, places)
        period = _period(sentence.text)
        return _Sentence(
            sentence, tokens, mentions, roles, places, actors,
            sorted(mentions["certainty"], key=lambda m: m.start),
            any(w.startswith(_MOVEMENT) for w in words),
            any(w.startswith(_OUTBOUND) for w in words),
            bool(words) and words[0] in _ANAPHORA and (
                words[0] != "the" or (len(words) > 1 and words[1] in ("drug", "drugs", "trade",
                                                                     "weapons", "goods"))),
            period)

    def _alias_mentions(self, words: list[str], found: list[Mention]) -> list[Mention]:
        taken = {i for m in found if m.category == "place" for i in range(m.start, m.end)}
        out = []
        for phrase, term in sorted(self.aliases.items(), key=lambda kv: -len(kv[0])):
            n = len(phrase)
            for i in range(len(words) - n + 1):
                if tuple(words[i:i + n]) == phrase and not taken & set(range(i, i + n)):
                    out.append(Mention("place", term, i, i + n, "variant"))
                    taken |= set(range(i, i + n))
        return out

    def _actors(self, tokens: list[Token], found: list[Mention]) -> list[_Actor]:
        words = [t.norm for t in tokens]
        actors = [_Actor(m.term, " ".join(t.raw for t in tokens[m.start:m.end]), m.start, m.end)
                  for m in found if m.category == "actor"]
        taken = {i for a in actors for i in range(a.start, a.end)}
        # Words naming goods may lead the phrase: "fuel smuggling networks".
        goods = {i for m in found if m.category == "commodity" for i in range(m.start, m.end)}
        heads = {}
        for cls, label in self.lex.actor_classes.items():
            if len(label) >= 2:
                for plural in (label[-1] + "s", label[-1] + "es"):
                    heads.setdefault((label[-2], plural), cls)
                    if label[-1] == "network":
                        heads.setdefault((None, plural), cls)
        for i, word in enumerate(words):
            if i in taken or i == 0:
                continue
            cls = heads.get((words[i - 1], word)) or heads.get((None, word))
            if cls is None:
                continue
            start = i - 1 if (words[i - 1], word) in heads else i
            if start < i and not _joined(tokens, start, i):
                continue
            while start > 0 and i - start < 3 and start - 1 not in taken:
                prev = tokens[start - 1]
                free = start == i or start - 1 in goods
                if (prev.norm in _DETERMINERS or prev.norm in _CLAUSE or prev.raw[:1].isupper()
                        or not _joined(tokens, start - 1, start)
                        or (not free and not prev.norm.endswith(_ADJECTIVE)
                            and "-" not in prev.norm)):
                    break
                start -= 1
            if start == i or any(j in taken for j in range(start, i + 1)):
                continue
            phrase = " ".join(t.raw for t in tokens[start:i + 1])
            term = self._existing(phrase)
            actors.append(_Actor(term, phrase, start, i + 1, None if term else cls))
            taken |= set(range(start, i + 1))
        return sorted(actors, key=lambda a: a.start)

    def _existing(self, phrase: str) -> str | None:
        """An actor of the graph named "{phrase} in {focus country}", if there is one."""
        if not self.focus:
            return None
        words = (*(t.norm for t in tokenize(phrase)), "in",
                 *(t.norm for t in tokenize(self.lex.labels.get(self.focus, ""))))
        hit = self.lex.phrases.get("actor", {}).get(words)
        return hit[0] if hit else None

    def _roles(self, tokens: list[Token], places: list[Mention]) -> dict[int, str]:
        words = [t.norm for t in tokens]
        raw = [t.raw for t in tokens]
        roles: dict[int, str] = {}
        previous_end, previous_role, between = -1, None, False
        for index, place in enumerate(places):
            role = None
            j = place.start - 1
            steps = 0
            while j >= 0 and steps < 5:
                word = words[j]
                if j < previous_end:
                    break
                if word in _BEFORE:
                    role = _BEFORE[word]
                    if word == "between":
                        between = True
                    break
                if word not in _FILLER:
                    break
                j -= 1
                steps += 1
            # "Libya, Algeria and Mauritania": a list keeps the role of its first place.
            gap = words[previous_end:place.start] if previous_end >= 0 else None
            if gap is not None and all(w in ("and", "or", "as", "well", "the") for w in gap) \
                    and previous_role is not None and (role is None or role == "locative"):
                role = "destination" if between and previous_role == "origin" else previous_role
            if role is None:
                role = self._after(words, place) or None
            if place.category == "demonym":
                # The noun after a list of adjectives: "Algerian, Nigerien and Malian borders".
                k = place.end
                while k < len(words) and (words[k] in ("and", "or") or raw[k][:1].isupper()):
                    k += 1
                noun = words[k] if k < len(words) else ""
                if role in (None, "locative") or _DEMONYM_NOUN.get(noun) == "none":
                    role = _DEMONYM_NOUN.get(noun, "none")
            if role is not None:
                roles[index] = role
            previous_end, previous_role = place.end, role
        return roles

    def _after(self, words: list[str], place: Mention) -> str | None:
        found = set()
        j, negated = place.end, False
        while j < len(words) and j < place.end + 10:
            word = words[j]
            if word in _NEGATION:
                negated = True
            elif word in _AFTER:
                found.add(_AFTER[word])
            elif word not in _COPULA and word not in ("and", "or"):
                break
            j += 1
        if negated or not found:
            return None
        return found.pop() if len(found) == 1 else "hub"

    # -- proposals --------------------------------------------------------------------------

    def grade(self, info: _Sentence, before: int | None = None) -> tuple[str, str]:
        cues = [c for c in info.cues if before is None or c.start < before]
        if not cues:
            return self.reported, ""
        cue = cues[0] if before is None else min(cues, key=lambda c: self.level(c.term))
        return cue.term, " ".join(t.raw for t in info.tokens[cue.start:cue.end])

    def level(self, grade: str) -> int:
        return self.lex.levels.get(grade, 0)

    def involvements(self, info: _Sentence, claim_grade: str, flow: bool) -> dict[str, dict]:
        out = {}
        words = [t.norm for t in info.tokens]
        roles = info.mentions.get("role", [])
        for actor in info.actors:
            term = actor.term or self._candidate(actor)
            role = None
            before = words[actor.start - 1] if actor.start else ""
            if flow and before == "for":
                role = self.role_terms.get("receives")
            elif flow and before == "from":
                role = self.role_terms.get("supplies")
            if role is None and roles:
                near = min(roles, key=lambda r: (abs(r.start - actor.end), r.start))
                if abs(near.start - actor.end) <= 8:
                    role = near.term
            if role is None:
                role = self.role_terms.get("participates")
            grade, _ = self.grade(info, before=actor.start)
            entry = out.setdefault(term, {"actor": term, "roles": [], "certainty": None})
            if role and role not in entry["roles"]:
                entry["roles"].append(role)
            if self.level(grade) < self.level(claim_grade):
                entry["certainty"] = grade
        return out

    def _candidate(self, actor: _Actor) -> str:
        label = actor.phrase[0].lower() + actor.phrase[1:]
        where = self.lex.labels.get(self.focus, "") if self.focus else ""
        iri = str(KB[f"actor-{slug(label)}" + (f"-{slug(where)}" if where else "")])
        if iri in self.kg.index.entities:
            return iri
        self.candidates.setdefault(iri, {
            "id": iri, "class": [actor.cls], "label": f"{label} in {where}" if where else label,
            "new": True, "home": [self.focus] if self.focus else []})
        return iri

    def flows(self, infos: list[_Sentence]) -> list[_Flow]:
        flows: list[_Flow] = []
        previous: list[_Flow] = []
        for info in infos:
            commodities = info.mentions.get("commodity", [])
            placed = {i: r for i, r in info.roles.items() if r not in ("none", "hub")}
            made: list[_Flow] = []
            if not commodities or not (info.movement or (info.anaphoric and previous)):
                previous = made if commodities else previous
                continue
            grade, cue = self.grade(info)
            if not placed:
                # Actors or details about a commodity already moving in this paragraph.
                for mention in commodities:
                    target = self._related(flows, mention.term)
                    if target is None and info.anaphoric and previous:
                        target = previous[0] if len(previous) == 1 else None
                        if target is not None and target.commodity != mention.term:
                            new = self._copy(target, mention.term, info)
                            flows.append(new)
                            made.append(new)
                            continue
                    if target is None:
                        continue
                    if self._narrower(mention.term, target.commodity):
                        # "These weapons include heavy machine guns", "cannabis ... the
                        # trafficking of cannabis resin": a narrower flow beside the broad one.
                        new = self._copy(target, mention.term, info)
                        flows.append(new)
                        made.append(new)
                        continue
                    self._enrich(target, info, grade, places=False)
                    made.append(target)
                previous = made or previous
                continue
            groups = _groups(commodities, info.places)
            for mention in commodities:
                own = groups[id(mention)]
                if info.anaphoric and previous and any(
                        self._broader_or_same(mention.term, f.commodity) for f in previous):
                    targets = [f for f in previous
                               if self._broader_or_same(mention.term, f.commodity)]
                else:
                    existing = [f for f in flows if f.commodity == mention.term]
                    targets = existing[:1]
                new = _Flow(mention.term, strength=mention.strength)
                for index in own:
                    role = info.roles.get(index)
                    if role in (None, "none", "hub"):
                        continue
                    term = info.places[index].term
                    if term not in new.places[role]:
                        new.places[role].append(term)
                    new.explicit += role != "locative"
                if targets and all(_compatible(t, new) for t in targets):
                    for target in targets:
                        _merge_places(target, new)
                        self._enrich(target, info, grade, cue=cue)
                        made.append(target)
                    continue
                self._enrich(new, info, grade, cue=cue)
                flows.append(new)
                made.append(new)
            previous = made or previous
        for flow in flows:
            self._resolve_locative(flow, infos)
        return [f for f in flows if f.has("origin") or f.has("destination") or f.has("transit")]

    def _copy(self, source: _Flow, commodity: str, info: _Sentence) -> _Flow:
        new = _Flow(commodity, inherited=True)
        for role, terms in source.places.items():
            new.places[role] = list(terms)
        grade, cue = self.grade(info)
        self._enrich(new, info, grade, cue=cue)
        return new

    def _enrich(self, flow: _Flow, info: _Sentence, grade: str, cue: str = "",
                places: bool = True) -> None:
        if info.sentence not in flow.sentences:
            flow.sentences.append(info.sentence)
        if places:
            flow.grades.append((grade, cue))
        for mode in info.mentions.get("mode", []):
            if mode.term not in flow.modes:
                flow.modes.append(mode.term)
        claim_grade = min(flow.grades, key=lambda g: self.level(g[0]))[0] if flow.grades \
            else grade
        for term, inv in self.involvements(info, claim_grade, True).items():
            if not places and self.level(grade) < self.level(claim_grade):
                inv["certainty"] = grade if inv["certainty"] is None else inv["certainty"]
            entry = flow.involvements.setdefault(term, inv)
            for role in inv["roles"]:
                if role not in entry["roles"]:
                    entry["roles"].append(role)
        for key, value in info.period.items():
            flow.period.setdefault(key, value)

    def _resolve_locative(self, flow: _Flow, infos: list[_Sentence]) -> None:
        locative = flow.places.pop("locative", [])
        if not locative:
            return
        outbound = any(i.outbound for i in infos if i.sentence in flow.sentences)
        if flow.has("origin"):
            role = "destination"
        elif flow.has("destination") or outbound:
            role = "origin"
        else:
            role = "destination"
        for term in locative:
            if term not in flow.places[role]:
                flow.places[role].append(term)

    def _ancestors(self, term: str) -> set[str]:
        return _up(self.kg, term)

    def _broader_or_same(self, broad: str, narrow: str) -> bool:
        return broad == narrow or broad in self._ancestors(narrow)

    def _narrower(self, narrow: str, broad: str) -> bool:
        return narrow != broad and broad in self._ancestors(narrow)

    def _related(self, flows: list[_Flow], term: str) -> _Flow | None:
        for flow in flows:
            if self._broader_or_same(term, flow.commodity) or self._narrower(term, flow.commodity):
                return flow
        return None


def _up(kg, term: str) -> set[str]:
    """``term``'s broader concepts, transitively, read from the graph (cached per graph)."""
    from graph.claims import model

    return set(model(kg).ancestors(term)) - {term}


def _joined(tokens: list[Token], left: int, right: int) -> bool:
    """Whether only spaces separate token ``left`` from token ``right`` (no punctuation)."""
    return tokens[right].start - tokens[left].end <= 1 and all(
        tokens[k + 1].start - tokens[k].end <= 1 for k in range(left, right))


def _dedupe(places: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in places:
        if out and m.start < out[-1].end:
            if m.end - m.start > out[-1].end - out[-1].start:
                out[-1] = m
            continue
        out.append(m)
    return out


def _groups(commodities: list[Mention], places: list[Mention]) -> dict[int, list[int]]:
    """For each commodity mention, the indexes of the places that belong to it.

    Commodities with no place between them form a group; places before the first group
    belong to all, places after a group (up to the next) to that group.
    """
    ordered = sorted(commodities, key=lambda m: m.start)
    groups: list[list[Mention]] = []
    for mention in ordered:
        if groups and not any(groups[-1][-1].end <= p.start < mention.start for p in places):
            groups[-1].append(mention)
        else:
            groups.append([mention])
    shared = [i for i, p in enumerate(places) if p.start < groups[0][0].start]
    out = {}
    for k, group in enumerate(groups):
        end = groups[k + 1][0].start if k + 1 < len(groups) else 10**9
        own = [i for i, p in enumerate(places) if group[0].start <= p.start < end]
        for mention in group:
            out[id(mention)] = shared + own
    return out


def _compatible(target: _Flow, new: _Flow) -> bool:
    for role in ("origin", "destination"):
        mine, theirs = target.places.get(role, []), new.places.get(role, [])
        if mine and theirs and not set(theirs) <= set(mine):
            return False
    return True


def _merge_places(target: _Flow, new: _Flow) -> None:
    for role, terms in new.places.items():
        for term in terms:
            if term not in target.places[role]:
                target.places[role].append(term)
    target.explicit += new.explicit


def _period(text: str) -> dict[str, Any]:
    for pattern, kind in _PERIODS:
        match = pattern.search(text)
        if not match:
            continue
        out: dict[str, Any] = {"period": match.group(0)}
        if kind == "range":
            out["start"], out["end"] = int(match.group(1)), int(match.group(2))
        elif kind == "since":
            out["start"] = int(match.group(1))
        elif kind == "year":
            out["start"] = out["end"] = int(match.group(1))
        return out
    return {}


def _join(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def draft(kg, text: str, *, document: str, title: str, url: str | None = None,
          edition: int | str | None = None, publisher: str | None = None,
          reliability: str | None = None, focus: str | None = None) -> dict[str, Any]:
    """Propose claims for every paragraph of a profile's ``text``.

    Parameters
    ----------
    kg : graph.KnowledgeGraph
        The graph whose vocabularies, gazetteer and actors name things.
    text : str
        The document as plain text (see :func:`graph.curation.text.split`).
    document : str
        The document key (``ocindex-2021-mali``) or ``kb:doc-...``.
    title : str
        The document's title.
    url : str, optional
        Its address.
    edition : int or str, optional
        The Index edition year, for Index pages (``2021``).
    publisher : str, optional
        Its publisher; for an Index page, taken from the graph's documents of that edition.
    reliability : str, optional
        Admiralty reliability letter (``B``); B for an Index page, F (cannot be judged) if not
        given otherwise.
    focus : str, optional
        The country "the country" means (a name or IRI); by default the one named most.

    Returns
    -------
    dict
        ``document``, ``passages`` and ``actors`` (dicts the review sheet shows), ``claims``
        (one dict per proposal: ``id``, ``kind``, ``passage``, ``section``, ``paragraph``,
        ``label``, ``commodity``, ``origin``, ``transits``, ``destination``, ``mode``,
        ``place``, ``type``, ``subject``, ``object``, ``actors``, ``start``, ``end``,
        ``period``, ``certainty``, ``cue``, ``confidence``, ``sentences`` as
        ``[start, end]`` offsets) and ``seconds`` taken. IRIs are prefixed names.

    Raises
    ------
    graph.errors.DataError
        For a malformed document key or an edition the graph does not know.

    Examples
    --------
    >>> text = "TRADE\\n\\nLibya is an important source of arms for armed groups in Mali."
    >>> result = draft(kg, text, document="example-2021-mali", title="Example")
    >>> [(c["commodity"], c["origin"], c["destination"], c["certainty"])
    ...  for c in result["claims"] if c["kind"] == "flow"]
    [('com:arms', ['place:LBY'], ['place:MLI'], 'cert:reported')]
    >>> result["claims"][0]["passage"], result["claims"][0]["label"]
    ('kb:psg-example-2021-mali-trade-1', 'Arms from Libya to Mali')
    """
    started = time.perf_counter()
    key = dockey(document)
    if focus is not None:
        focus = str(kg.resolve(focus, classes=("tkg:Place",)))
    drafter = _Drafter(kg, text, key, focus)
    doc = _document(kg, key, title, url, edition, publisher, reliability)
    passages, claims = [], []
    for paragraph in drafter.paragraphs:
        passage = str(KB[f"psg-{key}-{slug(paragraph.section)}-{paragraph.number}"])
        infos = [drafter.analyse(s) for s in paragraph.sentences]
        found = _proposals(drafter, paragraph, passage, infos)
        claims += found
        passages.append({"id": prefixed(passage), "document": doc["id"],
                         "section": paragraph.section, "section_order": paragraph.section_order,
                         "paragraph": paragraph.number, "states_fact": bool(found),
                         "start": paragraph.start, "end": paragraph.end,
                         "text": paragraph.text})
    actors = []
    for term in sorted(drafter.used_actors):
        if term in drafter.candidates:
            entry = drafter.candidates[term]
            actors.append({"id": prefixed(term), "class": [prefixed(c) for c in entry["class"]],
                           "label": entry["label"], "home": [prefixed(h) for h in entry["home"]],
                           "new": True})
        else:
            actors.append({"id": prefixed(term), "label": kg.label(term), "new": False})
    return {"document": doc, "passages": passages, "actors": actors, "claims": claims,
            "focus": prefixed(drafter.focus) if drafter.focus else None,
            "seconds": round(time.perf_counter() - started, 3)}


def _document(kg, key: str, title: str, url: str | None, edition, publisher: str | None,
              reliability: str | None) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": prefixed(str(KB[f"doc-{key}"])), "key": key, "title": title,
                           "url": url, "publisher": publisher, "edition": None, "issued": None}
    if edition not in (None, ""):
        year = str(edition)
        iri = str(IND[f"edition-{year}"])
        if not kg.index.entities.get(iri):
            raise DataError(f"edition {edition!r}: the graph has no {prefixed(iri)}")
        doc["edition"], doc["issued"] = prefixed(iri), year
        if publisher is None:
            rows = kg.execute("SELECT ?p WHERE { ?d tkg:edition ?e ; a tkg:SourceDocument ; "
                              "dcterms:publisher ?p } ORDER BY ?p LIMIT 1",
                              {"e": _iri(iri)}).dicts()
            doc["publisher"] = str(rows[0]["p"]) if rows else None
    letter = (reliability or ("B" if doc["edition"] else "F")).upper()
    grade = str(ADM[f"reliability-{letter}"])
    if not kg.index.entities.get(grade):
        raise DataError(f"reliability {reliability!r}: use a letter A to F")
    doc["reliability"] = prefixed(grade)
    return doc


def _iri(value: str):
    from graph.backends.base import IRI

    return IRI(value)


def _proposals(drafter: _Drafter, paragraph: Paragraph, passage: str,
               infos: list[_Sentence]) -> list[dict[str, Any]]:
    lex, kg = drafter.lex, drafter.kg
    out = []

    def base(kind: str, sentences: list[Sentence], grade: str, cue: str, confidence: float,
             period: dict) -> dict[str, Any]:
        return {"kind": kind, "passage": prefixed(passage), "section": paragraph.section,
                "paragraph": paragraph.number, "description": "",
                "commodity": None, "origin": [], "transits": [], "destination": [], "mode": [],
                "place": [], "type": [], "subject": None, "object": None, "actors": [],
                "start": period.get("start"), "end": period.get("end"),
                "period": period.get("period", ""), "certainty": prefixed(grade), "cue": cue,
                "confidence": round(max(0.05, min(0.95, confidence)), 2),
                "sentences": [[s.start, s.end] for s in sentences]}

    def label(term: str | None) -> str:
        return lex.labels.get(term, prefixed(term)) if term else ""

    def finish(claim: dict, slug_words: list[str], title: str) -> dict:
        stem = f"{claim['kind'] if claim['kind'] != 'relation' else 'relation'}-{drafter.key}-"
        base_id = stem + "-".join(w for w in slug_words if w)
        iri, n = base_id, 2
        while iri in drafter.ids:
            iri, n = f"{base_id}-{n}", n + 1
        drafter.ids.add(iri)
        claim["id"] = prefixed(str(KB[iri]))
        claim["label"] = title[0].upper() + title[1:]
        out.append(claim)
        return claim

    def actors(involvements: dict[str, dict]) -> list[dict]:
        drafter.used_actors |= set(involvements)
        return [{"actor": prefixed(i["actor"]), "roles": [prefixed(r) for r in i["roles"]],
                 "certainty": prefixed(i["certainty"]) if i["certainty"] else None}
                for i in involvements.values()]

    for flow in drafter.flows(infos):
        grade, cue = min(flow.grades, key=lambda g: drafter.level(g[0]))
        confidence = (0.45 + 0.1 * min(flow.explicit, 3) + 0.1 * (flow.strength == "label")
                      - 0.15 * flow.inherited - 0.05 * (len(flow.sentences) > 2))
        claim = base("flow", flow.sentences, grade, cue, confidence, flow.period)
        origins, transits, dests = (flow.places.get(r, []) for r in
                                    ("origin", "transit", "destination"))
        claim.update(commodity=prefixed(flow.commodity),
                     origin=[prefixed(p) for p in origins],
                     transits=[prefixed(p) for p in transits],
                     destination=[prefixed(p) for p in dests],
                     mode=[prefixed(m) for m in flow.modes],
                     actors=actors(flow.involvements))
        title = label(flow.commodity)
        title = title[0].upper() + title[1:].lower() if title.isupper() else title
        if origins:
            title += " from " + _join([label(p) for p in origins])
        if transits:
            title += " through " + _join([label(p) for p in transits])
        if dests:
            title += " to " + _join([label(p) for p in dests])
        ends = origins[:1] or dests[:1]
        finish(claim, [_local(flow.commodity), _local(ends[0]) if ends else ""], title)
    focus = [drafter.focus] if drafter.focus else []
    for info in infos:
        places = [m.term for i, m in enumerate(info.places)
                  if m.category == "place" and info.roles.get(i) != "none"]
        places = list(dict.fromkeys(places)) or focus
        grade, cue = drafter.grade(info)
        types = list(dict.fromkeys(m.term for m in info.mentions.get("activity", [])))
        commodities = list(dict.fromkeys(m.term for m in info.mentions.get("commodity", [])))
        if types:
            claim = base("activity", [info.sentence], grade, cue,
                         0.35 + 0.1 * bool(commodities) + 0.1 * bool(info.actors), info.period)
            claim.update(type=[prefixed(t) for t in types], place=[prefixed(p) for p in places],
                         commodity=prefixed(commodities[0]) if commodities else None,
                         actors=actors(drafter.involvements(info, grade, False)))
            if len(commodities) > 1:
                claim["commodities"] = [prefixed(c) for c in commodities]
            finish(claim, [_local(types[0]), _local(places[0]) if places else ""],
                   f"{label(types[0])} in {_join([label(p) for p in places])}"
                   if places else label(types[0]))
        for mention in info.mentions.get("event", []):
            year = info.period.get("start")
            claim = base("event", [info.sentence], grade, cue, 0.3 + 0.2 * bool(year),
                         info.period)
            claim.update(type=[prefixed(mention.term)], place=[prefixed(p) for p in places])
            finish(claim, [_local(mention.term), _local(places[0]) if places else "",
                           str(year or "")],
                   f"{label(mention.term)} in {_join([label(p) for p in places])}"
                   + (f", {year}" if year else ""))
        relations = info.mentions.get("relation", [])
        if relations and len(info.actors) >= 2:
            involved = drafter.involvements(info, grade, False)
            terms = list(involved)
            if len(terms) >= 2:
                drafter.used_actors |= set(terms[:2])
                kind = relations[0].term
                claim = base("relation", [info.sentence], grade, cue, 0.3, info.period)
                claim.update(type=[prefixed(kind)], subject=prefixed(terms[0]),
                             object=prefixed(terms[1]),
                             place=[prefixed(p) for p in places[:1]])
                finish(claim, [_local(kind), _local(terms[0]).removeprefix("actor-")],
                       f"{_label(kg, lex, terms[0], drafter)}: {label(kind)} with "
                       f"{_label(kg, lex, terms[1], drafter)}")
    return out


def _label(kg, lex: Lexicon, term: str, drafter: _Drafter) -> str:
    if term in drafter.candidates:
        return drafter.candidates[term]["label"]
    return kg.label(term)


def _local(term: str) -> str:
    text = prefixed(term)
    return text.split(":", 1)[-1].lower()
