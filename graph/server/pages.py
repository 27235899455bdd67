"""The explorer's HTML pages: search, one template per kind of entity, "not found".

Each function takes the plain data of :mod:`graph.explore` and returns a whole page as
bytes. Every element is made by :func:`graph.server.html.tag`, which escapes all text and
attribute values, so a label or description with markup in it is shown as text. Pages link
only to the endpoint itself (relative URLs from ``root``, the way back to the endpoint's
top from the page's URL) and load only its own style sheet: they work offline and under
the Content Security Policy :data:`graph.server.html.ENTITY_POLICY`.

Every entity named on a page links to its own page, ``entity/<short id>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlencode

from graph.lookup import short_id
from graph.server.html import Markup, join, tag

__all__ = ["entity_page", "entity_url", "not_found_page", "search_page"]

#: The alternative representations an entity page links to (``?format=``).
ALTERNATES = (("text/turtle", "turtle", "Turtle"), ("application/ld+json", "json-ld", "JSON-LD"))


def entity_url(root: str, short: str, suffix: str = "") -> str:
    """The relative URL of an entity's page (``root`` leads back to the endpoint's top).

    Examples
    --------
    >>> entity_url("../", "kb:actor-aqim")
    '../entity/kb:actor-aqim'
    >>> entity_url("", "https://example.org/a#b")
    'entity/https:%2F%2Fexample.org%2Fa%23b'
    """
    return f"{root}entity/{quote(str(short), safe=':')}{suffix}"


# -- the frame of every page -----------------------------------------------------------------

def _page(title: str, body: Iterable[object], root: str, *, query: str = "",
          alternates: Iterable[tuple[str, str]] = ()) -> bytes:
    head = [tag("meta", charset="utf-8"),
            tag("meta", name="viewport", content="width=device-width, initial-scale=1"),
            tag("title", title + " · Trafficking Knowledge Graph"),
            tag("link", rel="stylesheet", href=f"{root}assets/explorer.css")]
    head += [tag("link", rel="alternate", type=media, href=href) for media, href in alternates]
    header = tag("header",
                 tag("a", "Skip to the content", href="#content", class_="skip"),
                 _nav(root),
                 tag("form", tag("label", "Search the graph", for_="q", class_="hidden"),
                     tag("input", id="q", name="q", type="search", value=query,
                         placeholder="actor, place, commodity, claim, document…",
                         autocomplete="off"),
                     tag("button", "Search", type="submit"),
                     role="search", method="get", action=root or "./"))
    page = tag("html", tag("head", head),
               tag("body", header, tag("main", list(body), id="content", tabindex="-1")),
               lang="en")
    return ("<!DOCTYPE html>\n" + page + "\n").encode("utf-8")


def _nav(root: str) -> Markup:
    """The shared navigation: Search · SPARQL · Views."""
    links = [("Search", root or "./"), ("SPARQL", f"{root}sparql"), ("Views", f"{root}views")]
    return tag("nav", tag("a", "Trafficking Knowledge Graph", href=root or "./", class_="brand"),
               tag("ul", [tag("li", tag("a", text, href=href)) for text, href in links]),
               aria_label="Main")


def _link(root: str, ref: dict[str, Any] | None, text: object = None) -> Markup | str:
    """A link to an entity's page (``ref``: ``{id, short, label}``)."""
    if not ref:
        return ""
    short = ref.get("short") or ref.get("id")
    return tag("a", ref.get("label") if text is None else text, href=entity_url(root, short))


def _links(root: str, refs: Iterable[dict[str, Any] | None]) -> Markup:
    return join([_link(root, r) for r in refs if r])


def _table(caption: str | None, headings: list[str], rows: list[list[object]],
           empty: str = "none") -> Markup:
    if not rows:
        return tag("p", empty, class_="empty")
    return tag("div", tag("table",
                          tag("caption", caption) if caption else None,
                          tag("thead", tag("tr", [tag("th", h, scope="col") for h in headings])),
                          tag("tbody", [tag("tr", [tag("td", c) for c in row]) for row in rows])),
               class_="table", tabindex="0", role="region",
               aria_label=caption or ", ".join(headings))


def _section(title: str, *content: object, id: str | None = None) -> Markup:
    return tag("section", tag("h2", title, id=id), content)


