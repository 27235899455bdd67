"""Everything the graph says about one entity, in the sections its kind calls for.

:func:`describe` is the data of an entity page. Every entity gets its classes, names,
description and statements (both ways), read from the graph as they are, so a new class or
property appears without code; the sections of each kind come from the library's own
questions: an actor's flows (:func:`graph.traverse.flows`) and claims with their evidence
(:mod:`graph.evidence`), a place's flows, actors and Index scores
(:func:`graph.traverse.country`), a commodity's flows and actors
(:func:`graph.traverse.who`), a claim's sources, lineages, supports and conflicts
(:func:`graph.evidence.evidence`), a document's passages, the claims citing each, its
lineage and coverage (:func:`graph.coverage.coverage`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph import query as named
from graph.backends.base import IRI
from graph.errors import AmbiguousEntity, EntityNotFound, QueryError
from graph.explore.kinds import kind_of
from graph.lookup import expand_id, short_id

__all__ = ["describe", "entity_kind", "find_entity", "rdf_description"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_TKG = "https://w3id.org/tkg/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCTERMS = "http://purl.org/dc/terms/"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
#: Properties shown in the heading of a page (names, description), not among its statements.
_NAMES = {_RDFS + "label", _SKOS + "prefLabel", _DCTERMS + "title", _SKOS + "altLabel",
          _DCTERMS + "description", _SKOS + "definition"}
_DESCRIPTIONS = (_DCTERMS + "description", _SKOS + "definition")
#: Links between actors a curator made (shown as "aliases and close matches").
_MATCHES = {_SKOS + m for m in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch",
                                "relatedMatch")} | {"http://www.w3.org/2002/07/owl#sameAs",
                                                    "http://www.w3.org/2002/07/owl#differentFrom"}
#: Incoming statements listed per property before "and N more".
_MENTIONS_SHOWN = 25


def _rows(kg, name: str, **bindings: Any) -> list[dict[str, Any]]:
    return kg.execute(named.get(name).sparql, bindings).dicts()


def find_entity(kg, entity: str) -> IRI:
    """The IRI of ``entity``: a short id (``kb:actor-aqim``), an IRI, or a name.

    An id is taken when the graph has statements about it; otherwise the text is looked up
    as a label, alternative label or code (:meth:`graph.KnowledgeGraph.resolve`).

    Raises
    ------
    graph.errors.EntityNotFound
        If nothing matches; its ``suggestions`` are close names and ids.

    Examples
    --------
    >>> find_entity(kg, "kb:actor-aqim") == find_entity(kg, "AQIM")
    True
    """
    text = str(entity).strip()
    if not text:
        raise EntityNotFound(text, [], kind="entity")
    try:
        iri = expand_id(text)
    except EntityNotFound:
        iri = None
    if iri is not None:
        try:
            if (_rows(kg, "_entity-statements", entity=iri)
                    or _rows(kg, "_entity-mentions", entity=iri)):
                return iri
        except QueryError:  # not a valid IRI ("kb:<x>"): no entity has it
            pass
    try:
        return kg.resolve(text)
    except AmbiguousEntity as exc:
        raise EntityNotFound(text, exc.candidates, kind="entity",
                             note="several entities have that name") from None
    except EntityNotFound:
        local = text.split(":", 1)[1] if iri is not None and ":" in text else text
        suggestions = kg.index.suggest(text, ids=True) if ":" in text else []
        suggestions += [s for s in kg.index.suggest(local.replace("-", " "))
                        if s not in suggestions]
        raise EntityNotFound(text, suggestions[:6], kind="entity") from None


def entity_kind(kg, iri: str) -> str:
    """The explorer kind of an entity: actor, place, commodity, claim, document, passage
    or other (:data:`graph.explore.KINDS`).

    Examples
    --------
    >>> entity_kind(kg, "kb:flow-ocindex-2021-mali-arms-libya")
    'claim'
    """
    iri = expand_id(str(iri))
    classes = [r["value"] for r in _rows(kg, "_entity-statements", entity=iri)
               if r["property"] == _RDF_TYPE]
    return kind_of(kg.index_of([iri]), str(iri), classes)


def describe(kg, entity: str) -> dict[str, Any]:
    """Everything the graph says about ``entity``, for its page or a notebook.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    entity : str
        A short id (``kb:actor-aqim``), an IRI or a name (see :func:`find_entity`).

    Returns
    -------
    dict
        Always: ``id``, ``short``, ``label``, ``kind`` (actor, place, commodity, claim,
        document, passage or other), ``type`` (the most specific class label),
        ``classes`` (list of {id, short, label}), ``names`` (alternative labels and
        codes), ``description``, ``statements`` (one per property of the entity as
        subject: ``property`` {id, short, label} and ``values``, each {id, short, label}
        for an entity or {value} for a literal) and ``mentions`` (the same for statements
        pointing at the entity, with ``count`` and ``more``). Then the sections of its
        kind:

        - actor: ``matches``, ``flows`` (with the actor's ``role`` and ``certainty``),
          ``claims`` (other claims: ``kind``, ``roles``, ``certainty``, ``sources``,
          ``independent_lineages``), ``markets``, ``places``;
        - place: ``inbound``, ``outbound``, ``transit`` (flows), ``actors``, ``scores``
          (by indicator, each edition's value and the change from the one before),
          ``ranks``, ``borders``, ``within``, ``parts``;
        - commodity: ``flows``, ``actors``;
        - claim: ``claim_kind``, ``certainty``, ``period``, ``actors``, ``legs``,
          ``evidence`` (:func:`graph.evidence.evidence`), ``map`` (the ``commodity`` and
          ``place`` of the view that shows it);
        - document: ``passages`` (each with the ``claims`` citing it), ``lineage``,
          ``coverage``;
        - passage: ``document``, ``section``, ``paragraph``, ``claims``.

    Raises
    ------
    graph.errors.EntityNotFound
        If ``entity`` matches nothing (with suggestions).

    Examples
    --------
    >>> aqim = describe(kg, "kb:actor-aqim")
    >>> aqim["label"], aqim["kind"], "AQIM" in aqim["names"]
    ('Al-Qaeda in the Islamic Maghreb', 'actor', True)
    >>> libya = describe(kg, "place:LBY")
    >>> any(s["indicator"]["label"] == "Arms trafficking" for s in libya["scores"])
    True
    """
    iri = find_entity(kg, entity)
    statements = _rows(kg, "_entity-statements", entity=iri)
    mentions = _rows(kg, "_entity-mentions", entity=iri)
    named_iris = {iri} | {r["property"] for r in statements} | {r["property"] for r in mentions}
    named_iris |= {r["value"] for r in statements if isinstance(r["value"], IRI)}
    named_iris |= {r["subject"] for r in mentions}
    index = kg.index_of(named_iris)
    refs = _Refs(index)
    kind = kind_of(index, iri, [r["value"] for r in statements if r["property"] == _RDF_TYPE])
    names = sorted(index.entities[iri].names, key=str.casefold) if iri in index.entities else []
    description = next((str(r["value"]) for p in _DESCRIPTIONS for r in statements
                        if r["property"] == p), "")
    record: dict[str, Any] = {
        "id": str(iri), "short": short_id(iri), "label": index.label(iri), "kind": kind,
        "type": index.kind(iri),
        "classes": sorted((refs(r["value"]) for r in statements if r["property"] == _RDF_TYPE),
                          key=_value_order),
        "names": names, "description": description,
        "statements": _group_statements(statements, refs),
        "mentions": _group_mentions(mentions, refs),
    }
    section = _SECTIONS.get(kind)
    if section is not None:
        record.update(section(kg, iri, statements, mentions, refs))
    return record


class _Refs:
    """``{id, short, label}`` of entities, from one index of them."""

    def __init__(self, index) -> None:
        self.index = index

    def __call__(self, iri: str | None) -> dict[str, Any] | None:
        if iri is None:
            return None
        return {"id": str(iri), "short": short_id(iri), "label": self.index.label(str(iri))}


def _value(value: Any, refs: _Refs) -> dict[str, Any]:
    if isinstance(value, IRI):
        return refs(value)
    return {"value": value}


def _group_statements(rows: list[dict[str, Any]], refs: _Refs) -> list[dict[str, Any]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        value = row["value"]
        if row["property"] in _NAMES or row["property"] == _RDF_TYPE:
            continue
        if isinstance(value, str) and not isinstance(value, IRI) and value.startswith("_:"):
            continue  # blank nodes (involvements) are shown by the kind's own sections
        item = _value(value, refs)
        if item not in grouped[row["property"]]:
            grouped[row["property"]].append(item)
    out = [{"property": refs(p), "values": sorted(v, key=_value_order)}
           for p, v in grouped.items()]
    return sorted(out, key=lambda s: (s["property"]["label"].casefold(), s["property"]["id"]))


def _value_order(value: dict[str, Any]) -> tuple:
    return (str(value.get("label", value.get("value", ""))).casefold(), value.get("id", ""))


def _group_mentions(rows: list[dict[str, Any]], refs: _Refs) -> list[dict[str, Any]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row["subject"] not in grouped[row["property"]]:
            grouped[row["property"]].append(row["subject"])
    out = []
    for prop, subjects in grouped.items():
        values = sorted((refs(s) for s in subjects), key=_value_order)
        out.append({"property": refs(prop), "count": len(values),
                    "values": values[:_MENTIONS_SHOWN],
                    "more": max(0, len(values) - _MENTIONS_SHOWN)})
    return sorted(out, key=lambda s: (s["property"]["label"].casefold(), s["property"]["id"]))


def _values(statements: list[dict[str, Any]], prop: str) -> list[Any]:
    return [r["value"] for r in statements if r["property"] == prop]


def _sources(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"document": str(s["document"]), "short": short_id(s["document"]),
             "title": s.get("title"), "section": s.get("section"),
             "paragraph": s.get("paragraph"), "reliability": s.get("reliability")}
            for s in records]


def _claim_sources(kg, claims: list[str]) -> dict[str, dict[str, Any]]:
    """Each claim's sources (document § ¶, reliability) and independent lineages.

    Reads only these claims (and, for the lineages, the claims supporting them), as
    :func:`graph.evidence.lineages_of` does, so an actor's page does not read the sources
    of every claim of a large graph.
    """
    from graph.evidence import lineages_of

    claims = sorted({str(c) for c in claims})
    if not claims:
        return {}
    counts = lineages_of(kg, claims)
    text = named.get("_claims-sources").sparql
    if kg.backend.binds_many:
        rows = kg.execute(text, {"claim": [IRI(c) for c in claims]}).dicts()
    else:
        rows = [r for c in claims for r in kg.execute(text, {"claim": IRI(c)}).dicts()]
    sources: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        sources[str(row["claim"])].append({
            "document": str(row["document"]), "title": row["title"],
            "section": row["section"], "paragraph": row["paragraph"],
            "reliability": row["reliability"]})
    return {c: {"sources": _sources(sources.get(c, [])), "independent_lineages": counts.get(c, 0)}
            for c in claims}


def _flows(records) -> list[dict[str, Any]]:
    """Flow records of :func:`graph.traverse.flows` with short ids on every entity."""
    out = []
    for f in records:
        flow = dict(f)
        flow["short"] = short_id(f["id"])
        out.append(flow)
    return out


# -- actor ----------------------------------------------------------------------------------

def _actor(kg, iri, statements, mentions, refs) -> dict[str, Any]:
    from graph.traverse import flows

    flow_records = _flows(flows(kg, actor=iri))
    for flow in flow_records:
        mine = [a for a in flow["actors"] if str(a["id"]) == str(iri)]
        flow["role"] = "; ".join(sorted({_role_text(a) for a in mine} - {""}))
        flow["actor_certainty"] = mine[0]["certainty"] if mine else flow["certainty"]
    flow_ids = {str(f["id"]) for f in flow_records}
    rows = _rows(kg, "_actor-claims", actor=iri)
    index = kg.index_of({r["role"] for r in rows} | {r["kind"] for r in rows}
                        | {r["certainty"] for r in rows if r["certainty"]}
                        | {r["own"] for r in rows if r["own"]})
    claims: dict[str, dict[str, Any]] = {}
    for row in rows:
        claim = str(row["claim"])
        if claim in flow_ids:
            continue
        entry = claims.setdefault(claim, {
            "id": claim, "short": short_id(claim),
            "label": str(row["label"] or short_id(claim)), "kind": index.label(row["kind"]),
            "roles": [], "certainty": index.label(row["own"] or row["certainty"])
            if (row["own"] or row["certainty"]) else None})
        role = index.label(row["role"])
        if role not in entry["roles"]:
            entry["roles"].append(role)
    evidence = _claim_sources(kg, sorted(set(claims) | flow_ids))
    for claim in claims.values():
        claim.update(evidence[claim["id"]])
        claim["roles"].sort()
    for flow in flow_records:
        flow["independent_lineages"] = evidence[str(flow["id"])]["independent_lineages"]
        flow["evidence"] = evidence[str(flow["id"])]["sources"]
    contexts = _rows(kg, "actor-contexts", actor=iri)
    markets = {r[k] for r in contexts for k in ("market", "commodity") if r[k]}
    places = {r["place"] for r in contexts if r["place"]}
    places |= set(_values(statements, _TKG + "homePlace"))
    index = kg.index_of(markets | places)
    matches = [{"relation": refs(r["property"]), "other": refs(v)}
               for r in statements if r["property"] in _MATCHES
               for v in [r["value"]] if isinstance(v, IRI)]
    matches += [{"relation": refs(r["property"]), "other": refs(r["subject"]), "inverse": True}
                for r in mentions if r["property"] in _MATCHES]
    return {
        "matches": matches,
        "flows": flow_records,
        "claims": sorted(claims.values(), key=lambda c: (c["kind"], c["label"].casefold())),
        "markets": _sorted_refs(index, markets),
        "places": _sorted_refs(index, places),
    }


def _role_text(actor: dict[str, Any]) -> str:
    roles = actor.get("roles") or []
    if roles:
        return ", ".join(str(r.get("label", r)) if isinstance(r, dict) else str(r)
                         for r in roles)
    role = actor.get("role")
    if isinstance(role, dict):
        return str(role.get("label") or "")
    return str(role or "")


def _sorted_refs(index, iris) -> list[dict[str, Any]]:
    refs = _Refs(index)
    return sorted((refs(i) for i in iris), key=lambda r: (r["label"].casefold(), r["id"]))


# -- place ----------------------------------------------------------------------------------

def _place(kg, iri, statements, mentions, refs) -> dict[str, Any]:
    from graph.traverse import country, flows, who

    scores: list[dict[str, Any]] = []
    ranks: list[dict[str, Any]] = []
    if kg.is_a(iri, "tkg:Country"):
        profile = country(kg, iri)
        inbound, outbound, transit = profile["inbound"], profile["outbound"], profile["transit"]
        actors = profile["actors"]
        scores = _by_edition(profile["scores"], "value")
        ranks = _by_edition(profile["ranks"], "rank", extra=("out_of", "scope"))
    else:
        inbound = flows(kg, destination=iri)
        outbound = flows(kg, origin=iri)
        transit = flows(kg, transit=iri)
        actors = who(kg, iri)
    return {
        "inbound": _flows(inbound), "outbound": _flows(outbound), "transit": _flows(transit),
        "actors": [{**a, "actor": {**a["actor"], "short": short_id(a["actor"]["id"])}}
                   for a in actors],
        "scores": scores, "ranks": ranks,
        "borders": sorted({refs(v)["id"]: refs(v) for v in _values(statements, _TKG + "borders")
                           if isinstance(v, IRI)}.values(), key=_value_order)
        + sorted((refs(r["subject"]) for r in mentions if r["property"] == _TKG + "borders"),
                 key=_value_order),
        "within": sorted((refs(v) for v in _values(statements, _TKG + "partOf")
                          if isinstance(v, IRI)), key=_value_order),
        "parts": sorted((refs(r["subject"]) for r in mentions
                         if r["property"] == _TKG + "partOf"), key=_value_order),
    }


def _by_edition(rows: list[dict[str, Any]], key: str,
                extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Index figures by indicator: each edition's value and its change from the previous one.

    Examples
    --------
    >>> rows = [{"indicator": {"id": "i", "label": "Arms"}, "edition": 2021, "value": 8.0},
    ...         {"indicator": {"id": "i", "label": "Arms"}, "edition": 2023, "value": 8.5}]
    >>> [(e["edition"], e["value"], e["change"]) for e in _by_edition(rows, "value")[0]["editions"]]
    [(2021, 8.0, None), (2023, 8.5, 0.5)]
    """
    by_indicator: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: (r["edition"], r["indicator"]["label"].casefold())):
        indicator = row["indicator"]
        entry = by_indicator.setdefault(str(indicator["id"]), {
            "indicator": {**indicator, "short": short_id(indicator["id"])}, "editions": []})
        previous = entry["editions"][-1][key] if entry["editions"] else None
        value = row[key]
        change = None
        if isinstance(previous, (int, float)) and isinstance(value, (int, float)):
            change = round(value - previous, 2)
        edition = {"edition": row["edition"], key: value, "change": change}
        edition.update({k: row.get(k) for k in extra})
        entry["editions"].append(edition)
    return sorted(by_indicator.values(), key=lambda e: e["indicator"]["label"].casefold())


# -- commodity ------------------------------------------------------------------------------

def _commodity(kg, iri, statements, mentions, refs) -> dict[str, Any]:
    from graph.traverse import flows, who

    actors = who(kg, iri)
    return {"flows": _flows(flows(kg, commodity=iri)),
            "actors": [{**a, "actor": {**a["actor"], "short": short_id(a["actor"]["id"])}}
                       for a in actors]}


# -- claim ----------------------------------------------------------------------------------

_LEGS = """
SELECT ?leg ?index ?from ?to WHERE {
  ?leg tkg:legOf ?flow ; tkg:fromPlace ?from ; tkg:toPlace ?to ; tkg:legIndex ?index .
}
ORDER BY ?index
"""
_INVOLVEMENTS = """
SELECT ?actor ?role ?certainty WHERE {
  ?claim tkg:qualifiedInvolvement ?involvement .
  ?involvement tkg:actor ?actor ; tkg:role ?role .
  OPTIONAL { ?involvement tkg:certainty ?certainty }
}
ORDER BY ?actor ?role
"""


def _claim(kg, iri, statements, mentions, refs) -> dict[str, Any]:
    from graph.evidence import evidence

    legs = kg.execute(_LEGS, {"flow": iri}).dicts()
    involvements = kg.execute(_INVOLVEMENTS, {"claim": iri}).dicts()
    index = kg.index_of({r[k] for r in legs for k in ("from", "to")}
                        | {r[k] for r in involvements for k in ("actor", "role", "certainty")
                           if r[k]})
    named_refs = _Refs(index)
    actors: dict[str, dict[str, Any]] = {}
    for row in involvements:
        entry = actors.setdefault(str(row["actor"]), {
            "actor": named_refs(row["actor"]), "type": index.kind(row["actor"]), "roles": [],
            "certainty": index.label(row["certainty"]) if row["certainty"] else None})
        role = index.label(row["role"])
        if role not in entry["roles"]:
            entry["roles"].append(role)
    for prop, role in ((_TKG + "subjectActor", "subject"), (_TKG + "objectActor", "object")):
        for value in _values(statements, prop):
            actors.setdefault(str(value), {"actor": refs(value), "type": "", "roles": [role],
                                           "certainty": None})
    certainty = next((refs(v) for v in _values(statements, _TKG + "certainty")), None)
    start = next(iter(_values(statements, _TKG + "startYear")), None)
    end = next(iter(_values(statements, _TKG + "endYear")), None)
    try:
        record = evidence(kg, iri)
    except EntityNotFound:
        record = None
    if record is not None:
        record = {**record,
                  "sources": [{**s, "short": short_id(s["document"]),
                               "lineage": [{**step, "short": short_id(step["document"])}
                                           for step in s["lineage"]]}
                              for s in record["sources"]],
                  "supports": [{**s, "short": short_id(s["id"])} for s in record["supports"]],
                  "conflicts": [{**c, "short": short_id(c["id"])} for c in record["conflicts"]]}
    classes = sorted((refs(v) for v in _values(statements, _RDF_TYPE)), key=_value_order)
    places = [v for prop in ("destination", "place", "transit", "origin")
              for v in _values(statements, _TKG + prop) if isinstance(v, IRI)]
    commodity = next((v for v in _values(statements, _TKG + "commodity")), None)
    for actor in actors.values():
        actor["roles"].sort()
    return {
        "map": {"commodity": refs(commodity), "place": refs(places[0]) if places else None},
        "claim_kind": refs.index.kind(str(iri)) or (classes[0]["label"] if classes else ""),
        "certainty": certainty,
        "period": _period(start, end),
        "actors": sorted(actors.values(), key=lambda a: a["actor"]["label"].casefold()),
        "legs": [{"index": r["index"], "from": named_refs(r["from"]), "to": named_refs(r["to"])}
                 for r in legs],
        "evidence": record,
    }


def _period(start: Any, end: Any) -> str:
    if start is None and end is None:
        return ""
    if start == end:
        return str(start)
    if end is None:
        return f"since {start}"
    if start is None:
        return f"until {end}"
    return f"{start}–{end}"


# -- document and passage -------------------------------------------------------------------

def _document(kg, iri, statements, mentions, refs) -> dict[str, Any]:
    from graph.coverage import coverage
    from graph.evidence import lineage_chain

    citing: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = _rows(kg, "_document-claims", document=iri)
    index = kg.index_of({r["kind"] for r in rows} | {r["certainty"] for r in rows
                                                     if r["certainty"]})
    for row in rows:
        citing[str(row["passage"])].append({
            "id": str(row["claim"]), "short": short_id(row["claim"]),
            "label": str(row["label"] or short_id(row["claim"])),
            "kind": index.label(row["kind"]),
            "certainty": index.label(row["certainty"]) if row["certainty"] else None})
    passages = []
    for row in kg.query("passages", document=iri):
        passages.append({"id": str(row["passage"]), "short": short_id(row["passage"]),
                         "section": row["section"], "paragraph": row["paragraph"],
                         "states_fact": row["statesFact"],
                         "claims": citing.get(str(row["passage"]), [])})
    lineage = [{**step, "short": short_id(step["document"])}
               for step in lineage_chain(kg, iri)]
    return {"passages": passages, "lineage": lineage, "coverage": coverage(kg, iri)}


def _passage(kg, iri, statements, mentions, refs) -> dict[str, Any]:
    document = next((refs(v) for v in _values(statements, _TKG + "inDocument")), None)
    citing = [r["subject"] for r in mentions
              if r["property"] == "http://www.w3.org/ns/prov#wasDerivedFrom"]
    index = kg.index_of(citing)
    section = next(iter(_values(statements, _TKG + "section")), None)
    paragraph = next(iter(_values(statements, _TKG + "paragraph")), None)
    label = f"{document['label'] if document else refs.index.label(iri)} § {section} ¶{paragraph}"
    return {"label": label, "document": document,
            "section": section, "paragraph": paragraph,
            "claims": [{"id": str(c), "short": short_id(c), "label": index.label(c),
                        "kind": index.kind(c)} for c in sorted(citing)]}


_SECTIONS = {"actor": _actor, "place": _place, "commodity": _commodity, "claim": _claim,
             "document": _document, "passage": _passage}


#: The description of one entity as RDF: its statements as subject, those of the blank nodes
#: it points at, and the labels of what both point at. A CONSTRUCT, so not a named query
#: (those answer rows); ``?entity`` is bound.
_RDF = """
CONSTRUCT {
  ?entity ?property ?value .
  ?node ?nodeProperty ?nodeValue .
  ?named ?labelProperty ?label .
}
WHERE {
  { ?entity ?property ?value }
  UNION {
    ?entity ?via ?node .
    FILTER (isBlank(?node))
    ?node ?nodeProperty ?nodeValue .
  }
  UNION {
    { ?entity ?to ?named }
    UNION { ?entity ?via2 ?blank . FILTER (isBlank(?blank)) ?blank ?to2 ?named }
    FILTER (isIRI(?named))
    VALUES ?labelProperty { rdfs:label skos:prefLabel dcterms:title }
    ?named ?labelProperty ?label .
  }
}
"""


def rdf_description(kg, entity: str):
    """The SPARQL (text, bindings) that returns ``entity``'s description as RDF.

    Its statements as subject, those of the blank nodes it points at (a claim's actor
    involvements), and the labels and titles of every entity these point at: enough for a
    Linked Data client to show the entity without a second request.

    Raises
    ------
    graph.errors.EntityNotFound
        If ``entity`` matches nothing.

    Examples
    --------
    >>> text, bindings = rdf_description(kg, "kb:actor-aqim")
    >>> triples = list(kg.execute(text, bindings).rows())
    >>> any(p.endswith("#type") for _, p, _ in triples)
    True
    """
    iri = find_entity(kg, entity)
    return _RDF, {"entity": iri}

