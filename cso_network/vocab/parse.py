"""Cell parsers: one spreadsheet cell into its canonical form, with errors people can act on.

The vocabularies themselves are data in :mod:`cso_network.vocab.tables`;
this module builds their lookup indexes once, at import. Parsers turn one
cell into its canonical form (see :mod:`cso_network.core.model`): countries ->
ISO alpha-2 code, fields and practices -> canonical label, risk factors ->
``int`` 1-14, yes/no -> ``bool``, dates -> ISO text (``"2014-05-03"`` or
``"2014"``). Values are matched through :func:`cso_network.core.text.fold`,
so case, spacing, punctuation, diacritics and script (Latin or Cyrillic) do
not matter, and ``&`` is the same as ``and``.

Every parse error raises :class:`~cso_network.core.exceptions.VocabularyError` with
a message that names the value and says what is expected, written for the
people who fill in the workbook. The message (``exc.args[0]``) is a
:class:`~cso_network.core.messages.Message`: English text that the dashboard can
say in BCS (``str(exc)`` is the plain English).
"""

from __future__ import annotations

import datetime as _dt
import numbers
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pycountry

from cso_network.core.exceptions import VocabularyError
from cso_network.core.messages import Seq, country_with_code, msg
from cso_network.core.text import fold, normalize_space
from cso_network.vocab.tables import (
    BOOL_SPELLINGS,
    COUNTRY_NAMES,
    ENTITY_NAMES,
    FIELD_ALIASES,
    FIELDS,
    HISTORIC_COUNTRY_NAMES,
    PRACTICE_ALIASES,
    PRACTICES,
    REGION,
    REGION_ALIASES,
    RISK_FACTORS,
    SCG_MESSAGE,
    YU_SUCCESSORS,
    Country,
)

__all__ = [
    "COUNTRIES",
    "parse_country",
    "country_entity",
    "sort_countries",
    "country_sort_key",
    "country_name",
    "parse_field",
    "parse_practice",
    "parse_risk_factor",
    "split_multi",
    "parse_bool",
    "parse_date",
    "year_of",
    "order_items",
]

# --- matching ----------------------------------------------------------------


def _key(value: str) -> str:
    """Return the lookup key of ``value``: :func:`fold`, and the word "and" dropped.

    Dropping "and" makes ``&`` (folded to a space) match ``and``.
    """
    return " ".join(w for w in fold(value).split() if w != "and")


def _shown(value: Any) -> str:
    """Return ``value`` as text for an error message (integral floats without ``.0``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalize_space(str(value))


def _is_missing(value: Any) -> bool:
    """True for None, NaN, NaT, ``pd.NA`` and blank strings."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


# --- countries ---------------------------------------------------------------

def _former_state_error(template: str, shown: str) -> VocabularyError:
    """The error for a former state (``template`` is its entry in :data:`HISTORIC_COUNTRY_NAMES`)."""
    if template == SCG_MESSAGE:
        return VocabularyError(msg(
            "'{value}' is a former state (Serbia and Montenegro, 1992-2006); write the "
            "present-day country instead: {serbia} or {montenegro}",
            value=shown, serbia=country_with_code("RS"), montenegro=country_with_code("ME"),
        ))
    return VocabularyError(msg(
        "'{value}' is a former state (Yugoslavia); write the present-day country instead, "
        "e.g. {countries} or {last}",
        value=shown, countries=Seq([country_with_code(c) for c in YU_SUCCESSORS]),
        last=country_with_code("XK"),
    ))


def _build_countries() -> tuple[dict[str, Country], dict[str, str]]:
    """Return ``COUNTRIES`` and the ``{key: code}`` lookup index.

    An automatic alias (from pycountry) whose key would point at two countries
    is dropped; a region alias wins over another country's automatic spelling
    (``BH`` is Bosnia and Herzegovina, not Bahrain); the hand-written region
    aliases are checked by the tests.
    """
    spellings: dict[str, list[str]] = {}
    names = dict(COUNTRY_NAMES)
    for c in pycountry.countries:
        auto = [c.alpha_3, c.name, getattr(c, "official_name", None) or ""]
        spellings[c.alpha_2] = [s for s in auto if s]
    spellings["XK"] = []
    for code, extra in REGION_ALIASES.items():
        spellings[code].extend(extra)

    owners: dict[str, set[str]] = {}
    for code in names:
        for s in (code, names[code], *spellings[code]):
            owners.setdefault(_key(s), set()).add(code)
    index = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}
    index.update({_key(s): code for code, extra in REGION_ALIASES.items() for s in extra})

    countries: dict[str, Country] = {}
    for code in sorted(names):
        aliases: list[str] = []
        for s in spellings[code]:
            if _key(s) in index and s not in (code, names[code], *aliases):
                aliases.append(s)
        countries[code] = Country(code, names[code], tuple(aliases))
    return countries, index


