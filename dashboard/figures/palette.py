"""The dashboard's colours, in one place: every figure and page takes its colours from here.

The categorical colours are the Okabe-Ito palette [1]_, which readers with the
common forms of colour blindness tell apart. It is used in its published
order, so the first groups of anything (countries, clusters, fields of work,
score components) get the most distinct colours. Anything beyond the palette
or outside a known group is grey (:data:`OTHER`).

Countries of the region keep one colour each, on every page
(:data:`COUNTRY_COLOURS`, in :data:`cso_network.vocab.REGION` order).

The other names are the figures' neutrals (text, grid, paper, lines) and the
pale tints their heatmaps shade cells with. The style sheets in
``dashboard/assets/`` hold the page colours (header, cards, buttons);
``tests/dashboard/test_figures.py`` checks that no other module of the
dashboard writes a colour of its own.

References
----------
.. [1] Okabe, M. and Ito, K. (2008). Color Universal Design (CUD): how to make
   figures and presentations that are friendly to colorblind people.
   https://jfly.uni-koeln.de/color/

Examples
--------
>>> colour(0) == BLUE, colour(8) == OTHER
(True, True)
>>> country_colour("BA") == PALETTE[0], country_colour("DE") == OTHER
(True, True)
"""

from __future__ import annotations

from cso_network import vocab

__all__ = [
    "PALETTE", "OTHER", "COUNTRY_COLOURS", "colour", "country_colour",
    "BLUE", "ORANGE", "GREEN", "PURPLE", "SKY_BLUE", "VERMILLION", "YELLOW", "BLACK",
    "INK", "TEXT", "GRID", "PAPER", "NO_VALUE", "NEUTRAL", "LINE", "MUTED",
    "PALE_BLUE", "PALE_VERMILLION", "DARK_BLUE", "EDGE_MET", "EDGE_SAME_COUNTRY",
    "EDGE_ACROSS_BORDERS", "LABEL",
]

#: The Okabe-Ito palette in its published order (hex colours, colour-blind safe).
PALETTE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                            "#F0E442", "#000000")
BLUE, ORANGE, GREEN, PURPLE, SKY_BLUE, VERMILLION, YELLOW, BLACK = PALETTE

#: Grey: whatever the palette has no colour for (a country outside the region,
#: smaller clusters, no field recorded, the last score component).
OTHER = "#999999"

#: One fixed colour per country of the region, in the region's order.
COUNTRY_COLOURS: dict[str, str] = dict(zip(vocab.REGION, PALETTE, strict=True))

# --- neutrals ------------------------------------------------------------------------------
#: Near-black of the page's text: the focused organization's ring and ties.
INK = "#1b1f24"
#: Text of the figures (plotly_white's).
TEXT = "#2a3f5f"
#: Axis grid, zero lines and axis lines.
GRID = "#EBF0F8"
#: Background of figures and plots, and the outline of network markers.
PAPER = "#FFFFFF"
#: Plot background behind heatmap cells that have no value.
NO_VALUE = "#E5E5E5"
#: Middle of a diverging scale ("as expected").
NEUTRAL = "#F7F7F7"
#: Ties in the small network pictures.
LINE = "#888888"
#: A quieter bar next to the palette's ("before").
MUTED = "#BBBBBB"

# --- tints for heatmap cells ---------------------------------------------------------------
PALE_BLUE = "#E8F1FA"
PALE_VERMILLION = "#FBE3D6"
DARK_BLUE = "#0B4F8A"

# --- the network explorer's ties and labels (ink, more or less transparent) ---------------
EDGE_MET = "rgba(150,150,150,0.35)"
EDGE_SAME_COUNTRY = "rgba(90,100,110,0.55)"
EDGE_ACROSS_BORDERS = "rgba(27,31,36,0.85)"
LABEL = "rgba(27,31,36,0.75)"


def colour(index: int) -> str:
    """The ``index``-th colour of :data:`PALETTE` (0 first), grey beyond its end or below 0."""
    return PALETTE[index] if 0 <= index < len(PALETTE) else OTHER


def country_colour(code: str | None) -> str:
    """The fixed colour of a country of the region; grey for any other country."""
    return COUNTRY_COLOURS.get(code, OTHER)
