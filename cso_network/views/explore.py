"""Exploring the organization network: filters, thinning, tables and profiles in words.

What the dashboard's network explorer and organization profiles need, kept
here so it is tested without a browser:

- :class:`Filters` and :func:`filter_graph`: keep organizations by country,
  field, practice, risk factor and seminar cohort, and ties by year;
- :func:`thin_edges`: beyond a size threshold, draw only the strongest ties
  (those of a focused organization always kept) and say so in a notice;
- :func:`node_table`, :func:`edge_table`, :func:`to_csv`: the filtered lists
  for download, every cell guarded against formula injection
  (:func:`csv_safe`, OWASP "CSV Injection");
- :func:`org_profile`: one organization's data and its position in words;
- :func:`cached_layout`: layouts cached per workspace version.

Nothing here imports Dash.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

import networkx as nx
import pandas as pd

from cso_network import vocab
from cso_network.core.exceptions import CsoNetworkError
from cso_network.core.messages import Message, Seq, msg, nmsg, ordinal
from cso_network.core.model import Dataset, org_matches

__all__ = [
    "EDGE_LIMIT",
    "Filters",
    "Thinned",
    "cached_layout",
    "csv_safe",
    "edge_kind",
    "edge_table",
    "edge_year",
    "filter_graph",
    "node_table",
    "org_profile",
    "position_sentences",
    "seminar_years",
    "thin_edges",
    "to_csv",
    "year_bounds",
    "view_graph",
    "tie_years",
    "dataset_years",
    "brokers_index",
    "neighbours",
]

#: Beyond this many ties, only the strongest are drawn (with a notice).
EDGE_LIMIT = 1500

#: Layout kinds understood by :func:`cached_layout`.
LAYOUT_KINDS = ("geographic", "force")

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def csv_safe(value: Any) -> str:
    """Return ``value`` as CSV cell text that a spreadsheet will not run as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, TAB, CR, LF or NUL gets a
    leading single quote (OWASP "CSV Injection"); None becomes "". Quoting
    (RFC 4180) is left to :func:`to_csv`, which quotes every cell.

    Examples
    --------
    >>> csv_safe("=1+2")
    "'=1+2"
    >>> csv_safe("+387 61 123 456")
    "'+387 61 123 456"
    >>> csv_safe("Most")
    'Most'
    >>> csv_safe(None)
    ''
    """
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    if isinstance(value, (tuple, list)):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def to_csv(frame: pd.DataFrame) -> str:
    """The frame as CSV text: every cell guarded (:func:`csv_safe`) and double-quoted.

    Examples
    --------
    >>> print(to_csv(pd.DataFrame({"name": ['=1+2";=1+2']})), end="")
    "name"
    "'=1+2"";=1+2"
    """
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow([csv_safe(c) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([csv_safe(v) for v in row])
    return out.getvalue()


# --------------------------------------------------------------------- filters
def seminar_years(dataset: Dataset) -> dict[str, int]:
    """seminar id -> year of its start date (seminars without a date left out)."""
    years = {}
    for sid, start in zip(dataset.seminars["seminar_id"], dataset.seminars["start_date"], strict=True):
        year = vocab.year_of(start) if start else None
        if year is not None:
            years[sid] = year
    return years


def edge_year(data: Mapping[str, Any], seminar_year: Mapping[str, int] | None = None) -> int | None:
    """The year a tie dates from: its ``since``, else its first shared seminar's year, else None."""
    since = data.get("since")
    if since:
        try:
            return vocab.year_of(since)
        except CsoNetworkError:
            pass
    years = [seminar_year[s] for s in data.get("seminars") or () if seminar_year and s in seminar_year]
    return min(years) if years else None


def edge_kind(data: Mapping[str, Any], layer: str) -> str:
    """``"collaborated"`` or ``"met"``: how a tie is drawn."""
    if layer == "met":
        return "met"
    if layer == "collaborated":
        return "collaborated"
    return "collaborated" if data.get("collaborated") else "met"


