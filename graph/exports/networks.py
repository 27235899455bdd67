"""Network exports for Gephi, Cytoscape and yEd: GraphML and GEXF, written by networkx.

The networks are the projections of :mod:`graph.traverse`: the flow network (places as
nodes, one edge per leg of each flow; the default), the actor–commodity and actor–market
bipartite graphs, and the full heterogeneous graph. Both formats accept only scalar
attributes, so :func:`flatten` turns lists into ``"; "``-joined text (a list of records such
as a leg's actors gives one column per field: ``actors``, ``actors_id``, ``actors_role``...)
and drops missing values. GEXF files also carry each place's coordinates as its position
and each flow's period as a time interval, for Gephi's map view and timeline.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graph.errors import ExportError, UnknownName
from graph.exports import atomic_file

__all__ = ["NETWORKS", "build_network", "flatten", "write_gexf", "write_graphml"]

#: Network names -> the projection function of :mod:`graph.traverse` that builds them.
NETWORKS: dict[str, str] = {
    "flows": "flow_network",
    "actors": "actor_commodity_graph",
    "markets": "actor_market_graph",
    "full": "full_graph",
}


def build_network(kg, network: str = "flows", commodity: str | None = None,
            min_certainty: str | None = None):
    """Build the projection called ``network`` (see :data:`NETWORKS`) with its filters.

    Raises
    ------
    graph.errors.UnknownName
        An unknown network name (the message lists the names).
    graph.errors.ExportError
        A ``commodity`` for a network other than ``flows``.

    Examples
    --------
    >>> net = build_network(kg, "flows", commodity="cocaine")
    >>> net.nodes["https://w3id.org/tkg/place/MLI"]["iso3"]
    'MLI'
    """
    import importlib

    if network not in NETWORKS:
        raise UnknownName("network", network, list(NETWORKS))
    if commodity is not None and network != "flows":
        raise ExportError(f"commodity filters the flows network only, not {network!r}")
    project = getattr(importlib.import_module("graph.traverse.projections"), NETWORKS[network])
    kwargs = {"min_certainty": min_certainty}
    if network == "flows":
        kwargs["commodity"] = commodity
    return project(kg, **kwargs)


def flatten(graph, *, gexf: bool = False):
    """A copy of ``graph`` whose graph, node and edge attributes are all str, int, float or bool.

    ``None``, NaN and empty strings are dropped; IRIs become plain strings; a list becomes
    ``"; "``-joined text; a record (dict) becomes its ``label``; a list of records also gives
    one ``<name>_<field>`` attribute per other field. An attribute that mixes integers and
    floats becomes float, one that mixes numbers and text becomes text, so each attribute
    has one type, as GraphML requires. Multigraph keys are kept where they are unique
    strings (the flow network's leg IRIs); otherwise edges are numbered and the key is kept
    as the ``edge_key`` attribute.

    With ``gexf``, the GEXF conventions are added: a node's ``lon`` and ``lat`` become its
    position, integer ``start`` and ``end`` years become ``start_year``/``end_year`` and a
    time interval (``start`` = 1 January, ``end`` = 31 December), and unique edge keys
    become edge ids.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="leg-1", actors=[{"id": "x", "label": "X", "role": "taxes"}],
    ...            start=2019, end=None)
    'leg-1'
    >>> flatten(G).edges["a", "b", "leg-1"]
    {'actors': 'X', 'actors_id': 'x', 'actors_role': 'taxes', 'start': 2019}
    """
    flat = graph.__class__()
    flat.graph.update(_flat_attrs(graph.graph))
    for node, data in graph.nodes(data=True):
        attrs = _flat_attrs(data)
        if gexf:
            _add_position(attrs)
        flat.add_node(str(node), **attrs)
    multi = graph.is_multigraph()
    edges = list(graph.edges(keys=True, data=True)) if multi else \
        [(u, v, None, d) for u, v, d in graph.edges(data=True)]
    keys = [k for _, _, k, _ in edges]
    keep_keys = all(isinstance(k, str) for k in keys) and len(set(keys)) == len(keys)
    for number, (u, v, key, data) in enumerate(edges):
        attrs = _flat_attrs(data)
        if "type" in attrs:  # GEXF reserves an edge's "type" for directed/undirected
            attrs["edge_type"] = attrs.pop("type")
        if gexf:
            _add_interval(attrs)
            if multi and keep_keys:
                attrs["id"] = str(key)
        if not multi:
            flat.add_edge(str(u), str(v), **attrs)
        elif keep_keys:
            flat.add_edge(str(u), str(v), key=str(key), **attrs)
        else:
            attrs["edge_key"] = str(key)
            flat.add_edge(str(u), str(v), key=number)
            flat[str(u)][str(v)][number].update(attrs)
    _unify_types(flat.nodes(data=True), lambda item: item[1])
    _unify_types(flat.edges(data=True), lambda item: item[2])
    return flat


def write_graphml(kg, path: Path, network: str = "flows", commodity: str | None = None,
                  min_certainty: str | None = None) -> list[Path]:
    """Write a network (default: the flow network) as GraphML.

    Node ids are IRIs; nodes carry ``label``, ``type`` and, for places, ``lat``, ``lon``,
    ``iso3``; flow-network edges carry ``flow``, ``commodity``, ``certainty`` (with
    ``_label`` and ``certainty_level``), ``period``, ``start``, ``end``, ``actors`` and
    ``sources``. Gephi, Cytoscape and yEd open it; see docs/exports.md.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "flows.graphml"
    >>> _ = write_graphml(kg, out, commodity="cocaine")
    >>> G = nx.read_graphml(out)
    >>> G.nodes["https://w3id.org/tkg/place/MLI"]["label"]
    'Mali'
    """
    import networkx as nx

    flat = flatten(build_network(kg, network, commodity, min_certainty))
    with atomic_file(path) as tmp:
        nx.write_graphml(flat, tmp, named_key_ids=True)
    return [path]


def write_gexf(kg, path: Path, network: str = "flows", commodity: str | None = None,
               min_certainty: str | None = None) -> list[Path]:
    """Write a network (default: the flow network) as GEXF 1.2 for Gephi.

    Attributes are those of :func:`write_graphml`; besides, a place's longitude and
    latitude are its position (x, y), and a flow's years are the time interval of its
    edges, so Gephi's timeline can filter flows by period.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "flows.gexf"
    >>> _ = write_gexf(kg, out)
    >>> nx.read_gexf(out).nodes["https://w3id.org/tkg/place/MLI"]["iso3"]
    'MLI'
    """
    import networkx as nx

    flat = flatten(build_network(kg, network, commodity, min_certainty), gexf=True)
    with atomic_file(path) as tmp:
        nx.write_gexf(flat, tmp)
    return [path]


# -- flattening ----------------------------------------------------------------------------

def _missing(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _scalar(value: Any) -> Any:
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Mapping):
        if not _missing(value.get("label")):
            return str(value["label"])
        return ", ".join(str(_scalar(v)) for v in value.values() if not _missing(v))
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return "; ".join(str(_scalar(v)) for v in items if not _missing(v))
    return str(value)


def _flat_attrs(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in data.items():
        if _missing(value):
            continue
        flat = _scalar(value)
        if not _missing(flat):
            out[name] = flat
        if isinstance(value, list | tuple) and value and all(isinstance(v, Mapping) for v in value):
            fields = [k for k in dict.fromkeys(k for v in value for k in v) if k != "label"]
            for field in fields:
                column = "; ".join(str(_scalar(v.get(field))) for v in value
                                   if not _missing(v.get(field)))
                if column:
                    out[f"{name}_{field}"] = column
    return out


def _unify_types(items, attrs_of) -> None:
    kinds: dict[str, set[type]] = defaultdict(set)
    rows = [attrs_of(item) for item in items]
    for attrs in rows:
        for name, value in attrs.items():
            kinds[name].add(type(value))
    for name, found in kinds.items():
        if len(found) < 2:
            continue
        target = float if found <= {int, float} else str
        for attrs in rows:
            if name in attrs:
                value = attrs[name]
                attrs[name] = target(value) if target is float else _text(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _add_position(attrs: dict[str, Any]) -> None:
    lat, lon = attrs.get("lat"), attrs.get("lon")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        attrs["viz"] = {"position": {"x": float(lon), "y": float(lat), "z": 0.0}}


def _add_interval(attrs: dict[str, Any]) -> None:
    for name, day in (("start", "01-01"), ("end", "12-31")):
        year = attrs.get(name)
        if isinstance(year, int) and not isinstance(year, bool):
            attrs[f"{name}_year"] = year
            attrs[name] = f"{year:04d}-{day}"
        elif name in attrs:
            attrs[f"{name}_year"] = attrs.pop(name)
