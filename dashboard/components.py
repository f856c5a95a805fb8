"""Reusable layout pieces: figure cards, headline numbers, empty states, tables; reading untrusted values.

Names come from the data and URL parameters and callback values from whoever
sends the request: :func:`shorten` bounds the text a page shows, and
:class:`Untrusted` reads a page's parameters, falling back to defaults and
saying so (:meth:`Untrusted.notice`) instead of failing.

The texts Dash components write themselves (a dropdown's "Select All",
"Search", "No options found") are set in the reader's language by
:func:`localize`, which the app applies to every page it renders.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from dash import dcc, html

from cso_network.workspace import Workspace
from dashboard.i18n import N_, _, ngettext
from dashboard.state import is_public

__all__ = ["DISPLAY_CHARS", "MAX_PARAM_CHARS", "DROPDOWN_LABELS", "Untrusted", "shorten",
           "stat_card", "figure_card", "empty_state", "no_data_page", "get_data_steps",
           "link_in_sentence", "freshness", "person_items", "cell", "simple_table", "table_scroll",
           "dropdown_labels", "localize", "sync_url"]

#: Longest text shown for one name (organization, city, seminar, field as written) in
#: figures, dropdown labels, lists and tables: a name of tens of thousands of characters
#: would otherwise stall or crash the browser tab that draws it.
DISPLAY_CHARS = 100

#: Longest text read from a URL parameter or a callback value.
MAX_PARAM_CHARS = 200


def shorten(text: Any, limit: int = DISPLAY_CHARS) -> str:
    """``text`` as a string of at most ``limit`` characters, ending in "…" when cut.

    Every name a page shows goes through here (figures through
    :func:`dashboard.figures.charts.plot_text`, which escapes it too).

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


def figure_card(figure: dict, how_to_read: str, component_id: str) -> html.Div:
    """A figure (a figure dict of :mod:`dashboard.figures`) with its one-line 'how to read this'.

    The graph fills its card's width and follows window resizes; its height
    is the figure's own (``responsive=True`` would otherwise drop it). Its
    mode bar shows on hover, along the top, with the buttons a chart needs
    (picture, zoom, pan, reset): short enough to leave the title readable on
    a phone.
    """
    height = figure["layout"].get("height") or 340
    return html.Div(
        [dcc.Graph(figure=figure, id=component_id, responsive=True,
                   style={"height": f"{height}px"},
                   config={"displaylogo": False, "displayModeBar": "hover",
                           "modeBarButtonsToRemove": ["select2d", "lasso2d", "zoomIn2d",
                                                      "zoomOut2d", "autoScale2d"],
                           "toImageButtonOptions": {"format": "png"}}),
         html.P(how_to_read, className="how-to-read")],
        className="card",
    )


#: The Data page, where a workbook is checked and imported (the empty pages link to it).
DATA_PAGE = "/data"


def link_in_sentence(sentence: str, name: str, link: Any) -> list:
    """A translated ``sentence`` with the component ``link`` in the place of its ``{name}``.

    The translator sees the whole sentence and can move ``{name}``; the page
    puts a link there instead of gluing sentence pieces together.

    >>> link_in_sentence("Open the {page} first.", "page", "LINK")
    ['Open the ', 'LINK', ' first.']
    """
    before, found, after = sentence.partition("{" + name + "}")
    return [before, link, after] if found else [sentence]


def get_data_steps(component_id: str) -> list:
    """How to bring data in, for someone in the browser: the Data page, the command line aside.

    A dashboard served for participants has no Data page: it says that the
    programme's staff publish the data instead.
    """
    if is_public():
        return [html.P(_("Nothing has been published here yet: the programme's staff import "
                         "the data."))]
    link = dcc.Link(_("Data page"), href=DATA_PAGE, id=f"{component_id}-data-link")
    return [
        html.Ol([
            html.Li(link_in_sentence(_("Open the {data_page} and download the blank template; "
                                       "fill it in, one sheet per table."), "data_page", link)),
            html.Li(_("Upload the workbook there: every problem is listed with its sheet, row "
                      "and column, and nothing is imported until you confirm.")),
        ]),
        html.P([_("On the command line, for whoever runs the dashboard:") + " ",
                html.Code("cso-network import FILE.xlsx"), " · ",
                html.Code("cso-network init --demo"), " " + _("(the synthetic demo)")],
               className="muted"),
    ]


