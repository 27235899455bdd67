"""Write ontology/places.ttl, the place gazetteer, from the Global Organized Crime Index workbook.

Regenerating needs packages that the project does not need at run time:

    pip install countryinfo country_converter "pandas<3"

- country_converter (coco) maps the workbook's country names to ISO 3166-1 alpha-3 codes and
  supplies short and official English names (version 1.3.2 fails to start under pandas 3);
- countryinfo supplies each country's alpha-2 code, an approximate centre point (latlng) and
  a list of land borders (ISO3 codes), which checks the borders derived from the outlines;
- the land borders themselves come from Natural Earth's 1:50m country outlines as the views'
  basemap holds them (graph/views/assets/basemap/countries-50m.json, from the npm package
  world-atlas; see make_basemap.py there): two countries border each other when their outlines
  share a stretch of boundary (a TopoJSON arc), plus the reviewed pairs of OUTLINE_ADD;
- openpyxl reads the workbook, rdflib parses the result for the final checks.

Usage (from the repository root):

    python ontology/tools/make_places.py PATH/TO/global_oc_index.xlsx [--output ontology/places.ttl]

The workbook is read, never copied. The output is deterministic: the same workbook and the same
library versions give the same bytes. Subnational places and the regions that sources name are
hand-curated in the tables below; every country fact comes from the workbook or the libraries.
Any name that does not map to exactly one country, or any check that fails, stops the script.
"""

from __future__ import annotations

import argparse
import collections
import logging
import math
import sys
import warnings
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

SHEETS = ("2021_dataset", "2023_dataset")
N_COUNTRIES = 193
ONTOLOGY_IRI = "https://w3id.org/tkg/places"
PLACE_NS = "https://w3id.org/tkg/place/"
DATE = "2026-11-28"
VERSION = "0.1.0"

# --------------------------------------------------------------------------------------------
# Index continents and sub-regions. Keys are the workbook spellings with surrounding spaces
# removed (the 2021 sheet writes "Caribbean " with a trailing space in all rows but Haiti's).
# --------------------------------------------------------------------------------------------

CONTINENTS = {
    "Africa": "africa",
    "Americas": "americas",
    "Asia": "asia",
    "Europe": "europe",
    "Oceania": "oceania",
}

CONTINENT_PHRASES = {"Americas": "the Americas"}

# workbook spelling -> (slug, label)
INDEX_REGIONS = {
    "Australia and New Zealand": ("australia-new-zealand", "Australia and New Zealand"),
    "Caribbean": ("caribbean", "Caribbean"),
    "Caribbean & Central": ("caribbean-central-america", "Caribbean and Central America"),
    "Central & Eastern Europe": ("central-eastern-europe", "Central and Eastern Europe"),
    "Central Africa": ("central-africa", "Central Africa"),
    "Central America": ("central-america", "Central America"),
    "Central Asia and the Caucasus": ("central-asia-caucasus", "Central Asia and the Caucasus"),
    "East Africa": ("east-africa", "East Africa"),
    "Eastern Asia": ("eastern-asia", "Eastern Asia"),
    "Melanesia": ("melanesia", "Melanesia"),
    "Micronesia": ("micronesia", "Micronesia"),
    "North Africa": ("north-africa", "North Africa"),
    "North America": ("north-america", "North America"),
    "Northern Europe": ("northern-europe", "Northern Europe"),
    "Polynesia": ("polynesia", "Polynesia"),
    "South America": ("south-america", "South America"),
    "South-Eastern Asia": ("south-eastern-asia", "South-Eastern Asia"),
    "Southern Africa": ("southern-africa", "Southern Africa"),
    "Southern Asia": ("southern-asia", "Southern Asia"),
    "Southern Europe": ("southern-europe", "Southern Europe"),
    "Western Asia": ("western-asia", "Western Asia"),
    "Western Europe": ("western-europe", "Western Europe"),
    "West Africa": ("west-africa", "West Africa"),
}

# The one Americas sub-region whose members changed between editions: the 2023 edition merges
# the 2021 sub-regions Caribbean and Central America. Countries are linked to the 2021 parts.
MERGED_REGION = "Caribbean & Central"
MERGED_PARTS = ("Caribbean", "Central America")

EXTRA_REGION_ALT_LABELS = {
    "caribbean-central-america": ["Caribbean and Central"],
    "central-eastern-europe": ["Central Europe and Eastern Europe"],
    "south-eastern-asia": ["South-East Asia", "Southeast Asia"],
}

REGION_SCOPE_NOTES = {
    "caribbean": (
        "Index sub-region of the 2021 edition; the 2023 edition merges it with Central America "
        "into 'Caribbean & Central'. The 2021 workbook writes 'Caribbean ' with a trailing space "
        "in every row but Haiti's: match workbook names after trimming spaces."
    ),
    "caribbean-central-america": (
        "Index sub-region of the 2023 edition. Countries are linked to its two 2021 parts, "
        "place:caribbean and place:central-america, and reach it through them."
    ),
    "central-america": (
        "Index sub-region of the 2021 edition; it includes Mexico. The 2023 edition merges it "
        "with the Caribbean into 'Caribbean & Central'."
    ),
}



# --------------------------------------------------------------------------------------------
# Country names. Labels are common English short names; by default coco's short name.
# --------------------------------------------------------------------------------------------

LABELS = {
    "BRN": "Brunei",
    "CZE": "Czechia",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "FSM": "Federated States of Micronesia",  # "Micronesia" is the Index sub-region
    "KNA": "Saint Kitts and Nevis",
    "LCA": "Saint Lucia",
    "STP": "São Tomé and Príncipe",
    "TUR": "Turkey",
    "VCT": "Saint Vincent and the Grenadines",
}