def year_bounds(G: nx.Graph, seminar_year: Mapping[str, int] | None = None) -> tuple[int, int] | None:
    """The earliest and latest tie years of ``G`` (None when no tie is dated)."""
    years = [y for _, _, d in G.edges(data=True) if (y := edge_year(d, seminar_year)) is not None]
    return (min(years), max(years)) if years else None


#: At most this many values per filter criterion, each at most this long: filters
#: come from URLs and callbacks, which anyone can craft.
MAX_FILTER_VALUES = 100
MAX_FILTER_VALUE_CHARS = 200

#: Years outside this range are not years a tie can date from.
MIN_YEAR, MAX_YEAR = 1000, 9999


def _as_list(values: Any) -> list | tuple | None:
    """``values`` as a list (one string becomes a list of it; nothing, an empty one), or None
    when it is of another shape (a number, a mapping)."""
    if values is None or values == "" or values == []:
        return []
    if isinstance(values, str):
        return [values]
    return values if isinstance(values, (list, tuple)) else None


def _as_tuple(values: Any) -> tuple[tuple[str, ...], bool]:
    """(the strings among ``values``, whether anything was left out).

    ``values`` is one string or a list of them; anything else (numbers,
    mappings, nested lists, empty or over-long strings, more than
    :data:`MAX_FILTER_VALUES` values) is left out, and duplicates kept once.
    """
    values = _as_list(values)
    if values is None:
        return (), True
    kept = [v for v in values if isinstance(v, str) and 0 < len(v) <= MAX_FILTER_VALUE_CHARS]
    unique = tuple(dict.fromkeys(kept))
    return unique[:MAX_FILTER_VALUES], len(kept) < len(values) or len(unique) > MAX_FILTER_VALUES