def _source(root: str, source: dict[str, Any]) -> Markup:
    """'document § section ¶paragraph (reliability X)' with the document linked."""
    document = {"id": source["document"],
                "short": source.get("short") or short_id(source["document"]),
                "label": source.get("title") or source.get("short") or source["document"]}
    where = []
    if source.get("section"):
        where.append(f"§ {source['section']}")
    if source.get("paragraph") is not None:
        where.append(f"¶{source['paragraph']}")
    reliability = source.get("reliability")
    return tag("span", _link(root, document), " ", " ".join(where),
               f" (reliability {reliability})" if reliability else "", class_="source")


def _sources(root: str, sources: Iterable[dict[str, Any]]) -> Markup:
    items = [tag("li", _source(root, s)) for s in sources]
    return tag("ul", items, class_="sources") if items else Markup("")


def _certainty(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("label") or "")
    return "" if value is None else str(value)


# -- search ---------------------------------------------------------------------------------

def search_page(found: dict[str, Any] | None, root: str = "") -> bytes:
    """The search page: the box, and the results of :func:`graph.explore.search` by kind.

    Examples
    --------
    >>> page = search_page({"query": "<x>", "total": 0, "groups": [],
    ...                     "suggestions": []}).decode()
    >>> "&lt;x&gt;" in page and "<x>" not in page
    True
    """
    if found is None:
        body = [tag("h1", "Search the knowledge graph"),
                tag("p", "Find actors, places, commodities, flows and other claims, and the "
                         "documents they come from, by name, alternative name or description. "
                         "Every result opens a page with its sources; ",
                    tag("a", "SPARQL", href=f"{root}sparql"), " and the ",
                    tag("a", "map views", href=f"{root}views"), " are a click away."),
                tag("p", "For example: ",
                    join([tag("a", q, href=f"{root or './'}?{urlencode({'q': q})}")
                          for q in ("AQIM", "Libya", "cocaine", "gold", "arms")]))]
        return _page("Search", body, root)
    query = found["query"]
    body: list[object] = [tag("h1", f"Results for \u201c{query}\u201d")]
    total = found["total"]
    if total:
        summary = [tag("a", f"{g['heading']} ({g['count']})", href=f"#kind-{g['kind']}")
                   for g in found["groups"]]
        body.append(tag("p", f"{total} match{'es' if total != 1 else ''}: ", join(summary, " · "),
                        class_="summary"))
    else:
        body.append(tag("p", "Nothing in the graph has that in its name, alternative names or "
                             "description.", class_="empty"))
    if found["suggestions"]:
        body.append(tag("p", "Did you mean ",
                        join([tag("a", s["label"], href=entity_url(root, s["short"]))
                              for s in found["suggestions"]], " or "), "?", class_="suggest"))
    for group in found["groups"]:
        items = [tag("li", tag("a", r["label"], href=entity_url(root, r["short"])), " ",
                     tag("span", r["type"], class_="type"), " ",
                     tag("code", r["short"])) for r in group["results"]]
        more = group["count"] - len(group["results"])
        body.append(tag("section",
                        tag("h2", f"{group['heading']} ", tag("span", str(group["count"]),
                                                               class_="count"),
                            id=f"kind-{group['kind']}"),
                        tag("ul", items, class_="results"),
                        tag("p", f"and {more} more: refine the search", class_="more")
                        if more > 0 else None, class_="group"))
    return _page(f"Search: {query}", body, root, query=query)


def not_found_page(name: str, suggestions: list[dict[str, Any]], root: str = "") -> bytes:
    """The page of an unknown entity id, with close names as links.

    Examples
    --------
    >>> page = not_found_page("kb:aqim", [{"short": "kb:actor-aqim", "label": "AQIM"}]).decode()
    >>> 'href="entity/kb:actor-aqim"' in page
    True
    """
    body: list[object] = [tag("h1", "Not found"),
                          tag("p", "No entity in the graph has the id or name ",
                              tag("code", name), ".")]
    if suggestions:
        body.append(tag("p", "Did you mean ",
                        join([tag("a", s["label"], href=entity_url(root, s["short"]))
                              for s in suggestions], " or "), "?", class_="suggest"))
    body.append(tag("p", tag("a", "Search the graph", href=f"{root or './'}?"
                             + urlencode({"q": name.split(":")[-1]}))))
    return _page("Not found", body, root, query=name.split(":")[-1])


# -- entity pages ---------------------------------------------------------------------------

