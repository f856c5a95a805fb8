"""Text normalization, Cyrillic-to-Latin transliteration and matching keys.

The programme's records mix scripts and spellings: the same organization, city
or country may be written in Serbian or Macedonian Cyrillic, in Latin with
diacritics (``Đurđević``), in "informal ASCII" (``Djurdjevic``) or with odd
spacing. Four functions cover this:

- :func:`normalize_space` tidies a value for display and storage;
- :func:`transliterate` turns Serbian / Macedonian Cyrillic into Latin
  (Gaj's alphabet) and leaves Latin text alone; :func:`to_cyrillic` goes the
  other way;
- :func:`fold` builds a *matching key*: two spellings of the same name get the
  same key regardless of case, spacing, punctuation, diacritics and script.

All lookup tables are built once, at import.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_space", "transliterate", "to_cyrillic", "fold", "LANGUAGES"]

#: Languages :func:`transliterate` accepts.
LANGUAGES: tuple[str, ...] = ("sr", "mk")

# --- tables ------------------------------------------------------------------

# Serbian Cyrillic -> Gaj's Latin, in Cyrillic alphabetical order (30 letters).
_SR_UPPER = (
    ("А", "A"), ("Б", "B"), ("В", "V"), ("Г", "G"), ("Д", "D"), ("Ђ", "Đ"),
    ("Е", "E"), ("Ж", "Ž"), ("З", "Z"), ("И", "I"), ("Ј", "J"), ("К", "K"),
    ("Л", "L"), ("Љ", "Lj"), ("М", "M"), ("Н", "N"), ("Њ", "Nj"), ("О", "O"),
    ("П", "P"), ("Р", "R"), ("С", "S"), ("Т", "T"), ("Ћ", "Ć"), ("У", "U"),
    ("Ф", "F"), ("Х", "H"), ("Ц", "C"), ("Ч", "Č"), ("Џ", "Dž"), ("Ш", "Š"),
)
# Macedonian letters that Serbian lacks. Never Ѓ -> Đ or Ќ -> Ć.
_MK_ONLY_UPPER = (("Ѓ", "Gj"), ("Ѕ", "Dz"), ("Ќ", "Kj"))


def _build_table(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Return ``{cyrillic: latin}`` for upper- and lowercase letters."""
    table: dict[str, str] = {}
    for cyr, lat in pairs:
        table[cyr] = lat
        table[cyr.lower()] = lat.lower()
    return table


# Both languages share the table: their own letters are disjoint (Ђ Ћ are only
# Serbian, Ѓ Ќ Ѕ only Macedonian), so each table also covers the other's letters
# rather than leaving Cyrillic behind in a "Latin" result.
_TABLES: dict[str, dict[str, str]] = {
    "sr": _build_table(_SR_UPPER + _MK_ONLY_UPPER),
    "mk": _build_table(_SR_UPPER + _MK_ONLY_UPPER),
}
# Uppercase letters written with two Latin letters: their case depends on context.
_DIGRAPH_UPPER = frozenset(c for c, lat in _SR_UPPER + _MK_ONLY_UPPER if len(lat) == 2)
_CYRILLIC = re.compile("[\u0400-\u04ff]")

# Latin letters with marks -> without; Đ (no decomposition) -> Dj. Built for the
# Latin-1 Supplement, Latin Extended-A/B and Latin Extended Additional blocks.
_SPECIAL_LATIN = {
    "Đ": "Dj", "đ": "dj",
    "Ð": "Dj", "ð": "dj",  # eth: what Đ becomes when cp1250 text is read as cp1252
    "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ı": "i", "ß": "ss",
}


def _build_strip_table() -> dict[int, str]:
    """Return a ``str.translate`` table that removes marks from Latin letters."""
    table: dict[int, str] = {}
    ranges = (range(0x00C0, 0x0250), range(0x1E00, 0x1F00))
    for cp in (cp for r in ranges for cp in r):
        ch = chr(cp)
        if not unicodedata.name(ch, "").startswith("LATIN"):
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base and base != ch:
            table[cp] = base
    table.update({ord(k): v for k, v in _SPECIAL_LATIN.items()})
    return table


