"""What each listing shows as a table: its columns, headers, number format and explanation.

One layout per listing, shared by the ``tkg`` tables (:func:`graph.output.emit`) and the
notebook display (:func:`html`, behind ``_repr_html_``), so a notebook shows the same
content as the terminal. Every listing of claims shows per row a copyable ``id`` (see
:func:`graph.lookup.short_id`), its ``sources`` ("document § section ¶ paragraph", see
:func:`graph.output.citation`) and its ``certainty``. JSON never goes through a layout: it
keeps every key of the library's rows.
"""

from __future__ import annotations

import html as _html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.lookup import short_id
from graph.output import Column, cell

__all__ = ["LAYOUTS", "Layout", "Record", "Rows", "html", "options", "route_of"]

#: How many citations a table cell lists before "(+N more)".
MAX_SOURCES = 3


def route_of(flow: Mapping[str, Any]) -> str:
    """A flow's places in route order: origins → transits → destinations.

    Examples
    --------
    >>> route_of({"origins": [{"label": "Libya"}], "transits": [{"label": "Niger"}],
    ...           "destinations": [{"label": "Mali"}, {"label": "Chad"}]})
    'Libya → Niger → Mali / Chad'
    """
    stops = [" / ".join(p["label"] for p in flow.get("origins") or []),
             *(p["label"] for p in flow.get("transits") or []),
             " / ".join(p["label"] for p in flow.get("destinations") or [])]
    return " → ".join(s for s in stops if s)


def _sources(row: Mapping[str, Any]) -> str:
    sources = row.get("sources") or []
    shown = [cell(s) for s in sources[:MAX_SOURCES]]
    if len(sources) > MAX_SOURCES:
        shown.append(f"(+{len(sources) - MAX_SOURCES} more)")
    return "; ".join(shown)


def _paragraphs(row: Mapping[str, Any]) -> str:
    return ", ".join(f"¶{p}" for p in row.get("uncited") or []) or "none"


def _cuts(row: Mapping[str, Any]) -> str:
    return "; ".join(f"{p['label']} (via {p['path']}; "
                     f"{', '.join(short_id(f['id']) for f in p['flows'])})"
                     for p in row.get("pairs") or [])


def _ids(key: str):
    def get(row: Mapping[str, Any]) -> Any:
        return [item["id"] for item in row.get(key) or []]
    return get


def _id_of(key: str):
    def get(row: Mapping[str, Any]) -> Any:
        value = row.get(key)
        return value.get("id") if isinstance(value, Mapping) else None
    return get


@dataclass(frozen=True)
class Layout:
    """The table form of one listing."""

    #: Keys of the rows, or ``(header, function of the row)``.
    columns: tuple[Column, ...]
    #: Table headers that differ from the keys.
    headers: dict[str, str] = field(default_factory=dict)
    #: Decimals for floats (2 for Index scores, as the Index prints them).
    decimals: int | None = None
    #: A line under the table explaining what the columns mean.
    note: str | None = None
    #: Whether CSV uses these columns too (else CSV has every key of the rows).
    csv: bool = False
    #: Columns a narrow terminal's table leaves out first, in this order.
    optional: tuple[str, ...] = ()


_SOURCES: Column = ("sources", _sources)

#: Listing name -> its layout.
LAYOUTS: dict[str, Layout] = {
    "flows": Layout(
        ("id", "label", "commodity", ("route", route_of), "actors", "certainty",
         "independent_lineages", "period", _SOURCES),
        headers={"independent_lineages": "lineages"},
        note="id: give it to `tkg evidence` or `tkg neighbours`; lineages: independent lineages "
             "of sources behind the flow (beside, never raising, its certainty); sources: "
             "document § section ¶ paragraph.",
        optional=("period", "commodity", "actors", "independent_lineages")),
    "routes": Layout(
        ("label", "length", "certainty", ("flow_ids", _ids("flows")), _SOURCES),
        headers={"length": "legs", "certainty": "weakest certainty", "flow_ids": "flows (ids)"},
        note="legs: flows chained where one arrives and the next departs, at the same place "
             "or at a place inside the other (shown as \"Guinea (in West Africa)\"); "
             "weakest certainty: the least certain flow of the route.",
        csv=True),
    "who": Layout(
        (("id", _id_of("actor")), "actor", "role", "markets", "claims", "certainty",
         _SOURCES),
        headers={"certainty": "strongest certainty"}, csv=True, optional=("markets",),
        note="claims: how many claims give the actor this role; sources: document § section "
             "¶ paragraph of those claims."),
    "neighbours": Layout(("distance", "relation", "direction", "label", "type", "via", "id"),
                         csv=True, optional=("type", "direction")),
    "convergence-actor": Layout((("id", _id_of("actor")), "actor", "count", "markets",
                                 "commodities"), csv=True),
    "convergence-place": Layout((("id", _id_of("place")), "place", "count", "markets",
                                 "commodities"), csv=True),
    "brokers": Layout((("id", _id_of("place")), "place", "betweenness", "in_legs",
                       "out_legs"), csv=True),
    "chokepoints": Layout(
        (("id", _id_of("place")), ("removed", lambda r: r["place"]["label"]), "pairs_cut",
         ("share", lambda r: f"{r['pairs_cut']} of {r['pairs_connected']}"),
         ("cuts", _cuts)),
        headers={"pairs_cut": "pairs cut", "cuts": "pairs cut (path through it; flows)"},
        note="Each flow states an origin → destination pair (its first and last stops). "
             "Removing a place cuts a pair when every path between them in the flow network "
             "(legs of all flows, chained at shared places) passes through it, found with "
             "dominator trees; share: of the pairs the network connects."),
    "country": Layout(("section", "item", "edition", "value", "detail", "id", _SOURCES),
                      decimals=2, csv=True,
                      note="Index scores are printed with two decimals, as the Index prints "
                           "them; id and sources trace each flow and actor row."),
    "coverage": Layout(("document", "section", "passages", "cited", ("uncited", _paragraphs),
                        "share"),
                       headers={"uncited": "uncited ¶", "share": "share cited"},
                       decimals=2, csv=True,
                       note="passages: paragraphs that state facts; cited: those at least one "
                            "claim cites; uncited ¶: the paragraph numbers no claim cites yet; "
                            "share cited: cited / passages (1.00 = every factual paragraph)."),
    "compare": Layout((), decimals=2, csv=True),
}


