"""The dashboard's languages: English and Bosnian/Croatian/Serbian (Latin script).

Every user-facing string of the dashboard goes through :func:`gettext` (``_``)
or :func:`ngettext`; module-level labels are marked with :func:`N_` (or made
:func:`lazy`) and translated when a page or callback renders, so each request
gets the language of the user who made it.

Which language a request gets, first match wins:

1. the ``cso_lang`` cookie (set by the language switch in the header);
2. a ``?lang=`` query parameter (of the request, or of the page that made a
   callback request, read from its ``Referer``);
3. the browser's ``Accept-Language`` (``bs``, ``hr``, ``sr``, ``sh``, ``cnr``
   -> ``bs``);
4. English.

Catalogs are read once from the ``.po`` files in ``dashboard/locale`` with
Babel (:func:`babel.messages.pofile.read_po`) and turned into gettext
translations in memory, so a fresh clone needs no compile step. A message
without a translation shows in English.

The BCS variant
---------------
One catalog serves Bosnian, Croatian, Serbian and Montenegrin readers, in Latin
script. Where the standards differ it follows forms understood across all
four, leaning on the Bosnian standard (the programme is run from Sarajevo):

* ijekavian reflexes (``vrijeme``, ``primjer``, ``cijeli``), read without
  difficulty by ekavian speakers;
* ``saradnja`` (not Croatian ``suradnja``), ``organizacija``, ``tabela``
  (not ``tablica``), ``podaci``, ``historija`` avoided in favour of
  ``prošlost``/``ranije``; month, week and thousand words (``sedmica/tjedan``,
  ``hiljada/tisuća``) avoided altogether;
* vocabulary of the UN Framework of Analysis for Atrocity Crimes follows the
  published BCS rendering ("Okvir za analizu zločina protiv čovječnosti /
  zvjerstava") where one exists; uncertain terms carry a ``#.`` comment in
  the ``.po`` file for a reviewer.

Library sentences (gap details, suggestion reasons, introduction paths,
positions in words) come from :mod:`cso_network` as
:class:`cso_network.core.messages.Message` values: English text that remembers its
template and values. :func:`say` renders them in the request's language with
the same catalog (their templates are extracted from ``cso_network/`` too).
"""

from __future__ import annotations

import gettext as _gettext
import io
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import flask
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from cso_network import vocab
from cso_network.core import messages

__all__ = ["LANGUAGES", "DEFAULT", "COOKIE", "LOCALE_DIR", "N_", "_", "gettext", "ngettext", "say",
           "lazy", "LazyString", "translated_options", "current_language", "translations", "field_label",
           "practice_label", "risk_factor_label", "country_label", "country_option_label"]

#: Language code -> its name in that language (what the switch shows).
LANGUAGES: dict[str, str] = {"en": "English", "bs": "Bosanski / Hrvatski / Srpski"}
DEFAULT = "en"
COOKIE = "cso_lang"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"

#: Browser language tags served by the BCS catalog.
_ALIASES = {"bs": "bs", "hr": "bs", "sr": "bs", "sh": "bs", "cnr": "bs", "en": "en"}