#: Every ISO 3166-1 country plus ``XK`` Kosovo, by alpha-2 code.
COUNTRIES, _COUNTRY_INDEX = _build_countries()
_HISTORIC_INDEX = {_key(k): v for k, v in HISTORIC_COUNTRY_NAMES.items()}
_ENTITY_INDEX = {_key(k): v for k, v in ENTITY_NAMES.items()}


def parse_country(value: Any) -> str:
    """Return the ISO 3166-1 alpha-2 code of a country written in any accepted form.

    Parameters
    ----------
    value : str
        An alpha-2 or alpha-3 code, or a name in English or a local language,
        in Latin or Cyrillic script (see ``docs/vocabularies.md``).

    Returns
    -------
    str
        Alpha-2 code, e.g. ``"BA"``; ``"XK"`` for Kosovo.

    Raises
    ------
    VocabularyError
        If the value is blank, unknown, or a former state such as Serbia and
        Montenegro that matches more than one present-day country.

    Examples
    --------
    >>> parse_country("Босна и Херцеговина")
    'BA'
    >>> parse_country("  crna GORA ")
    'ME'
    >>> parse_country("FYROM")
    'MK'
    >>> parse_country("Kosovë")
    'XK'
    >>> parse_country("Narnia")
    Traceback (most recent call last):
    ...
    cso_network.core.exceptions.VocabularyError: unknown country 'Narnia'; expected an ISO 3166 code such as BA, ME, MK, RS or a country name
    """
    if _is_missing(value):
        raise VocabularyError(msg("the country is blank; expected an ISO 3166 code such as "
                                  "BA, ME, MK, RS or a country name"))
    shown = _shown(value)
    key = _key(shown)
    code = _COUNTRY_INDEX.get(key) or _ENTITY_INDEX.get(key)
    if code is not None:
        return code
    if key in _HISTORIC_INDEX:
        raise _former_state_error(_HISTORIC_INDEX[key], shown)
    raise VocabularyError(msg("unknown country '{value}'; expected an ISO 3166 code such as "
                              "BA, ME, MK, RS or a country name", value=shown))


def country_entity(value: Any) -> str | None:
    """The country code when ``value`` names a part of a country (an entity), else None.

    :func:`parse_country` reads such a name as its country; this says that it
    did, so the validator can tell the user.

    Examples
    --------
    >>> country_entity("Republika Srpska"), country_entity("Brčko distrikt"), country_entity("BA")
    ('BA', 'BA', None)
    """
    if _is_missing(value):
        return None
    return _ENTITY_INDEX.get(_key(_shown(value)))


def country_name(code: str) -> str:
    """Return the English name of the country with alpha-2 code ``code``.

    Parameters
    ----------
    code : str
        ISO 3166-1 alpha-2 code (any case), or ``"XK"``.

    Returns
    -------
    str
        English short name.

    Raises
    ------
    VocabularyError
        If ``code`` is not a known alpha-2 code.

    Examples
    --------
    >>> country_name("MK")
    'North Macedonia'
    >>> country_name("xk")
    'Kosovo'
    """
    country = COUNTRIES.get(str(code).strip().upper())
    if country is None:
        raise VocabularyError(msg(
            "unknown country code '{code}'; expected an ISO 3166 alpha-2 code such as "
            "BA, ME, MK or RS", code=_shown(code),
        ))
    return country.name


# --- fields and practices ----------------------------------------------------