EXTRA_ALT_LABELS = {
    "ARE": ["Emirates", "UAE"],
    "BHS": ["The Bahamas"],
    "BIH": ["Bosnia"],
    "BOL": ["Bolivia (Plurinational State of)"],
    "CAF": ["CAR"],
    "CIV": ["Cote d'Ivoire", "Ivory Coast"],
    "COD": ["Congo-Kinshasa", "DR Congo", "DRC"],
    "COG": ["Congo-Brazzaville", "Congo Republic"],
    "CPV": ["Cape Verde"],
    "CZE": ["Czech Republic"],
    "FSM": ["Micronesia (Federated States of)"],
    "GBR": ["Britain", "Great Britain", "UK"],
    "GMB": ["The Gambia"],
    "IRN": ["Iran (Islamic Republic of)"],
    "KOR": ["Korea, Republic of"],
    "LAO": ["Lao PDR"],
    "MDA": ["Republic of Moldova"],
    "MKD": ["Macedonia", "Republic of Macedonia"],
    "MMR": ["Burma"],
    "PRK": ["DPRK", "Korea, Democratic People's Republic of"],
    "RUS": ["Russian Federation"],
    "STP": ["Sao Tome and Principe"],
    "SWZ": ["Swaziland"],
    "SYR": ["Syrian Arab Republic"],
    "TLS": ["East Timor"],
    "TUR": ["Türkiye"],
    "TZA": ["United Republic of Tanzania"],
    "USA": ["US", "USA", "United States of America"],
    "VEN": ["Venezuela (Bolivarian Republic of)"],
    "VNM": ["Viet Nam"],
}

# Library names never used as labels because they are ambiguous between places.
AMBIGUOUS_NAMES = {"Congo", "Korea", "Micronesia"}

# --------------------------------------------------------------------------------------------
# Regions named in sources (hand-curated). "members" are countries that get tkg:partOf links.
# --------------------------------------------------------------------------------------------

NAMED_REGIONS = [
    dict(
        id="gulf", label="Gulf",
        alts=["Arab Gulf states", "GCC states", "Gulf countries", "Gulf states", "the Gulf"],
        definition="The six Arab monarchies on the Persian Gulf that form the Gulf Cooperation Council.",
        members=["ARE", "BHR", "KWT", "OMN", "QAT", "SAU"],
        part_of=["middle-east"],
    ),
    dict(
        id="latin-america", label="Latin America",
        alts=[],
        definition="The Spanish- and Portuguese-speaking Americas south of the United States, with Haiti.",
        scope=(
            "Here: the countries of the Index sub-regions South America and (2021) Central America, "
            "so including Mexico, Belize, Guyana and Suriname, plus Cuba, the Dominican Republic "
            "and Haiti."
        ),
        members_from_regions=["south-america", "central-america"],
        members=["CUB", "DOM", "HTI"],
        part_of=["americas"],
    ),
    dict(
        id="maghreb", label="Maghreb",
        alts=["Greater Maghreb", "Maghrib", "the Maghreb"],
        definition="North-western Africa: the five members of the Arab Maghreb Union.",
        members=["DZA", "LBY", "MAR", "MRT", "TUN"],
        part_of=["north-africa"],
    ),
    dict(
        id="mali-neighbours", label="Mali's neighbouring countries",
        alts=["neighbouring countries of Mali", "Mali's neighbours"],
        definition="The seven countries that share a land border with Mali.",
        scope="Sources often send flows 'to neighbouring countries' without naming them.",
        members=["BFA", "CIV", "DZA", "GIN", "MRT", "NER", "SEN"],
        part_of=["africa"],
    ),
    dict(
        id="mena", label="Middle East and North Africa",
        alts=["MENA", "Middle East & North Africa"],
        definition="The Middle East together with the Index sub-region North Africa.",
        members=[],
        part_of=["world"],
    ),
    dict(
        id="middle-east", label="Middle East",
        alts=["the Middle East"],
        definition="The Gulf states, the Levant, Iraq, Iran, Yemen and Egypt.",
        scope="Turkey and Cyprus are left out; Egypt is also in North Africa.",
        members=["EGY", "IRN", "IRQ", "ISR", "JOR", "LBN", "SYR", "YEM"],
        part_of=["mena"],
    ),
    dict(
        id="sahel", label="Sahel",
        alts=["Sahel region", "the Sahel"],
        definition="The semi-arid belt south of the Sahara that runs from the Atlantic to the Red Sea.",
        scope=(
            "Membership here is the five states of the G5 Sahel: Burkina Faso, Chad, Mali, "
            "Mauritania and Niger. Sources may use the name for a wider belt that also takes in "
            "parts of Senegal, Nigeria, Sudan and others."
        ),
        members=["BFA", "MLI", "MRT", "NER", "TCD"],
        part_of=["africa"],
    ),
    dict(
        id="sub-saharan-africa", label="Sub-Saharan Africa",
        alts=["sub-Saharan Africa"],
        definition="Africa south of the Sahara.",
        scope=(
            "Here as in the UN M49 scheme: every African country except Algeria, Egypt, Libya, "
            "Morocco, Sudan and Tunisia. It therefore includes Mauritania, which the Index puts "
            "in North Africa."
        ),
        members_from_regions=["africa"],
        members_except=["DZA", "EGY", "LBY", "MAR", "SDN", "TUN"],
        part_of=["africa"],
    ),
]

# Index regions that also belong to a named region.
EXTRA_REGION_PARENTS = {"north-africa": ["mena"]}

PARTLY_WITHIN = (
    "Lies partly within each country it is tkg:partOf: here partOf means 'lies partly within', "
    "so a question about any one of those countries includes this area."
)

# --------------------------------------------------------------------------------------------
# Subnational places, settlements and border areas named in sources (hand-curated).
# Coordinates are approximate centre points; borders are stated on these places.
# --------------------------------------------------------------------------------------------

