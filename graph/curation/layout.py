"""The review workbook's layout: one sheet per kind of node, one column per property.

A sheet holds the nodes of one class (``Flows`` the ``tkg:Flow`` nodes, ``Actors`` every
``tkg:Actor``...); a column names the property it holds and how its cells are written:

- ``terms``: IRIs as prefixed names (``place:LBY``), several separated by ``;``; a reader
  may type a label instead ("Libya") and the importer resolves it;
- ``list``: an ordered list of IRIs (a flow's route);
- ``text``: English text, one value per line; ``plain``: text without a language;
- ``integer``, ``decimal``, ``boolean``, ``date`` (a year or a full date);
- ``involvements``: one actor per line, ``kb:actor-x: role:transports, role:colludes
  (cert:suspected)``, the grade only where it differs from the claim's;
- ``draft``: what the drafter adds for the reviewer (cue, confidence, offsets, accept);
  never written to the graph.

Any other property a node has gets a column headed by its prefixed name, with each value in
Turtle notation, so that every triple of a data file survives export and import.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import PROV, RDF, RDFS, SKOS, XSD
from rdflib.namespace import DCTERMS

from graph.namespaces import QB, SCHEMA, TKG

__all__ = ["ACCEPT", "CLAIM_SHEETS", "SHEETS", "SOURCE_TEXT", "Column", "Sheet", "sheet_named"]


@dataclass(frozen=True)
class Column:
    """One column of a sheet."""

    #: The header cell.
    header: str
    #: The property the column holds (None for draft-only columns).
    path: str | None
    #: How cells are written (see the module docstring).
    kind: str
    #: For ``terms`` and ``list`` columns: the class of the values, when the property's
    #: declared range is not the one to offer (a route is an ``rdf:List`` of places).
    range: str | None = None
    #: Cells must not be empty in accepted rows.
    required: bool = False
    #: A short hint shown as the header's comment.
    hint: str = ""


@dataclass(frozen=True)
class Sheet:
    """One sheet: the class of its rows and its columns."""

    #: Sheet name.
    name: str
    #: The class whose instances are its rows (None: every node no other sheet takes).
    cls: str | None
    #: Its columns, the id first.
    columns: tuple[Column, ...]
    #: Rows need ``accept`` = yes to be imported.
    reviewed: bool = False

    def column(self, header: str) -> Column | None:
        """The column headed ``header``, if the layout has one."""
        for column in self.columns:
            if column.header == header:
                return column
        return None


#: Header of the column a reviewer fills with yes or no.
ACCEPT = "accept"
#: Sheet of a draft holding the source's paragraphs (``passage``, ``text``): never imported as
#: data, only read to check that descriptions do not copy the source.
SOURCE_TEXT = "Source text"

_ID = Column("id", None, "id", required=True,
             hint="The node's IRI as a prefixed name (kb:...); see data/README.md for the rule.")
_CLASS = Column("class", str(RDF.type), "terms",
                hint="Its classes; empty means the sheet's class.")
_NOTE = Column("note", str(SKOS.note), "text", hint="Anything a reader must know (optional).")
_DRAFT = (
    Column("section", None, "draft", hint="Section of the source (from the draft)."),
    Column("paragraph", None, "draft", hint="Paragraph number within the section."),
    Column("period text", None, "draft", hint="The period as the source words it."),
    Column("cue", None, "draft", hint="The word that set the certainty grade; empty: plain."),
    Column("confidence", None, "draft", hint="How sure the drafter is, 0 to 1."),
    Column("sentences", None, "draft", hint="Character offsets of the source sentences."),
    Column(ACCEPT, None, "draft", hint="yes to import the row, no to leave it out."),
)


def _claim(name: str, cls, specific: tuple[Column, ...]) -> Sheet:
    return Sheet(name, str(cls), (
        _ID, _CLASS,
        Column("passage", str(PROV.wasDerivedFrom), "terms", range=str(TKG.Passage),
               required=True, hint="The passage (section and paragraph) the claim comes from."),
        Column("label", str(RDFS.label), "text", required=True, hint="A short neutral label."),
        Column("description", str(DCTERMS.description), "text", required=True,
               hint="One or two sentences IN YOUR OWN WORDS: never copy the source."),
        *specific,
        Column("actors and roles", str(TKG.qualifiedInvolvement), "involvements",
               hint="One actor per line: actor: role, role (certainty if it differs)."),
        Column("magnitude", str(TKG.magnitude), "terms"),
        Column("trend", str(TKG.trend), "terms"),
        Column("trend cause", str(TKG.trendCause), "terms", range=str(TKG.Event)),
        Column("start year", str(TKG.startYear), "integer"),
        Column("end year", str(TKG.endYear), "integer"),
        Column("certainty", str(TKG.certainty), "terms", required=True,
               hint="Graded by the source's wording (data/README.md)."),
        Column("supports", str(TKG.supports), "terms"),
        Column("conflicts with", str(TKG.conflictsWith), "terms"),
        _NOTE, *_DRAFT), reviewed=True)


_PLACE = str(TKG.Place)
#: The claim sheets, in the order of the README's claim kinds.
CLAIM_SHEETS = (
    _claim("Flows", TKG.Flow, (
        Column("commodity", str(TKG.commodity), "terms", required=True,
               hint="Exactly one commodity; split flows of several."),
        Column("origin", str(TKG.origin), "terms", range=_PLACE),
        Column("transits", str(TKG.route), "list", range=_PLACE,
               hint="Transit places in route order, separated by ;"),
        Column("destination", str(TKG.destination), "terms", range=_PLACE),
        Column("mode", str(TKG.mode), "terms"),
    )),
    _claim("Activities", TKG.Activity, (
        Column("type", str(TKG.activityType), "terms", required=True),
        Column("commodity", str(TKG.commodity), "terms"),
        Column("market", str(TKG.market), "terms"),
        Column("place", str(TKG.place), "terms", range=_PLACE, required=True),
    )),
    _claim("Relations", TKG.ActorRelation, (
        Column("type", str(TKG.relationType), "terms", required=True),
        Column("subject", str(TKG.subjectActor), "terms", required=True),
        Column("object", str(TKG.objectActor), "terms", required=True),
        Column("place", str(TKG.place), "terms", range=_PLACE),
    )),
    _claim("Events", TKG.Event, (
        Column("type", str(TKG.eventType), "terms", required=True),
        Column("place", str(TKG.place), "terms", range=_PLACE, required=True),
    )),
    _claim("Findings", TKG.Finding, (
        Column("indicator", str(TKG.indicator), "terms", required=True),
        Column("place", str(TKG.place), "terms", range=_PLACE, required=True),
        Column("assessment", str(TKG.assessment), "terms", required=True),
    )),
)

#: Every sheet, in workbook order; a node goes to the first sheet whose class it has.
SHEETS = (
    Sheet("Sources", str(TKG.SourceDocument), (
        _ID, _CLASS,
        Column("title", str(DCTERMS.title), "text", required=True),
        Column("publisher", str(DCTERMS.publisher), "plain", required=True),
        Column("issued", str(DCTERMS.issued), "date", hint="A year (2021) or a date."),
        Column("reliability", str(TKG.reliability), "terms", required=True,
               hint="Admiralty grade of the source as a whole (data/README.md)."),
        Column("edition", str(TKG.edition), "terms", hint="Index edition, for Index pages."),
        Column("url", str(SCHEMA.url), "terms"),
        Column("source", str(DCTERMS.source), "terms",
               hint="The page a rewrite summarises."),
        Column("creator", str(DCTERMS.creator), "plain"),
        _NOTE,
    )),
    Sheet("Passages", str(TKG.Passage), (
        _ID, _CLASS,
        Column("document", str(TKG.inDocument), "terms", range=str(TKG.SourceDocument),
               required=True),
        Column("section", str(TKG.section), "plain", required=True),
        Column("section order", str(TKG.sectionOrder), "integer"),
        Column("paragraph", str(TKG.paragraph), "integer", required=True),
        Column("states fact", str(TKG.statesFact), "boolean",
               hint="true if the paragraph states a fact (then a claim must cite it)."),
        _NOTE,
        Column("start", None, "draft", hint="Offset of the paragraph in the text."),
        Column("end", None, "draft", hint="Offset just after the paragraph."),
    )),
    Sheet("Actors", str(TKG.Actor), (
        _ID,
        Column("class", str(RDF.type), "terms", required=True, range=str(TKG.Actor),
               hint="The most specific actor class; never an ethnic or national group."),
        Column("label", str(RDFS.label), "text", required=True),
        Column("alternative labels", str(SKOS.altLabel), "text"),
        Column("definition", str(SKOS.definition), "text",
               hint="Who they are, in our own words."),
        Column("home places", str(TKG.homePlace), "terms", range=_PLACE),
        _NOTE,
        Column("new", None, "draft", hint="yes: a candidate the drafter made up; check it."),
        Column(ACCEPT, None, "draft"),
    ), reviewed=True),
    *CLAIM_SHEETS,
    Sheet("Scores", str(TKG.ScoreObservation), (
        _ID, _CLASS,
        Column("data set", str(QB.dataSet), "terms", range=str(QB.DataSet)),
        Column("area", str(TKG.refArea), "terms", range=_PLACE),
        Column("indicator", str(TKG.indicator), "terms"),
        Column("edition", str(TKG.edition), "terms"),
        Column("scope", str(TKG.rankScope), "terms"),
        Column("scope region", str(TKG.scopeRegion), "terms", range=_PLACE),
        Column("score", str(TKG.score), "decimal"),
        Column("rank", str(TKG.rank), "integer"),
        Column("out of", str(TKG.rankOutOf), "integer"),
        Column("derived", str(TKG.derived), "boolean"),
        Column("source", str(PROV.wasDerivedFrom), "terms"),
        _NOTE,
    )),
    Sheet("Other", None, (_ID, _CLASS, Column("label", str(RDFS.label), "text"))),
)

#: XSD datatype of the typed kinds.
DATATYPES = {"integer": XSD.integer, "decimal": XSD.decimal, "boolean": XSD.boolean}


def sheet_named(name: str) -> Sheet | None:
    """The sheet of the layout called ``name``."""
    for sheet in SHEETS:
        if sheet.name == name:
            return sheet
    return None
