"""Reusable layout pieces: figure cards, headline numbers, empty states; reading untrusted values.

Names come from the data and URL parameters and callback values from whoever
sends the request: :func:`shorten` bounds the text a page shows, and
:class:`Untrusted` reads a page's parameters, falling back to defaults and
saying so (:meth:`Untrusted.notice`) instead of failing.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from dash import dcc, html

from dashboard.i18n import _, ngettext

__all__ = ["DISPLAY_CHARS", "MAX_PARAM_CHARS", "Untrusted", "shorten", "stat_card",
           "figure_card", "empty_state", "no_data_page", "person_items", "simple_table",
           "sync_url"]

#: Longest text shown for one name (organization, city, seminar, field as written) in
#: figures, dropdown labels, lists and tables: a name of tens of thousands of characters
#: would otherwise stall or crash the browser tab that draws it.
DISPLAY_CHARS = 100

#: Longest text read from a URL parameter or a callback value.
MAX_PARAM_CHARS = 200


def shorten(text: Any, limit: int = DISPLAY_CHARS) -> str:
    """``text`` as a string of at most ``limit`` characters, ending in "…" when cut.

    Every name a page shows goes through here (figures through
    :func:`dashboard.figures.plot_text`, which escapes it too).

    >>> shorten("Udruženje Most")
    'Udruženje Most'
    >>> shorten("abcdef", 4)
    'abc…'
    >>> shorten(None)
    ''
    """
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


class Untrusted:
    """Reads a page's URL parameters and callback values, which anyone can craft.

    Each method returns a value of the type the page expects: a missing
    value gives the default silently; a value of the wrong type (a list where
    one string is expected, which is what a repeated URL parameter gives), an
    unknown choice, a number out of range or an over-long text gives the
    default too, and its parameter's name is remembered for :meth:`notice`.

    Examples
    --------
    >>> read = Untrusted()
    >>> read.choice("layer", ["met", "combined"], ("met", "collaborated", "combined"), "met")
    'met'
    >>> read.integer("k", "12", 0, 0, 30), read.integer("k", 10**30, 0, 0, 30)
    (12, 0)
    >>> read.dropped
    ['layer', 'k']
    """

    def __init__(self) -> None:
        self.dropped: list[str] = []

    def _drop(self, name: str) -> None:
        if name not in self.dropped:
            self.dropped.append(name)

    def add(self, names: Collection[str]) -> None:
        """Remember parameters dropped elsewhere (e.g. :attr:`cso_network.views.explore.Filters.ignored`)."""
        for name in names:
            self._drop(name)

    def choice(self, name: str, value: Any, allowed: Collection[str], default: Any) -> Any:
        """``value`` when it is one of ``allowed`` (strings), else ``default``."""
        if value is None or value == "":
            return default
        if isinstance(value, str) and value in allowed:
            return value
        self._drop(name)
        return default

    def text(self, name: str, value: Any, default: str | None = None,
             limit: int = MAX_PARAM_CHARS) -> str | None:
        """``value`` when it is a string; one longer than ``limit`` is cut to it."""
        if value is None:
            return default
        if not isinstance(value, str):
            self._drop(name)
            return default
        if len(value) > limit:
            self._drop(name)
            return value[:limit]
        return value

    def key(self, name: str, value: Any, known: Collection[str]) -> str | None:
        """``value`` when it is one of ``known`` (e.g. an org id in the data), else None."""
        if value is None or value == "":
            return None
        if isinstance(value, str) and len(value) <= MAX_PARAM_CHARS and value in known:
            return value
        self._drop(name)
        return None

    def integer(self, name: str, value: Any, default: int, low: int, high: int) -> int:
        """``value`` as an int in [low, high] (an int, an integral float or digits), else ``default``."""
        if value is None or value == "":
            return default
        number = None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif (isinstance(value, str) and 0 < len(value.strip()) <= len(str(high))
              and value.strip().isascii() and value.strip().isdigit()):
            number = int(value.strip())
        if number is not None and low <= number <= high:
            return number
        self._drop(name)
        return default

    def values(self, name: str, value: Any, allowed: Collection | None = None) -> list:
        """The items of a multi-choice value (a list, or commas in a URL) that are ``allowed``."""
        if value is None or value == "" or value == []:
            return []
        if isinstance(value, str):
            value = [v for v in value.split(",") if v] if len(value) <= 20 * MAX_PARAM_CHARS \
                else None
        if not isinstance(value, (list, tuple)):
            self._drop(name)
            return []
        kept = [v for v in value
                if isinstance(v, (str, int)) and not isinstance(v, bool)
                and (allowed is None or v in allowed)
                and not (isinstance(v, str) and len(v) > MAX_PARAM_CHARS)]
        if len(kept) < len(value):
            self._drop(name)
        return list(dict.fromkeys(kept))

    def notice(self, component_id: str) -> html.P | None:
        """A short line naming the parameters that were not understood (None when all were)."""
        if not self.dropped:
            return None
        return html.P(_("Some settings of this link or view were not understood and were left "
                        "at their defaults: {names}.").format(names=", ".join(self.dropped)),
                      className="notice", id=component_id, role="status")


def stat_card(label: str, value: int, component_id: str) -> html.Div:
    """A headline number with its label."""
    return html.Div(
        [html.Div(f"{value:,}", className="stat-value", id=component_id),
         html.Div(label, className="stat-label")],
        className="stat-card",
    )


def figure_card(figure, how_to_read: str, component_id: str) -> html.Div:
    """A figure with its one-line 'how to read this'.

    The graph fills its card's width and follows window resizes; its height
    is the figure's own (``responsive=True`` would otherwise drop it).
    """
    height = figure.layout.height or 340
    return html.Div(
        [dcc.Graph(figure=figure, id=component_id, responsive=True,
                   style={"height": f"{height}px"},
                   config={"displaylogo": False, "displayModeBar": "hover",
                           "toImageButtonOptions": {"format": "png"}}),
         html.P(how_to_read, className="how-to-read")],
        className="card",
    )


def empty_state(title: str, steps: list[str], component_id: str) -> html.Div:
    """What to do when there is no data yet."""
    return html.Div(
        [html.H2(title), html.Ol([html.Li(html.Code(s) if s.startswith("cso-network") else s)
                                  for s in steps])],
        className="card empty-state",
        id=component_id,
    )


def no_data_page(heading: str, message: str, component_id: str) -> html.Div:
    """A page's heading and the two ways to get data, for a workspace with none."""
    return html.Div([html.H1(heading),
                     empty_state(message, ["cso-network import FILE.xlsx",
                                           _("Or load the synthetic demo: cso-network init --demo")],
                                 component_id)])


