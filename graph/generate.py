"""Seeded synthetic knowledge graphs in our ontology, for benchmarks and scale tests.

The generator writes source documents with passages, actors, and claims of every kind
(flows with origins, routes as ``rdf:List`` and destinations, activities, actor relations,
events, findings) plus Index score observations, all graded and cited like curated data,
so the output passes the SHACL shapes. Countries, regions, borders and every vocabulary
(commodities, roles, modes, grades...) are read from the bundled ontology, never listed
here. Proportions follow the measured 1M-triple baseline (about 45 flows and 5 actors per
thousand triples). Output is streamed, document by document: a 1M-triple file never sits
in memory as a graph. The same seed always gives the same bytes.

All generated IRIs use the ``kb:`` namespace with a ``synth`` marker, and every document
says in its title that it is synthetic, so generated data cannot pass for real sources.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graph.errors import DataError
from graph.namespaces import TKG
from graph.prefixes import PREFIXES
from graph.query import expand_iri

__all__ = ["FORMATS", "Vocabulary", "generate", "parse_size", "vocabulary"]

#: Output formats, by the suffix that selects them.
FORMATS = {".nt": "nt", ".ttl": "turtle"}

_KB = PREFIXES["kb"]
_RDF = PREFIXES["rdf"]
_XSD = PREFIXES["xsd"]
_TYPE = f"<{_RDF}type>"
_FIRST, _REST, _NIL = f"<{_RDF}first>", f"<{_RDF}rest>", f"<{_RDF}nil>"


def _p(prefix: str, local: str) -> str:
    return f"<{PREFIXES[prefix]}{local}>"


# Predicates, as N-Triples terms.
_LABEL = _p("rdfs", "label")
_DESCRIPTION = _p("dcterms", "description")
_DEFINITION = _p("skos", "definition")
_DERIVED_FROM = _p("prov", "wasDerivedFrom")
# Our terms come from the closed TKG namespace: a misspelt name fails at import.
_T = {name: f"<{TKG[name]}>" for name in (
    "Activity", "ActorRelation", "AggregateScore", "Event", "Finding", "Flow", "IndicatorScore",
    "Passage", "SourceDocument", "activityType", "actor", "assessment", "certainty", "commodity",
    "destination", "edition", "endYear", "eventType", "homePlace", "inDocument", "indicator",
    "magnitude", "mode", "objectActor", "origin", "paragraph", "place", "qualifiedInvolvement",
    "refArea", "relationType", "reliability", "role", "route", "score", "section",
    "sectionOrder", "startYear", "statesFact", "subjectActor", "trend", "scoreStructure",
)}
_QB_DATASET = _p("qb", "dataSet")
_QB_STRUCTURE = _p("qb", "structure")
_QB_DATASET_CLASS = _p("qb", "DataSet")
_DATASET = f"<{_KB}dataset-ocindex>"

_SECTIONS = ("Overview", "Markets", "Flows", "Criminal actors", "Resilience", "Outlook")


# -- the vocabulary, read from the ontology --------------------------------------------------

@dataclass
class Vocabulary:
    """Everything the generator draws from, read from the bundled ontology files."""

    #: Country IRI -> English label, for the 193 countries of the gazetteer.
    countries: dict[str, str]
    #: Country IRI -> bordering country IRIs.
    borders: dict[str, list[str]]
    #: Supranational region IRI -> label (origins and destinations given as regions).
    regions: dict[str, str]
    #: Commodity IRI -> label.
    commodities: dict[str, str]
    #: Leaf classes under ``tkg:Actor`` (IRI -> label), split by criminal or not.
    criminal_classes: dict[str, str]
    #: Actor classes for state and civil actors.
    other_classes: dict[str, str]
    #: Certainty grade IRI -> level (5 firmest), read from ``tkg:level``.
    certainty: dict[str, int]
    #: Reliability grade IRI -> level.
    reliability: dict[str, int]
    #: Concepts of the smaller schemes, each as IRI -> label.
    roles: dict[str, str]
    modes: dict[str, str]
    trends: dict[str, str]
    magnitudes: dict[str, str]
    activity_types: dict[str, str]
    relation_types: dict[str, str]
    event_types: dict[str, str]
    assessments: dict[str, str]
    #: Index indicators that take indicator scores (markets, actor types, resilience).
    indicators: dict[str, str]
    #: The four Index averages.
    aggregates: dict[str, str]
    #: Edition IRI -> year.
    editions: dict[str, int]
    #: Roles that attribute wrongdoing (``tkg:incriminating true``): an involvement with one
    #: is graded cert:suspected or firmer (shape:Involvement-incriminating).
    incriminating: frozenset[str] = frozenset()
    #: Actor classes of office holders (``tkg:OfficeHolder`` and below): the data never gives
    #: them an incriminating role, which would need a grade and a passage of their own.
    office_holders: frozenset[str] = frozenset()


def vocabulary(ontology=None) -> Vocabulary:
    """Countries, borders, regions, actor classes and every vocabulary, from the ontology model.

    Parameters
    ----------
    ontology : graph.ontology.Ontology, optional
        The model to draw from (``kg.ontology`` of a graph); default: the bundled ontology
        files, read by :func:`graph.ontology.load_ontology` as a graph would read them.

    Returns
    -------
    Vocabulary
        Each mapping sorted by IRI, so draws depend on the seed only.

    Raises
    ------
    graph.errors.DataError
        If the ontology has no concepts of a kind the generator needs.

    Examples
    --------
    >>> v = vocabulary()
    >>> len(v.countries)
    193
    >>> max(v.certainty.values())
    5
    """
    from graph.ontology import load_ontology

    onto = load_ontology() if ontology is None else ontology

    def table(values: dict, kind: str) -> dict:
        if not values:
            raise DataError(f"the ontology defines no {kind} concepts; cannot generate data")
        return dict(sorted(values.items()))

    def named(cls, kind: str) -> dict[str, str]:
        return table({t: onto.labels[t] for t in onto.instances(cls) if t in onto.labels}, kind)

    countries = named(TKG.Country, "country")
    regions = {r: label for r, label in named(TKG.SupranationalRegion, "region").items()
               if any(r in onto.part_of.get(c, ()) for c in countries)}
    # Leaf actor classes: what a generated actor is. Criminal ones are the parties of flows.
    leaves = [c for c in onto.classes if c != str(TKG.Actor) and onto.is_subclass(c, TKG.Actor)
              and not onto.descendants(c, "subClassOf") - {c} and c != str(TKG.StateEmbeddedActor)]
    criminal = {c: onto.classes[c] for c in leaves if onto.is_subclass(c, TKG.CriminalActor)}
    other = {c: onto.classes[c] for c in leaves if c not in criminal}
    return Vocabulary(
        countries=countries,
        borders={c: sorted(set(b) & set(countries)) for c, b in sorted(onto.borders.items())
                 if c in countries},
        regions=table(regions, "region"),
        commodities=named(TKG.Commodity, "commodity"),
        criminal_classes=table(criminal, "criminal actor class"),
        other_classes=table(other, "other actor class"),
        certainty=table({str(g.id): g.level for g in onto.certainty}, "certainty"),
        reliability=table({str(g.id): g.level for g in onto.reliability}, "reliability"),
        roles=named(TKG.Role, "role"),
        modes=named(TKG.Mode, "mode"),
        trends=named(TKG.Trend, "trend"),
        magnitudes=named(TKG.Magnitude, "magnitude"),
        activity_types=named(TKG.ActivityType, "activity type"),
        relation_types=named(TKG.RelationType, "relation type"),
        event_types=named(TKG.EventType, "event type"),
        assessments=named(TKG.Assessment, "assessment"),
        indicators={**named(TKG.CriminalMarket, "market"),
                    **named(TKG.CriminalActorType, "actor type"),
                    **named(TKG.ResilienceIndicator, "resilience")},
        aggregates=named(TKG.IndexAggregate, "aggregate"),
        editions=table({e: y for e, y in onto.years.items()
                        if str(TKG.Edition) in onto.types.get(e, ())}, "edition"),
        incriminating=frozenset(onto.incriminating),
        office_holders=frozenset(c for c in leaves if onto.is_subclass(c, TKG.OfficeHolder)),
    )


# -- terms and writers ---------------------------------------------------------------------

def _lit(text: str, lang: str | None = "en") -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\n", "\\n").replace("\r", "\\r"))
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _typed(value: Any, datatype: str) -> str:
    return f'"{value}"^^<{_XSD}{datatype}>'


def _iri(value: str) -> str:
    return f"<{value}>"


_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")


class _Writer:
    """Writes subject blocks as N-Triples or Turtle to one stream, counting triples."""

    def __init__(self, stream: IO[str], fmt: str) -> None:
        self.stream = stream
        self.fmt = fmt
        self.triples = 0
        #: Whether the Index data set has been declared in this stream.
        self.dataset_declared = False
        # Longest namespaces first, so that e.g. ``place:`` wins over a shorter match.
        self._prefixes = sorted(((iri, name) for name, iri in PREFIXES.items()),
                                key=lambda item: -len(item[0]))
        if fmt == "turtle":
            stream.write("".join(f"@prefix {name}: <{iri}> .\n"
                                 for name, iri in PREFIXES.items()) + "\n")

    def comment(self, text: str) -> None:
        self.stream.write("".join(f"# {line}\n" for line in text.splitlines()))

    def _short(self, term: str) -> str:
        if term == _TYPE:
            return "a"
        if term.startswith("<"):
            iri = term[1:-1]
            for namespace, name in self._prefixes:
                if iri.startswith(namespace) and _LOCAL.match(iri[len(namespace):]):
                    return f"{name}:{iri[len(namespace):]}"
            return term
        if term.startswith('"') and "^^<" in term:
            lexical, _, datatype = term.rpartition("^^")
            return f"{lexical}^^{self._short(datatype)}"
        return term

    def block(self, subject: str, pairs: list[tuple[str, str]]) -> None:
        self.triples += len(pairs)
        if self.fmt == "nt":
            self.stream.write("".join(f"{subject} {p} {o} .\n" for p, o in pairs))
            return
        lines, last = [], None
        for p, o in pairs:
            if p == last:
                lines[-1] += f", {self._short(o)}"
            else:
                lines.append(f"    {self._short(p)} {self._short(o)}")
                last = p
        self.stream.write(f"{self._short(subject)}\n" + " ;\n".join(lines) + " .\n\n")


# -- the generator -------------------------------------------------------------------------

@dataclass
class _Actor:
    iri: str
    cls: str
    label: str
    definition: str
    home: str


@dataclass
class _Stats:
    triples: int = 0
    documents: int = 0
    passages: int = 0
    actors: int = 0
    flows: int = 0
    activities: int = 0
    relations: int = 0
    events: int = 0
    findings: int = 0
    scores: int = 0
    files: list[str] = field(default_factory=list)


def _zipf(rng: random.Random, items: list, s: float = 1.0) -> list[float]:
    """Seeded Zipf weights: a shuffled ranking, weight 1/rank**s."""
    order = list(range(len(items)))
    rng.shuffle(order)
    weights = [0.0] * len(items)
    for rank, index in enumerate(order, start=1):
        weights[index] = 1.0 / rank ** s
    return weights


class _Generator:
    def __init__(self, vocab: Vocabulary, triples: int, seed: int) -> None:
        self.v = vocab
        self.rng = random.Random(seed)
        self.seed = seed
        self.target = triples
        rng = self.rng
        self.countries = list(vocab.countries)
        self.country_weight = _zipf(rng, self.countries, 0.8)
        self.commodities = list(vocab.commodities)
        self.commodity_weight = _zipf(rng, self.commodities, 1.0)
        # Each commodity has its own producing and consuming countries: hubs, as in reality.
        self.sources = {c: rng.choices(self.countries, self.country_weight, k=rng.randint(4, 12))
                        for c in self.commodities}
        self.markets = {c: rng.choices(self.countries, self.country_weight, k=rng.randint(6, 18))
                        for c in self.commodities}
        grades = sorted(vocab.certainty, key=vocab.certainty.get, reverse=True)
        # Firmest to weakest: confirmed 10 %, reported 45 %, likely 20 %, suspected 20 %, ...
        self.grades = grades
        self.grade_weight = [10, 45, 20, 20, 5][:len(grades)] + [5] * max(0, len(grades) - 5)
        self.reliabilities = sorted(vocab.reliability, key=vocab.reliability.get, reverse=True)
        self.reliability_weight = [5, 40, 30, 15, 5, 5][:len(self.reliabilities)]
        self.reliability_weight += [5] * (len(self.reliabilities) - len(self.reliability_weight))
        self.stats = _Stats()
        self._bnodes = 0
        #: How often each commodity, place and actor occurs in flows (for :attr:`examples`).
        self.counts: dict[str, dict[str, int]] = {"commodity": {}, "place": {}, "actor": {}}
        #: The first flow and document written.
        self.first: dict[str, str] = {}
        #: (country, edition) pairs that already have score observations.
        self.scored: set[tuple[str, str]] = set()
        #: IRIs of the actors some claim names (in files of one document, only these are declared).
        self.used_actors: set[str] = set()
        # About 5 actors per thousand triples, at least 20.
        self.actors = self._actors(max(20, triples // 200))
        self.by_home: dict[str, list[_Actor]] = {}
        for actor in self.actors:
            self.by_home.setdefault(actor.home, []).append(actor)

    # -- entities ----------------------------------------------------------------------

    def _actors(self, count: int) -> list[_Actor]:
        rng, v = self.rng, self.v
        criminal, other = list(v.criminal_classes), list(v.other_classes)
        actors = []
        for i in range(count):
            cls = rng.choice(criminal) if rng.random() < 0.85 else rng.choice(other)
            label_cls = v.criminal_classes.get(cls) or v.other_classes[cls]
            home = rng.choices(self.countries, self.country_weight)[0]
            code = f"{i + 1:05d}"
            actors.append(_Actor(
                iri=_iri(f"{_KB}actor-synth-{code}"),
                cls=_iri(cls),
                label=f"Synthetic {label_cls.lower()} {code}",
                definition=(f"A generated {label_cls.lower()} based in "
                            f"{v.countries[home]}, for benchmarks only."),
                home=home,
            ))
        return actors

    def _actor_block(self, out: _Writer, actor: _Actor) -> None:
        out.block(actor.iri, [
            (_TYPE, actor.cls), (_LABEL, _lit(actor.label)), (_DEFINITION, _lit(actor.definition)),
            (_T["homePlace"], _iri(actor.home)),
        ])

    def _grade(self, ceiling: int | None = None) -> str:
        grades, weights = self.grades, self.grade_weight
        if ceiling is not None:
            pairs = [(g, w) for g, w in zip(grades, weights, strict=True)
                     if self.v.certainty[g] <= ceiling]
            grades, weights = [g for g, _ in pairs], [w for _, w in pairs]
        return self.rng.choices(grades, weights)[0]

    def _years(self) -> list[tuple[str, str]]:
        if self.rng.random() < 0.3:
            return []
        start = self.rng.randint(2008, 2024)
        pairs = [(_T["startYear"], _typed(start, "integer"))]
        if self.rng.random() < 0.8:
            pairs.append((_T["endYear"], _typed(min(2025, start + self.rng.randint(0, 4)),
                                                "integer")))
        return pairs

    def _involvements(self, pool: list[_Actor], claim_grade: str, used: set) -> tuple[list, list]:
        """Pairs for the claim and blocks for the qualified involvements (blank nodes)."""
        rng, v = self.rng, self.v
        pairs, blocks = [], []
        count = rng.choices((0, 1, 2, 3), (15, 50, 25, 10))[0]
        for actor in rng.sample(pool, min(count, len(pool))):
            used.add(actor.iri)
            self._count("actor", actor.iri[1:-1])
            node = f"_:i{self._bnode()}"
            pairs.append((_T["qualifiedInvolvement"], node))
            body = [(_T["actor"], actor.iri)]
            # An incriminating role needs a grade of cert:suspected or firmer; a claim graded
            # lower gets no such role, and an involvement's own grade respects the floor.
            # Office holders get none (shape:Involvement-incriminating would ask for their
            # own grade and passage).
            floor = v.certainty.get(expand_iri("cert:suspected"), 0)
            office = actor.cls[1:-1] in v.office_holders
            allowed = [r for r in v.roles if r not in v.incriminating
                       or (v.certainty[claim_grade] >= floor and not office)]
            roles = rng.sample(allowed, min(len(allowed), rng.randint(1, 2)))
            body += [(_T["role"], _iri(r)) for r in roles]
            if rng.random() < 0.2:
                grade = self._grade(v.certainty[claim_grade])
                if v.incriminating.intersection(roles) and v.certainty[grade] < floor:
                    grade = claim_grade
                body.append((_T["certainty"], _iri(grade)))
            blocks.append((node, body))
        return pairs, blocks

    def _count(self, kind: str, iri: str) -> None:
        table = self.counts[kind]
        table[iri] = table.get(iri, 0) + 1

    def examples(self) -> dict[str, str]:
        """IRIs worth querying: the commonest commodity, place and actor, a flow, a document."""
        found = {kind: max(sorted(table), key=table.get)
                 for kind, table in self.counts.items() if table}
        countries = {p: n for p, n in self.counts["place"].items() if p in self.v.countries}
        if countries:
            found["country"] = max(sorted(countries), key=countries.get)
            # A well-travelled destination, for route searches from the commonest country.
            found["target"] = sorted(countries, key=lambda p: (-countries[p], p))[min(
                5, len(countries) - 1)]
        found.update(self.first)
        return found

    def _bnode(self) -> int:
        self._bnodes += 1
        return self._bnodes

    def _place_route(self, commodity: str, focus: str) -> tuple[list, list, list]:
        rng, v = self.rng, self.v
        origins = [rng.choice(self.sources[commodity])]
        if rng.random() < 0.15:
            origins.append(rng.choice(self.sources[commodity]))
        if rng.random() < 0.1:
            origins = [rng.choice(list(v.regions))]
        destinations = [rng.choice(self.markets[commodity])]
        if rng.random() < 0.2:
            destinations.append(rng.choice(self.markets[commodity]))
        if rng.random() < 0.1:
            destinations = [rng.choice(list(v.regions))]
        # The route passes through the document's focus country and up to two neighbours.
        route: list[str] = []
        roll = rng.random()
        if roll < 0.25:
            origins = [focus]
        elif roll < 0.45:
            destinations = [focus]
        else:
            route = [focus]
            here = focus
            for _ in range(rng.choices((0, 1, 2), (40, 40, 20))[0]):
                options = [b for b in v.borders.get(here, []) if b not in route]
                if not options:
                    break
                here = rng.choice(options)
                route.append(here)
        origins = sorted(set(origins) - set(route))
        destinations = sorted(set(destinations) - set(route) - set(origins))
        if not origins and not destinations and not route:
            route = [focus]
        return origins, route, destinations

    # -- documents ---------------------------------------------------------------------

    def documents(self, declare_actors: bool) -> Iterator[tuple[int, Callable[[_Writer], None]]]:
        """Yield (number, writer) per document until the triple budget is spent."""
        number = 0
        while self.stats.triples < self.target:
            number += 1
            yield number, lambda out, n=number: self._document(out, n, declare_actors)

    def _document(self, out: _Writer, number: int, declare_actors: bool) -> None:
        rng, v = self.rng, self.v
        start = out.triples
        code = f"{number:04d}"
        dockey = f"synth-{code}"
        focus = rng.choices(self.countries, self.country_weight)[0]
        reliability = rng.choices(self.reliabilities, self.reliability_weight)[0]
        # From a weak source (D or worse) no claim is graded above "reported" (data/README.md).
        ceiling = None if v.reliability[reliability] >= 4 else sorted(v.certainty.values())[-2]
        edition, year = rng.choice(sorted(v.editions.items()))
        doc = _iri(f"{_KB}doc-{dockey}")
        self.first.setdefault("document", doc[1:-1])
        self.stats.documents += 1
        out.comment(f"Synthetic source {code}: generated by `tkg generate` (seed {self.seed}); "
                    f"not a real document.")
        out.block(doc, [
            (_TYPE, _T["SourceDocument"]),
            (_p("dcterms", "title"),
             _lit(f"Synthetic source {code} on {v.countries[focus]} (generated)")),
            (_p("dcterms", "publisher"), _lit("tkg generate (synthetic data)", None)),
            (_p("dcterms", "issued"), _typed(year, "gYear")),
            (_T["reliability"], _iri(reliability)),
        ])
        # Local actors first, then a few transnational ones.
        local = list(self.by_home.get(focus, []))
        for neighbour in v.borders.get(focus, [])[:4]:
            local += self.by_home.get(neighbour, [])[:3]
        pool = local + rng.sample(self.actors, min(len(self.actors), rng.randint(3, 8)))
        pool = list({a.iri: a for a in pool}.values())
        used: set[str] = set()
        claims = rng.randint(40, 120)
        budget_left = self.target - (self.stats.triples + out.triples - start)
        claims = max(1, min(claims, budget_left // 22 + 1))
        pending: list[tuple[str, list]] = []
        passage, cited = None, 0
        section_index, in_section = 0, 0
        paragraphs = dict.fromkeys(_SECTIONS, 0)
        for k in range(claims):
            if passage is None or cited >= rng.randint(2, 4):
                if passage is None or in_section >= rng.randint(2, 6):
                    section_index = (section_index % len(_SECTIONS)) + 1
                    in_section = 0
                in_section += 1
                section = _SECTIONS[section_index - 1]
                paragraphs[section] += 1
                paragraph = paragraphs[section]
                passage = _iri(f"{_KB}psg-{dockey}-{section.lower().replace(' ', '-')}-"
                               f"{paragraph}")
                out.block(passage, [
                    (_TYPE, _T["Passage"]), (_T["inDocument"], doc),
                    (_T["section"], _lit(section, None)),
                    (_T["sectionOrder"], _typed(section_index, "integer")),
                    (_T["paragraph"], _typed(paragraph, "integer")),
                    (_T["statesFact"], _typed("true", "boolean")),
                ])
                self.stats.passages += 1
                cited = 0
            cited += 1
            grade = self._grade(ceiling)
            kind = rng.choices(("flow", "activity", "relation", "event", "finding"),
                               (70, 12, 8, 5, 5))[0]
            iri = _iri(f"{_KB}{kind}-{dockey}-{k + 1:04d}")
            getattr(self, f"_{kind}")(out, iri, focus, pool, grade, passage, used, pending)
            if self.stats.triples + (out.triples - start) >= self.target:
                break
        for node, body in pending:
            out.block(node, body)
        if number % 8 == 1:
            self._scores(out, focus, edition, doc)
        self.used_actors |= used
        if declare_actors:
            for actor in pool:
                if actor.iri in used:
                    self._actor_block(out, actor)
        self.stats.triples += out.triples - start

    def _claim(self, out: _Writer, iri: str, cls: str, label: str, description: str,
               middle: list, grade: str, passage: str, extra: list | None = None) -> None:
        pairs = [(_TYPE, _T[cls]), (_LABEL, _lit(label)), (_DESCRIPTION, _lit(description))]
        pairs += middle
        pairs += extra or []
        pairs += [(_T["certainty"], _iri(grade)), (_DERIVED_FROM, passage)]
        out.block(iri, pairs)

    def _flow(self, out, iri, focus, pool, grade, passage, used, pending) -> None:
        rng, v = self.rng, self.v
        commodity = rng.choices(self.commodities, self.commodity_weight)[0]
        origins, route, destinations = self._place_route(commodity, focus)
        self._count("commodity", commodity)
        for place in (*origins, *route, *destinations):
            self._count("place", place)
        self.first.setdefault("flow", iri[1:-1])
        middle = [(_T["commodity"], _iri(commodity))]
        middle += [(_T["origin"], _iri(o)) for o in origins]
        if route:
            head = f"_:l{self._bnode()}"
            middle.append((_T["route"], head))
            cells = [head] + [f"_:l{self._bnode()}" for _ in route[1:]]
            for i, place in enumerate(route):
                rest = cells[i + 1] if i + 1 < len(cells) else _NIL
                pending.append((cells[i], [(_FIRST, _iri(place)), (_REST, rest)]))
        middle += [(_T["destination"], _iri(d)) for d in destinations]
        if rng.random() < 0.5:
            middle.append((_T["mode"], _iri(rng.choice(list(v.modes)))))
        involvement, blocks = self._involvements(pool, grade, used)
        pending.extend(blocks)
        extra = list(involvement)
        if rng.random() < 0.3:
            extra.append((_T["magnitude"], _iri(rng.choice(list(v.magnitudes)))))
        if rng.random() < 0.2:
            extra.append((_T["trend"], _iri(rng.choice(list(v.trends)))))
        extra += self._years()
        names = [v.countries.get(p) or v.regions.get(p, "")
                 for p in (*origins, *route, *destinations)]
        label = f"{v.commodities[commodity]}: {' - '.join(names)}"
        self._claim(out, iri, "Flow", label,
                    f"Generated flow of {v.commodities[commodity].lower()} "
                    f"through {len(names)} place(s).", middle, grade, passage, extra)
        self.stats.flows += 1

    def _activity(self, out, iri, focus, pool, grade, passage, used, pending) -> None:
        rng, v = self.rng, self.v
        kind = rng.choice(list(v.activity_types))
        middle = [(_T["activityType"], _iri(kind)), (_T["place"], _iri(focus))]
        if rng.random() < 0.5:
            middle.insert(1, (_T["commodity"], _iri(rng.choices(self.commodities,
                                                                 self.commodity_weight)[0])))
        involvement, blocks = self._involvements(pool, grade, used)
        pending.extend(blocks)
        self._claim(out, iri, "Activity", f"{v.activity_types[kind]} in {v.countries[focus]}",
                    "Generated activity for benchmarks.", middle, grade, passage,
                    involvement + self._years())
        self.stats.activities += 1

    def _relation(self, out, iri, focus, pool, grade, passage, used, pending) -> None:
        rng, v = self.rng, self.v
        if len(pool) < 2:
            return self._event(out, iri, focus, pool, grade, passage, used, pending)
        subject, obj = rng.sample(pool, 2)
        used.update((subject.iri, obj.iri))
        kind = rng.choice(list(v.relation_types))
        middle = [(_T["relationType"], _iri(kind)), (_T["subjectActor"], subject.iri),
                  (_T["objectActor"], obj.iri)]
        self._claim(out, iri, "ActorRelation", f"{subject.label}: {v.relation_types[kind]}",
                    "Generated relation between two actors.", middle, grade, passage,
                    self._years())
        self.stats.relations += 1
        return None

    def _event(self, out, iri, focus, pool, grade, passage, used, pending) -> None:
        rng, v = self.rng, self.v
        kind = rng.choice(list(v.event_types))
        year = rng.randint(2008, 2025)
        middle = [(_T["eventType"], _iri(kind)), (_T["place"], _iri(focus))]
        self._claim(out, iri, "Event", f"{v.event_types[kind]} in {v.countries[focus]}, {year}",
                    "Generated event for benchmarks.", middle, grade, passage,
                    [(_T["startYear"], _typed(year, "integer"))])
        self.stats.events += 1

    def _finding(self, out, iri, focus, pool, grade, passage, used, pending) -> None:
        rng, v = self.rng, self.v
        indicator = rng.choice(list(v.indicators))
        middle = [(_T["indicator"], _iri(indicator)), (_T["place"], _iri(focus)),
                  (_T["assessment"], _iri(rng.choice(list(v.assessments))))]
        self._claim(out, iri, "Finding", f"{v.indicators[indicator]} in {v.countries[focus]}",
                    "Generated finding for benchmarks.", middle, grade, passage)
        self.stats.findings += 1

    def _scores(self, out: _Writer, country: str, edition: str, doc: str) -> None:
        rng, v = self.rng, self.v
        # One observation per country, indicator and edition (the IRI rule of data/README):
        # a country already scored for this edition gets no second set of figures.
        if (country, edition) in self.scored:
            return
        self.scored.add((country, edition))
        if not out.dataset_declared:
            out.block(_DATASET, [(_TYPE, _QB_DATASET_CLASS),
                                 (_LABEL, _lit("Global Organized Crime Index scores")),
                                 (_QB_STRUCTURE, _T["scoreStructure"])])
            out.dataset_declared = True
        iso = country.rsplit("/", 1)[-1]
        year = v.editions[edition]
        for indicator in v.indicators:
            self.first.setdefault("indicator", indicator)
            out.block(_iri(f"{_KB}score-{iso}-{indicator.rsplit('/', 1)[-1]}-{year}-synth"), [
                (_TYPE, _T["IndicatorScore"]), (_QB_DATASET, _DATASET),
                (_T["refArea"], _iri(country)), (_T["indicator"], _iri(indicator)),
                (_T["edition"], _iri(edition)),
                (_T["score"], _typed(f"{rng.randint(2, 20) / 2:.1f}", "decimal")),
                (_DERIVED_FROM, doc),
            ])
            self.stats.scores += 1


def parse_size(text: str | int) -> int:
    """Parse a triple count such as ``10k``, ``100k``, ``1M`` or ``250000``.

    Raises
    ------
    graph.errors.DataError
        If the text is not a positive count.

    Examples
    --------
    >>> parse_size("10k"), parse_size("1M"), parse_size("2500")
    (10000, 1000000, 2500)
    """
    if isinstance(text, int):
        value = text
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*", str(text))
        if not match:
            raise DataError(f"{text!r} is not a triple count (e.g. 10k, 100k, 1M, 250000)")
        scale = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
        value = int(float(match.group(1)) * scale)
    if value <= 0:
        raise DataError(f"{text!r} is not a positive triple count")
    return value


def generate(out: str | Path, triples: int | str = 10_000, seed: int = 0, *,
             split: bool | None = None, fmt: str | None = None) -> dict[str, Any]:
    """Write a seeded synthetic graph of about ``triples`` triples to ``out``.

    Parameters
    ----------
    out : str or Path
        A file ending in ``.nt`` (N-Triples) or ``.ttl`` (Turtle); or a folder, which
        receives one file per synthetic source document (``synth-0001.nt``...), each
        declaring the actors it uses, like curated data (validated and cached per file).
    triples : int or str
        Target size, e.g. ``100_000`` or ``"1M"``. The output stops after the claim that
        reaches it, so the count is within a few dozen triples above the target.
    seed : int
        Seed of the random generator: the same seed and size give identical bytes.
    split : bool, optional
        Force one file per document (True) or one file (False); by default decided by
        whether ``out`` has an RDF suffix.
    fmt : str, optional
        ``"nt"`` or ``"turtle"`` for a folder (default ``"nt"``).

    Returns
    -------
    dict
        ``triples`` written, counts of ``documents``, ``passages``, ``actors``, ``flows``,
        ``activities``, ``relations``, ``events``, ``findings``, ``scores``, the ``files``
        written, ``examples`` (IRIs worth querying: the commonest ``commodity``, ``place``,
        ``country`` and ``actor``, a route ``target``, the first ``flow`` and ``document``)
        and the ``seconds`` it took.

    Raises
    ------
    graph.errors.DataError
        If ``out`` has an unknown suffix or the size is not a positive count.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "synthetic.nt"
    >>> stats = generate(path, triples=2000, seed=1)
    >>> stats["triples"] >= 2000, stats["flows"] > 0
    (True, True)
    """
    began = time.perf_counter()
    target = parse_size(triples)
    out = Path(out)
    if split is None:
        split = out.suffix == "" or out.is_dir()
    if split:
        fmt = fmt or "nt"
        if fmt not in FORMATS.values():
            raise DataError(f"unknown output format {fmt!r}; use nt or turtle")
        suffix = next(s for s, f in FORMATS.items() if f == fmt)
        out.mkdir(parents=True, exist_ok=True)
    else:
        if out.suffix not in FORMATS:
            raise DataError(f"{out}: unknown output type {out.suffix!r}; use .nt or .ttl "
                            f"(or a folder for one file per source)")
        fmt = FORMATS[out.suffix]
        out.parent.mkdir(parents=True, exist_ok=True)
    gen = _Generator(vocabulary(), target, seed)
    if split:
        for number, write in gen.documents(declare_actors=True):
            path = out / f"synth-{number:04d}{suffix}"
            tmp = path.with_name(f".{path.name}.tmp")
            with tmp.open("w", encoding="utf-8", newline="\n") as stream:
                write(_Writer(stream, fmt))
            tmp.replace(path)
            gen.stats.files.append(str(path))
    else:
        tmp = out.with_name(f".{out.name}.tmp")
        with tmp.open("w", encoding="utf-8", newline="\n") as stream:
            writer = _Writer(stream, fmt)
            writer.comment(f"Synthetic trafficking graph: about {target} triples, seed {seed}.\n"
                           "Generated by `tkg generate`; every source in it is invented.")
            for actor in gen.actors:
                gen._actor_block(writer, actor)
            gen.stats.triples = writer.triples
            for _, write in gen.documents(declare_actors=False):
                write(writer)
        tmp.replace(out)
        gen.stats.files.append(str(out))
        gen.stats.actors = len(gen.actors)
    if split:
        gen.stats.actors = len(gen.used_actors)
    stats = dict(vars(gen.stats))
    stats["examples"] = gen.examples()
    stats["seconds"] = round(time.perf_counter() - began, 3)
    return stats
