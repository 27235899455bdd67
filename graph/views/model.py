"""The data of a view: which nodes and lines to draw, where, how, and the claims behind them.

:func:`view_data` turns the flow network of :func:`graph.traverse.flow_network` (places
joined by the legs of flows) into plain data for the page: nodes with positions and
styles, lines grouped by pair of nodes, commodity branch and certainty grade (width = number
of claims), the claims themselves with their sources, and the legend. It selects flows by
commodity, certainty, country or actor; the actor view adds the actor's relations and the
other actors in its flows (an ego network).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from typing import Any

from graph.backends.base import IRI
from graph.errors import DataError, UnknownName
from graph.namespaces import TKG
from graph.views.layout import LAYOUTS, MAX_LAT, SCALE, force_layout, geo_layout

__all__ = ["line_weight", "view_data"]

#: How a step of a document's lineage reads in a source line ("derived from X").
_LINEAGE_WORDS = {"wasDerivedFrom": "derived from", "wasQuotedFrom": "quoting",
              "wasRevisionOf": "a revision of", "alternateOf": "an alternate of",
              "specializationOf": "a part of"}

_FLOW, _RELATION, _INVOLVEMENT = "flow", "relation", "involvement"

_RELATIONS = """
SELECT ?claim ?label ?description ?subject ?object ?kind ?certainty ?start ?end
       ?document ?title ?section ?paragraph WHERE {
  ?claim a tkg:ActorRelation ; tkg:subjectActor ?subject ; tkg:objectActor ?object ;
         tkg:certainty ?certainty .
  FILTER (?subject = ?actor || ?object = ?actor)
  OPTIONAL { ?claim rdfs:label ?label }
  OPTIONAL { ?claim dcterms:description ?description }
  OPTIONAL { ?claim tkg:relationType/skos:prefLabel ?kind }
  OPTIONAL { ?claim tkg:startYear ?start }
  OPTIONAL { ?claim tkg:endYear ?end }
  OPTIONAL {
    ?claim prov:wasDerivedFrom ?passage .
    ?passage tkg:inDocument ?document ; tkg:section ?section ; tkg:paragraph ?paragraph .
    OPTIONAL { ?document dcterms:title ?title }
  }
}
ORDER BY ?claim ?document ?section ?paragraph
"""

# The reliability grade of each source document that has one (labels: kg.ontology).
_RELIABILITY = """
SELECT ?document ?grade WHERE { ?document tkg:reliability ?grade }
"""

_HOMES = """
SELECT ?actor ?place WHERE { ?actor tkg:homePlace ?place }
"""


def _role(actor: dict[str, Any]) -> str:
    """The role(s) an actor plays in a claim, as text ("receives", "supplies, transports")."""
    role = actor.get("role")
    if isinstance(role, dict):
        return str(role.get("label") or "")
    if role:
        return str(role)
    roles = actor.get("roles") or ()
    return ", ".join(str(r.get("label", "")) if isinstance(r, dict) else str(r) for r in roles)


def _flow_network(kg, commodity, min_certainty):
    from graph.traverse import flow_network

    return flow_network(kg, commodity=commodity, min_certainty=min_certainty)


def _resolve(kg, name, cls):
    return None if name is None else kg.resolve(str(name), (cls,))


def view_data(kg, *, commodity: str | None = None, country: str | None = None,
              actor: str | None = None, layout: str = "geo", min_certainty: str | None = None,
              title: str | None = None, network=None) -> dict[str, Any]:
    """The plain data of one interactive view (what the page's script draws).

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph: flows, labels, classes and the vocabularies' hierarchies.
    commodity : str, optional
        Only flows of this commodity or a narrower one (name, code or IRI).
    country : str, optional
        Only flows with a place in this country (or region), or in a place within it.
    actor : str, optional
        The ego network of this actor: its flows, its relations to other actors and the
        other actors of its flows.
    layout : {"geo", "force"}
        Places at their latitude and longitude, or a spring layout.
    min_certainty : str, optional
        Only claims at least this certain (a grade of the certainty vocabulary).
    title : str, optional
        The page title; made from the selection when omitted.
    network : networkx.MultiDiGraph, optional
        A flow network to draw instead of ``flow_network(kg, ...)`` (same node and edge
        attributes); ``country`` and ``actor`` still select within it.

    Returns
    -------
    dict
        ``title``, ``layout``, ``scale`` (pixels per degree), ``nodes``, ``edges``,
        ``claims``, ``legend`` and ``period``; see :mod:`graph.views`.

    Raises
    ------
    graph.errors.UnknownName
        If ``layout`` is not one of :data:`graph.views.layout.LAYOUTS`.
    graph.errors.EntityNotFound, graph.errors.AmbiguousEntity
        If a commodity, country, actor or grade name matches nothing or several things.
    graph.errors.DataError
        If ``network`` is given together with ``commodity`` or ``min_certainty``.

    Examples
    --------
    >>> data = view_data(kg, country="Mali")
    >>> data["title"], len(data["nodes"]) > 5
    ('All flows through Mali', True)
    >>> all(data["claims"][c]["sources"] for line in data["edges"] for c in line["claims"])
    True
    """
    from graph.views.style import Styler

    if layout not in LAYOUTS:
        raise UnknownName("layout", layout, LAYOUTS)
    commodity_iri = _resolve(kg, commodity, "tkg:Commodity")
    country_iri = _resolve(kg, country, "tkg:Place")
    actor_iri = _resolve(kg, actor, "tkg:Actor")
    grade_iri = _resolve(kg, min_certainty, "tkg:CertaintyGrade")
    from_graph = network is None
    if from_graph:
        network = _flow_network(kg, commodity_iri, grade_iri)
    elif commodity_iri or grade_iri:
        raise DataError("commodity and min_certainty select from the graph's own flows; "
                        "filter a given network before drawing it")
    styler = Styler(kg)
    builder = _Builder(kg, styler)

    legs = [(u, v, d) for u, v, d in network.edges(data=True)]
    within: set[str] = set()
    if country_iri is not None:
        within = set(kg.ontology.descendants(country_iri, "partOf"))
        flows = {d["flow"] for u, v, d in legs if str(u) in within or str(v) in within}
        legs = [leg for leg in legs if leg[2]["flow"] in flows]
        if country_iri in network:
            builder.place(country_iri, network.nodes[country_iri])
        else:
            builder.place(country_iri, None)
    if actor_iri is not None:
        legs = [leg for leg in legs
                if any(str(a.get("id")) == actor_iri for a in leg[2].get("actors") or ())]
        builder.actor(actor_iri)
    for u, v, d in legs:
        for place in (u, v):
            builder.place(place, network.nodes[place])
        builder.flow_leg(u, v, d)
    if country_iri is None and actor_iri is None and not from_graph:
        for node in network.nodes:
            builder.place(node, network.nodes[node])
    routeless = []
    if from_graph:
        # Flows that name places but have no leg (an origin without a destination) are
        # shown on their places, so that every selected flow is in the view.
        from graph.traverse import flows

        drawn = {str(d["flow"]) for _, _, d in legs}
        for record in flows(kg, commodity=commodity_iri, actor=actor_iri,
                            min_certainty=grade_iri):
            places = [str(p["id"]) for key in ("origins", "transits", "destinations")
                      for p in record[key] or ()]
            if str(record["id"]) in drawn or not places:
                continue
            if country_iri is not None and not within.intersection(places):
                continue
            routeless.append((record, places))
    for record, places in routeless:
        for place in places:
            builder.place(place, network.nodes[place] if place in network else None)
        builder.routeless_flow(record, places)
    if actor_iri is not None:
        builder.ego(actor_iri, legs, routeless, styler.level(grade_iri))
    if actor_iri:
        default = f"Network of {kg.label(actor_iri)}"
        if commodity_iri:
            default += f": {kg.label(commodity_iri)}"
        if country_iri:
            default += f" in {kg.label(country_iri)}"
    else:
        default = f"{kg.label(commodity_iri)} flows" if commodity_iri else "All flows"
        if country_iri:
            default += f" through {kg.label(country_iri)}"
    if grade_iri:
        default += f" (at least {kg.label(grade_iri)})"
    default = default[:1].upper() + default[1:]
    data = builder.finish(title or default, layout)
    if layout == "geo":
        _add_map(kg, data, country_iri)
    return data


def _add_map(kg, data: dict[str, Any], country_iri: str | None) -> None:
    """Add the basemap, the focus countries and the areas of regions to geographic view data.

    The focus is the selected place's countries (a country, the country a place lies in,
    or a region's member countries); without a selection, the country that at least a
    third of the view's claims touch (the country a data set is about), if there is one.
    """
    from graph.views.basemap import basemap

    onto = kg.ontology
    countries_of: dict[str, set[str]] = defaultdict(set)  # place -> codes of its countries
    own_code: dict[str, str] = {}
    members: dict[str, set[str]] = defaultdict(set)  # region -> codes of its countries
    for country in onto.instances(TKG.Country):
        iso3 = onto.place_info.get(country, {}).get("iso3")
        if iso3 is None:
            continue
        own_code[country] = str(iso3)
        for place in onto.descendants(country, "partOf"):
            countries_of[place].add(str(iso3))
        for region in onto.ancestors(country, "partOf") - {country}:
            members[region].add(str(iso3))
    focus: set[str] = set()
    if country_iri is not None:
        focus = countries_of.get(country_iri) or members.get(country_iri) or set()
    elif data["claims"]:
        touched: dict[str, set[int]] = defaultdict(set)
        for node in data["nodes"]:
            for code in countries_of.get(node["iri"], ()):
                touched[code].update(node["claims"])
        for edge in data["edges"]:
            for end in (edge["from"], edge["to"]):
                for code in countries_of.get(data["nodes"][end]["iri"], ()):
                    touched[code].update(edge["claims"])
        if touched:
            best = max(sorted(touched), key=lambda code: len(touched[code]))
            if 3 * len(touched[best]) >= len(data["claims"]):
                focus = {best}
    for node in data["nodes"]:
        if node["iri"] in members:
            node["area"] = sorted(members[node["iri"]])
        elif node["iri"] in own_code:
            node["iso3"] = own_code[node["iri"]]
    data["basemap"] = basemap(sorted(focus))


def line_weight(kg, claims: list[dict[str, Any]]) -> float:
    """How heavy a line is drawn: the independent lineages of evidence behind its claims.

    The one place that decides a line's width (the page scales it by the share of the
    line's claims that the filters leave visible). Sources shared by the line's claims count
    once, and a story retold by several outlets counts as the one lineage it is
    (:func:`graph.evidence.combined_lineages`), so a rewrite never draws a thicker line.
    A line whose claims cite no document still weighs 1.

    Examples
    --------
    >>> arms = [{"id": "https://w3id.org/tkg/kb/flow-ocindex-2021-mali-arms-libya"}]
    >>> line_weight(kg, arms)
    2
    """
    from graph.evidence import combined_lineages

    return max(1, combined_lineages(kg, [c["id"] for c in claims]))


class _Builder:
    """Collects nodes, grouped lines and claims; then lays them out."""

    def __init__(self, kg, styler):
        self.kg = kg
        self.styler = styler
        self.nodes: dict[str, dict[str, Any]] = {}
        self.coordinates: dict[str, tuple[float, float] | None] = {}
        self.anchors: dict[str, list[str]] = {}
        self.claims: dict[str, dict[str, Any]] = {}
        self.lines: dict[tuple, list[str]] = {}
        self.groups: dict[str, dict[str, Any]] = {}
        self.grades: dict[str, dict[str, Any]] = {}
        self.kinds: dict[str, dict[str, Any]] = {}
        self.line_kinds: dict[str, dict[str, Any]] = {}
        self._known_coordinates: dict[str, dict[str, Any]] | None = None
        self._reliability: dict[str, str] | None = None
        self._lineages: dict[str, str] = {}
        self._independent: dict[str, int] | None = None

    # -- nodes ---------------------------------------------------------------------------

    def _coordinates(self, iri: str) -> dict[str, Any]:
        if self._known_coordinates is None:
            self._known_coordinates = {
                place: {"lat": info["lat"], "lon": info["long"], "iso3": info.get("iso3")}
                for place, info in self.kg.ontology.place_info.items()
                if "lat" in info and "long" in info}
        return self._known_coordinates.get(iri, {})

    def _node(self, iri: str, label: str, type_label: str, info: list[list[str]]):
        style = self.styler.node(iri, type_label)
        self.kinds.setdefault(style["key"], {k: style[k] for k in ("label", "shape", "colour")})
        self.nodes[iri] = {"iri": iri, "label": label, "type": type_label or style["label"],
                           "kind": style["key"], "info": info, "claims": set(), "own": []}

    def place(self, iri: Hashable, attrs: dict[str, Any] | None) -> None:
        iri = str(iri)
        if iri in self.nodes:
            return
        attrs = dict(attrs) if attrs else {}
        if attrs.get("lat") is None or attrs.get("lon") is None:
            known = self._coordinates(iri)
            attrs.setdefault("iso3", known.get("iso3"))
            if known:
                attrs["lat"], attrs["lon"] = known["lat"], known["lon"]
        label = attrs.get("label") or self.kg.label(iri)
        type_label = attrs.get("type") or self.kg.kind(iri)
        info = []
        if attrs.get("iso3"):
            info.append(["ISO code", str(attrs["iso3"])])
        if attrs.get("lat") is not None and attrs.get("lon") is not None:
            lat, lon = float(attrs["lat"]), float(attrs["lon"])
            info.append(["latitude, longitude", f"{lat:.2f}, {lon:.2f}"])
            self.coordinates[iri] = (lat, lon)
        else:
            self.coordinates[iri] = None
        self._node(iri, str(label), str(type_label), info)

    def actor(self, iri: str, anchors: list[str] | None = None) -> None:
        iri = str(iri)
        if iri not in self.nodes:
            self._node(iri, self.kg.label(iri), self.kg.kind(iri), [])
            self.coordinates[iri] = None
        if anchors:
            self.anchors.setdefault(iri, [])
            self.anchors[iri] += [a for a in anchors if a not in self.anchors[iri]]

    # -- claims and lines ----------------------------------------------------------------

    def _grade(self, grade, level=None) -> str:
        style = self.styler.certainty(grade)
        if style["level"] is None and level is not None:
            style["level"] = int(level)
        self.grades.setdefault(style["key"], style)
        return style["key"]

    def _sources(self, sources) -> list[list[Any]]:
        """[document title, section, paragraph, reliability grade, lineage] of each source.

        The lineage says where the document comes from ("original", or "derived from X, a
        revision of Y"), as ``tkg evidence`` does (:func:`graph.evidence.lineage_chain`).
        """
        if self._reliability is None:
            labels = self.kg.ontology.labels
            self._reliability = {
                str(r["document"]): labels.get(r["grade"]) or self.kg.label(r["grade"])
                for r in self.kg.query(_RELIABILITY)}
        out = []
        for s in sources or ():
            document = s.get("document")
            label = s.get("title") or (self.kg.label(document) if document else "")
            out.append([str(label), str(s.get("section") or ""),
                        "" if s.get("paragraph") is None else str(s["paragraph"]),
                        self._reliability.get(str(document), ""),
                        self._lineage(str(document)) if document else ""])
        return out

    def _lineage(self, document: str) -> str:
        found = self._lineages.get(document)
        if found is None:
            from graph.evidence import lineage_chain

            chain = lineage_chain(self.kg, document)
            steps = [f"{_LINEAGE_WORDS.get(step['relation'], step['relation'])} {step['title']}"
                     for step in chain[1:]]
            found = self._lineages[document] = (
                ", ".join(steps) if steps else "original" if chain and chain[0]["original"]
                else "")
        return found

    def _claim_lineages(self, claim: str) -> int:
        if self._independent is None:
            from graph.evidence import independent_lineages

            self._independent = independent_lineages(self.kg)
        return self._independent.get(claim, 0)

    def _line(self, u: str, v: str, kind: str, group: str, grade: str, claim: str) -> None:
        members = self.lines.setdefault((u, v, kind, group, grade), [])
        if claim not in members:
            members.append(claim)
        for node in (u, v):
            self.nodes[node]["claims"].add(claim)

    def _flow_claim(self, flow: str, *, label, description, commodity, commodity_label,
                    certainty, level, start, end, actors, sources, route="") -> dict[str, Any]:
        if flow not in self.claims:
            group = self.styler.commodity(commodity)
            self.groups.setdefault(group["key"], group)
            self.claims[flow] = {
                "id": flow, "kind": _FLOW,
                "label": str(label or self.kg.label(flow)),
                "description": str(description or ""),
                "commodity": str(commodity_label or self.kg.label(commodity)),
                "group": group["key"], "cert": self._grade(certainty, level),
                "start": start, "end": end, "route": route,
                "actors": [[str(a.get("label") or self.kg.label(a["id"])),
                            str(a.get("type") or ""), _role(a)] for a in actors or ()],
                "sources": self._sources(sources),
                "lineages": self._claim_lineages(flow),
            }
        return self.claims[flow]

    def flow_leg(self, u: Hashable, v: Hashable, d: dict[str, Any]) -> None:
        """One leg of a flow (an edge of the flow network) becomes (part of) a line."""
        claim = self._flow_claim(
            str(d["flow"]), label=d.get("flow_label") or d.get("label"),
            description=d.get("description"), commodity=d["commodity"],
            commodity_label=d.get("commodity_label"), certainty=d.get("certainty"),
            level=d.get("certainty_level"), start=d.get("start"), end=d.get("end"),
            actors=d.get("actors"), sources=d.get("sources"))
        self._line(str(u), str(v), _FLOW, claim["group"], claim["cert"], claim["id"])

    def routeless_flow(self, record: dict[str, Any], places: list[str]) -> None:
        """A flow without legs (from :func:`graph.traverse.flows`) is listed on its places."""
        parts = []
        for key, word in (("origins", "from"), ("transits", "via"), ("destinations", "to")):
            names = [str(p.get("label") or self.kg.label(p["id"])) for p in record[key] or ()]
            if names:
                parts.append(f"{word} {', '.join(names)}")
        certainty = record.get("certainty") or {}
        period = record.get("period") or {}
        claim = self._flow_claim(
            str(record["id"]), label=record.get("label"), description=record.get("description"),
            commodity=record["commodity"]["id"], commodity_label=record["commodity"]["label"],
            certainty=certainty.get("id"), level=certainty.get("level"),
            start=period.get("start"), end=period.get("end"), actors=record.get("actors"),
            sources=record.get("sources"), route=" ".join(parts))
        for place in places:
            self.nodes[place]["claims"].add(claim["id"])
            self.nodes[place]["own"].append(claim["id"])

    def _homes(self, places: list[str]) -> list[str]:
        """The home places that can anchor an actor: drawn, or with known coordinates."""
        return [p for p in places if p in self.nodes or self._coordinates(p)]

    def ego(self, ego: str, legs, routeless, min_level: int | None) -> None:
        """Add the actor's involvement, co-actors and relations (the ego network)."""
        from graph.namespaces import TKG

        involvement = self.styler.line(TKG.Involvement)
        relation = self.styler.line(TKG.ActorRelation)
        flow_places: dict[str, list[str]] = defaultdict(list)
        co_actors: dict[str, list[str]] = defaultdict(list)
        named = [(str(d["flow"]), [str(u), str(v)], d.get("actors")) for u, v, d in legs]
        named += [(str(r["id"]), places, r.get("actors")) for r, places in routeless]
        for flow, places, actors in named:
            for place in places:
                if place not in flow_places[flow]:
                    flow_places[flow].append(place)
            for a in actors or ():
                if str(a["id"]) != ego and flow not in co_actors[str(a["id"])]:
                    co_actors[str(a["id"])].append(flow)
        homes: dict[str, list[str]] = defaultdict(list)
        for row in self.kg.query(_HOMES):
            homes[str(row["actor"])].append(str(row["place"]))
        ego_places = [p for places in flow_places.values() for p in places]
        self.actor(ego, self._homes(homes[ego]) or ego_places)
        for flow, places in flow_places.items():
            grade = self.claims[flow]["cert"]
            for place in places:
                self.line_kinds.setdefault(involvement["key"], involvement)
                self._line(ego, place, _INVOLVEMENT, involvement["key"], grade, flow)
        for other, flows in co_actors.items():
            places = [p for f in flows for p in flow_places[f]]
            self.actor(other, self._homes(homes[other]) or places)
            for flow in flows:
                self.line_kinds.setdefault(involvement["key"], involvement)
                self._line(ego, other, _INVOLVEMENT, involvement["key"],
                           self.claims[flow]["cert"], flow)
        for row in self.kg.query(_RELATIONS, {"actor": IRI(ego)}):
            claim = str(row["claim"])
            level = self.styler.level(row["certainty"])
            if min_level is not None and (level is None or level < min_level):
                continue
            if claim not in self.claims:
                grade = self._grade(row["certainty"])
                kind = str(row["kind"]) if row["kind"] else ""
                self.claims[claim] = {
                    "id": claim, "kind": _RELATION,
                    "label": str(row["label"] or self.kg.label(claim)),
                    "description": str(row["description"] or ""),
                    "commodity": kind, "group": relation["key"], "cert": grade,
                    "start": row["start"], "end": row["end"], "actors": [], "sources": [],
                    "lineages": self._claim_lineages(claim),
                }
            entry = self.claims[claim]
            if row["document"] is not None:
                source = self._sources([row])[0]
                if source not in entry["sources"]:
                    entry["sources"].append(source)
            subject, obj = str(row["subject"]), str(row["object"])
            for person in (subject, obj):
                if person != ego:
                    self.actor(person, self._homes(homes[person]) or [ego])
                names = [a[0] for a in entry["actors"]]
                if self.kg.label(person) not in names:
                    entry["actors"].append([self.kg.label(person), self.kg.kind(person),
                                            "subject" if person == subject else "object"])
            self.line_kinds.setdefault(relation["key"], relation)
            self._line(subject, obj, _RELATION, relation["key"], entry["cert"], claim)

    # -- output --------------------------------------------------------------------------

    def finish(self, title: str, layout: str) -> dict[str, Any]:
        order = list(self.nodes)
        index = {iri: i for i, iri in enumerate(order)}
        # Home places that are not drawn still anchor their actors in the geographic layout.
        landmarks = {a: (float(c["lat"]), float(c["lon"]))
                     for anchors in self.anchors.values() for a in anchors
                     if a not in self.nodes and (c := self._coordinates(a))}
        placed = geo_layout({**self.coordinates, **landmarks}, self.anchors)
        if layout == "geo":
            pos = placed
        else:
            start = placed
            pos = force_layout(order, [(u, v) for (u, v, *_rest) in self.lines], start)
        kinds = sorted(self.kinds, key=lambda k: (self.kinds[k]["label"], k))
        groups = sorted(self.groups, key=lambda k: (self.groups[k]["label"].casefold(), k))
        line_kinds = sorted(self.line_kinds)
        grades = sorted(self.grades, key=lambda k: (-(self.grades[k]["level"] or 0), k))
        claim_order = list(self.claims)
        claim_index = {c: i for i, c in enumerate(claim_order)}
        group_index = {k: i for i, k in enumerate(groups)}
        group_index.update({k: len(groups) + i for i, k in enumerate(line_kinds)})
        grade_index = {k: i for i, k in enumerate(grades)}

        nodes = []
        for iri in order:
            node = self.nodes[iri]
            x, y = pos[iri]
            nodes.append({"id": index[iri], "iri": iri, "label": node["label"],
                          "type": node["type"], "kind": kinds.index(node["kind"]),
                          "info": node["info"], "x": x, "y": y,
                          "weight": len(node["claims"]),
                          "claims": [claim_index[c] for c in node["own"]]})
        pairs: dict[frozenset, int] = defaultdict(int)
        edges = []
        for (u, v, kind, group, grade), claims in self.lines.items():
            pair = frozenset((u, v))
            pairs[pair] += 1
            edges.append({"id": len(edges), "from": index[u], "to": index[v], "kind": kind,
                          "group": group_index[group], "cert": grade_index[grade],
                          "claims": [claim_index[c] for c in claims], "bend": pairs[pair],
                          "weight": line_weight(self.kg, [self.claims[c] for c in claims])})
        counts = pairs
        for edge in edges:
            pair = frozenset((order[edge["from"]], order[edge["to"]]))
            if counts[pair] == 1 and len(pair) == 2:
                edge["bend"] = 0
        claims = []
        years = []
        for claim_id in claim_order:
            c = dict(self.claims[claim_id])
            c["group"] = group_index[c["group"]]
            c["cert"] = grade_index[c["cert"]]
            claims.append(c)
            years += [int(y) for y in (c["start"], c["end"]) if y is not None]
        legend = {
            "groups": [{"label": self.groups[k]["label"], "colour": self.groups[k]["colour"],
                        "id": k, "kind": _FLOW} for k in groups]
            + [{"label": self.line_kinds[k]["label"], "colour": self.line_kinds[k]["colour"],
                "id": k, "kind": "line"} for k in line_kinds],
            "grades": [{"label": self.grades[k]["label"], "level": self.grades[k]["level"],
                        "dashes": self.grades[k]["dashes"], "id": k} for k in grades],
            "kinds": [{"label": self.kinds[k]["label"], "shape": self.kinds[k]["shape"],
                       "colour": self.kinds[k]["colour"], "id": k} for k in kinds],
        }
        return {
            "title": title, "layout": layout, "scale": SCALE, "maxLat": MAX_LAT,
            "nodes": nodes, "edges": edges, "claims": claims, "legend": legend,
            "period": {"min": min(years), "max": max(years)} if years else None,
        }
