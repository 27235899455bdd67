"""Neo4j export: the graph as a labelled property graph, in a folder with ``nodes.csv``,
``relationships.csv`` (the ``neo4j-admin database import`` layout) and ``load.cypher`` (the
same files through ``LOAD CSV``, for a running server).

The conversion is generic, as in the neosemantics (n10s) plugin: every instance in the graph
(actors, claims, places, documents, passages, legs, concepts of the vocabularies, score
observations, and the blank nodes of qualified involvements) is a node with the label
``Resource``, one label per class it has (and per superclass of ours: a trafficking network
is also ``CriminalNetwork``, ``CriminalActor`` and ``Actor``), its literal values as
properties (``label``, ``description``, ``startYear``...; several values make a list) and a
``name`` for display. Each triple between two nodes is a relationship typed after the
property (``tkg:commodity`` → ``COMMODITY``, ``prov:wasDerivedFrom`` →
``WAS_DERIVED_FROM``); an ordered list such as a flow's route becomes one relationship per
member with an ``index``. The ontology itself (classes, properties, shapes) stays out: it
is the schema, given by the labels and types. Derived shortcuts (``FLOWS_TO``,
``INVOLVED_IN``, ``RELATED_TO``, legs) are included, as in the loaded graph.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from rdflib.namespace import OWL, RDF, RDFS, SH

from graph.backends.base import IRI, Lit, plain_literal
from graph.exports import atomic_file
from graph.exports._store import Blank, GraphIndex, quad_store
from graph.namespaces import QB, TKG
from graph.prefixes import PREFIXES

__all__ = ["ARRAY_DELIMITER", "property_graph", "write_neo4j"]

#: Separates the members of list values and of labels in the CSV files
#: (``--array-delimiter`` of ``neo4j-admin``); a member containing it gets ``¦`` instead.
ARRAY_DELIMITER = "|"

# The graph index keys on plain strings, so the namespace terms are taken as ``str``.
_RDF_TYPE, _SUBCLASS = str(RDF.type), str(RDFS.subClassOf)
_DEFINED_BY = str(RDFS.isDefinedBy)
#: Namespaces whose classes mark a subject as part of a schema rather than of the data.
_META = tuple(str(ns) for ns in (RDF, RDFS, OWL, SH))
_META_TYPES = {str(QB[t]) for t in ("DataStructureDefinition", "ComponentSpecification",
                                    "ComponentProperty")}
_OURS = str(TKG)
_BASE_LABEL = "Resource"
_RESERVED_KEYS = {"id", "name"}
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def property_graph(kg) -> dict[str, Any]:
    """The graph as plain nodes and relationships, ready to be written as Neo4j CSV.

    Returns
    -------
    dict
        ``nodes``: list of ``{"id", "labels", "properties"}`` (property values are lists);
        ``relationships``: list of ``{"start", "end", "type", "index"}``;
        ``columns``: property key -> Neo4j type (``string``, ``long``, ``double``,
        ``boolean``, with ``[]`` for lists).

    Examples
    --------
    >>> pg = property_graph(kg)
    >>> aqim = next(n for n in pg["nodes"] if n["id"].endswith("/kb/actor-aqim"))
    >>> sorted(aqim["labels"])[:3], aqim["properties"]["name"]
    (['Actor', 'ArmedGroup', 'Resource'], ['Al-Qaeda in the Islamic Maghreb'])
    """
    index = GraphIndex(quad_store(kg))
    return _Converter(kg, index).convert()


def write_neo4j(kg, path: Path) -> list[Path]:
    """Write ``nodes.csv``, ``relationships.csv`` and ``load.cypher`` into the folder ``path``.

    Import into an empty database with ``neo4j-admin database import full`` (the command is
    at the top of ``load.cypher``), or copy the CSV files into the server's ``import``
    folder and run ``cypher-shell -f load.cypher``. See docs/exports.md.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> files = write_neo4j(kg, pathlib.Path(tempfile.mkdtemp()))
    >>> [f.name for f in files]
    ['nodes.csv', 'relationships.csv', 'load.cypher']
    >>> files[0].read_text(encoding="utf-8").split(",")[:2]
    ['id:ID', ':LABEL']
    """
    pg = property_graph(kg)
    columns = pg["columns"]
    keys = sorted(columns)
    folder = Path(path)
    nodes, rels, script = (folder / "nodes.csv", folder / "relationships.csv",
                           folder / "load.cypher")
    with atomic_file(nodes) as tmp, tmp.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id:ID", ":LABEL", *(f"{k}:{columns[k]}" for k in keys)])
        for node in pg["nodes"]:
            props = node["properties"]
            writer.writerow([node["id"], ARRAY_DELIMITER.join(node["labels"]),
                             *(_cell(props.get(k), columns[k]) for k in keys)])
    with atomic_file(rels) as tmp, tmp.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([":START_ID", ":END_ID", ":TYPE", "index:long"])
        for rel in pg["relationships"]:
            writer.writerow([rel["start"], rel["end"], rel["type"],
                             "" if rel["index"] is None else rel["index"]])
    labels = sorted({label for n in pg["nodes"] for label in n["labels"]} - {_BASE_LABEL})
    types = sorted({r["type"] for r in pg["relationships"]})
    with atomic_file(script) as tmp:
        tmp.write_text(_cypher(columns, labels, types), encoding="utf-8")
    return [nodes, rels, script]


# -- conversion ----------------------------------------------------------------------------

class _Converter:
    def __init__(self, kg, index: GraphIndex):
        self.kg, self.index = kg, index

    def convert(self) -> dict[str, Any]:
        index = self.index
        used_as_predicate = {p for props in index.out.values() for p in props}
        classes = {o for props in index.out.values() for o in props.get(_RDF_TYPE, ())}
        classes |= {o for props in index.out.values() for o in props.get(_SUBCLASS, ())}
        schema = {s for s, props in index.out.items()
                  if s in used_as_predicate or s in classes or _DEFINED_BY in props
                  or any(_is_meta(t) for t in props.get(_RDF_TYPE, ()))}
        schema |= self._only_below(schema)
        members = {s for s in index.out if index.is_list(s)}
        nodes = sorted(s for s in index.out if s not in schema and s not in members)
        node_set = set(nodes)

        label_names = _names({c for s in nodes for c in self.classes(s)}, _camel)
        out_nodes, rels = [], []
        raw_props: dict[str, dict[str, list]] = {}
        for s in nodes:
            props: dict[str, list] = defaultdict(list)
            for p, values in index.out[s].items():
                if p == _RDF_TYPE:
                    continue
                for o in values:
                    if isinstance(o, Lit):
                        props[p].append(plain_literal(o.value, o.datatype))
                    elif o in node_set:
                        rels.append((s, o, p, None))
                    elif isinstance(o, Blank) and index.is_list(o):
                        for position, item in enumerate(index.list_items(o), start=1):
                            if item in node_set:
                                rels.append((s, item, p, position))
                            elif isinstance(item, Lit):
                                props[p].append(plain_literal(item.value, item.datatype))
                            else:
                                props[p].append(str(item))
                    elif isinstance(o, IRI):
                        props[p].append(str(o))
            raw_props[s] = props
            labels = [_BASE_LABEL, *sorted({label_names[c] for c in self.classes(s)})]
            out_nodes.append({"id": str(s), "labels": labels})

        key_names = _names({p for props in raw_props.values() for p in props}, _lower_camel,
                           reserved=_RESERVED_KEYS)
        type_names = _names({r[2] for r in rels}, _upper_snake)
        kinds: dict[str, set[str]] = defaultdict(set)
        multi: set[str] = set()
        for node in out_nodes:
            props = {}
            if not node["id"].startswith("_:"):
                props["name"] = [self.kg.label(node["id"])]
            for p, values in raw_props[node["id"]].items():
                props[key_names[p]] = list(dict.fromkeys(values))
            for key, values in props.items():
                kinds[key].update(_kind(v) for v in values)
                if len(values) > 1:
                    multi.add(key)
            node["properties"] = props
        columns = {key: _column_type(found) + ("[]" if key in multi else "")
                   for key, found in kinds.items()}
        relationships = [{"start": str(s), "end": str(o), "type": type_names[p], "index": i}
                         for s, o, p, i in sorted(rels, key=lambda r: (str(r[0]), r[2], str(r[1]),
                                                                       r[3] or 0))]
        return {"nodes": out_nodes, "relationships": relationships, "columns": columns}

    def _only_below(self, schema: set) -> set:
        """Blank nodes that only schema terms point to (such as Data Cube components)."""
        referrers: dict[str, set] = defaultdict(set)
        for s, props in self.index.out.items():
            for values in props.values():
                for o in values:
                    if isinstance(o, Blank):
                        referrers[o].add(s)
        found: set = set()
        changed = True
        while changed:
            changed = False
            for blank, sources in referrers.items():
                if blank not in found and sources <= (schema | found):
                    found.add(blank)
                    changed = True
        return found

    def classes(self, node) -> set[str]:
        """The node's classes, with every superclass of ours above them."""
        found = {t for t in self.index.objects(node, _RDF_TYPE) if isinstance(t, IRI)}
        todo = list(found)
        while todo:
            for parent in self.index.objects(todo.pop(), _SUBCLASS):
                if isinstance(parent, IRI) and parent.startswith(_OURS) and parent not in found:
                    found.add(parent)
                    todo.append(parent)
        return found


