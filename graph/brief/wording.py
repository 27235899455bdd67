"""Sentences of a country brief, generated from the facets of claims and from scores.

Every sentence is built from structured facts (places, commodities, actors and roles,
period, trend, magnitude, labels) and put in the frame of its certainty grade, which the
ontology states on each grade (``tkg:hedgeFrame`` in ``vocab/certainty.ttl``): a claim the
source only suspects reads "It is suspected that ...", never as a plain statement. An
actor's involvement with its own grade gets a sentence of its own in that grade's frame.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from graph.brief.collect import Snapshot
from graph.claims import Claim
from graph.namespaces import TKG

__all__ = ["claim_sentences", "frame", "join", "ordinal", "score_text"]

_TKG = str(TKG)


def join(items: Iterable[str], last: str = " and ") -> str:
    """Join words as English prose: ``a``, ``a and b``, ``a, b and c``.

    Examples
    --------
    >>> join(["Guinea", "Burkina Faso"]), join(["a", "b", "c"]), join([])
    ('Guinea and Burkina Faso', 'a, b and c', '')
    >>> join(["corruption", "fraud"], last=" as well as ")
    'corruption as well as fraud'
    """
    items = [i for i in items if i]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + last + items[-1]


def ordinal(n: int) -> str:
    """``1`` -> ``1st``, ``12`` -> ``12th``, ``23`` -> ``23rd``.

    Examples
    --------
    >>> [ordinal(n) for n in (1, 2, 3, 11, 15, 22, 178)]
    ['1st', '2nd', '3rd', '11th', '15th', '22nd', '178th']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def score_text(value: float) -> str:
    """A score as the Index prints it, with two decimals.

    Examples
    --------
    >>> score_text(8), score_text(2.375)
    ('8.00', '2.38')
    """
    return f"{_round(value):.2f}"


def _round(value: float) -> float:
    # Half away from zero, as the Index rounds (2.375 -> 2.38), not banker's rounding.
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def capitalise(text: str) -> str:
    """Upper-case the first letter only."""
    return text[:1].upper() + text[1:] if text else text


def frame(snap: Snapshot, grade: str | None, clause: str) -> str:
    """Put ``clause`` in the frame of ``grade`` (from the ontology), as one sentence.

    A grade without a frame, or no grade at all, is framed as a suspicion: the brief never
    reads firmer than what the graph states.

    Examples
    --------
    >>> from graph.brief.collect import snapshot
    >>> snap = snapshot(kg)
    >>> cert = "https://w3id.org/tkg/vocab/certainty/"
    >>> frame(snap, cert + "suspected", "officials collude")
    'It is suspected that officials collude.'
    >>> frame(snap, cert + "reported", "arms move")
    'Arms move.'
    """
    record = snap.grade(grade)
    pattern = record["frame"] if record and record["frame"] else None
    if pattern is None:
        suspected = next((g for g in snap.grades if g["frame"] and "{}" in g["frame"]
                          and g["level"] == min(x["level"] for x in snap.grades)), None)
        pattern = suspected["frame"] if suspected else "It is suspected that {}."
    text = pattern.replace("{}", clause)
    return capitalise(text)


def _labels(snap: Snapshot, iris: Iterable[str], ordered: bool = False) -> list[str]:
    """Labels, sorted (RDF keeps no order among repeated values) unless ``ordered``."""
    labels = [snap.model.label(i) for i in iris]
    return labels if ordered else sorted(labels, key=str.casefold)


def _terms(snap: Snapshot, iris: Iterable[str], proper: set[str]) -> list[str]:
    """Labels of vocabulary terms (commodities, activity types) as words inside a sentence."""
    return [lowercase_label(snap, label, proper) for label in _labels(snap, iris)]


def _period(claim: Claim) -> list[str]:
    """The claim's years as a detail: ``["from 2012"]``, ``["in 2020"]`` or ``[]``."""
    start, end = claim.first("startYear"), claim.first("endYear")
    if start is not None and end is not None:
        return [f"in {start}" if str(start) == str(end) else f"from {start} to {end}"]
    if start is not None:
        return [f"from {start}"]
    if end is not None:
        return [f"until {end}"]
    return []


def _details(items: list[str]) -> str:
    """Details after a clause, in one parenthesis: `` (mode: overland; from 2022)``."""
    return f" ({'; '.join(items)})" if items else ""


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _kinds(claim: Claim) -> set[str]:
    return {k.removeprefix(_TKG) for k in claim.values.get("kind", ())}


def lowercase_label(snap: Snapshot, text: str, proper: set[str]) -> str:
    """Lower-case the first letter of a label used inside a sentence, unless it starts a name.

    ``proper`` holds first words of names (places, actors) that keep their capital.
    """
    first = re.split(r"[\s,;:]", text, maxsplit=1)[0]
    if not first or first in proper or first.isupper() or any(c.isdigit() for c in first):
        return text
    return first[:1].lower() + text[1:]


