"""Reference documentation generated from the ontology files, never written by hand.

``tkg ontology --markdown docs/ontology.md`` writes it; a test fails when the checked-in copy
differs from what the Turtle produces.
"""

from __future__ import annotations

from collections import defaultdict

from graph.resources import ontology_dir, ontology_files, shapes_file

__all__ = ["cli_markdown", "ontology_markdown", "write_docs"]


def _md(text: str) -> str:
    """Escape characters that Markdown tables and emphasis would misread."""
    return " ".join(str(text).split()).replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _diagram(core, name, onto) -> list[str]:
    """A Mermaid class diagram of the claim, actor, place and evidence core (GitHub renders it).

    The classes drawn are those ``presentation.ttl`` flags with ``pres:inDiagram``.
    """
    from rdflib import OWL, RDF, RDFS, URIRef

    from graph.namespaces import TKG

    def local(node) -> str:
        return str(node).split("#", 1)[-1]

    core_classes = {URIRef(c) for c in onto.flagged("inDiagram")}
    lines = ["## Diagram of the core classes", "", "```mermaid", "classDiagram"]
    for cls in sorted(core_classes, key=str):
        for parent in sorted(core.objects(cls, RDFS.subClassOf), key=str):
            if parent in core_classes:
                lines.append(f"    {local(parent)} <|-- {local(cls)}")
    for prop in sorted(core.subjects(RDF.type, OWL.ObjectProperty), key=str):
        domain, rng = core.value(prop, RDFS.domain), core.value(prop, RDFS.range)
        domain = TKG.Claim if domain is None else domain  # shared by several claim kinds
        if domain in core_classes and rng in core_classes and isinstance(prop, URIRef):
            lines.append(f"    {local(domain)} --> {local(rng)} : {local(prop)}")
    lines += ["    Claim --> Passage : prov_wasDerivedFrom", "```", ""]
    return lines