def entity_page(data: dict[str, Any], root: str = "", network: bool = True) -> bytes:
    """The page of one entity (:func:`graph.explore.describe`), by the template of its kind.

    ``network`` adds the frame of its expandable network view.

    Examples
    --------
    >>> page = entity_page({"id": "x", "short": "kb:x", "label": "<b>X</b>", "kind": "other",
    ...                     "type": "", "classes": [], "names": [], "description": "",
    ...                     "statements": [], "mentions": []}, network=False).decode()
    >>> "&lt;b&gt;X&lt;/b&gt;" in page and "<b>X" not in page
    True
    """
    template = _TEMPLATES.get(data["kind"], _other)
    body = [_heading(data, root), *template(data, root)]
    if network:
        body.append(_network(data, root))
    body += [_statements(data, root), _mentions(data, root), _formats(data, root)]
    alternates = [(media, f"?format={name}") for media, name, _ in ALTERNATES]
    return _page(data["label"], body, root, alternates=alternates)


def _heading(data: dict[str, Any], root: str) -> Markup:
    classes = _links(root, data["classes"])
    parts = [tag("h1", data["label"]),
             tag("p", tag("span", data["type"] or "entity", class_="type"),
                 " · ", tag("code", data["short"]),
                 " · class: ", classes if data["classes"] else "none", class_="meta")]
    if data["names"]:
        parts.append(tag("p", "Also called: ", join(data["names"], "; "), class_="names"))
    if data["description"]:
        parts.append(tag("p", data["description"], class_="description"))
    return tag("div", parts, class_="heading")


def _network(data: dict[str, Any], root: str) -> Markup:
    return _section("Network", tag("p", "The entities one step away. Select a node (click, or "
                                        "arrow keys and Enter) to open its page or show its "
                                        "own neighbours.", class_="hint"),
                    tag("iframe", src=entity_url(root, data["short"], "/network"),
                        title=f"Network around {data['label']}", class_="network",
                        loading="lazy"),
                    id="network")


def _statements(data: dict[str, Any], root: str) -> Markup:
    rows = []
    for statement in data["statements"]:
        values = [_link(root, v) if "id" in v else tag("span", str(v["value"]), class_="literal")
                  for v in statement["values"]]
        rows.append([_link(root, statement["property"]), join(values, "; ")])
    return _section("All statements", _table(None, ["property", "value"], rows),
                    id="statements")


def _mentions(data: dict[str, Any], root: str) -> Markup:
    rows = []
    for mention in data["mentions"]:
        more = f" and {mention['more']} more" if mention["more"] else ""
        rows.append([_link(root, mention["property"]), tag("span", join(
            [_link(root, v) for v in mention["values"]], "; "), more)])
    return _section("Referred to by", _table(None, ["property", "from"], rows), id="mentions")


def _formats(data: dict[str, Any], root: str) -> Markup:
    links = [tag("a", label, href=f"?format={name}", type=media)
             for media, name, label in ALTERNATES]
    return tag("p", "This entity as RDF: ", join(links, " · "),
               " (or ask for it with an Accept header on this URL).", class_="formats")


def _flow_rows(root: str, flows: list[dict[str, Any]], role: bool = False) -> list[list[object]]:
    rows = []
    for f in flows:
        route = []
        for key, word in (("origins", "from"), ("transits", "via"), ("destinations", "to")):
            if f.get(key):
                route.append(tag("span", f"{word} ", _links(root, f[key])))
        row = [_link(root, {"short": f["short"], "label": f["label"]}),
               _link(root, f.get("commodity")), join(route, " ")]
        if role:
            row.append(f.get("role") or "")
        row.append(_certainty(f.get("actor_certainty") if role else f.get("certainty")))
        row.append(_sources(root, f.get("evidence") or f.get("sources") or []))
        row.append(str(f.get("independent_lineages", "")))
        rows.append(row)
    return rows


_FLOW_HEADINGS = ["flow", "commodity", "route", "certainty", "sources", "independent lineages"]


def _flows(caption: str, root: str, flows: list[dict[str, Any]], role: bool = False) -> Markup:
    headings = list(_FLOW_HEADINGS)
    if role:
        headings.insert(3, "role")
    return _table(caption, headings, _flow_rows(root, flows, role), empty="none in the graph")


def _actor_rows(root: str, actors: list[dict[str, Any]]) -> list[list[object]]:
    return [[_link(root, a["actor"]), a["actor"].get("type", ""), a["role"],
             _links(root, a["markets"]), _certainty(a["certainty"]), str(a["claims"])]
            for a in actors]