def claim_sentences(snap: Snapshot, claim: Claim, proper: set[str]) -> list[str]:
    """The sentences that describe one claim, each in the frame of its grade.

    Flows: commodity, origin, transits, destination, mode, period, magnitude; activities:
    activity types, commodities, places; actor relations: type, subject, object, place;
    findings and events: their label. Then the actors and their roles (involvements with a
    grade of their own in that grade's frame), the trend and its cause.
    """
    m = snap.model
    kinds = _kinds(claim)
    grade = claim.certainty
    extras = snap.extras.get(claim.id, {})
    out: list[str] = []
    if "Flow" in kinds:
        commodities = join(_terms(snap, claim.values.get("commodity", ()), proper)) or "goods"
        magnitude = claim.first("magnitude")
        size = f"{m.label(magnitude)} " if magnitude else ""
        head = f"{_article(size or 'flow')} {size}flow of {commodities}"
        origins = join(_labels(snap, claim.values.get("origin", ())))
        transits = join(_labels(snap, claim.values.get("transit", ()), ordered=True))
        destinations = join(_labels(snap, claim.values.get("destination", ())))
        path = []
        if origins:
            path.append(f"from {origins}")
        if transits:
            path.append(f"through {transits}")
        if destinations:
            path.append(f"to {destinations}")
        if not path:
            clause = f"{head} is recorded"
        elif origins and not (transits or destinations):
            clause = f"{head} leaves {origins}"
        else:
            clause = f"{head} runs " + " ".join(path)
        modes = join(_labels(snap, claim.values.get("mode", ())))
        clause += _details(([f"mode: {modes}"] if modes else []) + _period(claim))
        out.append(frame(snap, grade, clause))
        subject = "the flow"
    elif "Activity" in kinds:
        # Activity types are listed with "as well as", so that a list of vocabulary terms
        # does not run into a source's own "x and y of z" phrasing.
        types = join(_terms(snap, claim.values.get("activityType", ()), proper),
                     last=" as well as ") or "activity"
        commodities = join(_terms(snap, claim.values.get("commodity", ()), proper))
        places = join(_labels(snap, claim.values.get("place", ())))
        clause = types + (f" involving {commodities}" if commodities else "")
        clause += f" takes place in {places}" if places else " takes place"
        magnitude = claim.first("magnitude")
        if magnitude:
            clause += f" on {_article(m.label(magnitude))} {m.label(magnitude)} scale"
        clause += _details(_period(claim))
        out.append(frame(snap, grade, clause))
        subject = "the activity"
    elif "ActorRelation" in kinds:
        kind = join(f"“{t}”" for t in _labels(snap, claim.values.get("relationType", ())))
        subjects = claim.values.get("subjectActor", [])
        objects = claim.values.get("objectActor", [])
        places = join(_labels(snap, claim.values.get("place", ())))
        if set(subjects) == set(objects):
            clause = (f"a relation of the type {kind} holds among "
                      f"{join(_labels(snap, subjects))}")
        else:
            clause = (f"a relation of the type {kind} runs from {join(_labels(snap, subjects))} "
                      f"to {join(_labels(snap, objects))}")
        details = [f"place: {places}"] if places else []
        details.append(f"described as “{claim.label}”")
        clause += _details(details + _period(claim))
        out.append(frame(snap, grade, clause))
        subject = "the relation"
    elif "Event" in kinds:
        types = join(_labels(snap, extras.get("eventType", ())))
        places = join(_labels(snap, claim.values.get("place", ())))
        clause = f"the event “{claim.label}”"
        if types:
            clause += f" ({types})"
        clause += f" is recorded in {places}" if places else " is recorded"
        clause += _details(_period(claim))
        out.append(frame(snap, grade, clause))
        subject = "the event"
    else:
        assessment = join(_labels(snap, extras.get("assessment", ())))
        clause = f"the finding “{claim.label.rstrip('.')}” holds"
        if assessment:
            clause += f" (assessment: {assessment})"
        out.append(frame(snap, grade, clause))
        subject = "the finding"
    out.extend(_involvement_sentences(snap, claim, subject))
    trend = claim.first("trend")
    if trend:
        clause = f"{subject} is {m.label(trend)}"
        causes = extras.get("trendCause", ())
        if causes:
            clause += ", a change the source ties to " + join(
                f"“{m.label(c)}”" for c in causes)
        out.append(frame(snap, grade, clause))
    return out


def _involvement_sentences(snap: Snapshot, claim: Claim, subject: str) -> list[str]:
    m = snap.model
    by_grade: dict[Any, list[str]] = {}
    for inv in claim.involvements:
        grade = m.involvement_certainty(claim, inv)
        roles = ", ".join(sorted((m.label(r) for r in inv.roles), key=str.casefold))
        by_grade.setdefault(grade, []).append(
            f"{m.label(inv.actor)} (role: {roles})" if roles else m.label(inv.actor))
    out = []
    # Firmest grade first, so that a hedged involvement follows the plain ones.
    for grade, actors in sorted(by_grade.items(), key=lambda kv: -m.level(kv[0])):
        out.append(frame(snap, grade, f"{subject} involves {join(actors)}"))
    return out


def proper_words(snap: Snapshot, names: Sequence[str]) -> set[str]:
    """First words of names that keep their capital inside a sentence."""
    return {n.split()[0] for n in names if n and n[:1].isupper()}
