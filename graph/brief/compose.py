"""The content of a country brief as plain data: sections of cited sentences, tables, charts.

:func:`brief_data` decides what the brief says; the renderers in :mod:`graph.brief.render`
only decide how it looks. Every sentence carries the keys of the appendix entries it stands
on: a claim entry (the claim's passages, source reliability and corroboration) or a figures
entry (the document an Index figure comes from). Figures the brief computes itself (changes
between editions, positions among neighbours, counts) say so in the sentence.

Which claims a brief uses: claims with a place in the country (or a place within it) that
cite at least one document of the brief's edition, or a document outside the Index's
editions issued no later than the edition year. Each claim is described in exactly one
place: its first criminal market; else the Index actor type of its first criminal actor;
else the resilience indicator it bears on; events and what remains go under resilience.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.brief.collect import (
    ACTOR_TYPE,
    AGGREGATE,
    MARKET,
    RESILIENCE,
    Snapshot,
    corroboration,
    snapshot,
)
from graph.brief.wording import claim_sentences, join, ordinal, proper_words, score_text
from graph.claims import Claim
from graph.errors import QueryError
from graph.namespaces import IND, TKG

__all__ = ["brief_data"]

_TKG = str(TKG)
#: Rank scopes from the widest, the order of the ranks line.
_SCOPES = (str(IND["scope-world"]), str(IND["scope-continent"]), str(IND["scope-subregion"]))


class _Citations:
    """The appendix being built: entries in order of first citation, keyed E1, E2, ..."""

    def __init__(self, snap: Snapshot):
        self.snap = snap
        self.entries: list[dict[str, Any]] = []
        self._keys: dict[Any, str] = {}

    def _entry(self, ident: Any, make) -> str:
        key = self._keys.get(ident)
        if key is None:
            key = self._keys[ident] = f"E{len(self.entries) + 1}"
            self.entries.append({"key": key, **make()})
        return key

    def claim(self, claim: Claim) -> str:
        def make():
            m = self.snap.model
            grade = self.snap.grade(claim.certainty)
            passages = []
            for source in sorted(claim.sources, key=lambda s: (
                    str(s.get("title") or s["document"]), str(s.get("section") or ""),
                    s.get("paragraph") or 0)):
                doc = self.snap.documents.get(source["document"], {})
                passages.append({
                    "document": source["document"],
                    "title": doc.get("title") or source.get("title") or source["document"],
                    "section": source.get("section"), "paragraph": source.get("paragraph"),
                    "reliability": doc.get("reliability"), "url": doc.get("url")})
            count = corroboration(m.kg, claim)
            return {"kind": "claim", "claim": claim.id, "label": claim.label,
                    "type": m.kind(claim.id), "grade": grade["label"] if grade else None,
                    "passages": passages, "corroboration": count,
                    "single_source": count < 2}
        return self._entry(("claim", claim.id), make)

    def figures(self, obs: dict[str, Any], text: str) -> list[str]:
        keys = []
        for document in obs["documents"] or ["(no document)"]:
            doc = self.snap.documents.get(document, {})

            def make(document=document, doc=doc):
                return {"kind": "figures", "document": document,
                        "title": doc.get("title") or document,
                        "reliability": doc.get("reliability"), "url": doc.get("url"),
                        "figures": []}
            key = self._entry(("figures", document), make)
            entry = self.entries[int(key[1:]) - 1]
            if text not in entry["figures"]:
                entry["figures"].append(text)
            keys.append(key)
        return keys

    def gazetteer(self) -> str:
        return self._entry("gazetteer", lambda: {
            "kind": "gazetteer", "title": "Gazetteer of the ontology (ontology/places.ttl)",
            "text": "Land borders between countries (tkg:bordersOn / tkg:borders)."})


def _sentence(text: str, cites: list[str], derived: bool = False) -> dict[str, Any]:
    keys = sorted(set(cites), key=lambda k: int(k[1:]))
    return {"text": text, "cites": keys, "derived": derived}


def _lower(name: str) -> str:
    """An indicator name inside a sentence: "Arms trafficking" -> "arms trafficking"."""
    first = name.split(" ", 1)[0]
    return name if first.isupper() else name[:1].lower() + name[1:]


def brief_data(kg, country: str, edition: int | str = "latest") -> dict[str, Any]:
    """The content of one country brief, as plain data for the renderers.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    country : str
        The country: name, ISO code or IRI.
    edition : int or "latest"
        The Index edition (year) the brief is about; ``"latest"``: the newest edition
        with a figure for the country.

    Returns
    -------
    dict
        ``country`` ({id, label, iso3}), ``edition``, ``previous`` (the edition compared
        with, or ``None``), ``sections`` (list of {id, title, level, blocks}; blocks are
        {"type": "para"|"claim", "sentences"} with each sentence {text, cites, derived},
        "claim" blocks also naming their ``claim``; or {"type": "table"|"chart"|"map"}),
        ``appendix`` (entries {key, kind, ...} in order of first citation), ``claims``
        (IRIs of the claims described) and ``narrative`` (whether any claim was found).

    Raises
    ------
    graph.errors.EntityNotFound
        If ``country`` is not a country.
    graph.errors.QueryError
        If ``edition`` is not a year or ``"latest"``, or the graph has no figure for the
        country in that edition.

    Examples
    --------
    >>> data = brief_data(kg, "Mali", edition=2021)
    >>> [s["title"] for s in data["sections"] if s["level"] == 2][:3]
    ['Summary', 'Criminal markets', 'Criminal actors']
    >>> data["appendix"][0]["kind"]
    'figures'
    """
    snap = snapshot(kg)
    m = snap.model
    iri = m.resolve(country, "tkg:Country")
    label = m.label(iri)
    years = snap.editions(iri)
    year = _edition(edition, years, label)
    previous = max((y for y in years if y < year), default=None)
    cites = _Citations(snap)
    obs = [o for o in snap.observations.get(iri, ()) if o["year"] in (year, previous)]
    scores = {(o["indicator"], o["year"]): o for o in obs if o["score"] is not None}
    ranks = [o for o in obs if o["rank"] is not None and o["year"] == year]
    claims = _claims(snap, iri, year)
    names = [m.label(p) for c in claims for f in ("origin", "transit", "destination", "place")
             for p in c.values.get(f, ())]
    names += [m.label(inv.actor) for c in claims for inv in c.involvements]
    names += [m.label(a) for c in claims for f in ("subjectActor", "objectActor")
              for a in c.values.get(f, ())]
    proper = proper_words(snap, [*names, label])
    placed = _place(snap, claims, {i for (i, y) in scores if y == year})

    def score_sentence(indicator: str) -> dict[str, Any] | None:
        now = scores.get((indicator, year))
        if now is None:
            return None
        name = snap.indicators.get(indicator, {}).get("label") or m.label(indicator)
        keys = cites.figures(now, f"{label}, {name}, {year}: {score_text(now['score'])}")
        text = f"{label} scores {score_text(now['score'])} of 10 for {_lower(name)}"
        if snap.indicators.get(indicator, {}).get("broader"):
            text += " (the average of its indicators)"
        text += f" in {year}"
        derived = False
        before = scores.get((indicator, previous)) if previous else None
        if before is not None:
            keys += cites.figures(before, f"{label}, {name}, {previous}: "
                                          f"{score_text(before['score'])}")
            change = round(now["score"] - before["score"], 4)
            if abs(change) < 0.005:
                text += f", unchanged from {previous} (change computed from the two scores)"
            else:
                text += (f", {'up' if change > 0 else 'down'} {score_text(abs(change))} from "
                         f"{score_text(before['score'])} in {previous} "
                         "(change computed from the two scores)")
            derived = True
        return _sentence(text + ".", keys, derived)

    sections: list[dict[str, Any]] = []
    described: list[str] = []

    def claim_blocks(items: list[Claim]) -> list[dict[str, Any]]:
        blocks = []
        for claim in items:
            key = cites.claim(claim)
            described.append(claim.id)
            blocks.append({"type": "claim", "claim": claim.id,
                           "sentences": [_sentence(s, [key])
                                         for s in claim_sentences(snap, claim, proper)]})
        return blocks

    # 1. Summary -------------------------------------------------------------------------
    summary: list[dict[str, Any]] = []
    for indicator in _headline(snap):
        sentence = score_sentence(indicator)
        if sentence:
            summary.append(sentence)
        rank_sentence = _ranks(snap, cites, label, indicator, ranks, year)
        if rank_sentence:
            summary.append(rank_sentence)
    for cls, what, best in ((MARKET, "criminal markets", "highest-scoring"),
                            (RESILIENCE, "resilience indicators", "weakest")):
        sentence = _extremes(snap, cites, label, cls, scores, year, what, best)
        if sentence:
            summary.append(sentence)
    head_blocks: list[dict[str, Any]] = [{"type": "para", "sentences": summary}]
    if previous:
        deltas = []
        delta_cites: list[str] = []
        for (indicator, y), o in sorted(scores.items()):
            before = scores.get((indicator, previous))
            if y != year or before is None:
                continue
            deltas.append({"label": snap.indicators.get(indicator, {}).get("label")
                           or m.label(indicator),
                           "value": round(o["score"] - before["score"], 4)})
            delta_cites += cites.figures(o, f"{label}, {m.label(indicator)}, {year}: "
                                            f"{score_text(o['score'])}")
        if deltas:
            head_blocks.append({
                "type": "chart", "chart": "deltas", "items": deltas,
                "caption": _sentence(f"Change of every score from {previous} to {year} "
                                     "(computed from the two editions' scores).",
                                     delta_cites, True)})
    sections.append({"id": "summary", "title": "Summary", "level": 2, "blocks": head_blocks})

    def indicator_section(indicator: str) -> dict[str, Any]:
        """A market's or resilience indicator's section: its score, then its claims."""
        blocks = []
        sentence = score_sentence(indicator)
        if sentence:
            blocks.append({"type": "para", "sentences": [sentence]})
        blocks += claim_blocks(placed.get(indicator, []))
        return {"id": _anchor(indicator), "title": snap.indicators[indicator]["label"],
                "level": 3, "group": snap.indicators[indicator].get("group_label"),
                "blocks": blocks}

    # 2. Criminal markets ------------------------------------------------------------------
    markets = _indicators(snap, MARKET, scores, year, placed)
    sections.append({"id": "markets", "title": "Criminal markets", "level": 2,
                     "blocks": _chart(snap, cites, label, markets, scores, year, previous,
                                      "markets", "Criminal market scores")})
    sections += [indicator_section(i) for i in markets]

    # 3. Criminal actors -----------------------------------------------------------------
    types = _indicators(snap, ACTOR_TYPE, scores, year, placed)
    sections.append({"id": "actors", "title": "Criminal actors", "level": 2,
                     "blocks": _chart(snap, cites, label, types, scores, year, previous,
                                      "actors", "Criminal actor scores")})
    actor_claims = _actor_claims(snap, claims)
    for indicator in types:
        blocks = []
        sentence = score_sentence(indicator)
        if sentence:
            blocks.append({"type": "para", "sentences": [sentence]})
        actors = [a for a in actor_claims if indicator in snap.actor_types(a)]
        if actors:
            sentences = []
            for actor in sorted(actors, key=lambda a: m.label(a).casefold()):
                items = actor_claims[actor]
                roles = sorted({m.label(r) for c in items for inv in c.involvements
                                if inv.actor == actor for r in inv.roles})
                market_names = sorted({snap.indicators[k]["label"] for c in items
                                       for k in m.claim_markets(c) if k in snap.indicators})
                text = (f"{len(items)} claim{'s' if len(items) != 1 else ''} of this brief "
                        f"name{'s' if len(items) == 1 else ''} {m.label(actor)}")
                if roles:
                    text += f", in the role{'s' if len(roles) != 1 else ''} {join(roles)}"
                if market_names:
                    text += (f", in the market{'s' if len(market_names) != 1 else ''} "
                             f"{join(market_names)}")
                text += " (counted from the claims cited)."
                sentences.append(_sentence(text, [cites.claim(c) for c in items], True))
            blocks.append({"type": "para", "sentences": sentences})
        blocks += claim_blocks(placed.get(indicator, []))
        sections.append({"id": _anchor(indicator), "title": snap.indicators[indicator]["label"],
                         "level": 3, "blocks": blocks})

    # 4. Resilience ------------------------------------------------------------------------
    pillars = _indicators(snap, RESILIENCE, scores, year, placed)
    sections.append({"id": "resilience", "title": "Resilience", "level": 2,
                     "blocks": _chart(snap, cites, label, pillars, scores, year, previous,
                                      "resilience", "Resilience indicator scores")})
    sections += [indicator_section(i) for i in pillars]
    for key, title in (("events", "Events"), ("other", "Other responses and conditions")):
        if placed.get(key):
            sections.append({"id": key, "title": title, "level": 3,
                             "blocks": claim_blocks(placed[key])})

    # 5. Neighbours ------------------------------------------------------------------------
    sections.append(_neighbours(snap, cites, iri, label, year, previous, claims))

    # No curated sources ---------------------------------------------------------------------
    if not claims:
        sections.append({"id": "no-sources", "title": "No curated sources yet", "level": 2,
                         "blocks": [{"type": "note", "text": _NO_SOURCES.format(
                             country=label, year=year)}]})
    return {"country": {"id": iri, "label": label,
                        "iso3": m.place_info.get(iri, {}).get("iso3")},
            "edition": year, "previous": previous, "sections": sections,
            "appendix": cites.entries, "claims": described, "narrative": bool(claims)}


_NO_SOURCES = (
    "The graph holds Index scores for {country} but no curated claims (flows, activities, "
    "actor relations, events or findings) for the {year} edition, so this brief has no "
    "narrative. To add one, write a Turtle file per source document under data/ (or in "
    "your workspace) as data/README.md describes: the document with its reliability grade, "
    "one passage per paragraph, and one claim per statement with its certainty grade and "
    "the passage it comes from; check it with “tkg validate FILE”, then run "
    "“tkg brief {country}” again.")


def _edition(edition: int | str, years: list[int], label: str) -> int:
    if not years:
        raise QueryError(f"the graph has no Index figure for {label}")
    if edition in (None, "", "latest"):
        return years[-1]
    try:
        year = int(edition)
    except (TypeError, ValueError):
        raise QueryError(f"edition must be a year or 'latest', got {edition!r}") from None
    if year not in years:
        raise QueryError(f"the graph has no Index figure for {label} in {year}; "
                         f"editions with figures: {', '.join(map(str, years))}")
    return year


def _claims(snap: Snapshot, country: str, year: int) -> list[Claim]:
    m = snap.model
    within = m.descendants(country, "partOf")

    def usable(document: str) -> bool:
        doc = snap.documents.get(document, {})
        if doc.get("edition") is not None:
            return doc["edition"] == year
        return doc.get("issued") is None or doc["issued"] <= year

    def in_time(claim: Claim) -> bool:
        start = claim.first("startYear")
        return start is None or int(start) <= year

    # The country's own profile (a document its Index figures cite) is about the country
    # even where a claim names no place in it, such as boys from two neighbours put to
    # forced labour in places the profile does not name.
    profiles = {d for obs in snap.observations.get(country, []) for d in obs["documents"]
                if usable(d)}
    found = [c for c in m.claims.values()
             if in_time(c) and any(usable(s["document"]) for s in c.sources)
             and (c.places & within or any(s["document"] in profiles for s in c.sources))]
    found.sort(key=lambda c: (_reading_order(c), c.label.casefold(), c.id))
    return found


def _reading_order(claim: Claim) -> tuple:
    source = min(claim.sources, key=lambda s: (str(s.get("section") or ""),
                                               s.get("paragraph") or 0), default={})
    return (str(source.get("document", "")), source.get("paragraph") or 0)


def _order(snap: Snapshot, cls: str) -> list[str]:
    items = [i for i in snap.indicators.values() if i["class"] == cls]
    items.sort(key=lambda i: ((i.get("group_label") or "").casefold(), i["label"].casefold()))
    return [i["id"] for i in items]


def _indicators(snap, cls, scores, year, placed) -> list[str]:
    return [i for i in _order(snap, cls) if (i, year) in scores or placed.get(i)]


def _place(snap: Snapshot, claims: list[Claim], scored: set[str]) -> dict[str, list[Claim]]:
    """Where each claim is described: indicator IRI, "events" or "other".

    Markets scored in the edition come first, so that a claim touching a market the
    edition did not score goes to its actors' section when it can.
    """
    m = snap.model
    markets = _order(snap, MARKET)
    markets.sort(key=lambda i: i not in scored)
    types = _order(snap, ACTOR_TYPE)
    pillars = _order(snap, RESILIENCE)
    placed: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        kinds = {k.removeprefix(_TKG) for k in claim.values.get("kind", ())}
        stated = snap.extras.get(claim.id, {}).get("indicator", [])
        target = None
        if "Event" in kinds:
            target = "events"
        elif stated:
            target = next((i for i in [*markets, *types, *pillars] if i in stated), None)
        touched = m.claim_markets(claim)
        if target is None and "Event" not in kinds:
            target = next((i for i in markets if i in touched and i in scored), None)
        if target is None and "Event" not in kinds:
            actors = [*claim.values.get("subjectActor", ()), *claim.values.get("objectActor", ()),
                      *(inv.actor for inv in claim.involvements)]
            for actor in actors:
                found = [t for t in types if t in snap.actor_types(actor)]
                if found:
                    target = found[0]
                    break
        if target is None and "Event" not in kinds:
            target = next((i for i in markets if i in touched), None)
        placed[target or "other"].append(claim)
    return placed


def _actor_claims(snap: Snapshot, claims: list[Claim]) -> dict[str, list[Claim]]:
    out: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        actors = {inv.actor for inv in claim.involvements}
        actors |= set(claim.values.get("subjectActor", ())) | set(
            claim.values.get("objectActor", ()))
        for actor in actors:
            if snap.actor_types(actor):
                out[actor].append(claim)
    return out


def _anchor(iri: str) -> str:
    return "i-" + iri.rstrip("/").rsplit("/", 1)[-1]


def _ranks(snap, cites, label, indicator, ranks, year) -> dict[str, Any] | None:
    mine = [r for r in ranks if r["indicator"] == indicator]
    if not mine:
        return None
    mine.sort(key=lambda r: _SCOPES.index(r["scope"]) if r["scope"] in _SCOPES else 9)
    parts, keys = [], []
    derived = any(r["derived"] for r in mine)
    for r in mine:
        where = (f"of {r['out_of']} countries" if r["scope"] == _SCOPES[0] or not r["region"]
                 else f"of {r['out_of']} in {snap.model.label(r['region'])}")
        parts.append(f"{ordinal(r['rank'])} {where}")
        keys += cites.figures(r, f"{label}, {snap.model.label(indicator)} rank "
                                 f"({r['scope_label']}), {year}: {r['rank']} of {r['out_of']}")
    name = snap.model.label(indicator).lower()
    text = f"On {name}, {label} ranks {join(parts)}"
    if derived:
        text += (" (ranks derived by ranking every country's score in the Index dataset, "
                 "highest first; not printed by the Index)")
    return _sentence(text + ".", keys, derived)


def _extremes(snap, cites, label, cls, scores, year, what, best) -> dict[str, Any] | None:
    """The top (markets) or bottom (resilience) scores of the edition, ties included."""
    mine = [(o["score"], i) for (i, y), o in scores.items()
            if y == year and snap.indicators.get(i, {}).get("class") == cls]
    if len(mine) < 3:
        return None
    ordered = sorted(mine, reverse=(cls == MARKET))
    cut = ordered[1][0]           # the second value: every indicator at least as extreme
    chosen = [(v, i) for v, i in ordered if (v >= cut if cls == MARKET else v <= cut)]
    if len(chosen) > 4:
        return None
    keys: list[str] = []
    parts = []
    for value, indicator in chosen:
        name = snap.indicators[indicator]["label"]
        keys += cites.figures(scores[(indicator, year)],
                              f"{label}, {name}, {year}: {score_text(value)}")
        parts.append(f"{_lower(name)} ({score_text(value)})")
    return _sentence(f"{label}'s {best} {what} in {year} are {join(parts)} (computed by "
                     "ordering the scores).", keys, True)


def _chart(snap, cites, label, indicators, scores, year, previous, name, title):
    items, keys = [], []
    for indicator in indicators:
        now = scores.get((indicator, year))
        if now is None:
            continue
        before = scores.get((indicator, previous)) if previous else None
        items.append({"label": snap.indicators[indicator]["label"], "value": now["score"],
                      "previous": before["score"] if before else None})
        keys += cites.figures(now, f"{label}, {snap.indicators[indicator]['label']}, {year}: "
                                   f"{score_text(now['score'])}")
    if not items:
        return []
    caption = f"{title}, {year}, out of 10"
    if previous and any(i["previous"] is not None for i in items):
        caption += f"; ticks mark {previous}"
    return [{"type": "chart", "chart": name, "items": items,
             "caption": _sentence(caption + ".", keys)}]


def _headline(snap: Snapshot) -> list[str]:
    """The Index's averages in the order of a profile's header, read from the vocabulary:
    each top average (criminality, resilience) followed by the averages below it."""
    aggregates = [i for i in snap.indicators.values() if i["class"] == AGGREGATE]
    tops = sorted((i for i in aggregates if not i["broader"]), key=lambda i: i["label"])
    out = []
    for top in tops:
        out.append(top["id"])
        # "Criminal markets" before "Criminal actors", as the profiles print them.
        out += sorted((i["id"] for i in aggregates if i["broader"] == top["id"]),
                      key=lambda i: snap.indicators[i]["label"], reverse=True)
    return out


def _tops(snap: Snapshot) -> list[str]:
    """The top averages (criminality, resilience): what the neighbours table compares."""
    return [i for i in _headline(snap) if not snap.indicators[i]["broader"]]


def _neighbours(snap, cites, iri, label, year, previous, claims) -> dict[str, Any]:
    m = snap.model
    neighbours = sorted(snap.borders.get(iri, ()), key=lambda n: m.label(n).casefold())
    blocks: list[dict[str, Any]] = []
    if not neighbours:
        blocks.append({"type": "para", "sentences": [_sentence(
            f"The gazetteer records no land border for {label}.", [cites.gazetteer()])]})
        return {"id": "neighbours", "title": "Neighbours", "level": 2, "blocks": blocks}
    sentences = [_sentence(
        f"{label} shares a land border with {len(neighbours)} "
        f"countr{'ies' if len(neighbours) != 1 else 'y'}: "
        f"{join(m.label(n) for n in neighbours)}.", [cites.gazetteer()])]
    rows, keys = [], []
    tops = _tops(snap)
    table: dict[str, dict[str, float | None]] = {}
    for place in [iri, *neighbours]:
        values: dict[str, float | None] = {}
        for o in snap.observations.get(place, ()):
            if o["score"] is None or o["indicator"] not in tops:
                continue
            if o["year"] == year:
                values[o["indicator"]] = o["score"]
                keys += cites.figures(o, f"{m.label(place)}, {m.label(o['indicator'])}, "
                                         f"{year}: {score_text(o['score'])}")
            elif o["year"] == previous:
                values[o["indicator"] + "@prev"] = o["score"]
        table[place] = values
    for place in [iri, *neighbours]:
        values = table[place]
        row = [m.label(place)]
        for indicator in tops:
            now, before = values.get(indicator), values.get(indicator + "@prev")
            row.append(score_text(now) if now is not None else "–")
            row.append(f"{now - before:+.2f}" if now is not None and before is not None else "–")
        rows.append(row)
    for indicator in tops:
        word = _lower(snap.indicators[indicator]["label"])
        scored = {p: v[indicator] for p, v in table.items() if v.get(indicator) is not None}
        if iri in scored and len(scored) > 1:
            higher = sum(1 for v in scored.values() if v > scored[iri])
            sentences.append(_sentence(
                f"Among these {len(scored)} countries with a {year} score, {label} has the "
                f"{ordinal(higher + 1)} highest {word} ({score_text(scored[iri])}; position "
                "computed from the scores in the table).", keys, True))
    blocks.append({"type": "para", "sentences": sentences})
    columns = ["Country"]
    for indicator in tops:
        columns += [f"{snap.indicators[indicator]['label']} {year}",
                    f"change from {previous}" if previous else "change"]
    blocks.append({"type": "table", "columns": columns,
        "rows": rows, "caption": _sentence(
            f"Criminality and resilience of {label} and its neighbours, {year}"
            + (f", with the change from {previous} (computed)" if previous else "") + ".",
            keys, bool(previous))})
    within = {n: m.descendants(n, "partOf") for n in neighbours}
    crossing: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        if "Flow" not in {k.removeprefix(_TKG) for k in claim.values.get("kind", ())}:
            continue
        stops = {p for f in ("origin", "transit", "destination") for p in claim.values.get(f, ())}
        for n, parts in within.items():
            if stops & parts:
                crossing[n].append(claim)
    if crossing:
        parts = [f"{m.label(n)} ({len(c)})" for n, c in sorted(
            crossing.items(), key=lambda kv: (-len(kv[1]), m.label(kv[0])))]
        flow_keys = [cites.claim(c) for n in crossing for c in crossing[n]]
        blocks.append({"type": "para", "sentences": [_sentence(
            f"Of the flows described above, these name a neighbour as origin, transit or "
            f"destination: {join(parts)} (counted from the flows cited).", flow_keys, True)]})
    # The route map draws the flows that run between places (a flow that only leaves a
    # country has no leg to draw).
    drawn = [c for c in claims if c.legs
             and "Flow" in {k.removeprefix(_TKG) for k in c.values.get("kind", ())}]
    if drawn:
        blocks.append({"type": "map", "country": iri, "caption": _sentence(
            f"The route map draws the {len(drawn)} flows of this brief that run from one "
            "place to another, at the places' coordinates (on screen: hover over a line for "
            "its claims and sources).", [cites.claim(c) for c in drawn])})
    return {"id": "neighbours", "title": "Neighbours", "level": 2, "blocks": blocks}
