"""Find organizations by name in any script, forgiving typos.

Names are compared on their matching keys (:func:`cso_network.core.text.fold`:
Cyrillic transliterated, diacritics and case dropped), so "Udruzenje Most",
"Удружење Мост" and "UDRUŽENJE „MOST“" find the same organization, with
rapidfuzz's weighted ratio for typos and word order.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from rapidfuzz import fuzz, process

from cso_network.core.model import Dataset
from cso_network.core.text import fold, to_cyrillic, transliterate

__all__ = ["find_organizations", "org_options", "CYRILLIC_COUNTRIES", "MAX_QUERY_CHARS",
           "MAX_NAME_CHARS"]

#: A search reads at most this many characters of what was typed ...
MAX_QUERY_CHARS = 200
#: ... and compares it with at most this many characters of each name: rapidfuzz's
#: scorers take time in the product of the two lengths and hold the GIL meanwhile, so
#: one over-long name or query would stall every other request of the process.
MAX_NAME_CHARS = 300


def _bounded_key(text: object, limit: int) -> str:
    """The matching key (:func:`fold`) of the first ``limit`` characters of ``text``, cut to ``limit``."""
    return fold(str(text)[:limit])[:limit]


def find_organizations(dataset: Dataset, query: str, *, limit: int = 10,
                       min_score: float = 60.0) -> pd.DataFrame:
    """Organizations whose name or id best matches ``query``.

    Parameters
    ----------
    dataset : Dataset
    query : str
        A name (any script, any case, typos allowed) or an org id. Only its
        first :data:`MAX_QUERY_CHARS` characters count, and only the first
        :data:`MAX_NAME_CHARS` characters of each name.
    limit : int, default 10
        At most this many matches.
    min_score : float, default 60
        rapidfuzz WRatio (0-100) below which a name does not match.

    Returns
    -------
    pandas.DataFrame
        Columns org_id, name, country, score (100 = exact), best first,
        ties broken by org_id. An exact id match comes first with score 100.

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records as f
    >>> ds = Dataset.from_frames({"organizations": f("organizations", [
    ...     {"org_id": "O1", "name": "Udruženje „Most“", "country": "BA"},
    ...     {"org_id": "O2", "name": "Centar za mir", "country": "RS"}])})
    >>> find_organizations(ds, "удружење мост")["org_id"].tolist()
    ['O1']
    """
    orgs = dataset.organizations
    columns = ["org_id", "name", "country", "score"]
    if orgs.empty or not isinstance(query, str) or not query.strip():
        return pd.DataFrame(columns=columns)
    key = _bounded_key(query.strip(), MAX_QUERY_CHARS)
    ids = orgs["org_id"].tolist()
    choices = [_bounded_key(n or "", MAX_NAME_CHARS) for n in orgs["name"]]
    hits = process.extract(key, choices, scorer=fuzz.WRatio, limit=max(limit * 3, limit),
                           score_cutoff=min_score)
    scores: dict[int, float] = {i: float(s) for _, s, i in hits}
    exact = {i for i, org_id in enumerate(ids) if _bounded_key(org_id, MAX_QUERY_CHARS) == key}
    for i in exact:
        scores[i] = 100.0
    ranked = sorted(scores.items(), key=lambda kv: (kv[0] not in exact, -kv[1], ids[kv[0]]))
    rows = [[ids[i], orgs["name"].iat[i], orgs["country"].iat[i], s] for i, s in ranked[:limit]]
    return pd.DataFrame(rows, columns=columns)


#: Countries whose languages are written in Cyrillic too (Serbian, Montenegrin,
#: Bosnian Serb usage; Macedonian): a Latin name there may be searched in Cyrillic.
CYRILLIC_COUNTRIES = {"RS": "sr", "ME": "sr", "BA": "sr", "MK": "mk"}


def _search_text(name: str, country: object, org_id: str) -> str:
    """The forms of a name a dropdown search should match (see :func:`org_options`)."""
    latin = transliterate(name)
    forms = [name, latin, fold(name)]
    lang = CYRILLIC_COUNTRIES.get(country) if isinstance(country, str) else None
    if lang is not None:
        forms.append(to_cyrillic(latin, lang))
    return " ".join(dict.fromkeys([*forms, org_id]))


def org_options(dataset: Dataset, *, shorten: Callable[[str], str] | None = None
                ) -> list[dict[str, str]]:
    """Dropdown options: label "Name (COUNTRY, id)", value org id, search in any script.

    A Dash dropdown matches what is typed, lower-cased but otherwise as
    typed, against each option's ``search`` text. So that a name is found
    whichever script and spelling is typed, the text holds the name, its
    Latin transliteration (:func:`cso_network.core.text.transliterate`: "Ниш" ->
    "Niš", "грађана" -> "građana"), its matching key
    (:func:`cso_network.core.text.fold`: "nis", "gradjana"), for an organization in
    a country that also writes in Cyrillic (:data:`CYRILLIC_COUNTRIES`) its
    Cyrillic form (:func:`cso_network.core.text.to_cyrillic`: "Niš" -> "Ниш"), then
    the org id.

    ``shorten`` gives the name as the label shows it (the dashboard cuts long
    names to its display length); without it the label has the first
    :data:`MAX_NAME_CHARS` characters. The search text is built from those
    characters too, so an over-long name cannot make every option heavy.

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records as f
    >>> ds = Dataset.from_frames({"organizations": f("organizations", [
    ...     {"org_id": "O1", "name": "Udruženje građana Niš", "country": "RS"},
    ...     {"org_id": "O2", "name": "Центар Штип", "country": "MK"}])})
    >>> for o in org_options(ds):
    ...     print(o["search"])
    Центар Штип Centar Štip centar stip O2
    Udruženje građana Niš udruzenje gradjana nis Удружење грађана Ниш O1
    """
    orgs = dataset.organizations.sort_values(
        "name", key=lambda s: s.map(lambda n: _bounded_key(n, MAX_NAME_CHARS)))
    options = []
    for org_id, name, country in orgs[["org_id", "name", "country"]].itertuples(index=False,
                                                                               name=None):
        name = str(name)[:MAX_NAME_CHARS]
        shown = shorten(name) if shorten is not None else name
        options.append({"label": f"{shown} ({country}, {org_id})", "value": org_id,
                        "search": _search_text(name, country, str(org_id))})
    return options
