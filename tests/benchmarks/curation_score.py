"""Score the drafter against a curated data file: flows recall and precision, certainty, passages.

Used by ``test_curation_quality.py`` (which asserts the targets of docs/curation.md) and run as
a script to print the figures of the report::

    python tests/benchmarks/curation_score.py ../shared/seeds/000_0b3dfc4151273e9a.txt \\
        data/ocindex-2021-mali.ttl --document ocindex-2021-mali --edition 2021

Definitions (docs/curation.md):

- a proposed flow **matches** a curated flow when their commodities are the same concept or
  one is narrower than the other (``skos:broader``), and likewise their origins and their
  destinations: both empty, or some place of one is the same as, inside or around
  (``tkg:partOf``) some place of the other. Passages are not part of the match;
- **recall**: curated flows matched by at least one proposal; **precision**: proposed flows
  that match at least one curated flow;
- **certainty**: for each matched proposal, its best match (same passage, then same
  commodity); equal grades over all such pairs; and, for pairs whose curated grade is hedged
  (below ``cert:reported``), that the draft is never firmer;
- **passages**: matched proposals whose section and paragraph are those of a passage their
  match cites; and proposals whose sentence offsets lie inside their paragraph.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from rdflib import RDF, Graph, URIRef
from rdflib.collection import Collection

from graph._tkg import TKG
from graph.lookup import prefixed
from graph.prefixes import PREFIXES


def _expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else name


def reference_flows(path: str | Path) -> list[dict[str, Any]]:
    """The flows of a curated data file, as plain data."""
    g = Graph().parse(path)
    flows = []
    for flow in sorted(set(g.subjects(RDF.type, TKG.Flow)), key=str):
        route = g.value(flow, TKG.route)
        passages = []
        for psg in g.objects(flow, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")):
            section = g.value(psg, TKG.section)
            number = g.value(psg, TKG.paragraph)
            if section is not None:
                passages.append((str(section).casefold(), int(number)))
        flows.append({
            "id": prefixed(str(flow)),
            "commodity": str(g.value(flow, TKG.commodity)),
            "origin": {str(p) for p in g.objects(flow, TKG.origin)},
            "destination": {str(p) for p in g.objects(flow, TKG.destination)},
            "transits": [str(p) for p in Collection(g, route)] if route else [],
            "certainty": str(g.value(flow, TKG.certainty)),
            "passages": passages,
        })
    return flows


class Scorer:
    """Hierarchies and grade levels of a graph, for comparing drafted and curated claims."""

    def __init__(self, kg):
        from graph.claims import model

        self.model = model(kg)

    def related(self, a: str, b: str, relation: str) -> bool:
        return a == b or a in self.model.ancestors(b, relation) \
            or b in self.model.ancestors(a, relation)

    def places_match(self, mine: set[str], theirs: set[str]) -> bool:
        if not mine and not theirs:
            return True
        return any(self.related(a, b, "partOf") for a in mine for b in theirs)

    def match(self, proposal: dict, curated: dict) -> bool:
        return (self.related(proposal["commodity"], curated["commodity"], "broader")
                and self.places_match(proposal["origin"], curated["origin"])
                and self.places_match(proposal["destination"], curated["destination"]))

    def level(self, grade: str) -> int:
        return self.model.level(grade)


def _proposal(claim: dict) -> dict:
    return {**claim, "commodity": _expand(claim["commodity"]),
            "origin": {_expand(p) for p in claim["origin"]},
            "destination": {_expand(p) for p in claim["destination"]},
            "certainty_iri": _expand(claim["certainty"])}


def score(kg, result: dict, reference: list[dict], text: str) -> dict[str, Any]:
    """Compare the flows of a draft with the curated ``reference`` flows."""
    scorer = Scorer(kg)
    proposals = [_proposal(c) for c in result["claims"] if c["kind"] == "flow"]
    matches = {i: [c for c in reference if scorer.match(p, c)] for i, p in enumerate(proposals)}
    matched_ref = {c["id"] for found in matches.values() for c in found}
    true_pos = [i for i, found in matches.items() if found]
    pairs = []
    for i in true_pos:
        p = proposals[i]
        where = (p["section"].casefold(), p["paragraph"])
        best = sorted(matches[i], key=lambda c: (where not in c["passages"],
                                                 c["commodity"] != p["commodity"], c["id"]))[0]
        pairs.append((p, best))
    reported = scorer.level(PREFIXES["cert"] + "reported")
    equal = sum(1 for p, c in pairs if p["certainty_iri"] == c["certainty"])
    hedged = [(p, c) for p, c in pairs if scorer.level(c["certainty"]) < reported]
    firmer = [(p["id"], c["id"]) for p, c in hedged
              if scorer.level(p["certainty_iri"]) > scorer.level(c["certainty"])]
    right_passage = sum(1 for p, c in pairs
                        if (p["section"].casefold(), p["paragraph"]) in c["passages"])
    inside = 0
    spans = {(ps["section"], ps["paragraph"]): (ps["start"], ps["end"])
             for ps in result["passages"]}
    for claim in result["claims"]:
        start, end = spans[(claim["section"], claim["paragraph"])]
        if all(start <= a < b <= end for a, b in claim["sentences"]):
            inside += 1
    missed = [c for c in reference if c["id"] not in matched_ref]
    wrong = [proposals[i] for i, found in matches.items() if not found]
    return {
        "curated flows": len(reference), "proposed flows": len(proposals),
        "recall": len(matched_ref) / len(reference) if reference else 0.0,
        "precision": len(true_pos) / len(proposals) if proposals else 0.0,
        "matched pairs": len(pairs),
        "certainty equal": equal / len(pairs) if pairs else 0.0,
        "hedged pairs": len(hedged), "firmer than curated": firmer,
        "right passage": right_passage / len(pairs) if pairs else 0.0,
        "proposals": len(result["claims"]),
        "offsets inside paragraph": inside / len(result["claims"]) if result["claims"] else 0.0,
        "missed": [(c["id"], prefixed(c["commodity"])) for c in missed],
        "false": [(p["id"], p["label"]) for p in wrong],
        "seconds": result["seconds"],
        "text characters": len(text),
    }


def run(kg, text_path: str | Path, reference_path: str | Path, **options) -> dict[str, Any]:
    """Draft ``text_path`` (cold: the vocabulary is read again) and score it."""
    from graph.curation import draft, read_text

    text = read_text(text_path)
    kg.clear_cache()  # the lexicon (and the ontology it reads) lives in the graph's cache
    started = time.perf_counter()
    result = draft(kg, text, **options)
    cold = time.perf_counter() - started
    figures = score(kg, result, reference_flows(reference_path), text)
    figures["seconds cold"] = round(cold, 3)
    return figures


def main() -> None:
    import graph

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("text")
    parser.add_argument("reference")
    parser.add_argument("--document", required=True)
    parser.add_argument("--title", default="(draft)")
    parser.add_argument("--edition", default=None)
    parser.add_argument("--backend", default="oxigraph")
    args = parser.parse_args()
    kg = graph.load(backend=args.backend)
    figures = run(kg, args.text, args.reference, document=args.document, title=args.title,
                  edition=args.edition)
    for key, value in figures.items():
        if isinstance(value, float):
            value = f"{value:.1%}" if "second" not in key else f"{value:.3f}"
        print(f"- {key}: {value}")


if __name__ == "__main__":
    main()