SUBNATIONAL = [
    # Mali
    dict(id="MLI-north", cls="SubnationalRegion", label="Northern Mali",
         alts=["north of Mali", "northern Mali"],
         definition="The Saharan north of Mali, around Timbuktu, Gao, Kidal, Ménaka and Taoudénit.",
         lat="19.0", long="-2.0", part_of=["MLI"], borders=["DZA", "MRT", "NER"]),
    dict(id="MLI-centre", cls="SubnationalRegion", label="Central Mali",
         alts=["center of Mali", "central Mali", "centre of Mali"],
         definition="The centre of Mali, around Mopti, Ségou and the inner Niger delta.",
         lat="14.5", long="-4.5", part_of=["MLI"], borders=["BFA"]),
    dict(id="MLI-south", cls="SubnationalRegion", label="Southern Mali",
         alts=["south of Mali", "southern Mali"],
         definition="The south and south-west of Mali, around Bamako, Kayes, Koulikoro and Sikasso.",
         lat="12.5", long="-7.5", part_of=["MLI"], borders=["BFA", "CIV", "GIN", "MRT", "SEN"]),
    dict(id="MLI-bamako", cls="Settlement", label="Bamako",
         alts=[],
         definition="The capital and largest city of Mali.",
         lat="12.6392", long="-8.0029", part_of=["MLI", "MLI-south"]),
    dict(id="liptako-gourma", cls="BorderArea", label="Liptako-Gourma",
         alts=["Liptako-Gourma region", "Liptako–Gourma",
               "Mali-Niger-Burkina Faso tri-border area", "Mali–Niger–Burkina Faso tri-border area",
               "tri-border area of Mali, Niger and Burkina Faso"],
         definition="The tri-border area where Mali, Niger and Burkina Faso meet.",
         scope=PARTLY_WITHIN,
         lat="14.5", long="0.0", part_of=["BFA", "MLI", "NER", "sahel"]),
    # Niger
    dict(id="NER-agadez", cls="SubnationalRegion", label="Agadez Region",
         alts=["Agadez", "Agadez region"],
         definition="The largest region of Niger, covering its Saharan north and north-east.",
         lat="18.5", long="10.0", part_of=["NER", "NER-north"], borders=["DZA", "LBY", "TCD"]),
    dict(id="NER-fachi", cls="Settlement", label="Fachi",
         alts=["Fachi oasis"],
         definition="An oasis town in the Ténéré desert, in the east of Agadez Region.",
         lat="18.1", long="11.5833", part_of=["NER", "NER-agadez"]),
    dict(id="NER-north", cls="SubnationalRegion", label="Northern Niger",
         alts=["north of Niger", "northern Niger"],
         definition="The desert north of Niger, mostly Agadez Region.",
         lat="19.5", long="9.5", part_of=["NER"], borders=["DZA", "LBY", "TCD"]),
    dict(id="NER-tahoua", cls="SubnationalRegion", label="Tahoua Region",
         alts=["Tahoua", "Tahoua region"],
         definition="A region of western Niger between Mali and Nigeria.",
         lat="15.5", long="5.0", part_of=["NER"], borders=["MLI", "NGA"]),
    dict(id="NER-tillaberi", cls="SubnationalRegion", label="Tillabéri Region",
         alts=["Tillaberi", "Tillaberi Region", "Tillaberi region", "Tillabéri", "Tillabéri region"],
         definition="The westernmost region of Niger, on the borders with Mali and Burkina Faso.",
         lat="14.5", long="1.5", part_of=["NER"], borders=["BEN", "BFA", "MLI"]),
    # Libya
    dict(id="LBY-fezzan", cls="SubnationalRegion", label="Fezzan",
         alts=["Fazzan", "Fezzan region", "south-west Libya", "south-western Libya",
               "southwest Libya", "southwestern Libya", "the Fezzan"],
         definition="The historical region of south-western Libya, around Sabha, Ubari, Murzuq and Ghat.",
         lat="26.0", long="13.5", part_of=["LBY", "LBY-south"], borders=["DZA", "NER", "TCD"]),
    dict(id="LBY-south", cls="SubnationalRegion", label="Southern Libya",
         alts=["Libya's south", "south of Libya", "southern Libya"],
         definition="The desert south of Libya, from the Fezzan to Kufra.",
         lat="24.0", long="17.5", part_of=["LBY"], borders=["DZA", "EGY", "NER", "SDN", "TCD"]),
    dict(id="chad-niger-libya-triangle", cls="BorderArea", label="Chad–Niger–Libya triangle",
         alts=["Chad-Niger-Libya tri-border area", "Chad-Niger-Libya triangle",
               "Chad–Niger–Libya tri-border area", "Libya-Niger-Chad triangle",
               "Libya–Niger–Chad triangle"],
         definition="The desert borderland where Chad, Niger and Libya meet.",
         scope=PARTLY_WITHIN,
         lat="23.0", long="16.0", part_of=["LBY", "NER", "TCD"]),
    # Algeria
    dict(id="DZA-south", cls="SubnationalRegion", label="Southern Algeria",
         alts=["Algeria's south", "south of Algeria", "southern Algeria"],
         definition="The Saharan south of Algeria, around Tamanrasset, Adrar and Illizi.",
         lat="25.0", long="3.0", part_of=["DZA"], borders=["LBY", "MLI", "MRT", "NER"]),
    # Côte d'Ivoire
    dict(id="CIV-abidjan", cls="Settlement", label="Abidjan",
         alts=[],
         definition="The largest city and economic capital of Côte d'Ivoire, on the Atlantic coast.",
         lat="5.36", long="-4.0083", part_of=["CIV", "CIV-south"]),
    dict(id="CIV-north", cls="SubnationalRegion", label="Northern Côte d'Ivoire",
         alts=["north of Côte d'Ivoire", "northern Cote d'Ivoire", "northern Côte d'Ivoire",
               "northern Ivory Coast"],
         definition="The savanna north of Côte d'Ivoire, around Korhogo.",
         lat="9.5", long="-5.5", part_of=["CIV"], borders=["BFA", "MLI"]),
    dict(id="CIV-south", cls="SubnationalRegion", label="Southern Côte d'Ivoire",
         alts=["south of Côte d'Ivoire", "southern Cote d'Ivoire", "southern Côte d'Ivoire",
               "southern Ivory Coast"],
         definition="The forested and coastal south of Côte d'Ivoire, including Abidjan.",
         lat="5.8", long="-5.0", part_of=["CIV"], borders=["GHA", "LBR"]),
    # Mauritania
    dict(id="MRT-nouadhibou", cls="Settlement", label="Nouadhibou",
         alts=[],
         definition="A port city on the Cap Blanc peninsula in north-western Mauritania.",
         lat="20.9333", long="-17.0333", part_of=["MRT"]),
    dict(id="morocco-mauritania-border", cls="BorderArea", label="Morocco–Mauritania border area",
         alts=["Morocco-Mauritania border", "Morocco-Mauritania border area",
               "Morocco–Mauritania border"],
         definition="The border zone between Moroccan-administered territory and Mauritania, with its crossing at Guerguerat.",
         scope=(
             "Sources call it the Morocco–Mauritania border; it runs between Western Sahara, "
             "which Morocco administers and claims, and Mauritania. tkg:partOf place:MAR follows "
             "the sources' usage and takes no position on the status of Western Sahara. "
             + PARTLY_WITHIN
         ),
         lat="21.35", long="-16.95", part_of=["MAR", "MRT"]),
    # Burkina Faso
    dict(id="BFA-bobo-dioulasso", cls="Settlement", label="Bobo-Dioulasso",
         alts=["Bobo Dioulasso"],
         definition="The second city of Burkina Faso, in the west of the country.",
         lat="11.1771", long="-4.2979", part_of=["BFA"]),
    dict(id="BFA-boromo", cls="Settlement", label="Boromo",
         alts=[],
         definition="A town in western Burkina Faso on the road between Ouagadougou and Bobo-Dioulasso.",
         lat="11.75", long="-2.9333", part_of=["BFA"]),
    dict(id="BFA-east", cls="SubnationalRegion", label="Eastern Burkina Faso",
         alts=["east of Burkina Faso", "eastern Burkina Faso"],
         definition="The east of Burkina Faso, around Fada N'Gourma, on the borders with Niger, Benin and Togo.",
         lat="12.0", long="0.8", part_of=["BFA"], borders=["BEN", "NER", "TGO"]),
    dict(id="BFA-north", cls="SubnationalRegion", label="Northern Burkina Faso",
         alts=["north of Burkina Faso", "northern Burkina Faso"],
         definition="The Sahelian north of Burkina Faso, on the borders with Mali and Niger.",
         lat="14.0", long="-1.5", part_of=["BFA"], borders=["MLI", "NER"]),
    dict(id="BFA-ouagadougou", cls="Settlement", label="Ouagadougou",
         alts=["Ouaga"],
         definition="The capital and largest city of Burkina Faso.",
         lat="12.3714", long="-1.5197", part_of=["BFA"]),
    # Senegal
    dict(id="SEN-kedougou", cls="SubnationalRegion", label="Kédougou Region",
         alts=["Kedougou", "Kedougou Region", "Kedougou region", "Kédougou", "Kédougou region"],
         definition="The south-easternmost region of Senegal, a gold-mining area on the borders with Mali and Guinea.",
         lat="12.7", long="-12.3", part_of=["SEN"], borders=["GIN", "MLI"]),
    # United Arab Emirates
    dict(id="ARE-dubai", cls="Settlement", label="Dubai",
         alts=["Dubai emirate", "Emirate of Dubai"],
         definition="The largest city of the United Arab Emirates.",
         scope="Stands for both the city and the emirate of the same name.",
         lat="25.2048", long="55.2708", part_of=["ARE"]),
    dict(id="ARE-jebel-ali", cls="SubnationalRegion", label="Jebel Ali Free Zone",
         alts=["JAFZA", "Jebel Ali"],
         definition="A free-trade zone around the port of Jebel Ali, south-west of central Dubai.",
         lat="25.0119", long="55.0611", part_of=["ARE", "ARE-dubai"]),
]