def _build_label_index(
    labels: Sequence[str], aliases: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """Return ``{key: canonical label}`` for labels and their aliases."""
    index: dict[str, str] = {}
    for label in labels:
        for s in (label, *aliases.get(label, ())):
            index.setdefault(_key(s), label)
    return index


_FIELD_INDEX = _build_label_index(FIELDS, FIELD_ALIASES)
_PRACTICE_INDEX = _build_label_index(PRACTICES, PRACTICE_ALIASES)


def parse_field(value: str) -> tuple[str, bool]:
    """Match a field of work against :data:`FIELDS`.

    Parameters
    ----------
    value : str
        One field, in English or a local language (see :data:`FIELD_ALIASES`).

    Returns
    -------
    label : str
        The canonical label, or the value with tidied spaces if unknown.
    known : bool
        True if the value matched one of the five fields. Unknown fields are
        kept; the caller reports them as a warning.

    Examples
    --------
    >>> parse_field("Ljudska  prava")
    ('human rights', True)
    >>> parse_field("права на човекот")
    ('human rights', True)
    >>> parse_field("Dealing with the past")
    ('transitional justice', True)
    >>> parse_field(" gender  equality ")
    ('gender equality', False)
    """
    text = normalize_space(str(value))
    label = _FIELD_INDEX.get(_key(text))
    return (label, True) if label is not None else (text, False)


def parse_practice(value: str) -> tuple[str, bool]:
    """Match a practice against :data:`PRACTICES`.

    Parameters
    ----------
    value : str
        One practice, in English or a local language (see :data:`PRACTICE_ALIASES`).

    Returns
    -------
    label : str
        The canonical label, or the value with tidied spaces if unknown.
    known : bool
        True if the value matched one of the twelve practices. Unknown
        practices are kept; the caller reports them as a warning.

    Examples
    --------
    >>> parse_practice("UN Framework of Analysis")
    ('atrocity risk analysis', True)
    >>> parse_practice("Govor mržnje")
    ('countering hate speech', True)
    >>> parse_practice("Education & Youth")
    ('education and youth', True)
    >>> parse_practice("fundraising")
    ('fundraising', False)
    """
    text = normalize_space(str(value))
    label = _PRACTICE_INDEX.get(_key(text))
    return (label, True) if label is not None else (text, False)


# --- risk factors ------------------------------------------------------------


_RF_TEXT_INDEX: dict[str, int] = {
    _key(s): rf.number
    for rf in RISK_FACTORS.values()
    for s in (rf.title, rf.short, *rf.aliases)
}
# Optional prefix words before the number: English, BCMS, Macedonian, Albanian (folded).
_RF_NUMBERED = re.compile(
    r"(?:rf|risk factor|risk|factor|faktor rizika|faktor na rizik|faktori i rrezikut"
    r"|faktor rrezikut|faktor rreziku)?\s*(?:no\s*)?0*(\d{1,3})(?:\s+(.*))?"
)
_NUMBER_TEXT = re.compile(r"[+]?\d+(?:\.0*)?")


def _rf_error(value: Any) -> VocabularyError:
    """Return the error for a value that is not a risk factor."""
    return VocabularyError(msg(
        "risk factor '{value}' is not one of the 14 risk factors of the UN Framework of "
        "Analysis; expected a number 1-14 or its title", value=_shown(value),
    ))


def parse_risk_factor(value: Any) -> int:
    """Return the number (1-14) of a risk factor given by number or title.

    Parameters
    ----------
    value : int, float or str
        ``8``, ``8.0``, ``"8"``, ``"RF8"``, ``"RF 8"``, ``"Risk factor 8"``,
        ``"8 - Triggering factors"``, ``"8. Triggering factors"``,
        ``"risk factor 8: triggering factors"``, the official title, or its
        short label (see :data:`RISK_FACTORS`). When both a number and a title
        are given they must agree.

    Returns
    -------
    int
        The risk factor's number.

    Raises
    ------
    VocabularyError
        For anything else (0, 15, 8.5, unknown text, a title that does not
        match the number).

    Examples
    --------
    >>> parse_risk_factor("RF 8")
    8
    >>> parse_risk_factor("Weakness of State structures")
    3
    >>> parse_risk_factor(8.0)
    8
    >>> parse_risk_factor(15)
    Traceback (most recent call last):
    ...
    cso_network.core.exceptions.VocabularyError: risk factor '15' is not one of the 14 risk factors of the UN Framework of Analysis; expected a number 1-14 or its title
    """
    if isinstance(value, bool) or _is_missing(value):
        raise _rf_error("" if _is_missing(value) else value)
    if isinstance(value, numbers.Number):
        if isinstance(value, numbers.Integral) or (
            isinstance(value, numbers.Real) and float(value).is_integer()
        ):
            number = int(value)
            if number in RISK_FACTORS:
                return number
        raise _rf_error(value)
    text = normalize_space(str(value))
    if _NUMBER_TEXT.fullmatch(text):
        number = int(float(text))
        if number in RISK_FACTORS:
            return number
        raise _rf_error(text)
    key = _key(text)
    if key in _RF_TEXT_INDEX:
        return _RF_TEXT_INDEX[key]
    match = _RF_NUMBERED.fullmatch(key)
    if match:
        number = int(match.group(1))
        rest = match.group(2)
        if number in RISK_FACTORS and (rest is None or _RF_TEXT_INDEX.get(rest) == number):
            return number
    raise _rf_error(text)


# --- generic cells -----------------------------------------------------------

_SEPARATORS = re.compile(r"[;,\n\r]")


def split_multi(value: Any) -> list[str]:
    """Split a multi-value cell into its items.

    Parameters
    ----------
    value : str, number or None
        The cell. Text is split on ``;``, ``,`` and line breaks.

    Returns
    -------
    list of str
        Items with tidied spaces, blanks and repeats (same :func:`fold` key)
        dropped, in their first order. Blank or missing cells give ``[]``; a
        number gives one item (``8.0`` -> ``"8"``).

    Examples
    --------
    >>> split_multi("law; Peacebuilding,\\n  human rights ;; LAW")
    ['law', 'Peacebuilding', 'human rights']
    >>> split_multi(8.0)
    ['8']
    >>> split_multi(None)
    []
    """
    if _is_missing(value):
        return []
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        if isinstance(value, numbers.Real) and float(value).is_integer():
            return [str(int(value))]
        return [str(value)]
    items: list[str] = []
    seen: set[str] = set()
    for piece in _SEPARATORS.split(str(value)):
        item = normalize_space(piece)
        key = fold(item)
        if item and key not in seen:
            seen.add(key)
            items.append(item)
    return items


_BOOL_INDEX = {fold(s): answer for answer, spellings in BOOL_SPELLINGS.items() for s in spellings}


def _bool_error(value: Any) -> VocabularyError:
    """Return the error for a value that is not yes or no."""
    return VocabularyError(msg(
        "expected yes or no (also true/false, 1/0, da/ne, да/не, po/jo), got '{value}'",
        value=_shown(value),
    ))


def parse_bool(value: Any) -> bool | None:
    """Parse a yes/no cell.

    Parameters
    ----------
    value : bool, int, float, str or None
        ``True``/``False``; ``1``/``0``; or one of :data:`BOOL_SPELLINGS` in
        any case (yes/no, y/n, true/false, 1/0, da/ne, да/не, po/jo).

    Returns
    -------
    bool or None
        None when the cell is blank (not answered).

    Raises
    ------
    VocabularyError
        For any other value.

    Examples
    --------
    >>> parse_bool(" Da ")
    True
    >>> parse_bool("НЕ")
    False
    >>> parse_bool("")
    >>> parse_bool("maybe")
    Traceback (most recent call last):
    ...
    cso_network.core.exceptions.VocabularyError: expected yes or no (also true/false, 1/0, da/ne, да/не, po/jo), got 'maybe'
    """
    if _is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, numbers.Real):
        if value == 1:
            return True
        if value == 0:
            return False
        raise _bool_error(value)
    answer = _BOOL_INDEX.get(fold(str(value)))
    if answer is None:
        raise _bool_error(value)
    return answer


