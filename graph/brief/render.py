"""Render the content of a country brief (:func:`graph.brief.compose.brief_data`) as text.

- :func:`markdown` gives the brief as Markdown for wikis and diffs: the same sentences,
  tables instead of charts, citation markers ``[E1]`` linking to the appendix.
- :func:`html` gives one self-contained page: inline CSS, inline SVG charts, the country's
  interactive route map (the geographic view, its own page in a sandboxed ``iframe``
  ``srcdoc``) with a static SVG of the same map for print. It links nothing outside itself.

All text from the graph reaches the HTML through :func:`_e`, the one escaping function of
this module; the Markdown renderer escapes Markdown's own markup characters through
:func:`_m`.
"""

from __future__ import annotations

import html as _html
import re
from typing import Any

from graph.brief.wording import score_text

__all__ = ["html", "markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _m(text: Any) -> str:
    """Markdown-escape text from the graph (the one place for Markdown)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _e(text: Any) -> str:
    """HTML-escape text from the graph (the one place for HTML)."""
    return _html.escape(str(text), quote=True)


def _title(data: dict[str, Any]) -> str:
    return f"{data['country']['label']}: organised crime brief, {data['edition']} edition"


def _intro(data: dict[str, Any]) -> str:
    return ("Generated from the knowledge graph: every statement below stands on a claim or "
            "an Index figure listed in the evidence appendix; figures computed for this brief "
            "say so. The wording follows each claim's certainty grade.")


def _appendix_intro(data: dict[str, Any]) -> str:
    claims = [e for e in data["appendix"] if e["kind"] == "claim"]
    single = sum(1 for e in claims if e["single_source"])
    documents = {p["document"] for e in claims for p in e["passages"]}
    return (f"{len(data['appendix'])} entries: {len(claims)} claims from {len(documents)} "
            f"document{'s' if len(documents) != 1 else ''}, with their passages (document, "
            "section, paragraph), certainty grade and the reliability of their source, and the "
            f"documents behind the Index figures. {single} of the {len(claims)} claims rest on "
            "a single document (flagged). Corroboration counts the distinct documents that "
            "cite a claim.")


# -- Markdown -------------------------------------------------------------------------------


def markdown(data: dict[str, Any]) -> str:
    """The brief as Markdown.

    Examples
    --------
    >>> from graph.brief.compose import brief_data
    >>> text = markdown(brief_data(kg, "Mali", edition=2021))
    >>> text.splitlines()[0]
    '# Mali: organised crime brief, 2021 edition'
    """
    out = [f"# {_m(_title(data))}", "", f"*{_intro(data)}*", ""]
    group = None
    for section in data["sections"]:
        if section.get("group") and section["group"] != group:
            out += [f"**{_m(section['group'])}**", ""]
        group = section.get("group")
        out.append(f"{'#' * section['level']} {_m(section['title'])}")
        out.append("")
        for block in section["blocks"]:
            kind = block["type"]
            if kind in ("para", "claim"):
                out.append(" ".join(_md_sentence(s) for s in block["sentences"]))
                out.append("")
            elif kind == "note":
                out.append(_m(block["text"]))
                out.append("")
            elif kind == "table":
                out += _md_table(block["columns"], block["rows"])
                out.append("")
                out.append(_md_sentence(block["caption"]))
                out.append("")
            elif kind == "chart":
                out += _md_chart(block)
                out.append("")
    out += ["## Evidence appendix", "", _m(_appendix_intro(data)), ""]
    for entry in data["appendix"]:
        out.append(f'<a id="{entry["key"].lower()}"></a>**{entry["key"]}** {_md_entry(entry)}')
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _md_marks(keys: list[str]) -> str:
    return "".join(f"[\\[{k}\\]](#{k.lower()})" for k in keys)


def _md_sentence(sentence: dict[str, Any]) -> str:
    return f"{_m(sentence['text'])} {_md_marks(sentence['cites'])}".rstrip()


def _md_table(columns: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(_m(c) for c in columns) + " |",
           "|" + "---|" * len(columns)]
    out += ["| " + " | ".join(_m(v) for v in row) + " |" for row in rows]
    return out


def _md_chart(block: dict[str, Any]) -> list[str]:
    if block["chart"] == "deltas":
        rows = [[i["label"], f"{i['value']:+.2f}"] for i in block["items"]]
        out = _md_table(["Indicator", "Change"], rows)
    else:
        rows = [[i["label"], score_text(i["value"]),
                 score_text(i["previous"]) if i.get("previous") is not None else "–"]
                for i in block["items"]]
        out = _md_table(["Indicator", "Score", "Previous edition"], rows)
    return [*out, "", _md_sentence(block["caption"])]


def _md_entry(entry: dict[str, Any]) -> str:
    if entry["kind"] == "claim":
        passages = "; ".join(_passage(p) for p in entry["passages"])
        flag = " **Single source.**" if entry["single_source"] else ""
        return (f"{_m(entry['type'])}: {_m(entry['label'])}. Certainty: {_m(entry['grade'])}. "
                f"Cited passages: {_m(passages)}. Corroboration: {entry['corroboration']} "
                f"independent lineage{'s' if entry['corroboration'] != 1 else ''}.{flag}")
    if entry["kind"] == "figures":
        rel = f" (reliability {_m(entry['reliability'])})" if entry.get("reliability") else ""
        return (f"Index figures from {_m(entry['title'])}{rel}: "
                f"{_m('; '.join(entry['figures']))}.")
    return f"{_m(entry['title'])}: {_m(entry['text'])}"


def _passage(p: dict[str, Any]) -> str:
    text = str(p["title"])
    if p.get("section"):
        text += f", section “{p['section']}”"
    if p.get("paragraph") is not None:
        text += f", paragraph {p['paragraph']}"
    if p.get("reliability"):
        text += f" (source reliability {p['reliability']})"
    return text


# -- HTML -----------------------------------------------------------------------------------

_CSS = """
body { font: 11pt/1.45 Georgia, 'DejaVu Serif', serif; color: #1b1b1b; margin: 0 auto;
       max-width: 50em; padding: 1.5em; }
h1 { font-size: 1.7em; margin-bottom: .2em; } h2 { border-bottom: 1px solid #999;
     margin-top: 1.6em; } h3 { margin-bottom: .3em; }
p.intro { color: #555; font-style: italic; }
p.group { margin: 1.4em 0 0; font: bold .8em sans-serif; letter-spacing: .06em;
          text-transform: uppercase; color: #6b5a2b; break-after: avoid; }
sup.cite a { text-decoration: none; color: #1f5fa8; font-size: .8em; }
p.claim { margin: .35em 0; }
figure { margin: 1em 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: .9em; color: #444; }
table { border-collapse: collapse; font-size: .92em; break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: .2em .5em; text-align: left; }
td.num { text-align: right; }
ol.appendix { list-style: none; padding-left: 0; }
ol.appendix li { margin-bottom: .45em; font-size: .92em; }
.single { color: #a33; font-weight: bold; }
.note { background: #f4f1e8; padding: .6em .9em; border-left: 4px solid #c9a64b; }
iframe.map { width: 100%; height: 520px; border: 1px solid #bbb; }
svg text { font: 10px sans-serif; }
.print-only { display: none; }
@media print {
  body { max-width: none; padding: 0; }
  .screen-only { display: none; }
  .print-only { display: block; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
}
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
        @bottom-center { content: "Page " counter(page) " of " counter(pages);
                         font: 9pt sans-serif; color: #555; } }
"""


def html(data: dict[str, Any], route_map: dict[str, Any] | None = None) -> str:
    """The brief as one self-contained HTML page.

    ``route_map``: ``{"page": <the geographic view's HTML>, "data": <its view data>}`` for
    the country, or ``None`` for no map.

    Examples
    --------
    >>> from graph.brief.compose import brief_data
    >>> page = html(brief_data(kg, "Mali", edition=2021))
    >>> page.startswith("<!DOCTYPE html>"), 'src="http' in page or 'href="http' in page
    (True, False)
    """
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f'<meta http-equiv="Content-Security-Policy" content="{_e(_csp(route_map))}">',
             f"<title>{_e(_title(data))}</title><style>{_CSS}</style></head><body>",
             f"<h1>{_e(_title(data))}</h1>", f'<p class="intro">{_e(_intro(data))}</p>']
    group = None
    for section in data["sections"]:
        level = section["level"]
        if section.get("group") and section["group"] != group:
            parts.append(f'<p class="group">{_e(section["group"])}</p>')
        group = section.get("group")
        parts.append(f'<section id="{_e(section["id"])}" class="level{level}">')
        parts.append(f"<h{level}>{_e(section['title'])}</h{level}>")
        for block in section["blocks"]:
            parts.append(_html_block(block, route_map))
        parts.append("</section>")
    parts.append('<section id="appendix" class="level2"><h2>Evidence appendix</h2>'
                 f'<p>{_e(_appendix_intro(data))}</p><ol class="appendix">')
    for entry in data["appendix"]:
        parts.append(f'<li id="{_e(entry["key"].lower())}" value="{int(entry["key"][1:])}">'
                     f"<b>{_e(entry['key'])}</b> {_html_entry(entry)}</li>")
    parts.append("</ol></section></body></html>")
    return "\n".join(parts)


def _csp(route_map: dict[str, Any] | None) -> str:
    """The page's Content-Security-Policy: no request of any kind, no script of its own.

    The route map's page runs in a sandboxed ``srcdoc`` frame, which inherits this policy,
    so the hashes of the map's own inline scripts are allowed, and nothing else.
    """
    scripts = "'none'"
    if route_map:
        found = re.search(r"script-src ([^;\"]+)", route_map["page"])
        if found:
            scripts = found.group(1).strip()
    return "; ".join(["default-src 'none'", "style-src 'unsafe-inline'", "img-src data:",
                      "frame-src 'self' about:", f"script-src {scripts}", "base-uri 'none'",
                      "form-action 'none'"])


def _marks(keys: list[str]) -> str:
    return "".join(f'<sup class="cite"><a href="#{_e(k.lower())}">[{_e(k)}]</a></sup>'
                   for k in keys)


def _label_svg(svg: str, caption: dict[str, Any]) -> str:
    """Give an inline chart its caption as accessible name."""
    return svg.replace('role="img">', f'role="img" aria-label="{_e(caption["text"])}">', 1)


def _html_sentence(sentence: dict[str, Any]) -> str:
    derived = ' data-derived="true"' if sentence["derived"] else ""
    return f'<span class="s"{derived}>{_e(sentence["text"])}{_marks(sentence["cites"])}</span>'


def _html_block(block: dict[str, Any], route_map: dict[str, Any] | None) -> str:
    kind = block["type"]
    if kind == "para":
        return "<p>" + " ".join(_html_sentence(s) for s in block["sentences"]) + "</p>"
    if kind == "claim":
        return (f'<p class="claim" data-claim="{_e(block["claim"])}">'
                + " ".join(_html_sentence(s) for s in block["sentences"]) + "</p>")
    if kind == "note":
        return f'<p class="note">{_e(block["text"])}</p>'
    if kind == "table":
        head = "".join(f"<th>{_e(c)}</th>" for c in block["columns"])
        body = "".join("<tr>" + "".join(
            f'<td{" class=num" if i else ""}>{_e(v)}</td>' for i, v in enumerate(row))
            + "</tr>" for row in block["rows"])
        return (f"<figure><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                f"<figcaption>{_html_sentence(block['caption'])}</figcaption></figure>")
    if kind == "chart":
        svg = _deltas_svg(block["items"]) if block["chart"] == "deltas" else _bars_svg(
            block["items"])
        return (f'<figure class="chart">{_label_svg(svg, block["caption"])}'
                f"<figcaption>{_html_sentence(block['caption'])}</figcaption></figure>")
    if kind == "map":
        if not route_map or not route_map["data"]["edges"]:
            return ""
        view = route_map["data"]
        return (
            '<figure class="map">'
            f'<iframe class="map screen-only" sandbox="allow-scripts" title="{_e(view["title"])}"'
            f' srcdoc="{_e(route_map["page"])}"></iframe>'
            f'<div class="print-only">{_map_svg(view)}{_map_legend(view)}</div>'
            f"<figcaption>{_html_sentence(block['caption'])}</figcaption>"
            "</figure>")
    raise ValueError(f"unknown block type {kind!r}")


def _html_entry(entry: dict[str, Any]) -> str:
    if entry["kind"] == "claim":
        passages = "; ".join(_e(_passage(p)) for p in entry["passages"])
        flag = ' <span class="single">Single source.</span>' if entry["single_source"] else ""
        n = entry["corroboration"]
        return (f"{_e(entry['type'])}: <i>{_e(entry['label'])}</i>. Certainty: "
                f"<b>{_e(entry['grade'])}</b>. Cited passages: {passages}. Corroboration: "
                f"{n} independent lineage{'s' if n != 1 else ''}.{flag}")
    if entry["kind"] == "figures":
        rel = f" (reliability {_e(entry['reliability'])})" if entry.get("reliability") else ""
        return (f"Index figures from <i>{_e(entry['title'])}</i>{rel}: "
                f"{_e('; '.join(entry['figures']))}.")
    return f"<i>{_e(entry['title'])}</i>: {_e(entry['text'])}"


# -- inline SVG charts ----------------------------------------------------------------------


def _bars_svg(items: list[dict[str, Any]]) -> str:
    """Horizontal bars on a 0-10 scale, a tick at the previous edition's score."""
    row, label_w, bar_w = 18, 230, 300
    height = row * len(items) + 24
    out = [f'<svg width="{label_w + bar_w + 50}" '
           f'height="{height}" role="img">']
    for t in range(0, 11, 2):
        x = label_w + bar_w * t / 10
        out.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 16}" '
                   'stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle">{t}</text>')
    for n, item in enumerate(items):
        y = n * row + 2
        width = bar_w * item["value"] / 10
        out.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">'
                   f"{_e(item['label'])}</text>")
        out.append(f'<rect x="{label_w}" y="{y + 2}" width="{width:.1f}" height="{row - 5}" '
                   'fill="#4a78b0"/>')
        out.append(f'<text x="{label_w + width + 4:.1f}" y="{y + 12}">'
                   f"{score_text(item['value'])}</text>")
        if item.get("previous") is not None:
            px = label_w + bar_w * item["previous"] / 10
            out.append(f'<line x1="{px:.1f}" y1="{y}" x2="{px:.1f}" y2="{y + row - 1}" '
                       'stroke="#c0392b" stroke-width="2"/>')
    out.append("</svg>")
    return "".join(out)


def _deltas_svg(items: list[dict[str, Any]]) -> str:
    """Diverging bars of the change of each score between two editions."""
    row, label_w, half = 13, 250, 120
    scale = max([abs(i["value"]) for i in items] + [1.0])
    height = row * len(items) + 6
    mid = label_w + half
    out = [f'<svg width="{label_w + 2 * half + 50}" '
           f'height="{height}" role="img">',
           f'<line x1="{mid}" y1="0" x2="{mid}" y2="{height}" stroke="#888"/>']
    for n, item in enumerate(items):
        y = n * row + 2
        width = half * abs(item["value"]) / scale
        x = mid if item["value"] >= 0 else mid - width
        colour = "#c0392b" if item["value"] > 0 else "#2e8b57"
        out.append(f'<text x="{label_w - 6}" y="{y + 11}" text-anchor="end">'
                   f"{_e(item['label'])}</text>")
        out.append(f'<rect x="{x:.1f}" y="{y + 2}" width="{width:.1f}" height="{row - 5}" '
                   f'fill="{colour}"/>')
        out.append(f'<text x="{mid + half + 6}" y="{y + 11}">{item["value"]:+.2f}</text>')
    out.append("</svg>")
    return "".join(out)


def _map_legend(view: dict[str, Any]) -> str:
    """The colours of the static map's lines (commodity branches), as one line of text."""
    items = "".join(
        f'<span style="white-space:nowrap;margin-right:1em"><svg width="18" height="8">'
        f'<line x1="0" y1="4" x2="18" y2="4" stroke="{_e(g.get("colour") or "#777")}" '
        f'stroke-width="3"/></svg> {_e(g["label"])}</span>'
        for g in view["legend"]["groups"])
    return f'<p class="legend">{items} Dashed: likely or less certain.</p>'


def _map_svg(view: dict[str, Any]) -> str:
    """A static drawing of the geographic view (places and lines) for print."""
    nodes = {n["id"]: n for n in view["nodes"] if "x" in n and "y" in n}
    if not nodes:
        return ""
    xs = [n["x"] for n in nodes.values()]
    ys = [n["y"] for n in nodes.values()]
    pad = 40
    w, h = max(xs) - min(xs) or 1, max(ys) - min(ys) or 1
    scale = min(640 / w, 420 / h)

    def pos(n: dict[str, Any]) -> tuple[float, float]:
        return (pad + (n["x"] - min(xs)) * scale, pad + (n["y"] - min(ys)) * scale)

    out = [f'<svg width="{w * scale + 2 * pad:.0f}" '
           f'height="{h * scale + 2 * pad:.0f}" role="img">']
    for edge in view["edges"]:
        a, b = nodes.get(edge.get("from")), nodes.get(edge.get("to"))
        if a is None or b is None:
            continue
        (x1, y1), (x2, y2) = pos(a), pos(b)
        groups, grades = view["legend"]["groups"], view["legend"]["grades"]
        group = groups[edge["group"]] if isinstance(edge.get("group"), int) and \
            edge["group"] < len(groups) else {}
        grade = grades[edge["cert"]] if isinstance(edge.get("cert"), int) and \
            edge["cert"] < len(grades) else {}
        colour = _e(group.get("colour") or "#777")
        dashes = grade.get("dashes")
        dash = f' stroke-dasharray="{" ".join(f"{d:g}" for d in dashes)}"' if dashes else ""
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                   f'stroke="{colour}" stroke-width="2"'
                   f'{dash} opacity="0.8"/>')
    for node in nodes.values():
        x, y = pos(node)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#333"/>')
        out.append(f'<text x="{x + 6:.1f}" y="{y - 4:.1f}">{_e(node.get("label", ""))}</text>')
    out.append("</svg>")
    return "".join(out)