def _is_meta(type_iri) -> bool:
    return isinstance(type_iri, IRI) and (type_iri.startswith(_META) or type_iri in _META_TYPES)


def _local(iri: str) -> str:
    return re.split(r"[#/:]", iri.rstrip("/#"))[-1]


def _prefix(iri: str) -> str:
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    return next(k for k, v in PREFIXES.items() if v == best) if best else "ns"


def _identifier(text: str) -> str:
    text = re.sub(r"[^A-Za-z0-9_]", "_", text) or "_"
    return text if re.match(r"[A-Za-z_]", text) else "_" + text


def _camel(text: str) -> str:
    return _identifier(text[:1].upper() + text[1:])


def _lower_camel(text: str) -> str:
    return _identifier(text)


def _upper_snake(text: str) -> str:
    return _identifier(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text).replace("-", "_").upper())


def _names(iris: set[str], style, reserved: set[str] = frozenset()) -> dict[str, str]:
    """A Neo4j name for each IRI from its local name; clashes get their prefix in front."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for iri in iris:
        by_name[style(_local(iri))].append(iri)
    names = {}
    for name, group in by_name.items():
        for iri in group:
            clash = len(group) > 1 or name in reserved
            names[iri] = style(f"{_prefix(iri)}_{_local(iri)}") if clash else name
    return names


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _column_type(kinds: set[str]) -> str:
    if len(kinds) == 1:
        return next(iter(kinds))
    if kinds <= {"long", "double"}:
        return "double"
    return "string"


def _cell(values: list | None, column: str) -> str:
    if not values:
        return ""
    kind = column.removesuffix("[]")
    texts = [_text(v, kind) for v in values]
    if column.endswith("[]"):
        return ARRAY_DELIMITER.join(t.replace(ARRAY_DELIMITER, "¦") for t in texts)
    return texts[0]


def _text(value: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return str(value)


# -- Cypher --------------------------------------------------------------------------------

_CONVERT = {"long": "toInteger({})", "double": "toFloat({})", "boolean": "toBoolean({})",
            "string": "{}"}


def _cypher(columns: dict[str, str], labels: list[str], types: list[str]) -> str:
    header = f"""// Load nodes.csv and relationships.csv into an empty Neo4j database (4.4 or 5.x).