def options(name: str, fmt: str) -> dict[str, Any]:
    """Keyword arguments of :func:`graph.output.emit` for listing ``name`` in ``fmt``.

    Examples
    --------
    >>> options("routes", "table")["headers"]["length"]
    'legs'
    >>> options("flows", "json")
    {}
    """
    layout = LAYOUTS[name]
    if fmt == "json" or (fmt == "csv" and not layout.csv):
        return {}
    found: dict[str, Any] = {"columns": layout.columns or None, "decimals": layout.decimals}
    if fmt == "table":
        found.update(headers=layout.headers, note=layout.note, optional=layout.optional)
    return found


def html(rows: Iterable[Mapping[str, Any]], name: str | None = None) -> str:
    """An HTML table of ``rows`` in the layout ``name`` (every key if ``None``), for Jupyter.

    Ids link to their IRIs; values are escaped.

    Examples
    --------
    >>> text = html([{"id": "https://w3id.org/tkg/kb/x", "label": "<b>"}])
    >>> '<a href="https://w3id.org/tkg/kb/x">kb:x</a>' in text and "&lt;b&gt;" in text
    True
    """
    rows = list(rows)
    layout = LAYOUTS.get(name) if name else None
    cols = list(layout.columns) if layout and layout.columns else (
        list(rows[0].keys()) if rows else [])
    names = [c if isinstance(c, str) else c[0] for c in cols]
    getters = [(lambda row, key=c: row.get(key)) if isinstance(c, str) else c[1] for c in cols]
    headers = layout.headers if layout else {}
    decimals = layout.decimals if layout else None
    out = ["<table>", "<thead><tr>"]
    out += [f"<th>{_html.escape(headers.get(n, n))}</th>" for n in names]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for key, get in zip(names, getters, strict=True):
            value = get(row)
            if key == "id" and value:
                text = _html.escape(short_id(str(value)))
                text = f'<a href="{_html.escape(str(value), quote=True)}">{text}</a>'
            else:
                text = _html.escape(cell(value, decimals=decimals))
            out.append(f'<td style="text-align:left">{text}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    if layout and layout.note and rows:
        out.append(f"<p><small>{_html.escape(layout.note)}</small></p>")
    if not rows:
        out = ["<p>(no rows)</p>"]
    return "".join(out)


class Rows(list):
    """A list of rows that Jupyter shows as the same table as the CLI (``_repr_html_``).

    It is a plain ``list`` in every other respect (equality, JSON, slicing gives a list).

    Examples
    --------
    >>> rows = Rows([{"id": "https://w3id.org/tkg/kb/x", "label": "X"}])
    >>> rows == [{"id": "https://w3id.org/tkg/kb/x", "label": "X"}], "kb:x" in rows._repr_html_()
    (True, True)
    """

    def __init__(self, rows=(), layout: str | None = None):
        super().__init__(rows)
        #: The name of the layout in :data:`LAYOUTS` (every key when ``None``).
        self.layout = layout

    def _repr_html_(self) -> str:
        return html(self, self.layout)


class Record(dict):
    """A dict (a country profile) that Jupyter shows as its rows in a layout's table.

    ``rows`` turns the record into the rows the CLI prints (e.g.
    :func:`graph.traverse.country_rows`).
    """

    def __init__(self, value, rows, layout: str):
        super().__init__(value)
        self._rows = rows
        self._layout = layout

    def _repr_html_(self) -> str:
        return html(self._rows(self), self._layout)
