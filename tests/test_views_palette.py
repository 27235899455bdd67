"""The commodity colours of the views, checked for colour-blind readers by simulation.

Each colour of a commodity branch in ``ontology/presentation.ttl`` is passed through the
colour-vision-deficiency matrices of Machado, Oliveira & Fernandes (2009, severity 1.0, in
linear RGB) for protanopia, deuteranopia and tritanopia; every two branches must stay apart
by a CIEDE2000 difference of at least :data:`MIN_DE` in each simulation and in normal vision,
and every colour must have the 3:1 contrast that WCAG 2.1 (1.4.11) asks of graphics against
the map's land and focus fills.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest

import graph.views
from graph.views.style import Styler

MIN_DE = 7.5
VIEW_JS = Path(graph.views.__file__).resolve().parent / "assets" / "view.js"
LAND, FOCUS = "#f7f7f4", "#fbf1d3"  # the fills of view.js (checked below)

MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def linear(colour: str) -> list[float]:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def simulate(colour: str, vision: str) -> list[float]:
    rgb = linear(colour)
    if vision == "normal":
        return rgb
    return [min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True))))
            for row in MACHADO[vision]]


def lab(rgb: list[float]) -> tuple[float, float, float]:
    """CIELAB (D65) of a linear sRGB colour."""
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(one, two) -> float:
    """CIEDE2000 colour difference (Sharma, Wu & Dalal 2005)."""
    (l1, a1, b1), (l2, a2, b2) = one, two
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    dl, dc = l2 - l1, c2 - c1
    big_dh = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6))
         - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    rc = 2 * math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7))
    rt = -math.sin(math.radians(60 * math.exp(-((h_mean - 275) / 25) ** 2))) * rc
    sl = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    sc, sh = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (big_dh / sh) ** 2
                     + rt * (dc / sc) * (big_dh / sh))


def contrast(one: str, two: str) -> float:
    lum = [sum(w * c for w, c in zip((0.2126, 0.7152, 0.0722), linear(x), strict=True))
           for x in (one, two)]
    return (max(lum) + 0.05) / (min(lum) + 0.05)


def test_colour_science_against_published_values():
    # Sharma, Wu & Dalal (2005), table 1, pairs 1 and 17; WCAG: black on white is 21:1.
    assert ciede2000((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485)) == \
        pytest.approx(2.0425, abs=1e-4)
    assert ciede2000((50.0, 2.5, 0.0), (73.0, 25.0, -18.0)) == pytest.approx(27.1492, abs=1e-4)
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    # Orange and green (the earlier palette's resources and cannabis), far apart for most
    # readers, merge for a protanope.
    orange, green = "#ff7f0e", "#2ca02c"
    assert ciede2000(lab(simulate(orange, "normal")), lab(simulate(green, "normal"))) > 40
    assert ciede2000(lab(simulate(orange, "protanopia")),
                     lab(simulate(green, "protanopia"))) < 3


@pytest.fixture(scope="module")
def branch_colours(kg):
    styler = Styler(kg)
    colours = {}
    for row in kg.query("SELECT ?c WHERE { ?c a tkg:Commodity }"):
        style = styler.commodity(str(row["c"]))
        colours[style["label"]] = style["colour"]
    return colours


def test_branch_colours_stay_apart_in_every_simulated_vision(branch_colours):
    assert len(branch_colours) >= 12
    worst = {}
    for vision in ("normal", *MACHADO):
        labs = {name: lab(simulate(colour, vision)) for name, colour in branch_colours.items()}
        worst[vision] = min((ciede2000(labs[a], labs[b]), a, b)
                            for a, b in itertools.combinations(sorted(labs), 2))
    assert all(d >= MIN_DE for d, _, _ in worst.values()), worst


def test_branch_colours_stand_out_on_the_map(branch_colours):
    script = VIEW_JS.read_text(encoding="utf-8")
    assert f'"{LAND}"' in script and f'"{FOCUS}"' in script
    low = {name: round(min(contrast(c, LAND), contrast(c, FOCUS)), 2)
           for name, c in branch_colours.items()}
    assert all(v >= 2.8 for v in low.values()), low
    assert all(contrast(c, LAND) >= 3 for c in branch_colours.values())
