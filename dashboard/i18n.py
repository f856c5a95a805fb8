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

The vocabulary's labels (fields of work, practices, UN risk factors) are
written in English once, in :mod:`cso_network.vocab.tables`: the catalog's
message for a label is that English, :func:`field_label` and its siblings
translate it, and :func:`extract_vocabulary` lets ``pybabel extract`` find the
labels in the tables. Country names come from the vocabulary in English and
from Babel's CLDR data in BCS.

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
from collections.abc import Collection, Iterator, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs, urlparse

import flask
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from cso_network import vocab
from cso_network.core import messages

__all__ = ["LANGUAGES", "DEFAULT", "COOKIE", "LOCALE_DIR", "N_", "_", "gettext", "ngettext", "say",
           "lazy", "LazyString", "translated_options", "current_language", "translations", "field_label",
           "practice_label", "risk_factor_label", "country_label", "country_option_label",
           "vocabulary_messages", "extract_vocabulary"]

#: Language code -> its name in that language (what the switch shows).
LANGUAGES: dict[str, str] = {"en": "English", "bs": "Bosanski / Hrvatski / Srpski"}
DEFAULT = "en"
COOKIE = "cso_lang"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"

#: Browser language tags served by the BCS catalog.
_ALIASES = {"bs": "bs", "hr": "bs", "sr": "bs", "sh": "bs", "cnr": "bs", "en": "en"}


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


def vocabulary_messages() -> list[str]:
    """The vocabulary labels the catalog translates, in English as the vocabulary tables hold them.

    The 5 fields of work, the 12 practices, and the titles and short labels of
    the 14 UN risk factors, in table order, each once. The English is written
    in the vocabulary tables only; Babel finds these labels there through
    :func:`extract_vocabulary`.
    """
    risk_factors = vocab.RISK_FACTORS.values()
    return list(dict.fromkeys([*vocab.FIELDS, *vocab.PRACTICES,
                               *(rf.title for rf in risk_factors),
                               *(rf.short for rf in risk_factors if rf.short)]))


def extract_vocabulary(fileobj: IO[bytes], keywords: Collection[str],
                       comment_tags: Collection[str], options: Mapping[str, Any]
                       ) -> Iterator[tuple[int, str | None, str | tuple[str, ...], list[str]]]:
    """Babel extraction method for ``cso_network/vocab/tables.py``: the vocabulary labels.

    ``babel.cfg`` names this method for the vocabulary tables, so
    ``pybabel extract`` puts every label of :func:`vocabulary_messages` into the
    catalog, at the line of the table that holds it, without a second copy of
    the English marked with :func:`N_`. Messages marked in the file itself are
    extracted as Babel's Python extractor does.

    Parameters and the yielded ``(line, function name, message, comments)``
    tuples are those of a Babel extraction method
    (:func:`babel.messages.extract.extract_python`).
    """
    import ast

    from babel.messages.extract import extract_python

    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    lines: dict[str, int] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            lines[node.value] = min(node.lineno, lines.get(node.value, node.lineno))
    for message in vocabulary_messages():
        yield lines.get(message, 0), None, message, []


def field_label(field: str) -> str:
    """A field of work (canonical label from :data:`cso_network.vocab.FIELDS`), translated."""
    return gettext(field) if field in vocab.FIELDS else str(field)


def practice_label(practice: str) -> str:
    """A practice (canonical label from :data:`cso_network.vocab.PRACTICES`), translated."""
    return gettext(practice) if practice in vocab.PRACTICES else str(practice)


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
    text = gettext(rf.short if short and rf.short else rf.title)
    return f"{n}. {text}" if numbered else text


def country_label(code: str) -> str:
    """The name of the country ``code`` in the current language.

    English names come from :func:`cso_network.vocab.country_name`, BCS names
    from Babel's CLDR data for ``bs`` (falling back to English).
    """
    if current_language() == "bs":
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