_STRIP_LATIN = _build_strip_table()
# Combining marks left over after a Latin letter (no precomposed form existed).
_LOOSE_MARKS = re.compile(r"(?<=[A-Za-z])[\u0300-\u036f]+")
_SPACES = re.compile(r"\s+")
# Anything that is not a letter or digit: punctuation, quotes, dashes, symbols, spaces.
_NON_WORD = re.compile(r"[\W_]+")


# --- functions ---------------------------------------------------------------


def normalize_space(s: str) -> str:
    """Apply NFKC and collapse every run of whitespace into one space.

    Parameters
    ----------
    s : str
        Any text.

    Returns
    -------
    str
        The text in Unicode NFKC form, with runs of whitespace (including
        no-break spaces, tabs and newlines) replaced by one space and no
        leading or trailing whitespace.

    Examples
    --------
    >>> normalize_space("  Centar\\u00a0za   mir\\n")
    'Centar za mir'
    >>> normalize_space("\\u01c4ep")  # the single code point DŽ becomes two letters
    'DŽep'
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", s)).strip()


def _digraph_case(latin: str, prev: str, nxt: str) -> str:
    """Return ``latin`` (e.g. ``"Lj"``) in all caps when its neighbours are capitals."""
    if nxt.isalpha():
        return latin.upper() if nxt.isupper() else latin
    return latin.upper() if prev.isalpha() and prev.isupper() else latin


def transliterate(s: str, lang: str = "sr") -> str:
    """Transliterate Serbian or Macedonian Cyrillic into Latin script.

    Serbian uses Gaj's Latin alphabet (Ђ -> Đ, Ћ -> Ć, Љ -> Lj, Њ -> Nj,
    Џ -> Dž ...); Macedonian adds Ѓ -> Gj, Ќ -> Kj and Ѕ -> Dz. The text is put
    in NFKC form first; Latin text and any other character pass unchanged.
    Two-letter results follow the case of the word: ``Љубов`` -> ``Ljubov``
    but ``ЉУБОВ`` -> ``LJUBOV``.

    Parameters
    ----------
    s : str
        Text in any mix of scripts.
    lang : {"sr", "mk"}, default "sr"
        Source language. Because Serbian and Macedonian have no letters with
        conflicting readings, both settings give the same result: Macedonian
        letters in "Serbian" text are still written Gj, Kj, Dz (never Đ or Ć).

    Returns
    -------
    str
        The text with every Serbian/Macedonian Cyrillic letter in Latin.

    Raises
    ------
    ValueError
        If ``lang`` is not one of :data:`LANGUAGES`.

    Examples
    --------
    >>> transliterate("Бања Лука")
    'Banja Luka'
    >>> transliterate("ЂОРЂЕ Џајић")
    'ĐORĐE Džajić'
    >>> transliterate("ЉУБОВ и Љубов")
    'LJUBOV i Ljubov'
    >>> transliterate("Ѓорѓи Ќосе, Ѕвонко", lang="mk")
    'Gjorgji Kjose, Dzvonko'
    >>> transliterate("Skopje")
    'Skopje'
    """
    table = _TABLES.get(lang)
    if table is None:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    s = unicodedata.normalize("NFKC", s)
    if not _CYRILLIC.search(s):
        return s
    out: list[str] = []
    last = len(s) - 1
    for i, ch in enumerate(s):
        latin = table.get(ch)
        if latin is None:
            out.append(ch)
        elif ch in _DIGRAPH_UPPER:
            prev = s[i - 1] if i > 0 else ""
            nxt = s[i + 1] if i < last else ""
            out.append(_digraph_case(latin, prev, nxt))
        else:
            out.append(latin)
    return "".join(out)


# Gaj's Latin -> Cyrillic: the same alphabets read backwards (lowercase keys).
# One-letter sounds, then digraphs (Lj, Nj, Dž; in Macedonian also Gj, Kj, Dz),
# which :func:`to_cyrillic` tries first.
_LATIN_TO_SR = {lat.lower(): cyr.lower() for cyr, lat in _SR_UPPER if len(lat) == 1}
_DIGRAPHS_TO_CYRILLIC = {
    "sr": {lat.lower(): cyr.lower() for cyr, lat in _SR_UPPER if len(lat) == 2},
    "mk": {lat.lower(): cyr.lower() for cyr, lat in _SR_UPPER + _MK_ONLY_UPPER if len(lat) == 2},
}


def to_cyrillic(s: str, lang: str = "sr") -> str:
    """Transliterate Latin (Gaj's alphabet) into Serbian or Macedonian Cyrillic.

    The reverse of :func:`transliterate`: Lj, Nj and Dž become Љ, Њ and Џ (in
    Macedonian also Gj, Kj, Dz -> Ѓ, Ќ, Ѕ), every other letter of Gaj's
    alphabet its Cyrillic letter, anything else passes unchanged. A digraph
    is always read as one letter, which is right for names but not for the
    rare word where the two letters are pronounced apart (``konjunktura``).
    Used to let a search typed in Cyrillic find a name written in Latin, and
    by the synthetic data generator.

    Parameters
    ----------
    s : str
        Latin text.
    lang : {"sr", "mk"}, default "sr"

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``lang`` is not one of :data:`LANGUAGES`.

    Examples
    --------
    >>> to_cyrillic("Udruženje građana Niš")
    'Удружење грађана Ниш'
    >>> to_cyrillic("Ljubljana, Džep")
    'Љубљана, Џеп'
    >>> to_cyrillic("Gjorgji Kjose", lang="mk")
    'Ѓорѓи Ќосе'
    >>> transliterate(to_cyrillic("Banja Luka")) == "Banja Luka"
    True
    """
    digraphs = _DIGRAPHS_TO_CYRILLIC.get(lang)
    if digraphs is None:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    out: list[str] = []
    i = 0
    while i < len(s):
        pair = s[i:i + 2]
        low = pair.lower()
        if len(pair) == 2 and low in digraphs:
            cyr = digraphs[low]
            out.append(cyr.upper() if pair[0].isupper() else cyr)
            i += 2
            continue
        ch = s[i]
        cyr = _LATIN_TO_SR.get(ch.lower())
        if cyr is None:
            out.append(ch)
        else:
            out.append(cyr.upper() if ch.isupper() else cyr)
        i += 1
    return "".join(out)


def fold(s: str) -> str:
    """Return a matching key: same key for spellings that differ only in form.

    Steps: NFKC; Cyrillic -> Latin (:func:`transliterate`); case folding;
    Đ -> Dj (before marks are stripped, since Đ has no decomposition);
    diacritics removed from Latin letters only (Č -> C, ë -> e; Cyrillic is
    already Latin by then); every run of punctuation, quotes, dashes, symbols
    and whitespace replaced by one space; leading/trailing space removed.

    Parameters
    ----------
    s : str
        Any text.

    Returns
    -------
    str
        Lowercase ASCII for Latin/Cyrillic input (other scripts keep their
        letters), words separated by single spaces.

    Examples
    --------
    >>> fold("Đurđević")
    'djurdjevic'
    >>> fold("Босна и Херцеговина") == fold("Bosna i Hercegovina")
    True
    >>> fold("  CRNA   gora ")
    'crna gora'
    >>> fold("Udruženje „Žene za mir“ (Mostar)")
    'udruzenje zene za mir mostar'
    >>> fold("Shqipëria")
    'shqiperia'
    """
    s = transliterate(s)  # NFKC happens here
    s = unicodedata.normalize("NFKC", s.casefold())
    s = _LOOSE_MARKS.sub("", s.translate(_STRIP_LATIN))
    return _NON_WORD.sub(" ", s).strip()