#: Country names in BCS for the region (others come from Babel's CLDR data).
_BCS_COUNTRIES = {
    "BA": "Bosna i Hercegovina", "ME": "Crna Gora", "MK": "Sjeverna Makedonija",
    "RS": "Srbija", "HR": "Hrvatska", "SI": "Slovenija", "AL": "Albanija", "XK": "Kosovo",
}


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (translate it later with ``_``)."""
    return message


def _normalize(tag: str | None) -> str | None:
    if not tag:
        return None
    base = str(tag).strip().lower().replace("_", "-").split("-")[0]
    return _ALIASES.get(base)


def _from_accept_language(request: flask.Request) -> str | None:
    for tag, _quality in request.accept_languages:  # already sorted by quality
        lang = _normalize(tag)
        if lang is not None:
            return lang
    return None


def _query_lang(request: flask.Request) -> str | None:
    lang = _normalize(request.args.get("lang"))
    if lang is not None:
        return lang
    referrer = request.referrer
    if referrer:
        values = parse_qs(urlparse(referrer).query).get("lang")
        if values:
            return _normalize(values[-1])
    return None


def current_language() -> str:
    """The language of the current request (cookie > ?lang= > Accept-Language > English).

    Outside a request (tests, the command line) it is English.
    """
    if not flask.has_request_context():
        return DEFAULT
    lang = flask.g.get("cso_lang")
    if lang is None:  # worked out once per request: every message asks
        request = flask.request
        lang = (_normalize(request.cookies.get(COOKIE)) or _query_lang(request)
                or _from_accept_language(request) or DEFAULT)
        flask.g.cso_lang = lang
    return lang


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The gettext translations of ``lang``, read once from its ``.po`` file."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == DEFAULT or not path.exists():
        return _gettext.NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def gettext(message: str) -> str:
    """``message`` in the current request's language (English if untranslated)."""
    return translations(current_language()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` for ``n``, in the current request's language."""
    return translations(current_language()).ngettext(singular, plural, n)


class LazyString:
    """A message translated each time it is turned into text (for module-level labels)."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return gettext(self.message)

    def __repr__(self) -> str:
        return f"lazy({self.message!r})"

    def __eq__(self, other) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.message)

    def __add__(self, other) -> str:
        return str(self) + str(other)

    def __radd__(self, other) -> str:
        return str(other) + str(self)

    def format(self, *args, **kwargs) -> str:
        return str(self).format(*args, **kwargs)

    def to_plotly_json(self) -> str:  # lets Dash serialize it as text
        return str(self)


def translated_options(options: list[dict]) -> list[dict]:
    """Dropdown/radio options whose labels were marked with :func:`N_`, translated."""
    labels = [option["label"] for option in options]
    return [dict(option, label=gettext(label)) for option, label in zip(options, labels, strict=True)]


def lazy(message: str) -> LazyString:
    """``message``, translated whenever it is rendered (in the language of that request)."""
    return LazyString(message)


# ----------------------------------------------------------------------------- vocabulary

_FIELD_LABELS = {
    "human rights": N_("human rights"),
    "social work": N_("social work"),
    "law": N_("law"),
    "peacebuilding": N_("peacebuilding"),
    "transitional justice": N_("transitional justice"),
}
_PRACTICE_LABELS = {
    "atrocity risk analysis": N_("atrocity risk analysis"),
    "early warning and response": N_("early warning and response"),
    "monitoring and reporting": N_("monitoring and reporting"),
    "advocacy": N_("advocacy"),
    "countering hate speech": N_("countering hate speech"),
    "social media and technology": N_("social media and technology"),
    "community organizing": N_("community organizing"),
    "dialogue and reconciliation": N_("dialogue and reconciliation"),
    "victim and survivor support": N_("victim and survivor support"),
    "legal aid": N_("legal aid"),
    "documentation and memory": N_("documentation and memory"),
    "education and youth": N_("education and youth"),
}
_RF_TITLES = {
    1: N_("Situations of armed conflict or other forms of instability"),
    2: N_("Record of serious violations of international human rights and humanitarian law"),
    3: N_("Weakness of State structures"),
    4: N_("Motives or incentives"),
    5: N_("Capacity to commit atrocity crimes"),
    6: N_("Absence of mitigating factors"),
    7: N_("Enabling circumstances or preparatory action"),
    8: N_("Triggering factors"),
    9: N_("Intergroup tensions or patterns of discrimination against protected groups"),
    10: N_("Signs of an intent to destroy in whole or in part a protected group"),
    11: N_("Signs of a widespread or systematic attack against any civilian population"),
    12: N_("Signs of a plan or policy to attack any civilian population"),
    13: N_("Serious threats to those protected under international humanitarian law"),
    14: N_("Serious threats to humanitarian or peacekeeping operations"),
}
_RF_SHORT = {
    1: N_("Armed conflict or instability"),
    2: N_("Record of serious violations"),
    3: N_("Weak State structures"),
    4: N_("Motives or incentives"),
    5: N_("Capacity to commit"),
    6: N_("No mitigating factors"),
    7: N_("Enabling circumstances"),
    8: N_("Triggering factors"),
    9: N_("Intergroup tensions"),
    10: N_("Intent to destroy a group"),
    11: N_("Widespread or systematic attack"),
    12: N_("Plan or policy to attack"),
    13: N_("Threats to protected persons"),
    14: N_("Threats to aid and peacekeepers"),
}


def field_label(field: str) -> str:
    """A field of work (canonical label from :data:`cso_network.vocab.FIELDS`), translated."""
    return gettext(field) if field in _FIELD_LABELS else str(field)


def practice_label(practice: str) -> str:
    """A practice (canonical label from :data:`cso_network.vocab.PRACTICES`), translated."""
    return gettext(practice) if practice in _PRACTICE_LABELS else str(practice)


def risk_factor_label(number, short: bool = True, numbered: bool = False) -> str:
    """Risk factor ``number`` of the UN Framework: its short label (or full title), translated.

    ``numbered`` puts the number in front ("9. Intergroup tensions").
    """
    try:
        n = int(number)
    except (TypeError, ValueError):
        return str(number)
    rf = vocab.RISK_FACTORS.get(n)
    if rf is None:
        return str(number)
    text = gettext(_RF_SHORT[n]) if short and rf.short else gettext(_RF_TITLES[n])
    return f"{n}. {text}" if numbered else text


def country_label(code: str) -> str:
    """The name of the country ``code`` in the current language."""
    if current_language() == "bs":
        if code in _BCS_COUNTRIES:
            return _BCS_COUNTRIES[code]
        name = _bcs_territories().get(str(code).upper())
        if name:
            return name
    return vocab.country_name(code)


def country_option_label(code: str) -> str:
    """"Name (CODE)", as dropdowns show a country."""
    return f"{country_label(code)} ({code})"


@lru_cache(maxsize=1)
def _bcs_territories() -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse("bs").territories)


# ----------------------------------------------------------------------------- library sentences


class _RequestTranslator:
    """A :class:`cso_network.core.messages.Translator` for the current request's language."""

    def gettext(self, message: str) -> str:
        return gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n)

    def term(self, kind: str, code) -> str:
        if kind == "country":
            return country_label(str(code))
        if kind == "field":
            return field_label(code)
        if kind == "practice":
            return practice_label(code)
        if kind in ("risk_factor", "risk_factor_short"):
            return risk_factor_label(code, short=kind == "risk_factor_short")
        if kind == "ordinal" and current_language() == "bs":
            return f"{int(code)}."  # BCS writes ordinals as a number and a full stop
        return messages.ENGLISH.term(kind, code)


_TRANSLATOR = _RequestTranslator()


def say(value):
    """A sentence from the library in the current request's language.

    :class:`~cso_network.core.messages.Message` values (gap details, suggestion
    reasons, introduction paths, validation problems...) are rendered from
    their template and values; anything else is returned as it is.
    """
    return messages.render(value, _TRANSLATOR)