def _small_int(value: Any, low: int, high: int) -> int | None:
    """``value`` as an int in [low, high]: an int, an integral float or ASCII digits; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not (0 < len(text) <= len(str(high)) and text.isascii() and text.isdigit()):
            return None
        value = int(text)
    if isinstance(value, int) and low <= value <= high:
        return value
    return None


def _risk_factors(values: Any) -> tuple[tuple[int, ...], bool]:
    """(risk factor numbers among ``values``, whether anything was left out)."""
    if isinstance(values, (int, float)) and not isinstance(values, bool):
        values = [values]
    values = _as_list(values)
    if values is None:
        return (), True
    numbers = [_small_int(v, 1, max(vocab.RISK_FACTORS)) for v in values]
    kept = tuple(dict.fromkeys(n for n in numbers if n is not None))
    return kept, len(kept) < len(values)


def _years(values: Any) -> tuple[tuple[int, int] | None, bool]:
    """((first, last) from a pair of years, whether it was left out as malformed)."""
    if values is None or (isinstance(values, (list, tuple)) and len(values) == 0):
        return None, False
    if not isinstance(values, (list, tuple)) or len(values) != 2:
        return None, True
    pair = [_small_int(v, MIN_YEAR, MAX_YEAR) for v in values]
    if None in pair:
        return None, True
    return (min(pair), max(pair)), False


@dataclass(frozen=True)
class Filters:
    """What the network explorer keeps; empty means "any".

    Organizations are kept when they match every non-empty criterion: their
    country is one of ``countries``; they work in any of ``fields``, use any
    of ``practices``, cover any of ``risk_factors``; they attended any of
    ``seminars`` (a cohort). Ties are kept when both ends are kept and, with
    ``years`` = (first, last), the tie's year (:func:`edge_year`) lies in that
    range; undated ties are kept only with the full range.

    Filters come from URLs and callback values, which anyone can craft:
    :meth:`make` and :meth:`from_query` never raise; what they cannot read
    (a repeated URL parameter, a value of the wrong type, a year that is not
    one) is left out and its criterion named in ``ignored``.
    """

    countries: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    practices: tuple[str, ...] = ()
    risk_factors: tuple[int, ...] = ()
    seminars: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    ignored: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def make(cls, *, countries=None, fields=None, practices=None, risk_factors=None,
             seminars=None, years=None) -> Filters:
        """Build from control values (None, one value or a list each).

        Examples
        --------
        >>> f = Filters.make(countries=["BA", {"x": 1}], risk_factors=["8", "²"], years=[2014, 2012])
        >>> f.countries, f.risk_factors, f.years, f.ignored
        (('BA',), (8,), (2012, 2014), ('countries', 'risk_factors'))
        """
        ignored = []
        texts = {}
        for name, value in (("countries", countries), ("fields", fields),
                            ("practices", practices), ("seminars", seminars)):
            texts[name], dropped = _as_tuple(value)
            if dropped:
                ignored.append(name)
        rfs, dropped = _risk_factors(risk_factors)
        if dropped:
            ignored.append("risk_factors")
        span, dropped = _years(years)
        if dropped:
            ignored.append("years")
        return cls(**texts, risk_factors=rfs, years=span, ignored=tuple(ignored))

    def is_empty(self) -> bool:
        return not (self.countries or self.fields or self.practices or self.risk_factors
                    or self.seminars or self.years)

    # URL state --------------------------------------------------------------
    def to_query(self, **more: Any) -> str:
        """The filters (and ``more`` view settings) as a URL query string ("?a=1&b=x,y")."""
        params: dict[str, str] = {}
        for name in ("countries", "fields", "practices", "risk_factors", "seminars"):
            values = getattr(self, name)
            if values:
                params[name] = ",".join(str(v) for v in values)
        if self.years:
            params["years"] = f"{self.years[0]}-{self.years[1]}"
        params.update({k: str(v) for k, v in more.items() if v not in (None, "", [])})
        return "?" + urlencode(params) if params else ""

    @classmethod
    def from_query(cls, query: Mapping[str, Any] | str) -> Filters:
        """Filters from a query string or the keyword arguments Dash passes to ``layout``.

        Each criterion is one parameter, its values separated by commas
        (``countries=BA,ME``), years as ``first-last``. A parameter given twice
        (Dash passes a list) or malformed is left out and named in ``ignored``.

        Examples
        --------
        >>> f = Filters.from_query("?countries=BA,ME&countries=RS&years=2012-2015&fields=law")
        >>> f.countries, f.years, f.fields, f.ignored
        ((), (2012, 2015), ('law',), ('countries',))
        """
        ignored: list[str] = []
        if isinstance(query, str):
            parsed = parse_qs(query.lstrip("?"), keep_blank_values=True)
            query = {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}

        def raw(name: str) -> str | None:
            value = query.get(name)
            if value is None or isinstance(value, str):
                return value
            ignored.append(name)
            return None

        def split(name: str) -> list[str]:
            text = raw(name)
            return [p for p in text.split(",") if p] if text else []

        lists = {name: split(name) for name in ("countries", "fields", "practices",
                                                   "risk_factors", "seminars")}
        years = None
        text = raw("years")
        if text:
            lo, _, hi = text.partition("-")
            years = [lo, hi]
        made = cls.make(**lists, years=years)
        ignored += [name for name in made.ignored if name not in ignored]
        order = ("countries", "fields", "practices", "risk_factors", "seminars", "years")
        return cls(countries=made.countries, fields=made.fields, practices=made.practices,
                   risk_factors=made.risk_factors, seminars=made.seminars, years=made.years,
                   ignored=tuple(n for n in order if n in ignored))


def _keeps_node(data: Mapping[str, Any], f: Filters) -> bool:
    return org_matches(data, countries=f.countries, fields=f.fields, practices=f.practices,
                       risk_factors=f.risk_factors, seminars=f.seminars)


def filter_graph(G: nx.Graph, filters: Filters, *, seminar_year: Mapping[str, int] | None = None,
                 full_years: tuple[int, int] | None = None) -> nx.Graph:
    """The part of ``G`` the filters keep (a read-only subgraph view).

    Parameters
    ----------
    G : networkx.Graph
        A layer of :mod:`cso_network.network.layers`.
    filters : Filters
    seminar_year : mapping, optional
        seminar id -> year, to date met-only ties (:func:`seminar_years`).
    full_years : (int, int), optional
        The whole range of tie years; a ``filters.years`` equal to it (or
        wider) filters nothing, undated ties included.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", country="BA"); G.add_node("b", country="ME"); G.add_node("c", country="BA")
    >>> G.add_edge("a", "b", since="2014"); G.add_edge("a", "c", since="2019")
    >>> sorted(filter_graph(G, Filters.make(countries=["BA"])).nodes)
    ['a', 'c']
    >>> sorted(filter_graph(G, Filters.make(years=(2010, 2015))).edges)
    [('a', 'b')]
    """
    nodes = [n for n, d in G.nodes(data=True) if _keeps_node(d, filters)]
    sub = G.subgraph(nodes) if len(nodes) < G.number_of_nodes() else G
    if not filters.years:
        return sub
    lo, hi = filters.years
    if full_years is not None and lo <= full_years[0] and hi >= full_years[1]:
        return sub

    def keep(u, v) -> bool:
        year = edge_year(G.edges[u, v], seminar_year)
        return year is not None and lo <= year <= hi

    return nx.subgraph_view(sub, filter_edge=keep)


# --------------------------------------------------------------------- thinning
@dataclass(frozen=True)
class Thinned:
    """The ties to draw and, when some were left out, a notice saying so."""

    edges: list[tuple[Any, Any, dict]]
    total: int
    notice: str | None


def thin_edges(G: nx.Graph, *, limit: int = EDGE_LIMIT, focus: Any = None) -> Thinned:
    """At most ``limit`` ties to draw: the strongest, with the focused organization's kept.

    Order: ties of ``focus`` first, then by weight (descending), cross-border
    before domestic, then by the two ids, so the choice is reproducible.

    Examples
    --------
    >>> G = nx.path_graph(5)
    >>> t = thin_edges(G, limit=2, focus=4)
    >>> [(u, v) for u, v, _ in t.edges], t.total
    ([(3, 4), (0, 1)], 4)
    >>> t.notice
    'Showing 2 of 4 ties (the strongest, and all of the focused organization); filter to see the rest.'
    """
    edges = list(G.edges(data=True))
    total = len(edges)
    if total <= limit:
        return Thinned(edges, total, None)

    def rank(e):
        u, v, d = e
        country = G.nodes[u].get("country"), G.nodes[v].get("country")
        return (focus not in (u, v), -float(d.get("weight", 1.0) or 1.0),
                country[0] == country[1], str(u), str(v))

    kept = sorted(edges, key=rank)[:limit]
    notice = msg("Showing {limit:,} of {total:,} ties (the strongest, and all of the focused "
                 "organization); filter to see the rest.", limit=limit, total=total)
    return Thinned(kept, total, notice)


# --------------------------------------------------------------------- tables
def _broker_index(analysis: Mapping[str, Any] | None) -> dict[str, dict]:
    return {b["org_id"]: b for b in (analysis or {}).get("brokers", [])}


def node_table(G: nx.Graph, analysis: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """One row per organization of ``G``: id, name, place, work, degree (and centrality).

    ``analysis`` (a :meth:`Workspace.analysis` result) adds betweenness and community.
    """
    brokers = _broker_index(analysis)
    rows = []
    for n, d in G.nodes(data=True):
        b = brokers.get(n, {})
        rows.append({
            "org_id": n, "name": d.get("name"), "country": d.get("country"), "city": d.get("city"),
            "fields": "; ".join(d.get("fields") or ()),
            "practices": "; ".join(d.get("practices") or ()),
            "risk_factors": "; ".join(str(r) for r in d.get("risk_factors") or ()),
            "seminars": "; ".join(d.get("seminars") or ()),
            "degree": G.degree(n),
            "betweenness": b.get("betweenness"), "community": b.get("community"),
        })
    columns = ["org_id", "name", "country", "city", "fields", "practices", "risk_factors",
               "seminars", "degree", "betweenness", "community"]
    return pd.DataFrame(rows, columns=columns).sort_values("org_id", kind="stable").reset_index(drop=True)


def edge_table(G: nx.Graph, layer: str, seminar_year: Mapping[str, int] | None = None) -> pd.DataFrame:
    """One row per tie of ``G``: the two organizations, kind, year, since, source, seminars."""
    rows = []
    for u, v, d in G.edges(data=True):
        a, b = sorted((u, v), key=str)
        rows.append({
            "org_a": a, "org_b": b, "tie": edge_kind(d, layer),
            "country_a": G.nodes[a].get("country"), "country_b": G.nodes[b].get("country"),
            "kind": d.get("kind"), "since": d.get("since"), "year": edge_year(d, seminar_year),
            "source": d.get("source"), "seminars": "; ".join(d.get("seminars") or ()),
            "weight": d.get("weight"),
        })
    columns = ["org_a", "org_b", "tie", "country_a", "country_b", "kind", "since", "year",
               "source", "seminars", "weight"]
    return pd.DataFrame(rows, columns=columns).sort_values(["org_a", "org_b"], kind="stable") \
        .reset_index(drop=True)


# --------------------------------------------------------------------- layouts
def cached_layout(ws, layer: str, kind: str) -> dict:
    """Positions for ``layer`` drawn as ``kind`` (geographic or force), cached per workspace version."""
    from cso_network.network.positions import force_layout, geographic_layout

    if kind not in LAYOUT_KINDS:
        raise CsoNetworkError(f"unknown layout {kind!r}; choose one of: {', '.join(LAYOUT_KINDS)}")
    if kind == "geographic":  # the same map for every layer
        return ws.cached(("layout", "all", kind), lambda: geographic_layout(ws.graph(layer)))
    return ws.cached(("layout", layer, kind), lambda: force_layout(ws.graph(layer), seed=0))


# --------------------------------------------------------------------- profile in words
_ROLE_WORDS = {
    "coordinator": msg("links two organizations of its own country"),
    "itinerant": msg("links two organizations of another country"),
    "gatekeeper": msg("lets an organization from abroad reach one of its own country"),
    "representative": msg("lets one of its own country reach an organization abroad"),
    "liaison": msg("links organizations of two other, different countries"),
}
#: Gould and Fernandez's names of the roles, shown after what they mean.
_ROLE_NAMES = {
    "coordinator": msg("coordinator"),
    "itinerant": msg("itinerant"),
    "gatekeeper": msg("gatekeeper"),
    "representative": msg("representative"),
    "liaison": msg("liaison"),
}


def position_sentences(org_id: str, analysis: Mapping[str, Any]) -> list[Message]:
    """An organization's place in the collaboration network, in plain sentences.

    Uses the ``brokers`` (degree, betweenness, brokerage roles, community) and
    ``communities`` of a :meth:`Workspace.analysis` result.
    """
    brokers = analysis.get("brokers") or []
    me = next((b for b in brokers if b["org_id"] == org_id), None)
    if me is None:
        return [msg("Not in the collaboration network yet.")]
    degree = int(me.get("degree") or 0)
    if degree == 0:
        return [msg("No declared collaboration yet: it is not linked to anyone in the "
                    "collaboration network.")]
    out = [nmsg("Has declared collaborations with {n} organization.",
                "Has declared collaborations with {n} organizations.", degree)]
    ranked = sorted(brokers, key=lambda b: (-(b.get("betweenness") or 0.0), b["org_id"]))
    rank = next(i for i, b in enumerate(ranked, 1) if b["org_id"] == org_id)
    share = (me.get("betweenness") or 0.0)
    if share > 0:
        out.append(msg("Ranks {rank} of {total} as a bridge: about {share:.0%} of the shortest "
                       "routes between other organizations run through it (betweenness "
                       "{share:.3f}).", rank=ordinal(rank), total=len(brokers), share=share))
    else:
        out.append(msg("No shortest route between other organizations runs through it "
                       "(betweenness 0)."))
    roles = {k: int(v) for k, v in (me.get("brokerage") or {}).items() if v}
    if roles:
        top = sorted(roles.items(), key=lambda kv: -kv[1])
        # Built in a loop, not a generator inside msg(): Babel's extractor would miss it.
        said = []
        for k, v in top:
            said.append(nmsg("{what} ({role}, {n} time)", "{what} ({role}, {n} times)", v,
                             what=_ROLE_WORDS.get(k, k), role=_ROLE_NAMES.get(k, k)))
        out.append(msg("As a broker it {roles}.", roles=Seq(said, sep="; ")))
    community = me.get("community")
    if community is not None:
        info = next((c for c in analysis.get("communities") or [] if c.get("id") == community), None)
        if info:
            countries = Seq(f"{c} {n}" for c, n in info.get("countries", {}).items())
            out.append(nmsg("Belongs to cluster {community} of {n} closely linked organization "
                            "({countries}).",
                            "Belongs to cluster {community} of {n} closely linked organizations "
                            "({countries}).", int(info["size"]), community=community,
                            countries=countries))
        else:
            out.append(msg("Belongs to cluster {community}.", community=community))
    return out


def org_profile(ws, org_id: str) -> dict[str, Any] | None:
    """Everything the profile page shows about ``org_id`` (None when there is no such organization).

    People come only from :func:`cso_network.access.privacy.public_participants`.
    """
    from cso_network.access.privacy import public_participants

    G = ws.graph("combined")
    if org_id not in G:
        return None
    d = G.nodes[org_id]
    ds = ws.dataset
    seminars = ds.seminars.set_index("seminar_id")
    attended = [
        {"seminar_id": s, "city": seminars.at[s, "city"] if s in seminars.index else None,
         "start_date": seminars.at[s, "start_date"] if s in seminars.index else None}
        for s in d.get("seminars") or ()
    ]
    collab = ws.graph("collaborated")
    names = dict(zip(ds.organizations["org_id"], ds.organizations["name"], strict=True))
    collaborations = sorted(
        ({"org_id": other, "name": names.get(other), "country": collab.nodes[other].get("country"),
          "kind": e.get("kind"), "since": e.get("since"), "source": e.get("source")}
         for other, e in collab[org_id].items()),
        key=lambda r: (r["since"] or "9999", r["org_id"]))
    eng = ds.engagements[ds.engagements["org_id"] == org_id]
    engagements = [{k: r.get(k) for k in ("kind", "date", "note")}
                   for r in eng.sort_values("date", na_position="last").to_dict("records")]
    analysis = ws.analysis("collaborated")
    return {
        "org_id": org_id, "name": d.get("name"), "country": d.get("country"), "city": d.get("city"),
        "type": d.get("type"), "fields": list(d.get("fields") or ()),
        "practices": list(d.get("practices") or ()),
        "risk_factors": list(d.get("risk_factors") or ()),
        "people": public_participants(ds, org_id),
        "seminars": attended,
        "collaborations": collaborations,
        "engagements": engagements,
        "met": G.degree(org_id),
        "position": position_sentences(org_id, analysis),
    }


def neighbours(G: nx.Graph, org_id: Any) -> set:
    """The organizations tied to ``org_id`` in ``G`` (empty when it is not there)."""
    return set(G[org_id]) if org_id in G else set()


def options_from(values: Iterable) -> list[str]:
    """Distinct non-empty values, sorted as text (for control options)."""
    return sorted({str(v) for v in values if v not in (None, "")})


def view_graph(ws, layer: str, filters: Filters) -> nx.Graph:
    """The workspace's ``layer`` with ``filters`` applied (tie years from seminars too)."""
    years = ws.cached(("explore", "seminar_years"), lambda: seminar_years(ws.dataset))
    return filter_graph(ws.graph(layer), filters, seminar_year=years,
                        full_years=tie_years(ws))


def tie_years(ws) -> tuple[int, int] | None:
    """First and last year of any tie in the workspace (combined layer), cached."""
    return ws.cached(("explore", "tie_years"), lambda: dataset_years(ws.dataset))


def dataset_years(dataset: Dataset) -> tuple[int, int] | None:
    """First and last year a tie can date from: collaborations' ``since`` and seminars' starts.

    Read from the tables (no graph needed), so the year slider is cheap to set up.
    """
    years = set(seminar_years(dataset).values())
    for since in dataset.collaborations["since"]:
        if since:
            try:
                years.add(vocab.year_of(since))
            except CsoNetworkError:
                continue
    years.discard(None)
    return (min(years), max(years)) if years else None


def brokers_index(ws) -> dict[str, dict]:
    """org id -> broker record (degree, betweenness, community) of the collaboration layer."""
    return ws.cached(("explore", "brokers"), lambda: _broker_index(ws.analysis("collaborated")))
