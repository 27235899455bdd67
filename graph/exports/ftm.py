"""FollowTheMoney export: actors, claims and sources as FtM entities, for Aleph and the
OpenSanctions tools (``ftm``, ``alephclient write-entities``, yente, nomenklatura).

What becomes what is data, not code: ``ontology/alignments/ftm-alignments.ttl`` maps our
classes and concepts to FtM schemata and topics, and our properties to FtM properties (read
from the loaded graph, or from the bundled file when the graph lacks it). With the bundled
alignment:

* actors become ``Organization``, ``PublicBody`` or ``LegalEntity`` (an actor of several
  classes gets the most specific schema of them all), with topics such as
  ``crime.traffick`` or ``gov.security``;
* flows, activities and events become ``Event`` entities and findings ``Note`` entities,
  with the actors involved (``involved``), countries, period, keywords (commodity, type),
  topics from the commodity, the source documents as ``proof`` and their URLs;
* actor relations become interval entities between the two actors: ``Membership`` and
  ``Control`` where the relation type says so and FtM accepts both ends, ``UnknownLink``
  (with the relation type as ``role``) otherwise;
* source documents become ``Document`` entities, and each passage a claim cites becomes a
  ``Documentation`` link from the document to the claim (``role``: section and paragraph).

FtM has no notion of routes, commodities, certainty grades or places below the country, so
each entity's ``notes`` (``summary`` for interval entities, which have no notes) spell out
every statement of the node in words: its type, certainty with its level, commodity,
origins, route in order, destinations, each actor's role and grade, and the passages it
comes from. The ``summary`` gives the type and the grade. Index scores are not exported:
FtM has no statistical observations.

Entity ids are stable: ``tkg-`` and the prefixed name of the node's IRI (``kb:actor-aqim``
becomes ``tkg-kb-actor-aqim``), or a hash of the IRI where that is not a valid FtM id;
links add a hash of their two ends.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from graph.backends.base import IRI, Lit
from graph.errors import ExportError
from graph.exports import atomic_file
from graph.exports._store import Blank, GraphIndex, quad_store
from graph.lookup import prefixed
from graph.namespaces import FTM_ALIGN, SCHEMA, TKG

__all__ = ["ALIGNMENT_NS", "Alignment", "entities", "read_alignment", "write_ftm"]

#: Namespace of the annotation properties of ``ftm-alignments.ttl``.
ALIGNMENT_NS = str(FTM_ALIGN)

# The graph index keys on plain strings, so the namespace terms are taken as ``str``.
_RDF_TYPE, _SUBCLASS = str(RDF.type), str(RDFS.subClassOf)
_DERIVED_FROM = str(PROV.wasDerivedFrom)
_IN_DOCUMENT, _SECTION, _PARAGRAPH = str(TKG.inDocument), str(TKG.section), str(TKG.paragraph)
_ISO2, _PART_OF, _PASSAGE = str(TKG.iso2), str(TKG.partOf), str(TKG.Passage)
_TITLE = str(DCTERMS.title)
_URL = str(SCHEMA.url)
#: FtM property types whose values are shown verbatim, so notes need not repeat them.
_SHOWN = {"name", "text"}
_MAX_ID = 200


@dataclass
class Alignment:
    """The FtM alignment as plain data (see ``ontology/alignments/ftm-alignments.ttl``)."""

    #: Class or concept IRI -> FtM schema names.
    schemata: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: Class or concept IRI -> FtM topics.
    topics: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: Property IRI -> FtM property names.
    properties: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: Property IRI -> ``"source"`` or ``"target"`` end of an FtM edge entity.
    edge_ends: dict[str, str] = field(default_factory=dict)


def read_alignment(index: GraphIndex | None = None) -> Alignment:
    """Read the FtM alignment from ``index`` (a loaded graph), else from the bundled file.

    Examples
    --------
    >>> a = read_alignment()
    >>> a.schemata["https://w3id.org/tkg/ontology#GovernmentBody"]
    ['PublicBody']
    """
    found = _alignment_from(index) if index is not None else Alignment()
    if found.schemata:
        return found
    import pyoxigraph as ox

    from graph.resources import ontology_dir

    store = ox.Store()
    store.load(path=str(ontology_dir() / "alignments" / "ftm-alignments.ttl"),
               format=ox.RdfFormat.TURTLE)
    return _alignment_from(GraphIndex(store))


def _alignment_from(index: GraphIndex) -> Alignment:
    found = Alignment()
    targets = {"schema": found.schemata, "topic": found.topics, "property": found.properties}
    for subject, props in index.out.items():
        for predicate, values in props.items():
            if not predicate.startswith(ALIGNMENT_NS):
                continue
            name = predicate[len(ALIGNMENT_NS):]
            texts = [v.value for v in values if isinstance(v, Lit)]
            if name == "edgeEnd" and texts:
                found.edge_ends[subject] = texts[0]
            elif name in targets:
                targets[name][subject] += sorted(texts)
    return found


def entities(kg) -> list[dict[str, Any]]:
    """The graph as FtM entity dictionaries (``{"id", "schema", "properties"}``).

    Non-link entities come first, sorted by id, then links (interval entities), sorted by
    id. Every entity is built with ``followthemoney`` and checked against its schema; every
    entity a link or property points to is in the list.

    Raises
    ------
    graph.errors.ExportError
        If the alignment names an unknown schema.
    graph.errors.MissingExtra
        If ``followthemoney`` is not installed (the message says how to install it).

    Examples
    --------
    >>> found = {e["id"]: e for e in entities(kg)}
    >>> aqim = found["tkg-kb-actor-aqim"]
    >>> aqim["schema"], aqim["properties"]["topics"]
    ('Organization', ['crime.terror'])
    """
    model = _ftm_model()
    index = GraphIndex(quad_store(kg))
    return _Builder(kg, index, read_alignment(index), model).build()


def write_ftm(kg, path: Path) -> list[Path]:
    """Write the graph as FtM entities, one JSON object per line (``.ftm.json``).

    Load the file into Aleph with ``alephclient write-entities -i FILE -f COLLECTION``, or
    check it with ``ftm validate -i FILE``; see docs/exports.md.

    Examples
    --------
    >>> import tempfile, pathlib, json
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "mali.ftm.json"
    >>> _ = write_ftm(kg, out)
    >>> {json.loads(line)["schema"] for line in out.open()} >= {"Event", "Document"}
    True
    """
    rows = entities(kg)
    with atomic_file(path) as tmp, tmp.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    return [path]


def _ftm_model():
    from graph.extras import need

    return need("followthemoney", "exports", "the ftm format").model


class _Builder:
    """Builds the entities of one graph; holds the lookups shared by all of them."""

    def __init__(self, kg, index: GraphIndex, alignment: Alignment, model):
        self.kg, self.index, self.align, self.model = kg, index, alignment, model
        #: node IRI -> FtM schema of the entity it becomes (non-link entities only).
        self.schema_of: dict[str, Any] = {}
        #: node IRI -> FtM id.
        self.ids: dict[str, str] = {}
        self._class_schema: dict[str, Any] = {}
        #: The graph's ontology model: the grades' levels and scales.
        self.ontology = kg.ontology
        self._labels: dict[Any, str] = {}

    # -- schemata ------------------------------------------------------------------------

    def schema(self, name: str):
        found = self.model.get(name)
        if found is None:
            raise ExportError(f"FtM alignment names an unknown schema {name!r}; see "
                              "ontology/alignments/ftm-alignments.ttl")
        return found

    def combine(self, schemata: list):
        """The most specific schema of all, or their deepest common concrete ancestor."""
        best = None
        for schema in schemata:
            if best is None or schema.is_a(best):
                best = schema
            elif not best.is_a(schema):
                shared = [s for s in best.schemata & schema.schemata if not s.abstract]
                if not shared:
                    return None
                best = max(shared, key=lambda s: (len(s.schemata), s.name))
        return best

    def class_schema(self, cls: str):
        """The schema mapped on ``cls`` or, failing that, on its nearest superclasses."""
        if cls not in self._class_schema:
            level, seen, found = [cls], {cls}, None
            while level and found is None:
                names = [n for c in level for n in self.align.schemata.get(c, ())]
                if names:
                    found = self.combine([self.schema(n) for n in names])
                parents = [p for c in level for p in self.index.objects(c, _SUBCLASS)
                           if isinstance(p, IRI) and p not in seen]
                seen.update(parents)
                level = parents
            self._class_schema[cls] = found
        return self._class_schema[cls]

    def node_schema(self, node: str):
        types = [t for t in self.index.objects(node, _RDF_TYPE) if isinstance(t, IRI)]
        found = [s for s in (self.class_schema(t) for t in types) if s is not None]
        return self.combine(found) if found else None

    def concept_schema(self, node: str):
        """A schema mapped on a concept the node points to (such as its relation type)."""
        names = [n for p, values in self.index.out.get(node, {}).items() if p != _RDF_TYPE
                 for v in values if isinstance(v, IRI) for n in self.align.schemata.get(v, ())]
        return self.combine([self.schema(n) for n in names]) if names else None

    # -- building ------------------------------------------------------------------------

    def build(self) -> list[dict[str, Any]]:
        links = []
        for node in sorted(n for n in self.index.out if isinstance(n, IRI)):
            schema = self.node_schema(node)
            if schema is None:
                continue
            if schema.edge:
                links.append((node, schema))
            else:
                self.schema_of[node] = schema
                self.ids[node] = entity_id(node)
        things = [self.thing(node, schema) for node, schema in self.schema_of.items()]
        edges = [e for node, schema in links for e in self.link(node, schema)]
        edges += [e for node in self.schema_of for e in self.documentation(node)]
        things.sort(key=lambda e: e["id"])
        edges.sort(key=lambda e: e["id"])
        return things + edges

    def thing(self, node: str, schema) -> dict[str, Any]:
        proxy = self.model.make_entity(schema)
        proxy.id = self.ids[node]
        self.fill(proxy, node)
        return proxy.to_dict()

    def link(self, node: str, class_schema) -> list[dict[str, Any]]:
        """One interval entity per pair of ends (source actor, target actor) of ``node``."""
        ends: dict[str, list[str]] = {"source": [], "target": []}
        for predicate, end in self.align.edge_ends.items():
            ends[end] += [v for v in self.index.objects(node, predicate) if v in self.ids]
        out = []
        for source in ends["source"]:
            for target in ends["target"]:
                schema = self.concept_schema(node)
                if schema is None or not schema.edge or not self.fits(schema, source, target):
                    schema = class_schema
                if not self.fits(schema, source, target):
                    continue
                proxy = self.model.make_entity(schema)
                proxy.id = _link_id(node, source, target)
                proxy.add(schema.source_prop, self.ids[source])
                proxy.add(schema.target_prop, self.ids[target])
                if schema.get("recordId") is not None:
                    proxy.add("recordId", str(node))
                self.fill(proxy, node)
                out.append(proxy.to_dict())
        return out

    def fits(self, schema, source: str, target: str) -> bool:
        return (self.schema_of[source].is_a(schema.source_prop.range)
                and self.schema_of[target].is_a(schema.target_prop.range))

    def documentation(self, node: str) -> list[dict[str, Any]]:
        """A link from each source document to a claim, for each passage the claim cites."""
        names = self.align.schemata.get(_PASSAGE)
        if not names:
            return []
        schema = self.schema(names[0])
        if not schema.edge or not self.schema_of[node].is_a(schema.target_prop.range):
            return []
        out = []
        for passage in self.passages(node):
            document = self.index.first(passage, _IN_DOCUMENT)
            if document not in self.ids or not self.schema_of[document].is_a(
                    schema.source_prop.range):
                continue
            proxy = self.model.make_entity(schema)
            proxy.id = _link_id(passage, document, node)
            proxy.add(schema.source_prop, self.ids[document])
            proxy.add(schema.target_prop, self.ids[node])
            role = self.passage_place(passage)
            if role and schema.get("role") is not None:
                proxy.add("role", role)
            if schema.get("summary") is not None:
                proxy.add("summary", f"{self.passage_label(passage)}: {self.label(node)}")
            out.append(proxy.to_dict())
        return out

    # -- properties ----------------------------------------------------------------------

    def fill(self, proxy, node: str) -> None:
        """Set the mapped properties, topics, evidence, summary and notes of one entity."""
        schema = proxy.schema
        facts = self.facts(node)
        shown: set[tuple] = set()
        for predicate, value, _lifted in facts:
            for name in self.align.properties.get(predicate, ()):
                prop = schema.get(name)
                if prop is None or prop.stub:
                    continue
                converted = self.convert(prop, value)
                if converted:
                    proxy.add(prop, converted)
                    if prop.type.name in _SHOWN:
                        shown.add((predicate, value))
        if schema.get("topics") is not None:
            proxy.add("topics", sorted(self.topics(node)))
        passages = self.passages(node)
        documents = sorted({d for p in passages for d in self.index.objects(p, _IN_DOCUMENT)
                            if d in self.ids})
        if schema.get("proof") is not None and schema.get("proof").range is not None:
            proxy.add("proof", [self.ids[d] for d in documents
                                if self.schema_of[d].is_a(schema.get("proof").range)])
        if schema.get("sourceUrl") is not None:
            proxy.add("sourceUrl", [str(u) for d in documents for u in self.index.objects(d, _URL)])
        for required in sorted(self.required(schema)):
            if not proxy.get(required) and schema.get(required).type.name in ("name", "string"):
                proxy.add(required, self.label(node))
        summary = self.summary(node)
        lines = self.notes(node, shown, passages)
        if schema.get("notes") is not None:
            proxy.add("summary", summary)
            proxy.add("notes", "\n".join(lines))
        elif schema.get("summary") is not None:
            proxy.add("summary", "\n".join([summary, *lines]))

    def facts(self, node: str) -> list[tuple[str, Any, bool]]:
        """``(predicate, value, lifted)`` of the node and of the blank nodes it points to."""
        out = []
        for predicate, values in self.index.out.get(node, {}).items():
            for value in values:
                out.append((predicate, value, False))
                if isinstance(value, Blank) and not self.index.is_list(value):
                    out += [(p, v, True) for p, vs in self.index.out.get(value, {}).items()
                            for v in vs]
        return out

    def convert(self, prop, value) -> list[str]:
        kind = prop.type.name
        if isinstance(value, Lit):
            return [value.value]
        if isinstance(value, Blank):
            return []
        if kind == "country":
            return self.countries(value)
        if kind == "entity":
            fits = value in self.ids and self.schema_of[value].is_a(prop.range)
            return [self.ids[value]] if fits else []
        if kind == "url":
            return [str(value)]
        return [self.label(value)]

    def countries(self, place: str) -> list[str]:
        """ISO 3166-1 alpha-2 codes of ``place`` or of the countries it lies in."""
        found, todo, seen = [], [place], {place}
        while todo:
            current = todo.pop()
            codes = [c.value for c in self.index.objects(current, _ISO2) if isinstance(c, Lit)]
            if codes:
                found += codes
                continue
            for parent in self.index.objects(current, _PART_OF):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return sorted(set(found))

    def topics(self, node: str) -> set[str]:
        """Topics of the node's classes and of the concepts it points to, with their ancestors."""
        found: set[str] = set()
        starts = {v for vs in self.index.out.get(node, {}).values() for v in vs
                  if isinstance(v, IRI)}
        for start in starts:
            for relation in ("subClassOf", "broader"):
                for term in self.ontology.ancestors(start, relation):
                    found.update(self.align.topics.get(term, ()))
        return found

    def required(self, schema) -> set[str]:
        return {name for s in schema.schemata for name in s.required}

    def passages(self, node: str) -> list[str]:
        found = list(self.index.objects(node, _DERIVED_FROM))
        for values in self.index.out.get(node, {}).values():
            for value in values:
                if isinstance(value, Blank):
                    found += self.index.objects(value, _DERIVED_FROM)
        return sorted({p for p in found if isinstance(p, IRI)})

    # -- words ---------------------------------------------------------------------------

    def label(self, iri: str) -> str:
        """The English label of ``iri``; its prefixed name (or IRI) when it has none."""
        found = self._labels.get(iri)
        if found is None:
            found = self._labels[iri] = self.kg.label(iri)
        return found

    def property_label(self, iri: str) -> str:
        """The label of a property; the local name of one from a vocabulary we do not load."""
        key = ("property", iri)
        if key not in self._labels:
            text = self.label(iri)
            if text == prefixed(iri):
                text = iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            self._labels[key] = text
        return self._labels[key]

    def level(self, concept: str) -> tuple[int, int] | None:
        """``(level, highest level of its scheme)`` of a graded concept, else None."""
        return self.ontology.scale(concept)

    def words(self, value, depth: int = 0) -> str:
        if isinstance(value, Lit):
            return value.value
        if isinstance(value, Blank):
            if self.index.is_list(value):
                return " → ".join(self.words(v, depth + 1) for v in self.index.list_items(value))
            if depth > 1:
                return "…"
            parts = [f"{self.property_label(p)}: "
                     f"{'; '.join(self.words(v, depth + 1) for v in vs)}"
                     for p, vs in self.index.out.get(value, {}).items()
                     if p != _DERIVED_FROM]
            return "(" + "; ".join(parts) + ")"
        graded = self.level(value)
        text = self.label(value)
        return f"{text} (level {graded[0]} of {graded[1]})" if graded else text

    def summary(self, node: str) -> str:
        types = sorted({self.label(t) for t in self.index.objects(node, _RDF_TYPE)})
        parts = [", ".join(types)]
        for predicate, values in self.index.out.get(node, {}).items():
            for value in values:
                if isinstance(value, IRI) and self.level(value) is not None:
                    parts.append(f"{self.property_label(predicate)}: {self.words(value)}")
        return "; ".join(p for p in parts if p)

    def notes(self, node: str, shown: set[tuple], passages: list[str]) -> list[str]:
        lines = []
        for predicate, values in self.index.out.get(node, {}).items():
            if predicate in (_RDF_TYPE, _DERIVED_FROM):
                continue
            kept = [v for v in values if (predicate, v) not in shown
                    and (node, predicate, v) not in self.index.derived]
            if kept:
                lines.append(f"{self.property_label(predicate)}: "
                             + "; ".join(self.words(v) for v in kept))
        lines += [f"source: {self.passage_label(p)}" for p in passages]
        lines.append(f"id: {prefixed(node)}")
        return lines

    def passage_place(self, passage: str) -> str:
        section = self.index.first(passage, _SECTION)
        paragraph = self.index.first(passage, _PARAGRAPH)
        text = section.value if isinstance(section, Lit) else ""
        if isinstance(paragraph, Lit):
            text = f"{text} ¶{paragraph.value}".strip()
        return text

    def passage_label(self, passage: str) -> str:
        document = self.index.first(passage, _IN_DOCUMENT)
        title = self.index.first(document, _TITLE) if document is not None else None
        name = title.value if isinstance(title, Lit) else (
            self.label(document) if document is not None else prefixed(passage))
        place = self.passage_place(passage)
        return f"{name}, {place}" if place else name


def entity_id(iri: str) -> str:
    """The FtM id of the node ``iri``: readable where FtM allows it, a hash otherwise.

    Examples
    --------
    >>> entity_id("https://w3id.org/tkg/kb/actor-aqim")
    'tkg-kb-actor-aqim'
    >>> entity_id("http://example.org/x y")[:4], len(entity_id("http://example.org/x y"))
    ('tkg-', 44)
    """
    from followthemoney import registry
    from followthemoney.util import make_entity_id

    short = prefixed(iri)
    if short != iri:
        candidate = "tkg-" + short.replace(":", "-", 1)
        if len(candidate) <= _MAX_ID and registry.entity.validate(candidate):
            return candidate
    return "tkg-" + make_entity_id(iri)


def _link_id(node: str, source: str, target: str) -> str:
    from followthemoney.util import make_entity_id

    base = entity_id(node)[: _MAX_ID - 12]
    return f"{base}-{make_entity_id(source, target)[:10]}"