//
// With a running server: copy both CSV files into its import folder, then run
//   cypher-shell -u neo4j -p PASSWORD -f load.cypher
// (in Neo4j Browser, run each statement with :auto in front).
//
// Faster for large graphs, with the database stopped (Neo4j 5):
//   neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv \\
//     --array-delimiter="{ARRAY_DELIMITER}" --multiline-fields=true neo4j
// then create the constraint below.
//
// Every node has the label {_BASE_LABEL} and a unique id (its IRI, or _:label for a blank node).

CREATE CONSTRAINT resource_id IF NOT EXISTS FOR (n:{_BASE_LABEL}) REQUIRE n.id IS UNIQUE;
"""
    sets = ",\n      ".join(f"n.{key} = {_value_expression(key, columns[key])}"
                           for key in sorted(columns))
    parts = [header, f"""LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
CALL {{
  WITH row
  MERGE (n:{_BASE_LABEL} {{id: row.`id:ID`}})
  SET {sets}
}} IN TRANSACTIONS OF 1000 ROWS;
"""]
    for label in labels:
        parts.append(f"""LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
WITH row WHERE '{label}' IN split(row.`:LABEL`, '{ARRAY_DELIMITER}')
CALL {{
  WITH row
  MATCH (n:{_BASE_LABEL} {{id: row.`id:ID`}}) SET n:{label}
}} IN TRANSACTIONS OF 1000 ROWS;
""")
    for rel_type in types:
        parts.append(f"""LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = '{rel_type}'
CALL {{
  WITH row
  MATCH (a:{_BASE_LABEL} {{id: row.`:START_ID`}}), (b:{_BASE_LABEL} {{id: row.`:END_ID`}})
  CREATE (a)-[r:{rel_type}]->(b) SET r.index = toInteger(row.`index:long`)
}} IN TRANSACTIONS OF 1000 ROWS;
""")
    return "\n".join(parts)


def _value_expression(key: str, column: str) -> str:
    field = f"row.`{key}:{column}`"
    kind = column.removesuffix("[]")
    if column.endswith("[]"):
        item = _CONVERT[kind].format("v")
        return (f"CASE WHEN coalesce({field}, '') = '' THEN null "
                f"ELSE [v IN split({field}, '{ARRAY_DELIMITER}') | {item}] END")
    return _CONVERT[kind].format(field)
