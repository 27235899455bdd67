"""Write imported Index figures as Data Cube observations in Turtle, whole or not at all.

Observation IRIs follow ``data/README.md``: ``kb:score-{ISO3}-{indicator}-{year}`` for
indicator scores and averages, ``kb:rank-{ISO3}-{average}-{scope}-{year}`` for ranks, all in
the data set ``kb:dataset-ocindex`` and derived from the workbook ``kb:doc-ocindex-dataset-2023``
(declared here exactly as in the curated files, so that the files merge). Scores keep the
lexical form the curated files use (``8.0`` for indicators, ``5.40`` for averages): RDF
treats ``5.4`` and ``5.40`` as two different terms. Output goes through rdflib's
``longturtle`` serializer, so diffs between two imports stay small, and is written to a
temporary file renamed into place.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rdflib import PROV, RDF, SKOS, XSD, Graph, Literal

from graph.errors import DataError
from graph.namespaces import KB, QB, TKG, bind
from graph.prefixes import sparql_prolog

__all__ = ["DATASET", "SOURCE", "SOURCE_TURTLE", "ObservationGraph", "write_turtle"]

#: The workbook as a source document and the Index data set, as every data file declares them.
SOURCE_TURTLE = """\
kb:doc-ocindex-dataset-2023
    a tkg:SourceDocument ;
    dcterms:title "Global Organized Crime Index 2023 dataset workbook"@en ;
    dcterms:publisher "Global Initiative against Transnational Organized Crime (GI-TOC)" ;
    dcterms:issued "2023"^^xsd:gYear ;
    tkg:reliability adm:reliability-B ;
    schema:url <https://ocindex.net/> ;
    tkg:original true ;
    skos:note "{note}"@en .

kb:dataset-ocindex
    a qb:DataSet ;
    rdfs:label "Global Organized Crime Index scores"@en ;
    qb:structure tkg:scoreStructure .
""".format(note="GI-TOC's own dataset workbook, titled GLOBAL ORGANIZED CRIME INDEX - 2023 and "
                "published with the Index; sheets 2021_dataset and 2023_dataset hold one row of "
                "scores per country. The copy read is a third-party mirror "
                "(github.com/njimenez94/crime-index-project, file data/raw/global_oc_index.xlsx) "
                "whose Mali rows match the Index pages exactly.")

#: Local names (in ``kb:``) of the source document and the data set.
SOURCE = "doc-ocindex-dataset-2023"
DATASET = "dataset-ocindex"


def _local(iri) -> str:
    return str(iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class ObservationGraph:
    """An rdflib graph being filled with observations, skipping those already known elsewhere.

    Parameters
    ----------
    known : dict, optional
        From :func:`graph.importer.known.read_known`: observations with the same dimensions
        and value are left out; a different value raises :class:`graph.errors.DataError`.
    """

    def __init__(self, known: dict | None = None):
        self.graph = bind(Graph())
        prolog = sparql_prolog().replace("PREFIX ", "@prefix ").replace(">\n", "> .\n")
        self.graph.parse(data=prolog + SOURCE_TURTLE, format="turtle")
        self._source = KB[SOURCE]
        self._dataset = KB[DATASET]
        self._known = known or {}
        #: Observations written, by (edition, class local name), e.g. (edition, "Rank").
        self.counts: dict[tuple, int] = {}
        #: Observations left out because an existing file states the same value.
        self.left_out = 0

    def _start(self, iri, cls, place, indicator, edition, scope, value, cell: str) -> bool:
        known = self._known.get((place, indicator, edition, scope))
        if known is not None:
            if known.value != value:
                raise DataError(f"{known.path} states {_local(known.iri)} = {known.value}, "
                                f"but the workbook has {value} ({cell}); fix one of them")
            self.left_out += 1
            return False
        g = self.graph
        g.add((iri, RDF.type, cls))
        g.add((iri, QB.dataSet, self._dataset))
        g.add((iri, TKG.refArea, place))
        g.add((iri, TKG.indicator, indicator))
        g.add((iri, TKG.edition, edition))
        g.add((iri, PROV.wasDerivedFrom, self._source))
        count = (edition, _local(cls))
        self.counts[count] = self.counts.get(count, 0) + 1
        return True

    def score(self, iso3: str, place, indicator, edition, year: int, value: Decimal, *,
              average: bool, cell: str, note: str | None = None) -> None:
        """Add an indicator score or (``average=True``) a printed average."""
        iri = KB[f"score-{iso3}-{_local(indicator)}-{year}"]
        cls = TKG.AggregateScore if average else TKG.IndicatorScore
        if not self._start(iri, cls, place, indicator, edition, None, value, cell):
            return
        text = f"{value:.2f}" if average else f"{value:.1f}"
        self.graph.add((iri, TKG.score, Literal(text, datatype=XSD.decimal)))
        if note:
            self.graph.add((iri, SKOS.note, Literal(note, lang="en")))

    def rank(self, iso3: str, place, average, edition, year: int, scope, region, rank: int,
             out_of: int, *, cell: str, note: str) -> None:
        """Add a derived rank."""
        scope_slug = _local(scope).removeprefix("scope-")
        iri = KB[f"rank-{iso3}-{_local(average)}-{scope_slug}-{year}"]
        if not self._start(iri, TKG.Rank, place, average, edition, scope, rank, cell):
            return
        g = self.graph
        g.add((iri, TKG.rankScope, scope))
        if region is not None:
            g.add((iri, TKG.scopeRegion, region))
        g.add((iri, TKG.rank, Literal(rank)))
        g.add((iri, TKG.rankOutOf, Literal(out_of)))
        g.add((iri, TKG.derived, Literal(True)))
        g.add((iri, SKOS.note, Literal(note, lang="en")))


def write_turtle(graph, out: str | Path | None, header: str) -> bytes:
    """Serialise ``graph`` with ``longturtle`` after a ``#`` comment ``header``; write atomically.

    Parameters
    ----------
    graph : rdflib.Graph
        The observations.
    out : str or Path or None
        Target file; None only returns the bytes. An existing file is replaced only once the
        new content is complete.
    header : str
        Comment lines (without ``#``) put before the prefixes.

    Returns
    -------
    bytes
        The Turtle document.
    """
    from graph.cache import write_atomic

    body = graph.serialize(format="longturtle", encoding="utf-8")
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    data = comment.encode("utf-8") + b"\n" + body
    if out is not None:
        path = Path(out)
        if path.is_dir():
            raise DataError(f"{path}: is a folder; give a file name for the Turtle output")
        try:
            write_atomic(path, data)
        except OSError as exc:
            raise DataError(f"{path}: cannot write ({exc.strerror})") from None
    return data
