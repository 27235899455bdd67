"""CSV exports for spreadsheets: a folder with ``nodes.csv`` and ``edges.csv``.

By default the tables are the flow network: one row per place, and one row per leg of each
flow (flows are expanded to legs: origin → transit → … → destination), with the flow, its
commodity, certainty, period, actors and sources. The other networks of
:mod:`graph.exports.networks` work the same way. Values are those of the GraphML export
(lists ``"; "``-joined), so both give the same columns.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, so text
cells that start with one of those (or with a tab or carriage return) get a leading
apostrophe, as OWASP advises against CSV injection; numbers are left as they are. Files are
UTF-8 with a byte-order mark, which Excel needs to read accents (read them in Python with
``encoding="utf-8-sig"``; pandas strips the mark by itself).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from graph.exports import atomic_file
from graph.exports.networks import build_network, flatten

__all__ = ["EDGE_COLUMNS", "NODE_COLUMNS", "safe_cell", "write_csv"]

#: Columns that come first in ``nodes.csv``, when the network has them; others follow.
NODE_COLUMNS = ("id", "label", "type", "category", "kind", "lat", "lon", "iso3")

#: Columns that come first in ``edges.csv``, when the network has them; others follow.
EDGE_COLUMNS = ("from", "from_label", "to", "to_label", "id", "flow", "flow_label",
                "leg_index", "commodity", "commodity_label", "certainty", "certainty_label",
                "certainty_level", "period", "start", "end", "actors", "actors_role",
                "actors_id", "sources", "description")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet will show it, never run: formula-like text gets a ``'``.

    Examples
    --------
    >>> safe_cell("=HYPERLINK(\\"http://evil\\")")
    '\\'=HYPERLINK("http://evil")'
    >>> safe_cell(-17.5), safe_cell("Mali")
    (-17.5, 'Mali')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(kg, path: Path, network: str = "flows", commodity: str | None = None,
              min_certainty: str | None = None) -> list[Path]:
    """Write ``nodes.csv`` and ``edges.csv`` of a network (default: flows, one row per leg).

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph.
    path : Path
        The folder to write into (created if needed).
    network, commodity, min_certainty
        As for :func:`graph.exports.networks.build_network`.

    Returns
    -------
    list of Path
        ``[path / "nodes.csv", path / "edges.csv"]``.

    Examples
    --------
    >>> import tempfile, pathlib, csv
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> nodes, edges = write_csv(kg, folder, commodity="cocaine")
    >>> rows = list(csv.DictReader(edges.open(encoding="utf-8-sig")))
    >>> {r["commodity_label"] for r in rows}
    {'Cocaine'}
    """
    flat = flatten(build_network(kg, network, commodity, min_certainty))
    node_rows = [{"id": node, **data} for node, data in flat.nodes(data=True)]
    if flat.is_multigraph():
        edge_rows = [{"from": u, "to": v, "id": k, **_ends(flat, u, v), **d}
                     for u, v, k, d in flat.edges(keys=True, data=True)]
    else:
        edge_rows = [{"from": u, "to": v, **_ends(flat, u, v), **d}
                     for u, v, d in flat.edges(data=True)]
    nodes, edges = Path(path) / "nodes.csv", Path(path) / "edges.csv"
    _write(nodes, node_rows, NODE_COLUMNS)
    _write(edges, edge_rows, EDGE_COLUMNS)
    return [nodes, edges]


def _ends(net, u: str, v: str) -> dict[str, Any]:
    return {"from_label": net.nodes[u].get("label"), "to_label": net.nodes[v].get("label")}


def _write(path: Path, rows: list[dict[str, Any]], first: tuple[str, ...]) -> None:
    seen = list(dict.fromkeys(k for row in rows for k in row))
    columns = [c for c in first if c in seen] + [c for c in seen if c not in first]
    if not columns:  # an empty table still says what its rows would hold
        columns = list(first)
    with atomic_file(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else safe_cell(row[c]) for c in columns])