def _actor(data: dict[str, Any], root: str) -> list[object]:
    matches = [tag("li", m["relation"]["label"], " ", _link(root, m["other"]),
                   " (stated on the other actor)" if m.get("inverse") else "")
               for m in data["matches"]]
    claims = [[_link(root, c), c["kind"], ", ".join(c["roles"]), c["certainty"] or "",
               _sources(root, c["sources"]), str(c["independent_lineages"])]
              for c in data["claims"]]
    return [
        _section("Aliases and close matches",
                 tag("p", "Aliases: ", join(data["names"], "; ")) if data["names"]
                 else tag("p", "No other names.", class_="empty"),
                 tag("ul", matches) if matches
                 else tag("p", "No close matches recorded.", class_="empty")),
        _section("Flows", _flows("Flows the actor takes part in", root, data["flows"],
                                 role=True), id="flows"),
        _section("Activities, relations and events",
                 _table("Other claims about the actor",
                        ["claim", "kind", "role", "certainty", "sources",
                         "independent lineages"], claims, empty="none in the graph"),
                 id="claims"),
        _section("Markets and commodities", tag("p", _links(root, data["markets"]) or "none")),
        _section("Places", tag("p", _links(root, data["places"]) or "none")),
    ]


def _scores(data: dict[str, Any], key: str, caption: str) -> Markup:
    rows_in = data["scores"] if key == "value" else data["ranks"]
    editions = sorted({e["edition"] for row in rows_in for e in row["editions"]})
    rows = []
    for row in rows_in:
        cells: list[object] = [row["indicator"]["label"]]
        by_edition = {e["edition"]: e for e in row["editions"]}
        for edition in editions:
            entry = by_edition.get(edition)
            if entry is None:
                cells.append("")
                continue
            text = str(entry[key])
            if key == "rank" and entry.get("out_of"):
                text += f"/{entry['out_of']}"
                if entry.get("scope"):
                    text += f" ({entry['scope']})"
            change = entry.get("change")
            if change:
                text += f" ({'+' if change > 0 else ''}{change:g})"
            cells.append(text)
        rows.append(cells)
    return _table(caption, ["indicator", *map(str, editions)], rows,
                  empty="no Index figures for this place")


def _place(data: dict[str, Any], root: str) -> list[object]:
    views = f"{root}views?{urlencode({'country': data['short']})}"
    sections = []
    if data["scores"] or data["ranks"]:
        sections.append(_section(
            "Index scores",
            tag("p", "Global Organized Crime Index figures by edition; the change from the "
                     "previous edition in brackets.", class_="hint"),
            _scores(data, "value", "Scores by edition"),
            _scores(data, "rank", "Ranks by edition") if data["ranks"] else None,
            id="scores"))
    sections += [
        _section("Flows", _flows("Flows into the place", root, data["inbound"]),
                 _flows("Flows out of the place", root, data["outbound"]),
                 _flows("Flows through the place", root, data["transit"]), id="flows"),
        _section("Actors active here",
                 _table("Actors in claims located here",
                        ["actor", "type", "role", "markets", "certainty", "claims"],
                        _actor_rows(root, data["actors"]), empty="none in the graph")),
        _section("Neighbours",
                 tag("p", "Borders: ", _links(root, data["borders"]) or "none"),
                 tag("p", "Within: ", _links(root, data["within"]) or "none"),
                 tag("p", "Places within it: ", _links(root, data["parts"]) or "none")),
        _section("Map", tag("p", tag("a", f"The flows of {data['label']} on the map",
                                     href=views))),
    ]
    return sections


def _commodity(data: dict[str, Any], root: str) -> list[object]:
    views = f"{root}views?{urlencode({'commodity': data['short']})}"
    return [
        _section("Flows", _flows("Flows of the commodity (and narrower ones)", root,
                                 data["flows"]), id="flows"),
        _section("Actors", _table("Actors in claims about the commodity",
                                  ["actor", "type", "role", "markets", "certainty", "claims"],
                                  _actor_rows(root, data["actors"]),
                                  empty="none in the graph")),
        _section("Map", tag("p", tag("a", f"{data['label']} flows on the map", href=views))),
    ]