_MIN_YEAR, _MAX_YEAR = 1900, 2100
_YEAR_TEXT = re.compile(r"(\d{4})\.?")
_ISO_TEXT = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DMY_TEXT = re.compile(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\.?")


def _date_error(value: Any) -> VocabularyError:
    """Return the error for a value that is not a date, naming the accepted forms."""
    return VocabularyError(msg(
        "date '{value}' is not a date this tool understands; expected a year (2014), "
        "a date as 2014-05-03, or a date as 03.05.2014", value=_shown(value),
    ))


def _check_year(year: int, value: Any) -> None:
    """Raise if ``year`` is outside the accepted range."""
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise VocabularyError(msg(
            "date '{value}' has a year outside {first}-{last}; expected a year (2014), "
            "a date as 2014-05-03, or a date as 03.05.2014",
            value=_shown(value), first=_MIN_YEAR, last=_MAX_YEAR,
        ))


def _iso_date(year: int, month: int, day: int, value: Any) -> str:
    """Return ``YYYY-MM-DD`` after checking the date exists."""
    _check_year(year, value)
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        raise VocabularyError(msg(
            "date '{value}' does not exist in the calendar; expected a year (2014), "
            "a date as 2014-05-03, or a date as 03.05.2014", value=_shown(value),
        )) from None


def parse_date(value: Any) -> str | None:
    """Parse a date cell into ISO text: ``"YYYY-MM-DD"`` or a bare year ``"YYYY"``.

    Parameters
    ----------
    value : date, datetime, Timestamp, int, float, str or None
        A date or datetime (the time is dropped); a year as a number
        (``2014`` or ``2014.0``); or text: ``2014``, ``2014-05-03`` (also with
        a time, ``2014-05-03 00:00:00`` or ``2014-05-03T00:00:00``),
        ``03.05.2014``, ``3.5.2014``, ``03.05.2014.`` or ``3. 5. 2014.``.

    Returns
    -------
    str or None
        ISO text, or None for a blank cell.

    Raises
    ------
    VocabularyError
        For any other form (``05/03/2014``, ``May 2014``), a date that does not
        exist (``31.02.2014``) or a year outside 1900-2100.

    Examples
    --------
    >>> parse_date("3. 5. 2014.")
    '2014-05-03'
    >>> parse_date(2014.0)
    '2014'
    >>> parse_date("2014-05-03T00:00:00")
    '2014-05-03'
    >>> parse_date("05/03/2014")
    Traceback (most recent call last):
    ...
    cso_network.core.exceptions.VocabularyError: date '05/03/2014' is not a date this tool understands; expected a year (2014), a date as 2014-05-03, or a date as 03.05.2014
    """
    if _is_missing(value):
        return None
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, _dt.datetime | _dt.date):
        _check_year(value.year, value)
        return value.isoformat()[:10]
    if isinstance(value, bool):
        raise _date_error(value)
    if isinstance(value, numbers.Real):
        if float(value).is_integer() and 1000 <= value <= 9999:
            _check_year(int(value), value)
            return str(int(value))
        raise _date_error(value)
    text = normalize_space(str(value))
    if m := _YEAR_TEXT.fullmatch(text):
        _check_year(int(m.group(1)), text)
        return m.group(1)
    if m := _ISO_TEXT.fullmatch(text):
        return _iso_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    if m := _DMY_TEXT.fullmatch(text):
        return _iso_date(int(m.group(3)), int(m.group(2)), int(m.group(1)), text)
    raise _date_error(text)


