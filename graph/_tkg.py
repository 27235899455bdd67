from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class TKG(DefinedNamespace):
    """
    Terms of the Trafficking Knowledge Graph ontology.

    Generated from: ontology/tkg.ttl by rdflib/tools/defined_namespace_creator.py
    (regenerate with `python ontology/tools/namespace.py`; tests/test_namespaces.py checks it)
    """

    _NS = Namespace("https://w3id.org/tkg/ontology#")

    _fail = True

    Activity: URIRef  # A criminal or enabling activity that is not a movement of goods or people, such as controlling mines, recruiting children or kidnapping for ransom.
    ActivityType: URIRef  # A kind of activity; a concept in the activity-type scheme.
    Actor: URIRef  # A person, group, network or organisation that takes part in, profits from, enables or responds to illicit markets.
    ActorRelation: URIRef  # A relation between actors that a source reports, such as an alliance, a rivalry, a violent clash or a corruption link.
    AggregateScore: URIRef  # An observation of one of the Index's averages (criminality, criminal markets, criminal actors, resilience) for a country in an edition.
    ArmedGroup: URIRef  # A non-state group that uses organised armed force, such as a rebel movement, a violent extremist group or a militia.
    Assessment: URIRef  # Whether a finding counts for or against a country's position; a concept in the assessment scheme.
    BorderArea: URIRef  # A zone on both or all sides of a border, such as a tri-border area.
    CertaintyGrade: URIRef  # A grade saying how firmly a source supports a claim, from corroborated fact down to a concern that nothing substantiates.
    CivilSocietyOrganisation: URIRef  # A non-governmental association of citizens, such as a community group, advocacy network or professional body.
    Claim: URIRef  # A single statement taken from a source, modelled as a node so that it can carry its own evidence, certainty and period.
    Commodity: URIRef  # A kind of good, or of person, that is moved or traded illicitly; a concept in the commodity scheme.
    Conflict: URIRef  # A disagreement between a claim and a claim of another source, qualified with the reason the two differ.
    ConflictReason: URIRef  # Why two claims of different sources differ: a different figure, direction, edition or period, or certainty; a concept in the conflict-reason scheme.
    Country: URIRef  # A sovereign state with ISO 3166-1 codes.
    CriminalActor: URIRef  # An actor that a source describes as running or taking part in organised criminal activity.
    CriminalActorType: URIRef  # One of the kinds of criminal actor that the Index scores, such as criminal networks or state-embedded actors.
    CriminalMarket: URIRef  # One of the illicit markets that the Index scores, such as arms trafficking or the cocaine trade.
    CriminalNetwork: URIRef  # A loose web of criminal associates without the name, leadership or territorial control of a mafia-style group.
    Edition: URIRef  # One published round of the Index, such as the 2021 or the 2023 edition.
    Event: URIRef  # Something that happened at a time and place and changed the conditions for crime, such as a coup, mass unrest or the closure of borders.
    EventType: URIRef  # A kind of event; a concept in the event-type scheme.
    Finding: URIRef  # A source's assessment of a country or place under one Index indicator, such as the absence of a witness-protection programme or the small scale of a market.
    Flow: URIRef  # The illicit movement of one commodity from origins, through an ordered list of transit places, to destinations, with the actors involved and their roles.
    ForeignActor: URIRef  # A criminal actor, state or non-state, that operates outside its home country.
    GovernmentBody: URIRef  # A government, ministry, court system, oversight body or other institution of a state.
    IndexAggregate: URIRef  # An Index score computed as the mean of other scores, such as the criminality score.
    IndexIndicator: URIRef  # Anything the Global Organized Crime Index gives a country a score for.
    IndicatorScore: URIRef  # An observation of an expert score, from 1 to 10 in half points, for one market, actor type or resilience indicator of a country in an edition.
    InternationalOrganisation: URIRef  # An organisation whose members are states, or a group of states and donors acting together.
    Involvement: URIRef  # One actor's part in a claim, with the role it plays and, where it differs from the claim's, its own certainty and passage.
    Leg: URIRef  # One hop of a flow between two consecutive places of its route: origin to first transit, transit to transit, or last transit to destination.
    MafiaStyleGroup: URIRef  # An organised criminal group with a known name, identifiable leadership, membership and control of territory.
    Magnitude: URIRef  # How large a source says a flow or activity is, in words rather than figures; a concept in the magnitude scheme.
    Media: URIRef  # The press, broadcasters and journalists of a country, as a body that reports on and scrutinises crime and government.
    Militia: URIRef  # An armed group organised locally, often along community lines, for self-defence or to control an area.
    Mode: URIRef  # How a flow moves, such as by air courier or by overland convoy; a concept in the mode scheme.
    NGO: URIRef  # A private, non-profit organisation that delivers services or advocacy, such as support to trafficking victims.
    NonCriminalActor: URIRef  # An actor that sources mention as responding to, suffering from or reporting on organised crime rather than taking part in it.
    OfficeHolder: URIRef  # A single public office, such as the mayor of a named town, and so the one identifiable person who holds it.
    Passage: URIRef  # A locatable part of a source document, named by the document, the section heading and the paragraph number within that section.
    Place: URIRef  # A geographic area or location that flows start from, pass through or end in, or where activities and events happen.
    Politician: URIRef  # A person or group holding or seeking elected or political office.
    PrivateSectorActor: URIRef  # A business or professional of the legal economy that works with criminals, willingly, under pressure or through negligence.
    Rank: URIRef  # An observation of a country's position on an aggregate score, among all countries, its continent or its sub-region, in an edition.
    RankScope: URIRef  # The set of countries a rank is taken among: the world, a continent or a sub-region.
    RebelGroup: URIRef  # An armed group fighting a government for autonomy, secession or power, without a transnational religious agenda.
    RelationType: URIRef  # A kind of relation between actors; a concept in the relation-type scheme.
    ReliabilityGrade: URIRef  # A grade for how trustworthy a source is in general, independent of any single claim it makes.
    ResilienceIndicator: URIRef  # One of the twelve building blocks of a country's capacity to resist organised crime that the Index scores.
    Role: URIRef  # The part an actor plays in a claim, such as transporting, taxing or protecting; a concept in the role scheme.
    ScoreObservation: URIRef  # One figure of the Index for one country, indicator and edition, as a Data Cube observation.
    SecurityForce: URIRef  # A state's army, police, gendarmerie, customs or intelligence service.
    Settlement: URIRef  # A city, town or village.
    SmugglingNetwork: URIRef  # A criminal network that moves people or goods across borders for payment while evading controls.
    SourceDocument: URIRef  # A published text, page or dataset that claims in the graph are derived from.
    StateActor: URIRef  # An official, politician, security force or institution belonging to a state apparatus.
    StateEmbeddedActor: URIRef  # A criminal actor that operates from inside the state apparatus, such as corrupt officials or networks within the security forces.
    StateOfficial: URIRef  # A civil servant or office holder of the executive or the administration, national or local, such as customs officers or mayors.
    SubnationalRegion: URIRef  # A part of a country, whether an administrative region or an area named in sources such as 'northern Mali'.
    SupranationalRegion: URIRef  # A group of countries, such as a continent, an Index sub-region or a region named in sources such as the Sahel.
    TraffickingNetwork: URIRef  # A criminal network that trades illicit goods or exploits trafficked people.
    Trend: URIRef  # The direction in which a source says a flow or activity is changing; a concept in the trend scheme.
    UNMission: URIRef  # A peacekeeping, political or support mission or unit of the United Nations deployed in a country.
    ViolentExtremistGroup: URIRef  # An armed group pursuing an ideological or religious agenda through violence, such as groups affiliated with al-Qaeda or the Islamic State.
    activityType: URIRef  # The kind of an activity.
    actor: URIRef  # The actor whose part in a claim an involvement describes.
    assessment: URIRef  # Whether a finding is a strength, a weakness or mixed for the place it is about.
    borders: URIRef  # Two places share a land border.
    certainty: URIRef  # The certainty grade the wording of the source warrants for a claim or for one actor's involvement in it.
    commodity: URIRef  # The commodity a flow moves or an activity concerns.
    conflictReason: URIRef  # The reason a conflict gives for two claims differing.
    conflictingClaim: URIRef  # The other claim of a conflict, the one the claim carrying the conflict disagrees with.
    conflictsWith: URIRef  # Two claims from different sources disagree; both stay in the graph, each with its own source and grade.
    derived: URIRef  # True when a figure was computed from the Index's own figures rather than printed by the Index.
    destination: URIRef  # A place where a flow ends, as a market or final recipient.
    edition: URIRef  # The Index edition an observation or a source document belongs to.
    endYear: URIRef  # The last calendar year in which a claim is said to hold.
    eventType: URIRef  # The kind of an event.
    flowsTo: URIRef  # Some flow has a leg from this place to that place; the binary shortcut that makes reachability queries cheap.
    fromPlace: URIRef  # The place a leg starts from.
    hedgeFrame: URIRef  # The words a generated text, such as a country brief, puts around a statement of a certainty grade; {} marks where the statement goes. A frame never reads firmer than its grade.
    homePlace: URIRef  # The country or region an actor belongs to or is based in; for a state actor, the state it serves.
    inDocument: URIRef  # The source document a passage belongs to.
    incriminating: URIRef  # True when a role attributes wrongdoing to the actor that plays it, such as colluding, controlling or profiting.
    indexActorType: URIRef  # Links an actor class to the Global Organized Crime Index actor type whose score covers actors of that class.
    indicator: URIRef  # The Index indicator that a score observation measures or that a finding is about.
    involvedIn: URIRef  # An actor has some involvement in a claim; the binary shortcut of the involvement pattern.
    iso2: URIRef  # The two-letter ISO 3166-1 code of a country.
    iso3: URIRef  # The three-letter ISO 3166-1 code of a country.
    legIndex: URIRef  # The position of a leg along its flow, counting from 1 at the origins.
    legOf: URIRef  # The flow a leg belongs to.
    level: URIRef  # The position of a grade on its ordered scale; a higher number means a firmer or more reliable grade.
    magnitude: URIRef  # How large the source says a flow or activity is.
    market: URIRef  # The Index criminal market that a commodity or an activity belongs to.
    measuredIn: URIRef  # An edition of the Index that scores this indicator.
    mode: URIRef  # How a flow moves.
    objectActor: URIRef  # The actor a relation is directed at.
    origin: URIRef  # A place where a flow starts, as source or point of production.
    original: URIRef  # True when a source document derives from no other document the graph knows of: its claims start a lineage of their own.
    paragraph: URIRef  # The number of a paragraph within its section, counting from 1.
    partOf: URIRef  # A place lies within a larger place, such as northern Mali within Mali or Mali within the Sahel.
    place: URIRef  # Where an activity, relation, event or finding takes place or which place it is about.
    qualifiedConflict: URIRef  # Links a claim to a conflict node naming a claim of another source it differs from and why.
    qualifiedForm: URIRef  # Names the n-ary class that a binary shortcut property abbreviates, following the PROV-O qualification pattern.
    qualifiedInvolvement: URIRef  # Links a claim to the involvement of one actor in it.
    rank: URIRef  # A country's position, 1 being the highest score.
    rankOutOf: URIRef  # How many countries the rank is taken among.
    rankScope: URIRef  # Whether a rank is taken among all countries, the continent or the sub-region.
    refArea: URIRef  # The country a score observation is about.
    relatedTo: URIRef  # Some actor relation links this actor to that one; the binary shortcut of actor relations.
    relationType: URIRef  # The kind of an actor relation.
    reliability: URIRef  # The reliability grade given to a source document as a whole.
    role: URIRef  # The role an actor plays in the claim of an involvement.
    route: URIRef  # The ordered list of places a flow passes through between its origins and its destinations.
    scopeRegion: URIRef  # The continent or sub-region a rank is taken within.
    score: URIRef  # The value of an indicator or average on the Index's 1 to 10 scale.
    scoreStructure: URIRef  # The Data Cube structure of Index observations: country, indicator and edition as dimensions; score or rank as measures.
    section: URIRef  # The heading of the section a passage sits in, as printed in the document.
    sectionOrder: URIRef  # The position of a passage's section within its document, counting from 1, so that passages can be listed in reading order.
    startYear: URIRef  # The first calendar year in which a claim is said to hold, or the year an event happened.
    statesFact: URIRef  # Whether a passage makes at least one factual statement that the graph should carry as a claim.
    subjectActor: URIRef  # The actor a relation starts from, e.g. the protector in a protection relation.
    supports: URIRef  # A claim from one source corroborates or details a claim from another, such as a regional lead on a route that ends in a Mali flow.
    symmetric: URIRef  # True when a relation type reads the same in both directions, so that subject and object may be swapped.
    toPlace: URIRef  # The place a leg ends at.
    transit: URIRef  # A place a flow passes through; the unordered shortcut of the route list.
    trend: URIRef  # The direction in which a source says a flow or activity is changing.
    trendCause: URIRef  # An event the source names as a cause of a claim's trend.
    year: URIRef  # The year an Index edition was published.