def person_items(people: dict) -> list[html.Li]:
    """The lines of :func:`cso_network.access.privacy.public_participants`: who, and how many not.

    One line per listed participant: name, role, e-mail and phone, skipping
    what is missing; the e-mail and phone are there only when the person
    agreed to be contacted (the privacy module decides, not the page). Then
    one line saying how many others did not agree to be listed: the one
    wording of it on every page.
    """
    items = [html.Li(" · ".join(str(v) for v in (p["full_name"], p["role"], p["email"], p["phone"])
                                if v)) for p in people["listed"]]
    if people["unlisted"]:
        items.append(html.Li(ngettext(
            "{n} participant not listed (no consent to the directory).",
            "{n} participants not listed (no consent to the directory).",
            people["unlisted"]).format(n=people["unlisted"]), className="muted"))
    return items


def simple_table(records: list[dict], component_id: str, headers: dict[str, str] | None = None
                 ) -> html.Table:
    """A plain, accessible HTML table from a list of dicts (column order from the first row).

    ``headers`` maps a column key to the header shown (already translated); keys
    without one show with underscores as spaces.
    """
    headers = headers or {}
    if not records:
        return html.P(_("Nothing to show."), id=component_id)
    columns = list(records[0])
    return html.Table(
        [html.Thead(html.Tr([html.Th(headers.get(c, c.replace("_", " ")), scope="col") for c in columns])),
         html.Tbody([html.Tr([html.Td("–" if r[c] is None else r[c]) for c in columns])
                     for r in records])],
        id=component_id,
        className="table",
    )


_URL_SYNC_JS = """
function(query) {
    var path = __PATH__;
    var url = path + (query || "");
    if (window.location.pathname.endsWith(path) &&
            window.location.pathname + window.location.search !== url) {
        window.history.replaceState(window.history.state, "", url);
    }
    return url;
}
"""


def sync_url(path: str, query_store: str, link: str) -> None:
    """Keep the address bar (and a "link to this view") in step with a page's filters.

    The page writes its filters as a query string (``?countries=BA,ME``) into
    the ``dcc.Store`` ``query_store``; this clientside callback puts it in the
    address bar without reloading and in the ``href`` of the ``html.A``
    ``link``, so a view can be shared. Call once per page, at import.
    """
    import json

    from dash import Input, Output, clientside_callback

    clientside_callback(_URL_SYNC_JS.replace("__PATH__", json.dumps(path)),
                        Output(link, "href"), Input(query_store, "data"))