# Corrections to countryinfo's land borders, reviewed by hand (pairs as lower, higher ISO3).
BORDER_ONE_SIDED_KEEP = {  # listed by one side only, but real
    ("CHN", "NPL"),
    ("FRA", "SUR"),  # through French Guiana, an overseas department of France
    ("IND", "MMR"),
    ("IRQ", "KWT"),
    ("SDN", "TCD"),
}
BORDER_DROP = {
    ("AFG", "IND"),  # only through Kashmir as India claims it
    ("ALB", "SRB"),  # only through Kosovo as Serbia claims it
    ("BTN", "MMR"),  # no common border
    ("CYP", "GBR"),  # the Sovereign Base Areas are an overseas territory, not the UK
    ("IND", "LKA"),  # no land border
    ("IRN", "KWT"),  # maritime only
    ("SSD", "TCD"),  # no common border (the Central African Republic and Sudan lie between)
}
BORDER_ADD = {
    ("BRA", "FRA"),  # through French Guiana, like ("FRA", "SUR")
}

# The country outlines the land borders are derived from, and borders they cannot show
# (reviewed by hand; pairs as lower, higher ISO3).
ROOT = Path(__file__).resolve().parents[2]  # the checkout: ontology/tools/ is two down
OUTLINES = ROOT / "graph" / "views" / "assets" / "basemap" / "countries-50m.json"
OUTLINE_SOURCE = "Natural Earth 1:50m admin-0 outlines (world-atlas 2.0.2)"
OUTLINE_ADD = {
    ("BWA", "ZMB"),  # at Kazungula on the Zambezi: a few hundred metres, too short for 1:50m
    ("ESP", "MAR"),  # Ceuta and Melilla, drawn without their land boundary at 1:50m
}