def _claim(data: dict[str, Any], root: str) -> list[object]:
    facts = [("kind", data["claim_kind"]), ("certainty", _link(root, data["certainty"])),
             ("period", data["period"] or "not stated")]
    sections: list[object] = [tag("dl", [[tag("dt", k), tag("dd", v)] for k, v in facts],
                                  class_="facts")]
    actors = [[_link(root, a["actor"]), a["type"], ", ".join(a["roles"]), a["certainty"] or ""]
              for a in data["actors"]]
    sections.append(_section("Actors", _table(None, ["actor", "type", "role", "own certainty"],
                                              actors, empty="no actor named")))
    if data["legs"]:
        legs = [[str(leg["index"]), _link(root, leg["from"]), _link(root, leg["to"])]
                for leg in data["legs"]]
        sections.append(_section("Legs", _table(None, ["leg", "from", "to"], legs)))
    commodity, place = data["map"]["commodity"], data["map"]["place"]
    if commodity or place:
        words = f"{commodity['label']} flows" if commodity else "All flows"
        if place:
            words += f" through {place['label']}"
        query = {"commodity": commodity["short"] if commodity else None,
                 "country": place["short"] if place else None}
        href = f"{root}views?{urlencode({k: v for k, v in query.items() if v})}"
        sections.append(_section("Map", tag("p", tag("a", f"{words} on the map", href=href))))
    evidence = data["evidence"]
    if evidence is None:
        sections.append(_section("Evidence", tag("p", "This claim cites no passage.",
                                                 class_="empty")))
        return sections
    rows = []
    for source in evidence["sources"]:
        steps = [tag("span", f"{step['relation']} ",
                     _link(root, {"short": step["short"],
                                  "label": step["title"] or step["short"]}))
                 for step in source["lineage"][1:]]
        lineage = join(steps, " ← ") if steps else "original"
        rows.append([_source(root, source), source["certainty"] or "", lineage])
    supports = [[_link(root, s), s["direction"], s["certainty"] or "",
                 "independent lineage" if s["independent"] else "same lineage"]
                for s in evidence["supports"]]
    conflicts = [[_link(root, c), c["reason_label"] or "",
                  "contradiction" if c["is_contradiction"] else "change over time",
                  c["certainty"] or ""] for c in evidence["conflicts"]]
    sections.append(_section(
        "Evidence",
        tag("p", f"{evidence['independent_lineages']} independent lineage"
                 f"{'s' if evidence['independent_lineages'] != 1 else ''} of sources state or "
                 "support this claim; its certainty is its own source's grade, never raised "
                 "by corroboration.", class_="hint"),
        _table("Sources", ["source (document § section ¶ paragraph)", "certainty", "lineage"],
               rows),
        _table("Supports", ["claim", "direction", "certainty", "lineage"], supports,
               empty="No claim supports it or is supported by it."),
        _table("Conflicts", ["claim", "reason", "kind", "certainty"], conflicts,
               empty="No claim conflicts with it."),
        id="evidence"))
    return sections


def _document(data: dict[str, Any], root: str) -> list[object]:
    lineage = [tag("li", f"{step['relation']} " if step["relation"] else "",
                   _link(root, {"short": step["short"], "label": step["title"] or step["short"]}),
                   f" (reliability {step['reliability']})" if step["reliability"] else "",
                   " · original" if step["original"] else "")
               for step in data["lineage"]]
    coverage = [[c["section"], str(c["passages"]), str(c["cited"]),
                 ", ".join(map(str, c["uncited"])) or "none"] for c in data["coverage"]]
    passages = []
    for p in data["passages"]:
        claims = [tag("li", _link(root, c), " ", tag("span", c["kind"], class_="type"),
                      f", {c['certainty']}" if c["certainty"] else "") for c in p["claims"]]
        passages.append(tag("li", _link(root, {"short": p["short"],
                                               "label": f"§ {p['section']} ¶{p['paragraph']}"}),
                            tag("ul", claims) if claims else
                            tag("span", " (cited by no claim)", class_="empty")))
    return [
        _section("Lineage", tag("ol", lineage, class_="lineage")),
        _section("Coverage", _table("Factual paragraphs cited by claims, per section",
                                    ["section", "paragraphs", "cited", "not cited"], coverage)),
        _section("Passages and the claims citing them", tag("ul", passages, class_="passages"),
                 id="passages"),
    ]


def _passage(data: dict[str, Any], root: str) -> list[object]:
    claims = [tag("li", _link(root, c), " ", tag("span", c["kind"], class_="type"))
              for c in data["claims"]]
    return [tag("dl", [tag("dt", "document"), tag("dd", _link(root, data["document"])),
                       tag("dt", "section"), tag("dd", str(data["section"])),
                       tag("dt", "paragraph"), tag("dd", str(data["paragraph"]))],
                class_="facts"),
            _section("Claims citing it", tag("ul", claims) if claims
                     else tag("p", "none", class_="empty"))]


def _other(data: dict[str, Any], root: str) -> list[object]:
    return []


_TEMPLATES = {"actor": _actor, "place": _place, "commodity": _commodity, "claim": _claim,
              "document": _document, "passage": _passage, "other": _other}