def empty_state(title: str, body: list, component_id: str) -> html.Div:
    """A card saying what is missing (``title``) and what to do (``body``, components)."""
    return html.Div([html.H2(title), *body], className="card empty-state", id=component_id)


def no_data_page(heading: str, message: str, component_id: str) -> html.Div:
    """A page's heading and how to get data (:func:`get_data_steps`), for a workspace with none."""
    return html.Div([html.H1(heading),
                     empty_state(message, get_data_steps(component_id), component_id)])


def freshness(ws: Workspace) -> str:
    """The header's line on where the data comes from and when it was last imported."""
    if ws.store is None:
        return _("Data: {name} (read from the workbook)").format(name=ws.name)
    records = ws.store.imports()
    if not records:
        return _("Workspace: {name}, no data imported yet").format(name=ws.name)
    last = records[-1]
    return _("Workspace: {name}, last import {time} UTC ({file})").format(
        name=ws.name, time=last.imported_at[:16].replace("T", " "), file=last.file_name)


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


def table_scroll(table: Any) -> html.Div:
    """``table`` in a box that scrolls sideways when the table is wider than the screen.

    Cells keep their words and numbers whole (``assets/style.css``), so a
    wide table scrolls inside its card rather than breaking ``0.185`` into
    ``0.18`` and ``5``.
    """
    return html.Div(table, className="table-scroll")


def cell(value: Any, **props) -> html.Td:
    """A table cell; one holding a single token (a number, an id, a date, a code) never breaks.

    Text with spaces wraps at its spaces; a token such as ``SEM-2012-SA`` or
    ``2012-09-21`` would otherwise break at its hyphens in a narrow column.
    """
    single = not (isinstance(value, str) and any(ch.isspace() for ch in value.strip()))
    if single and not hasattr(value, "to_plotly_json"):
        props["className"] = " ".join(filter(None, (props.get("className"), "cell-token")))
    return html.Td(value, **props)


def simple_table(records: list[dict], component_id: str, headers: dict[str, str] | None = None
                 ) -> html.Div | html.P:
    """A plain, accessible HTML table from a list of dicts (column order from the first row).

    ``headers`` maps a column key to the header shown (already translated); keys
    without one show with underscores as spaces. The table (``id=component_id``)
    comes in its :func:`table_scroll` box.
    """
    headers = headers or {}
    if not records:
        return html.P(_("Nothing to show."), id=component_id)
    columns = list(records[0])
    return table_scroll(html.Table(
        [html.Thead(html.Tr([html.Th(headers.get(c, c.replace("_", " ")), scope="col") for c in columns])),
         html.Tbody([html.Tr([cell("–" if r[c] is None else r[c]) for c in columns])
                     for r in records])],
        id=component_id,
        className="table",
    ))


#: Texts a dcc.Dropdown writes itself (its ``labels`` prop), translated by :func:`dropdown_labels`.
DROPDOWN_LABELS = {
    "select_all": N_("Select all"),
    "deselect_all": N_("Deselect all"),
    "selected_count": N_("{num_selected} selected"),
    "search": N_("Search"),
    "clear_search": N_("Clear search"),
    "clear_selection": N_("Clear selection"),
    "no_options_found": N_("No options found"),
}


def dropdown_labels() -> dict[str, str]:
    """A dcc.Dropdown's own texts in the reader's language (every key: Dash shows no default
    for a key left out)."""
    return {key: _(label) for key, label in DROPDOWN_LABELS.items()}


def localize(component: Any) -> Any:
    """``component`` with the texts of its Dash components in the reader's language.

    Every dcc.Dropdown in the tree without ``labels`` of its own gets
    :func:`dropdown_labels`; the tree is changed in place and returned. The
    app applies it to every page it renders (:func:`dashboard.app.create_app`),
    so no page can show Dash's English "Select All" to a BCS reader.
    """
    if not hasattr(component, "_traverse"):
        return component
    labels = None
    for node in [component, *component._traverse()]:
        if isinstance(node, dcc.Dropdown) and getattr(node, "labels", None) is None:
            labels = labels or dropdown_labels()
            node.labels = dict(labels)
    return component


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