CLASS_ORDER = ("BorderArea", "Country", "Settlement", "SubnationalRegion", "SupranationalRegion")


# --------------------------------------------------------------------------------------------


class GazetteerError(Exception):
    """A name, a code or a link in the gazetteer is missing or ambiguous."""


@dataclass
class Place:
    id: str
    cls: str
    label: str
    alts: set[str] = field(default_factory=set)
    definition: str | None = None
    scope: str | None = None
    iso2: str | None = None
    iso3: str | None = None
    lat: str | None = None
    long: str | None = None
    part_of: set[str] = field(default_factory=set)
    borders: set[str] = field(default_factory=set)
    group: str = ""


def read_workbook(path: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Return, per sheet, the (continent, region, country) of each row, spaces trimmed from regions."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        out = {}
        for sheet in SHEETS:
            if sheet not in wb.sheetnames:
                raise GazetteerError(f"{path}: no sheet {sheet!r} (found {wb.sheetnames})")
            rows = wb[sheet].iter_rows(values_only=True)
            header = [str(h).strip() if h is not None else "" for h in next(rows)]
            try:
                ci, ri, ni = (header.index(h) for h in ("Continent", "Region", "Country"))
            except ValueError:
                raise GazetteerError(
                    f"{path}: sheet {sheet} lacks Continent/Region/Country columns") from None
            records = []
            for row in rows:
                if row[ni] is None:
                    continue
                records.append((str(row[ci]).strip(), str(row[ri]).strip(), str(row[ni])))
            if len(records) != N_COUNTRIES:
                raise GazetteerError(f"sheet {sheet}: {len(records)} countries, expected {N_COUNTRIES}")
            out[sheet] = records
        return out
    finally:
        wb.close()


def to_decimal(value) -> str:
    """Format a coordinate as a Turtle decimal literal with at most four places."""
    d = Decimal(str(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN).normalize()
    text = format(d, "f")
    if text in ("-0", "-0.0"):
        text = "0"
    return text if "." in text else text + ".0"


def build_countries(sheets):
    """Map every workbook name to one ISO3 code and build the 193 country places.

    Returns the places by ISO3, the Index sub-region (workbook spelling, 2021) of each ISO3,
    the workbook spellings of each Index region and the continent of each Index region.
    """
    import country_converter as coco
    from countryinfo import CountryInfo

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    cc = coco.CountryConverter()
    short = dict(zip(cc.data["ISO3"], cc.data["name_short"], strict=True))
    official = dict(zip(cc.data["ISO3"], cc.data["name_official"], strict=True))

    names: dict[str, set[str]] = collections.defaultdict(set)
    region_of: dict[str, dict[str, str]] = collections.defaultdict(dict)
    continent_of: dict[str, dict[str, str]] = collections.defaultdict(dict)
    region_spellings: dict[str, set[str]] = collections.defaultdict(set)
    region_continent: dict[str, str] = {}
    per_sheet: dict[str, set[str]] = {}
    for sheet, records in sheets.items():
        seen: dict[str, str] = {}
        for continent, region, name in records:
            iso3 = cc.convert(name, to="ISO3", not_found=None)
            if not isinstance(iso3, str) or len(iso3) != 3:
                raise GazetteerError(f"sheet {sheet}: {name!r} maps to {iso3!r}, not to one country")
            if iso3 in seen:
                raise GazetteerError(f"sheet {sheet}: {name!r} and {seen[iso3]!r} both map to {iso3}")
            seen[iso3] = name
            if region not in INDEX_REGIONS:
                raise GazetteerError(f"sheet {sheet}: unknown Index region {region!r} for {name!r}")
            if continent not in CONTINENTS:
                raise GazetteerError(f"sheet {sheet}: unknown continent {continent!r} for {name!r}")
            if region_continent.setdefault(region, continent) != continent:
                raise GazetteerError(f"region {region!r} is in two continents")
            names[iso3].add(name)
            region_of[iso3][sheet] = region
            continent_of[iso3][sheet] = continent
            region_spellings[region].add(region)
        per_sheet[sheet] = set(seen)
    first, second = (per_sheet[s] for s in SHEETS)
    if first != second:
        raise GazetteerError(f"the sheets list different countries: {sorted(first ^ second)}")

    countries: dict[str, Place] = {}
    index_region: dict[str, str] = {}
    for iso3 in sorted(first):
        r21, r23 = (region_of[iso3][s] for s in SHEETS)
        if r21 != r23 and not (r23 == MERGED_REGION and r21 in MERGED_PARTS):
            raise GazetteerError(f"{iso3}: Index region {r21!r} in 2021 but {r23!r} in 2023")
        if len(set(continent_of[iso3].values())) != 1:
            raise GazetteerError(f"{iso3}: continent differs between sheets")
        index_region[iso3] = r21

        info = CountryInfo(iso3)
        codes = info.iso()
        if codes.get("alpha3") != iso3:
            raise GazetteerError(f"{iso3}: countryinfo returns {codes}")
        iso2 = codes["alpha2"]
        if cc.convert(iso3, src="ISO3", to="ISO2") != iso2:
            raise GazetteerError(f"{iso3}: countryinfo and country_converter disagree on ISO2")
        lat, long = info.latlng()

        label = LABELS.get(iso3, short[iso3])
        alts = set(names[iso3]) | {short[iso3], official[iso3], info.name().strip()}
        alts |= set(EXTRA_ALT_LABELS.get(iso3, []))
        alts = {a for a in alts if a and a != label and a not in AMBIGUOUS_NAMES}
        place = Place(
            id=iso3, cls="Country", label=label, alts=alts, iso2=iso2, iso3=iso3,
            lat=to_decimal(lat), long=to_decimal(long), group="countries",
        )
        place.part_of.add(INDEX_REGIONS[r21][0])
        countries[iso3] = place

    checked = land_borders(countries, lambda iso3: CountryInfo(iso3).borders())
    for a, b in outline_borders(countries, checked):
        countries[a].borders.add(b)
    return countries, index_region, region_spellings, region_continent


def land_borders(countries, borders_of) -> set[tuple[str, str]]:
    """Pairs (lower ISO3, higher ISO3) of countries that share a land border.

    A pair that countryinfo lists on both sides is kept unless BORDER_DROP names it; a pair
    listed on one side only must be named in BORDER_ONE_SIDED_KEEP or BORDER_DROP, so that a
    new library version cannot slip in an unreviewed border.
    """
    listed = collections.Counter()
    for iso3 in countries:
        for other in set(borders_of(iso3)):
            if other in countries:
                listed[tuple(sorted((iso3, other)))] += 1
    pairs = set()
    for pair, sides in sorted(listed.items()):
        if pair in BORDER_DROP:
            continue
        if sides == 1 and pair not in BORDER_ONE_SIDED_KEEP:
            raise GazetteerError(f"countryinfo lists border {pair} on one side only: review it")
        pairs.add(pair)
    for pair in BORDER_ADD:
        if pair in listed:
            raise GazetteerError(f"border {pair} is now in countryinfo: remove it from BORDER_ADD")
        pairs.add(pair)
    return pairs


def outline_borders(countries, checked: set[tuple[str, str]],
                    path: Path = OUTLINES) -> set[tuple[str, str]]:
    """Pairs (lower ISO3, higher ISO3) of countries whose outlines share a boundary.

    Read from the TopoJSON-derived basemap at ``path``: an arc used by the outlines of two
    countries is a stretch of their common border. A unit without an ISO3 code of its own
    counts for the country its entry names in ``within`` (Somaliland for Somalia). The
    result, with OUTLINE_ADD, must equal ``checked`` (countryinfo's borders after review):
    any difference stops the script, listed, for review.
    """
    import json

    topology = json.loads(path.read_text(encoding="utf-8"))
    users = collections.defaultdict(set)
    for unit in topology["countries"]:
        code = unit["iso3"] or unit["within"]
        if code not in countries:
            continue
        for polygon in unit["polygons"]:
            for ring in polygon:
                for index in ring:
                    users[~index if index < 0 else index].add(code)
    pairs = {(a, b) for codes in users.values() for a in codes for b in codes if a < b}
    for pair in OUTLINE_ADD:
        if pair in pairs:
            raise GazetteerError(f"the outlines now show border {pair}: remove it from OUTLINE_ADD")
        pairs.add(pair)
    if pairs != checked:
        raise GazetteerError(
            f"borders from the outlines and from countryinfo differ: outlines only "
            f"{sorted(pairs - checked)}, countryinfo only {sorted(checked - pairs)}; review them")
    return pairs


def spherical_mean(points: list[tuple[float, float]]) -> tuple[str, str]:
    x = y = z = 0.0
    for lat, long in points:
        la, lo = math.radians(lat), math.radians(long)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    long = math.degrees(math.atan2(y, x))
    return to_decimal(round(lat, 2)), to_decimal(round(long, 2))


def build(sheets) -> dict[str, Place]:
    countries, index_region, region_spellings, region_continent = build_countries(sheets)
    places: dict[str, Place] = dict(countries)

    def add(place: Place) -> None:
        if place.id in places:
            raise GazetteerError(f"place {place.id} defined twice")
        places[place.id] = place

    add(Place(id="world", cls="SupranationalRegion", label="World", alts={"the world"},
              definition="The whole world.",
              scope="Its coordinates mean nothing on a map: they are the mean of all countries' points, given only because every place must have coordinates.",
              group="world"))
    for continent, slug in sorted(CONTINENTS.items()):
        add(Place(id=slug, cls="SupranationalRegion", label=continent,
                  definition="One of the five continents into which the Index groups countries.",
                  part_of={"world"}, group="world"))

    for spelling, (slug, label) in sorted(INDEX_REGIONS.items()):
        if spelling == MERGED_REGION:
            parent = CONTINENTS[region_continent[MERGED_PARTS[0]]]
        elif spelling in MERGED_PARTS:
            parent = INDEX_REGIONS[MERGED_REGION][0]
        else:
            parent = CONTINENTS[region_continent[spelling]]
        alts = {spelling} | set(EXTRA_REGION_ALT_LABELS.get(slug, []))
        continent = region_continent[spelling]
        continent = CONTINENT_PHRASES.get(continent, continent)
        add(Place(id=slug, cls="SupranationalRegion", label=label,
                  alts={a for a in alts if a != label},
                  definition=f"A sub-region of {continent} in the Global Organized Crime Index.",
                  scope=REGION_SCOPE_NOTES.get(slug),
                  part_of={parent, *EXTRA_REGION_PARENTS.get(slug, [])}, group="index"))
    unused = set(INDEX_REGIONS) - set(region_spellings)
    if unused:
        raise GazetteerError(f"Index regions not in the workbook: {sorted(unused)}")

    # the member countries of a place, transitively, over the links made so far
    def members_of(region_id: str) -> set[str]:
        return {iso3 for iso3 in countries if region_id in ancestors(iso3)}

    def ancestors(pid: str) -> set[str]:
        seen, todo = set(), [pid]
        while todo:
            for parent in places[todo.pop()].part_of:
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    for spec in NAMED_REGIONS:
        add(Place(id=spec["id"], cls="SupranationalRegion", label=spec["label"],
                  alts=set(spec["alts"]), definition=spec["definition"], scope=spec.get("scope"),
                  part_of=set(spec["part_of"]), group="named"))
    # members are computed from the Index links only, before any named-region link is added
    named_members = {}
    for spec in NAMED_REGIONS:
        members = set(spec.get("members", []))
        for region_id in spec.get("members_from_regions", []):
            members |= members_of(region_id)
        named_members[spec["id"]] = members - set(spec.get("members_except", []))
    for spec in NAMED_REGIONS:
        for iso3 in sorted(named_members[spec["id"]]):
            if iso3 not in countries:
                raise GazetteerError(f"{spec['id']}: unknown member {iso3}")
            countries[iso3].part_of.add(spec["id"])

    for spec in SUBNATIONAL:
        add(Place(id=spec["id"], cls=spec["cls"], label=spec["label"], alts=set(spec["alts"]),
                  definition=spec.get("definition"), scope=spec.get("scope"),
                  lat=to_decimal(spec["lat"]), long=to_decimal(spec["long"]),
                  part_of=set(spec["part_of"]), borders=set(spec.get("borders", [])),
                  group="subnational"))

    # coordinates of supranational regions: spherical mean of their member countries
    for place in places.values():
        if place.cls == "SupranationalRegion":
            pts = [(float(countries[m].lat), float(countries[m].long)) for m in sorted(members_of(place.id))]
            if not pts:
                raise GazetteerError(f"region {place.id} has no member country")
            place.lat, place.long = spherical_mean(pts)

    check(places, sheets, index_region)
    return places


def check(places: dict[str, Place], sheets, index_region) -> None:
    """Fail loudly on dangling links, duplicate labels or unresolved workbook names."""
    for place in places.values():
        if place.cls not in CLASS_ORDER:
            raise GazetteerError(f"{place.id}: unknown class {place.cls}")
        for target in place.part_of | place.borders:
            if target not in places:
                raise GazetteerError(f"{place.id}: link to unknown place {target}")
        if place.id in place.part_of or place.id in place.borders:
            raise GazetteerError(f"{place.id}: links to itself")

    labels = collections.Counter(p.label for p in places.values())
    dupes = [label for label, n in labels.items() if n > 1]
    if dupes:
        raise GazetteerError(f"labels used by more than one place: {dupes}")
    owner: dict[str, set[str]] = collections.defaultdict(set)
    for place in places.values():
        for name in {place.label} | place.alts:
            owner[name].add(place.id)
    clashes = {name: sorted(ids) for name, ids in owner.items() if len(ids) > 1}
    if clashes:
        raise GazetteerError(f"names used by more than one place: {clashes}")

    for sheet, records in sheets.items():
        for _, _, name in records:
            ids = owner.get(name, set())
            if len(ids) != 1 or places[next(iter(ids))].cls != "Country":
                raise GazetteerError(f"sheet {sheet}: {name!r} resolves to {sorted(ids)}")

    index_ids = {slug for slug, _ in INDEX_REGIONS.values()}
    for iso3 in index_region:
        direct = places[iso3].part_of & index_ids
        if len(direct) != 1:
            raise GazetteerError(f"{iso3}: partOf {sorted(direct)} Index sub-regions, expected one")


# --------------------------------------------------------------------------------------------
# Turtle writer: hand-formatted like the files in ontology/vocab/ so that diffs stay small.
# --------------------------------------------------------------------------------------------

PREFIXES = [
    ("dcterms", "http://purl.org/dc/terms/"),
    ("geo", "http://www.w3.org/2003/01/geo/wgs84_pos#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("place", PLACE_NS),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("tkg", "https://w3id.org/tkg/ontology#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
]

DESCRIPTION = """\
The places the graph talks about: the 193 countries of the Global Organized Crime Index with
their ISO 3166-1 codes and land borders; the Index's continents and sub-regions (2021 and 2023
editions); regions that sources name (Sahel, Maghreb, Middle East, Gulf, MENA, Latin America,
sub-Saharan Africa); and the subnational areas, settlements and border areas named in our sources.

IRI rule: a country is place:{ISO3} (place:MLI, place:ARE); a place inside one country is
place:{ISO3}-{slug} (place:MLI-north, place:NER-agadez); a region of several countries, or a
border area across them, is place:{slug} (place:west-africa, place:sahel, place:liptako-gourma).
Slugs are lower-case ASCII words joined by hyphens.

Each country's rdfs:label is its common English short name; skos:altLabel holds every spelling
of it in the Index workbook and common alternatives. Coordinates (geo:lat, geo:long) are
approximate centre points for placing a marker on a map, not boundaries: a country's comes from
the countryinfo package, a region's (even the world's, which the shapes require) is the mean of
its member countries' points on the sphere, and subnational places are placed by hand. tkg:partOf follows the Index for continents and
sub-regions; a border area is tkg:partOf every country it lies partly within. tkg:borders holds
the land borders among the 193 countries, derived from Natural Earth's 1:50m country outlines
(public domain; two countries border each other when their outlines share a stretch of
boundary), plus two borders too short or too fragmented for that scale (Botswana-Zambia at
Kazungula; Spain-Morocco at Ceuta and Melilla), and checked pair by pair against the countryinfo
package's lists (with a few reviewed corrections); each is stated once per pair on the lower
ISO3 code. Hand-curated borders of subnational places are stated on the subnational place.

Generated by ontology/tools/make_places.py from the Index workbook: edit the script, not this file."""

BANNERS = [
    ("world", "World and continents"),
    ("index", "Index sub-regions"),
    ("named", "Regions named in sources"),
    ("countries", "Countries"),
    ("subnational", "Subnational places, settlements and border areas"),
]


def literal(text: str, lang: str | None = "en") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def name_key(text: str) -> tuple[str, str]:
    return (text.casefold(), text)


def statement(predicate: str, objects: list[str], width: int = 100) -> list[str]:
    """One predicate with its objects, wrapped like the vocab files (8-space continuation)."""
    lines: list[str] = []
    current, empty = f"    {predicate} ", True
    for i, obj in enumerate(objects):
        piece = obj + ("," if i < len(objects) - 1 else "")
        if not empty and len(current) + len(piece) > width:
            lines.append(current.rstrip())
            current = "        "
        current += piece + " "
        empty = False
    lines.append(current.rstrip())
    return lines


def place_block(place: Place) -> str:
    parts: list[list[str]] = [
        [f"    a tkg:{place.cls}"],
        statement("rdfs:label", [literal(place.label)]),
    ]
    if place.alts:
        parts.append(statement("skos:altLabel", [literal(a) for a in sorted(place.alts, key=name_key)]))
    if place.definition:
        parts.append(statement("skos:definition", [literal(place.definition)]))
    if place.iso2:
        parts.append(statement("tkg:iso2", [literal(place.iso2, None)]))
        parts.append(statement("tkg:iso3", [literal(place.iso3, None)]))
    if place.lat is not None:
        parts.append(statement("geo:lat", [place.lat]))
        parts.append(statement("geo:long", [place.long]))
    if place.part_of:
        parts.append(statement("tkg:partOf", [f"place:{p}" for p in sorted(place.part_of, key=name_key)]))
    if place.borders:
        parts.append(statement("tkg:borders", [f"place:{p}" for p in sorted(place.borders, key=name_key)]))
    if place.scope:
        parts.append(statement("skos:scopeNote", [literal(place.scope)]))
    body = " ;\n".join("\n".join(lines) for lines in parts)
    return f"place:{place.id}\n{body} .\n"


def render(places: dict[str, Place]) -> str:
    out = [f"@prefix {p}: <{iri}> ." for p, iri in PREFIXES]
    out.append("")
    out.append(f"<{ONTOLOGY_IRI}>")
    out.append("    a owl:Ontology ;")
    out.append('    dcterms:title "Place gazetteer"@en ;')
    out.append(f'    dcterms:description """{DESCRIPTION}"""@en ;')
    out.append('    dcterms:creator "Trafficking Knowledge Graph project" ;')
    out.append(f'    dcterms:created "{DATE}"^^xsd:date ;')
    out.append(f'    dcterms:modified "{DATE}"^^xsd:date ;')
    out.append(f'    owl:versionInfo "{VERSION}" ;')
    out.append("    dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;")
    out.append("    dcterms:source <https://ocindex.net/>, <https://www.naturalearthdata.com/> .")
    out.append("")
    for group, title in BANNERS:
        members = sorted((p for p in places.values() if p.group == group), key=lambda p: name_key(p.id))
        out.append("#################################################################")
        out.append(f"#    {title}")
        out.append("#################################################################")
        out.append("")
        for place in members:
            out.append(place_block(place))
    return "\n".join(out).rstrip("\n") + "\n"


def verify_turtle(path: Path, places: dict[str, Place], sheets) -> int:
    """Parse the written file with rdflib, treating any warning as an error, and recheck it."""
    import rdflib
    from rdflib.namespace import RDF, RDFS, SKOS

    tkg = rdflib.Namespace("https://w3id.org/tkg/ontology#")
    geo = rdflib.Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
    logger = logging.getLogger("rdflib")
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect(level=logging.WARNING)
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            g = rdflib.Graph().parse(path, format="turtle")
    finally:
        logger.removeHandler(handler)
    if records:
        raise GazetteerError(f"rdflib warned while parsing {path}: {[r.getMessage() for r in records]}")

    countries = set(g.subjects(RDF.type, tkg.Country))
    if len(countries) != N_COUNTRIES:
        raise GazetteerError(f"{path}: {len(countries)} tkg:Country, expected {N_COUNTRIES}")
    for c in countries:
        for prop in (tkg.iso2, tkg.iso3, geo.lat, geo.long):
            values = list(g.objects(c, prop))
            if len(values) != 1:
                raise GazetteerError(f"{c}: {len(values)} values of {prop}")
        for prop in (geo.lat, geo.long):
            value = next(g.objects(c, prop))
            if value.datatype != rdflib.XSD.decimal:
                raise GazetteerError(f"{c}: {prop} is not xsd:decimal")
        labels = [o for o in g.objects(c, RDFS.label) if getattr(o, "language", None) == "en"]
        if len(labels) != 1:
            raise GazetteerError(f"{c}: {len(labels)} English labels")
    subjects = set(g.subjects(RDFS.label, None))
    if len(subjects) != len(places):
        raise GazetteerError(f"{path}: {len(subjects)} labelled places, expected {len(places)}")
    by_name = collections.defaultdict(set)
    for prop in (RDFS.label, SKOS.altLabel):
        for s, o in g.subject_objects(prop):
            by_name[str(o)].add(s)
    for sheet, records_ in sheets.items():
        for _, _, name in records_:
            hits = by_name.get(name, set())
            if len(hits) != 1 or next(iter(hits)) not in countries:
                raise GazetteerError(f"{path}: {sheet} name {name!r} resolves to {sorted(hits)}")
    return len(g)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path, help="the Index workbook (global_oc_index.xlsx)")
    parser.add_argument("--output", type=Path, default=ROOT / "ontology" / "places.ttl")
    args = parser.parse_args(argv)
    try:
        sheets = read_workbook(args.workbook)
        places = build(sheets)
        args.output.write_text(render(places), encoding="utf-8")
        triples = verify_turtle(args.output, places, sheets)
    except GazetteerError as exc:
        print(f"make_places: {exc}", file=sys.stderr)
        return 1
    counts = collections.Counter(p.cls for p in places.values())
    print(f"wrote {args.output}: {len(places)} places ({dict(sorted(counts.items()))}), {triples} triples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