def ontology_markdown() -> str:
    """The whole reference as Markdown: classes, properties, vocabularies, places, shapes.

    Examples
    --------
    >>> ontology_markdown().splitlines()[0]
    '# Ontology reference'
    """
    from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
    from rdflib.namespace import DCTERMS, SH

    from graph.lookup import prefixed
    from graph.namespaces import QB, TKG, bind
    from graph.ontology import load_ontology

    onto = load_ontology()
    per_file = {path: Graph().parse(path, format="turtle") for path in ontology_files()}
    g = bind(Graph())
    for part in per_file.values():
        g += part

    def label(node) -> str:
        found = g.value(node, RDFS.label) or g.value(node, SKOS.prefLabel)
        return str(found or prefixed(str(node)))

    def name(node) -> str:
        return f"`{prefixed(str(node))}`" if isinstance(node, URIRef) else "(list)"

    out = ["# Ontology reference", "",
           "Generated from the Turtle files in `ontology/` by `tkg ontology --markdown`; "
           "do not edit by hand.", ""]
    core = per_file[ontology_dir() / "tkg.ttl"]
    header = URIRef(str(TKG).rstrip("#"))  # the owl:Ontology block of tkg.ttl
    out += [f"**{_md(core.value(header, DCTERMS.title))}** (version "
            f"{core.value(header, OWL.versionInfo)}). "
            f"{_md(core.value(header, DCTERMS.description))}", ""]

    out += _diagram(core, name, onto)
    out += ["## Classes", "", "| Class | Label | Subclass of | Definition |", "|---|---|---|---|"]
    for cls in sorted(set(core.subjects(RDF.type, OWL.Class)), key=str):
        parents = ", ".join(name(p) for p in sorted(g.objects(cls, RDFS.subClassOf), key=str))
        note = g.value(cls, SKOS.scopeNote)
        text = _md(g.value(cls, SKOS.definition)) + (f" *{_md(note)}*" if note else "")
        mapped = g.value(cls, TKG.indexActorType)
        if mapped is not None:
            text += f" Index actor type: {name(mapped)}."
        out.append(f"| {name(cls)} | {_md(label(cls))} | {parents} | {text} |")
    out.append("")

    out += ["## Properties", "", "| Property | Kind | Domain | Range | Definition |",
            "|---|---|---|---|---|"]
    kinds = {OWL.ObjectProperty: "object", OWL.DatatypeProperty: "datatype",
             OWL.AnnotationProperty: "annotation"}
    props = [p for kind in kinds for p in core.subjects(RDF.type, kind)]
    for prop in sorted(set(props), key=str):
        kind = ", ".join(v for k, v in kinds.items() if (prop, RDF.type, k) in core)
        if (prop, RDF.type, OWL.FunctionalProperty) in core:
            kind += ", functional"
        if (prop, RDF.type, OWL.TransitiveProperty) in core:
            kind += ", transitive"
        if (prop, RDF.type, OWL.SymmetricProperty) in core:
            kind += ", symmetric"
        shortcut = g.value(prop, TKG.qualifiedForm)
        text = _md(g.value(prop, SKOS.definition))
        if shortcut is not None:
            text += f" Shortcut of {name(shortcut)}; derived by the loader."
        domain = name(g.value(prop, RDFS.domain)) if g.value(prop, RDFS.domain) else ""
        rng = name(g.value(prop, RDFS.range)) if g.value(prop, RDFS.range) else ""
        out.append(f"| {name(prop)} | {kind} | {domain} | {rng} | {text} |")
    out.append("")

    out += ["## Index scores as a Data Cube", ""]
    for dsd in sorted(core.subjects(RDF.type, QB.DataStructureDefinition), key=str):
        out += [f"{name(dsd)}: {_md(g.value(dsd, SKOS.definition))}", ""]
        rows = []
        for component in core.objects(dsd, QB.component):
            for role in ("dimension", "measure", "attribute"):
                prop = core.value(component, QB[role])
                if prop is not None:
                    order = core.value(component, QB.order)
                    rows.append((role, int(order) if order is not None else 99, name(prop)))
        for role, _, prop in sorted(rows):
            out.append(f"- {role}: {prop}")
        out.append("")

    out += ["## Controlled vocabularies", ""]
    for scheme in sorted(g.subjects(RDF.type, SKOS.ConceptScheme), key=str):
        members = sorted(g.subjects(SKOS.inScheme, scheme), key=lambda c: label(c).casefold())
        out += [f"### {_md(label(scheme))} ({name(scheme)})", "",
                _md(g.value(scheme, SKOS.definition) or ""), ""]
        children = defaultdict(list)
        for concept in members:
            parent = g.value(concept, SKOS.broader)
            children[parent if parent in members else None].append(concept)

        def walk(concept, depth: int, out=out, children=children) -> None:
            extra = []
            level = g.value(concept, TKG.level)
            if level is not None:
                extra.append(f"level {level}")
            market = g.value(concept, TKG.market)
            if market is not None:
                extra.append(f"market: {_md(label(market))}")
            editions = sorted(str(g.value(e, TKG.year)) for e in g.objects(concept, TKG.measuredIn))
            if editions:
                extra.append("editions " + ", ".join(editions))
            alts = sorted(str(a) for a in g.objects(concept, SKOS.altLabel))
            if alts:
                extra.append("also: " + ", ".join(_md(a) for a in alts))
            suffix = f" ({'; '.join(extra)})" if extra else ""
            out.append(f"{'  ' * depth}- **{_md(label(concept))}** {name(concept)}: "
                       f"{_md(g.value(concept, SKOS.definition) or '')}{suffix}")
            for child in children.get(concept, []):
                walk(child, depth + 1, out, children)

        for top in children.get(None, []):
            walk(top, 0)
        out.append("")

    out += ["## Places", ""]
    countries = sorted(g.subjects(RDF.type, TKG.Country), key=str)
    out += [f"The gazetteer has {len(countries)} countries (ISO 3166-1 codes, WGS84 points, "
            "Index continent and sub-region); the other places are:", "",
            "| Place | Label | Kind | Part of |", "|---|---|---|---|"]
    # Every kind of place below tkg:Place but the country (the ontology's own subclasses).
    kinds = [URIRef(c) for c in sorted(onto.descendants(TKG.Place, "subClassOf"))
             if c not in (str(TKG.Place), str(TKG.Country))]
    for cls in kinds:
        for place in sorted(g.subjects(RDF.type, cls), key=str):
            parents = ", ".join(name(p) for p in sorted(g.objects(place, TKG.partOf), key=str))
            out.append(f"| {name(place)} | {_md(label(place))} | {_md(label(cls))} | {parents} |")
    out.append("")

    shapes = bind(Graph().parse(shapes_file(), format="turtle"))
    out += ["## SHACL shapes", "", "| Shape | Targets | Path | Message |", "|---|---|---|---|"]
    for node_shape in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        target = shapes.value(node_shape, SH.targetClass)
        for prop_shape in sorted(shapes.objects(node_shape, SH.property), key=str):
            path = shapes.value(prop_shape, SH.path)
            shown = name(path) if isinstance(path, URIRef) else "(path expression)"
            out.append(f"| {name(prop_shape)} | {name(target) if target else '(nested)'} | "
                       f"{shown} | {_md(shapes.value(prop_shape, SH.message))} |")
    out.append("")
    return "\n".join(out)


def cli_markdown() -> str:
    """The CLI reference as Markdown: every command's ``--help``, generated from the code.

    Examples
    --------
    >>> "## tkg build" in cli_markdown()
    True
    """
    import click

    from graph.cli import cli

    out = ["# Command reference", "",
           "Generated from `tkg --help` by `tkg docs`; do not edit by hand.", ""]

    def walk(command: click.Command, path: list[str], parent: click.Context | None) -> None:
        ctx = click.Context(command, info_name=path[-1], parent=parent,
                            **command.context_settings)
        # Wide, fixed terminal width so the text does not depend on the machine.
        ctx.terminal_width = ctx.max_content_width = 100
        out.extend([f"## {' '.join(path)}", "", "```text", command.get_help(ctx), "```", ""])
        if isinstance(command, click.Group):
            for name in sorted(command.list_commands(ctx)):
                walk(command.get_command(ctx, name), [*path, name], ctx)

    walk(cli, ["tkg"], None)
    return "\n".join(out)


def write_docs(folder) -> list:
    """Write ``ontology.md`` and ``cli.md`` into ``folder``; return the paths written."""
    from pathlib import Path

    from graph.cache import write_atomic

    folder = Path(folder)
    written = []
    for name, text in (("ontology.md", ontology_markdown()), ("cli.md", cli_markdown())):
        write_atomic(folder / name, text.encode("utf-8"))
        written.append(folder / name)
    return written