def year_of(date_text: Any) -> int | None:
    """Return the year of a date.

    Parameters
    ----------
    date_text : str or None
        ISO text as stored (``"2014-05-03"`` or ``"2014"``); any form
        :func:`parse_date` accepts also works.

    Returns
    -------
    int or None
        The year, or None for a blank value.

    Raises
    ------
    VocabularyError
        If the value is not a date.

    Examples
    --------
    >>> year_of("2014-05-03")
    2014
    >>> year_of("2019")
    2019
    >>> year_of(None) is None
    True
    """
    iso = parse_date(date_text)
    return None if iso is None else int(iso[:4])


def order_items(items: Iterable[Any], vocabulary: Iterable[Any]) -> tuple:
    """Return the distinct ``items`` in vocabulary order, unknown items last.

    Parameters
    ----------
    items : iterable
        Values, e.g. canonical field labels or risk-factor numbers.
    vocabulary : iterable
        The reference order, e.g. :data:`FIELDS` or :data:`RISK_FACTORS`
        (a mapping gives its keys).

    Returns
    -------
    tuple
        Each item once: first those in ``vocabulary``, in its order; then the
        others, alphabetically (case- and accent-insensitive).

    Examples
    --------
    >>> order_items(["law", "gender", "human rights", "law", "Art"], FIELDS)
    ('human rights', 'law', 'Art', 'gender')
    >>> order_items([9, 1, 3], RISK_FACTORS)
    (1, 3, 9)
    """
    position = {v: i for i, v in enumerate(vocabulary)}

    def sort_key(item: Any) -> tuple:
        if item in position:
            return (0, position[item], "", "")
        return (1, 0, fold(str(item)), str(item))

    return tuple(sorted(dict.fromkeys(items), key=sort_key))


def country_sort_key(code: Any) -> tuple[int, int, str]:
    """Sort key for country codes: the region first (:data:`REGION` order), then by code.

    Examples
    --------
    >>> sorted(["DE", "RS", "BA"], key=country_sort_key)
    ['BA', 'RS', 'DE']
    """
    if code in REGION:
        return (0, REGION.index(code), "")
    return (1, 0, str(code))


def sort_countries(codes: Iterable[str]) -> list[str]:
    """Distinct country codes in display order: the region first (:data:`REGION` order), then A-Z.

    Examples
    --------
    >>> sort_countries(["RS", "DE", "BA", "RS", "AT"])
    ['BA', 'RS', 'AT', 'DE']
    """
    return sorted(set(codes), key=country_sort_key)
