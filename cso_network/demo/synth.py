"""Seeded generator of a synthetic seminar programme (demo data and benchmarks).

The real records concern human-rights defenders in a post-conflict region, so the
demo never uses them. Everything produced here is invented:

- person surnames are built from invented syllables (``Brakerević``,
  ``Dramilovski``, ``Gjomëraj``), first names are common given names;
- organization names are a legal-form word (``Udruženje građana``, ``NVO``,
  ``Здружение``, ``Shoqata``, ``Qendra për ...``), an optional generic topic, an
  invented quoted word and a city, in the language of the country;
- e-mails use only ``example.org`` / ``example.net`` / ``example.com`` and phone
  numbers only the fictional ``555 0xxx`` range (``+387 61 555 0123``).

:func:`generate_programme` returns a :class:`SyntheticProgramme`: a canonical
:class:`~cso_network.core.model.Dataset` plus the list of :class:`PlantedGap` that an
analysis should find. :func:`demo_readme` renders the Markdown README that
accompanies the demo workbook.

How collaborations are generated (this is a simulation, not a link-prediction
score, so that a later backtest is not circular):

1. *Pre-programme ties* (``since`` before 2012): proposals between two random
   organizations, usually of the same country, accepted with a probability that
   grows with the number of shared fields of work.
2. *Yearly rounds* 2012-2024: a number of new ties per year, drawn from a mixture
   of three proposal mechanisms, each accepted with its own probability:
   triadic closure (a partner of a partner), homophily (same country, shared
   fields) and seminar exposure (two organizations whose participants attended
   the same seminar; active from the year after the seminar, decaying over the
   years and accepted far more often across borders).
3. Planted gaps are then enforced by dropping (and, where needed, adding) ties
   and attributes; see :class:`PlantedGap`.

Examples
--------
>>> prog = generate_programme(seed=5)
>>> prog.dataset.counts()["seminars"]
4
>>> [g.kind for g in prog.planted]  # doctest: +NORMALIZE_WHITESPACE
['missing_country_pair', 'fragile_risk_factor', 'missing_field', 'cut_point',
 'isolate']
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cso_network.core.exceptions import CsoNetworkError
from cso_network.core.model import Dataset, frame_from_records
from cso_network.core.text import to_cyrillic
from cso_network.vocab import FIELDS, PRACTICES, RISK_FACTORS

__all__ = [
    "DEMO_SEED",
    "PlantedGap",
    "SyntheticProgramme",
    "generate_programme",
    "formation_propensity",
    "demo_readme",
]

#: Seed of the shipped demo.
DEMO_SEED = 2011

# --------------------------------------------------------------------------- places

_COUNTRIES: tuple[str, ...] = ("BA", "ME", "MK", "RS", "HR", "AL", "XK", "SI")
_CI = {c: i for i, c in enumerate(_COUNTRIES)}
_MAIN: tuple[str, ...] = ("BA", "ME", "MK", "RS")
_COUNTRY_NAMES = {
    "BA": "Bosnia and Herzegovina", "ME": "Montenegro", "MK": "North Macedonia",
    "RS": "Serbia", "HR": "Croatia", "AL": "Albania", "XK": "Kosovo", "SI": "Slovenia",
}

#: country -> ((English form, local form used in names, alternative form, weight), ...)
#: The alternative is the Albanian form for MK and the Serbian form for XK.
_CITIES: dict[str, tuple[tuple[str, str, str | None, float], ...]] = {
    "BA": (
        ("Sarajevo", "Sarajevo", None, 4), ("Banja Luka", "Banja Luka", None, 2),
        ("Mostar", "Mostar", None, 2), ("Tuzla", "Tuzla", None, 2), ("Zenica", "Zenica", None, 1),
        ("Bihać", "Bihać", None, 1), ("Prijedor", "Prijedor", None, 1),
        ("Srebrenica", "Srebrenica", None, 1), ("Bijeljina", "Bijeljina", None, 1),
        ("Trebinje", "Trebinje", None, 1),
    ),
    "ME": (
        ("Podgorica", "Podgorica", None, 5), ("Nikšić", "Nikšić", None, 2),
        ("Budva", "Budva", None, 1), ("Bar", "Bar", None, 1), ("Cetinje", "Cetinje", None, 1),
        ("Bijelo Polje", "Bijelo Polje", None, 1), ("Herceg Novi", "Herceg Novi", None, 1),
        ("Pljevlja", "Pljevlja", None, 1),
    ),
    "MK": (
        ("Skopje", "Скопје", "Shkup", 5), ("Bitola", "Битола", "Manastir", 1),
        ("Tetovo", "Тетово", "Tetovë", 2), ("Kumanovo", "Куманово", "Kumanovë", 1),
        ("Ohrid", "Охрид", "Ohër", 1), ("Štip", "Штип", "Shtip", 1),
        ("Gostivar", "Гостивар", "Gostivar", 1), ("Struga", "Струга", "Strugë", 1),
    ),
    "RS": (
        ("Belgrade", "Beograd", None, 5), ("Novi Sad", "Novi Sad", None, 2),
        ("Niš", "Niš", None, 2), ("Kragujevac", "Kragujevac", None, 1),
        ("Subotica", "Subotica", None, 1), ("Novi Pazar", "Novi Pazar", None, 1),
        ("Kraljevo", "Kraljevo", None, 1),
    ),
    "HR": (
        ("Zagreb", "Zagreb", None, 3), ("Osijek", "Osijek", None, 1), ("Split", "Split", None, 1),
        ("Rijeka", "Rijeka", None, 1), ("Vukovar", "Vukovar", None, 1),
    ),
    "AL": (
        ("Tirana", "Tiranë", None, 4), ("Shkodra", "Shkodër", None, 1),
        ("Durrës", "Durrës", None, 1), ("Elbasan", "Elbasan", None, 1),
        ("Korça", "Korçë", None, 1), ("Vlora", "Vlorë", None, 1),
    ),
    "XK": (
        ("Pristina", "Prishtinë", "Priština", 4), ("Prizren", "Prizren", "Prizren", 1),
        ("Peja", "Pejë", "Peć", 1), ("Gjakova", "Gjakovë", "Đakovica", 1),
        ("Mitrovica", "Mitrovicë", "Mitrovica", 1), ("Gračanica", "Graçanicë", "Gračanica", 1),
    ),
    "SI": (
        ("Ljubljana", "Ljubljana", None, 3), ("Maribor", "Maribor", None, 1),
        ("Koper", "Koper", None, 1),
    ),
}
#: Cities of Republika Srpska, where Cyrillic names are common.
_CYRILLIC_CITIES = frozenset({"Banja Luka", "Prijedor", "Bijeljina", "Trebinje"})

#: Cities that host seminars in scaled runs, with their id codes.
_SEMINAR_CITIES: dict[str, tuple[tuple[str, str], ...]] = {
    "BA": (("Sarajevo", "SA"), ("Banja Luka", "BL"), ("Mostar", "MO"), ("Tuzla", "TU")),
    "ME": (("Budva", "BU"), ("Podgorica", "PG"), ("Cetinje", "CE")),
    "MK": (("Skopje", "SK"), ("Ohrid", "OH"), ("Bitola", "BT"), ("Tetovo", "TE")),
    "RS": (("Belgrade", "BE"), ("Novi Sad", "NS"), ("Niš", "NI")),
    "HR": (("Zagreb", "ZG"),),
    "AL": (("Tirana", "TI"),),
    "XK": (("Pristina", "PR"), ("Prizren", "PZ")),
    "SI": (("Ljubljana", "LJ"),),
}
_DEMO_SEMINARS = (("Sarajevo", "BA", 2012, "SA"), ("Budva", "ME", 2013, "BU"),
                  ("Skopje", "MK", 2014, "SK"), ("Belgrade", "RS", 2016, "BE"))

_PHONE: dict[str, tuple[str, tuple[str, ...]]] = {
    "BA": ("+387", ("61", "62", "63", "65", "66")),
    "ME": ("+382", ("67", "68", "69")),
    "MK": ("+389", ("70", "71", "72", "75", "78")),
    "RS": ("+381", ("60", "63", "64", "65", "66")),
    "HR": ("+385", ("91", "95", "98", "99")),
    "AL": ("+355", ("67", "68", "69")),
    "XK": ("+383", ("43", "44", "45", "49")),
    "SI": ("+386", ("31", "40", "41", "51")),
}
_EMAIL_DOMAINS = ("example.org", "example.net", "example.com")

# --------------------------------------------------------------------------- names

_FIRST_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "bcms": {
        "female": ("Amra", "Jelena", "Milica", "Sanja", "Ajla", "Dragana", "Maja", "Lejla",
                   "Ivana", "Nermina", "Tijana", "Željka", "Snežana", "Jasmina", "Selma",
                   "Mirjana", "Azra", "Ljiljana", "Nataša", "Emina"),
        "male": ("Amir", "Dragan", "Nikola", "Emir", "Miloš", "Stefan", "Jasmin", "Goran",
                 "Haris", "Nenad", "Đorđe", "Darko", "Vladimir", "Adnan", "Branko", "Dženan",
                 "Igor", "Marko", "Senad", "Vuk"),
    },
    "mk": {
        "female": ("Ana", "Biljana", "Elena", "Marija", "Katerina", "Vesna", "Simona",
                   "Gordana", "Jovana", "Aleksandra", "Tanja", "Ivona"),
        "male": ("Aleksandar", "Bojan", "Goce", "Zoran", "Dimitar", "Kiril", "Igor", "Petar",
                 "Vlatko", "Filip", "Nikola", "Darko"),
    },
    "sq": {
        "female": ("Arta", "Blerta", "Drita", "Flutura", "Lirie", "Vjosa", "Ermira",
                   "Ardita", "Mimoza", "Besa", "Qëndresa", "Teuta"),
        "male": ("Arben", "Besnik", "Driton", "Fatmir", "Ilir", "Kushtrim", "Valon", "Gëzim",
                 "Agron", "Bujar", "Lulzim", "Ylber"),
    },
    "sl": {
        "female": ("Maja", "Nina", "Petra", "Urška", "Špela", "Tina"),
        "male": ("Luka", "Matej", "Jure", "Gregor", "Rok", "Blaž"),
    },
}
_SURNAME_SYLLABLES: dict[str, tuple[str, ...]] = {
    "bcms": ("bra", "dre", "gla", "kro", "mil", "ned", "pra", "ras", "sto", "tre", "vel",
             "zor", "luk", "mar", "dob", "hal", "ker", "lim", "ost", "rad", "šel", "žar",
             "čor", "ćel", "đun", "sav", "tom", "ver", "jaz", "fel"),
    "mk": ("tra", "dra", "mil", "pet", "kol", "sto", "ve", "gor", "ris", "bla", "jan", "lu",
           "mar", "nes", "pol", "tes", "zla", "dim", "ben", "kru"),
    "sq": ("ber", "dra", "gjo", "ke", "lu", "mër", "ni", "rre", "sha", "të", "vo", "zy",
           "ço", "dri", "fa", "hy", "kas", "lle"),
    "sl": ("kra", "vod", "pre", "šte", "mla", "gor", "bre", "zal", "tol", "rem"),
}
_SURNAME_ENDINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "bcms": {"any": ("ović", "ević", "ić", "inović", "alić", "ac", "ović", "ić")},
    "mk": {"female": ("ovska", "evska", "ska", "oska"), "male": ("ovski", "evski", "ski", "oski")},
    "sq": {"any": ("aj", "i", "ku", "ja", "llari", "ni", "ri", "aj")},
    "sl": {"any": ("nik", "šek", "ar", "ič", "c", "ovec")},
}
_WORD_SYLLABLES = ("ve", "lo", "ra", "ni", "ta", "ko", "mi", "sa", "do", "ri", "lu", "na",
                   "zo", "bre", "tri", "sve", "kra", "dra", "mo", "le", "vi", "ga", "to", "se")
_WORD_ENDINGS = ("ra", "na", "va", "ja", "n", "r", "s", "", "ta", "lin")

_TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    "BA": (("Udruženje građana „{inv}“ {city}", "association"),
           ("Udruženje „{inv}“ {city}", "association"),
           ("Udruga „{inv}“ {city}", "association"),
           ("Fondacija „{inv}“ {city}", "foundation"),
           ("Centar za {topic} „{inv}“ {city}", "centre"),
           ("Forum za {topic} „{inv}“", "forum"),
           ("Inicijativa „{inv}“ za {topic}", "initiative"),
           ("Mreža za {topic} „{inv}“", "network")),
    "RS": (("Udruženje građana „{inv}“ {city}", "association"),
           ("Udruženje „{inv}“ {city}", "association"),
           ("Fondacija „{inv}“ {city}", "foundation"),
           ("Centar za {topic} „{inv}“ {city}", "centre"),
           ("Forum za {topic} „{inv}“", "forum"),
           ("Inicijativa „{inv}“ za {topic}", "initiative"),
           ("Mreža za {topic} „{inv}“", "network")),
    "ME": (("NVO „{inv}“ {city}", "association"),
           ("Nevladino udruženje „{inv}“ {city}", "association"),
           ("Nevladina fondacija „{inv}“", "foundation"),
           ("Centar za {topic} „{inv}“ {city}", "centre"),
           ("Mreža za {topic} „{inv}“", "network"),
           ("Forum „{inv}“ {city}", "forum")),
    "HR": (("Udruga „{inv}“ {city}", "association"),
           ("Udruga za {topic} „{inv}“", "association"),
           ("Zaklada „{inv}“", "foundation"),
           ("Centar za {topic} „{inv}“ {city}", "centre"),
           ("Kuća „{inv}“ {city}", "centre"),
           ("Mreža za {topic} „{inv}“", "network")),
    "mk": (("Здружение на граѓани „{inv}“ {city}", "association"),
           ("Здружение „{inv}“ {city}", "association"),
           ("Фондација „{inv}“ {city}", "foundation"),
           ("Центар за {topic} „{inv}“ {city}", "centre"),
           ("Иницијатива за {topic} „{inv}“", "initiative"),
           ("Мрежа за {topic} „{inv}“", "network"),
           ("Форум за {topic} „{inv}“ {city}", "forum")),
    "sq": (("Shoqata „{inv}“ {city}", "association"),
           ("Organizata „{inv}“ {city}", "association"),
           ("Fondacioni „{inv}“", "foundation"),
           ("Qendra për {topic} „{inv}“ {city}", "centre"),
           ("Nisma për {topic} „{inv}“", "initiative"),
           ("Rrjeti për {topic} „{inv}“", "network"),
           ("Forumi për {topic} „{inv}“ {city}", "forum"),
           ("OJQ „{inv}“ {city}", "association")),
    "sl": (("Društvo „{inv}“ {city}", "association"),
           ("Zavod „{inv}“ {city}", "centre"),
           ("Inštitut za {topic} „{inv}“", "centre"),
           ("Mreža za {topic} „{inv}“", "network")),
    "en": (("{inv} Centre for {topic}, {city}", "centre"),
           ("{inv} Foundation", "foundation"),
           ("{inv} Network for {topic}", "network"),
           ("{inv} Initiative, {city}", "initiative"),
           ("Forum for {topic} {inv}", "forum")),
}
_TOPICS: dict[str, tuple[str, ...]] = {
    "bcms": ("ljudska prava", "mir i dijalog", "suočavanje s prošlošću", "pravnu pomoć",
             "tranzicijsku pravdu", "kulturu sjećanja", "prevenciju nasilja", "ranu uzbunu",
             "dijalog i pomirenje", "mlade i toleranciju"),
    "mk": ("човекови права", "мир и дијалог", "правна помош", "транзициска правда",
           "спречување на насилство", "рано предупредување", "дијалог и помирување",
           "млади и толеранција"),
    "sq": ("të Drejtat e Njeriut", "Paqe dhe Dialog", "Ndihmë Juridike",
           "Drejtësi Tranzicionale", "Parandalimin e Dhunës", "Paralajmërim të Hershëm",
           "Pajtim dhe Kujtesë", "Rini dhe Tolerancë"),
    "sl": ("človekove pravice", "mir in dialog", "pravno pomoč", "kulturo spomina"),
    "en": ("Human Rights", "Peace and Dialogue", "Transitional Justice", "Legal Aid",
           "Early Warning", "Memory and Dialogue", "Tolerance and Youth"),
}

_ROLES = ("director", "executive director", "project coordinator", "programme officer",
          "lawyer", "researcher", "volunteer", "board member", "activist",
          "communications officer")
_ROLE_P = np.array([0.16, 0.06, 0.22, 0.1, 0.09, 0.11, 0.08, 0.05, 0.08, 0.05])

_COLLAB_KINDS = ("joint project", "network membership", "exchange visit", "joint report")
_SOURCES = ("follow-up survey 2017", "follow-up survey 2020", "project report")
_ENGAGEMENT_KINDS = ("briefing", "report submitted", "consultation", "joint event")
_ENGAGEMENT_NOTES = {
    "briefing": ("briefing on early warning", "country situation briefing"),
    "report submitted": ("shadow report on hate speech", "monitoring report"),
    "consultation": ("regional consultation", "consultation on the Framework of Analysis"),
    "joint event": ("joint commemoration panel", "joint youth workshop"),
}

# --------------------------------------------------------------------------- attributes

#: Relative frequency of each field (FIELDS order).
_FIELD_W = np.array([0.55, 0.10, 0.25, 0.45, 0.30])
#: Relative frequency of each practice (PRACTICES order); seminar topics are common.
_PRACTICE_W = np.array([0.85, 0.65, 0.5, 0.6, 0.35, 0.15, 0.3, 0.4, 0.25, 0.15, 0.3, 0.45])
#: Extra weight of a practice given a field (rows FIELDS, columns PRACTICES).
_PRACTICE_BOOST = np.zeros((len(FIELDS), len(PRACTICES)))
for _f, _p, _w in (
    ("human rights", "monitoring and reporting", 0.3), ("human rights", "advocacy", 0.2),
    ("social work", "victim and survivor support", 0.5),
    ("social work", "community organizing", 0.3),
    ("law", "legal aid", 0.8), ("law", "monitoring and reporting", 0.2),
    ("peacebuilding", "dialogue and reconciliation", 0.5),
    ("peacebuilding", "education and youth", 0.2), ("peacebuilding", "community organizing", 0.2),
    ("transitional justice", "documentation and memory", 0.6),
    ("transitional justice", "victim and survivor support", 0.2),
):
    _PRACTICE_BOOST[FIELDS.index(_f), PRACTICES.index(_p)] = _w
#: Relative frequency of risk factors 1-14; the common factors 1-9 dominate.
_RISK_W = np.array([0.5, 0.6, 0.4, 0.3, 0.25, 0.35, 0.4, 0.45, 0.6, 0.15, 0.12, 0.1, 0.12, 0.08])
_N_RISK = len(RISK_FACTORS)

# planted gaps (fixed choices, recorded in the details)
_GAP_PAIR = ("ME", "MK")
_GAP_FIELD = ("ME", "social work")
_GAP_RISK = ("BA", 14)

_POPCOUNT = np.array([bin(i).count("1") for i in range(1 << len(FIELDS))])

# --------------------------------------------------------------------------- API types


@dataclass(frozen=True)
class PlantedGap:
    """A gap deliberately planted in the synthetic data, which analyses must find.

    Attributes
    ----------
    kind : str
        ``"missing_country_pair"``, ``"fragile_risk_factor"``, ``"missing_field"``,
        ``"cut_point"`` or ``"isolate"``.
    description : str
        One sentence in plain words.
    details : dict
        JSON-serializable facts: countries, items and org ids involved.

    Examples
    --------
    >>> gap = PlantedGap("isolate", "ORG-007 has no collaboration.", {"org_ids": ["ORG-007"]})
    >>> gap.details["org_ids"]
    ['ORG-007']
    """

    kind: str
    description: str
    details: dict = field(default_factory=dict)


@dataclass
class SyntheticProgramme:
    """A generated programme: the dataset, its planted gaps and the seed.

    Attributes
    ----------
    dataset : Dataset
        All six tables in canonical form.
    planted : list of PlantedGap
        The gaps enforced after generation.
    seed : int
        Seed passed to :func:`numpy.random.default_rng`.
    """

    dataset: Dataset
    planted: list[PlantedGap]
    seed: int


# --------------------------------------------------------------------------- text helpers

def _ascii(text: str) -> str:
    """Fold a Latin name to lowercase ASCII for e-mail addresses (đ -> dj)."""
    text = text.replace("Đ", "Dj").replace("đ", "dj")
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded.lower() if ch.isascii() and ch.isalnum())


def _pick(options: tuple, r: int) -> Any:
    return options[int(r) % len(options)]


def _invented_word(r: np.ndarray) -> str:
    word = _pick(_WORD_SYLLABLES, r[0]) + _pick(_WORD_SYLLABLES, r[1]) + _pick(_WORD_ENDINGS, r[2])
    return word.capitalize()


def _surname(lang: str, gender: str, r: np.ndarray) -> str:
    syl = _SURNAME_SYLLABLES[lang]
    endings = _SURNAME_ENDINGS[lang]
    ends = endings.get("any") or endings["female" if gender == "female" else "male"]
    root = _pick(syl, r[0]) + _pick(syl, r[1])
    ending = _pick(ends, r[2])
    # smooth the junction: no doubled letter, no vowel hiatus ("Vesto-oski" -> "Vestoski")
    if root[-1] == ending[0] or (root[-1] in "aeiouë" and ending[0] in "aeiouë"):
        ending = ending[1:] or ending
    return (root + ending).capitalize()


# --------------------------------------------------------------------------- random helpers


def _sample_subsets(rng: np.random.Generator, weights: np.ndarray,
                    counts: np.ndarray) -> np.ndarray:
    """Weighted sampling without replacement, row by row (Gumbel top-k).

    Returns a boolean matrix with ``counts[i]`` True cells in row ``i``.
    """
    n, k = weights.shape
    gumbel = -np.log(-np.log(rng.random((n, k))))
    keys = np.log(weights) + gumbel
    order = np.argsort(-keys, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(k)[None, :].repeat(n, axis=0), axis=1)
    return ranks < counts[:, None]


def _csr(keys: np.ndarray, values: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """Group ``values`` by integer ``keys``: return (indptr, values sorted by key)."""
    order = np.argsort(keys, kind="stable")
    counts = np.bincount(keys, minlength=n_keys)
    indptr = np.concatenate([[0], np.cumsum(counts)])
    return indptr, values[order]


def _draw_from_groups(rng: np.random.Generator, indptr: np.ndarray, members: np.ndarray,
                      groups: np.ndarray) -> np.ndarray:
    """One uniform member of each requested group (groups must be non-empty)."""
    sizes = indptr[groups + 1] - indptr[groups]
    return members[indptr[groups] + (rng.random(len(groups)) * sizes).astype(np.int64)]


# --------------------------------------------------------------------------- tie process


class _Ties:
    """Growing set of undirected ties (lo, hi) with year, mechanism and seminar."""

    PRE, TRIADIC, HOMOPHILY, EXPOSURE, ENFORCED = range(5)

    def __init__(self, n: int) -> None:
        self.n = n
        self.a = np.zeros(0, np.int64)
        self.b = np.zeros(0, np.int64)
        self.year = np.zeros(0, np.int64)
        self.mech = np.zeros(0, np.int64)
        self.seminar = np.zeros(0, np.int64)
        self._codes = np.zeros(0, np.int64)

    def __len__(self) -> int:
        return len(self.a)

    def add(self, i: np.ndarray, j: np.ndarray, year: np.ndarray, mech: np.ndarray,
            seminar: np.ndarray, limit: int | None = None) -> int:
        """Add new distinct pairs in the given order (up to ``limit``); return how many."""
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        ok = lo != hi
        codes = lo * self.n + hi
        ok &= ~np.isin(codes, self._codes)
        idx = np.flatnonzero(ok)
        _, first = np.unique(codes[idx], return_index=True)
        idx = idx[np.sort(first)]
        if limit is not None:
            idx = idx[:limit]
        self.a = np.concatenate([self.a, lo[idx]])
        self.b = np.concatenate([self.b, hi[idx]])
        self.year = np.concatenate([self.year, np.broadcast_to(year, i.shape)[idx]])
        self.mech = np.concatenate([self.mech, np.broadcast_to(mech, i.shape)[idx]])
        self.seminar = np.concatenate([self.seminar, np.broadcast_to(seminar, i.shape)[idx]])
        self._codes = np.sort(np.concatenate([self._codes, codes[idx]]))
        return len(idx)

    def add_one(self, i: int, j: int, year: int, seminar: int = -1) -> None:
        one = np.array([i], np.int64)
        self.add(one, np.array([j], np.int64), np.array([year]), np.array([self.ENFORCED]),
                 np.array([seminar]))

    def keep(self, mask: np.ndarray) -> int:
        """Keep only the ties where ``mask``; return how many were dropped."""
        dropped = int((~mask).sum())
        for name in ("a", "b", "year", "mech", "seminar"):
            setattr(self, name, getattr(self, name)[mask])
        self._codes = np.sort(self.a * self.n + self.b)
        return dropped

    def degree(self) -> np.ndarray:
        return np.bincount(np.concatenate([self.a, self.b]), minlength=self.n)

    def adjacency(self) -> tuple[np.ndarray, np.ndarray]:
        src = np.concatenate([self.a, self.b])
        dst = np.concatenate([self.b, self.a])
        return _csr(src, dst, self.n)


@dataclass
class _World:
    """Organization attributes needed by the tie process (integer-coded)."""

    country: np.ndarray          # (N,) index into _COUNTRIES
    field_bits: np.ndarray       # (N,) bitmask over FIELDS
    pool_ptr: np.ndarray         # country -> orgs (CSR)
    pool: np.ndarray
    sem_year: np.ndarray         # (S,)
    sem_ptr: np.ndarray          # seminar -> distinct attending orgs (CSR)
    sem_orgs: np.ndarray

    @property
    def n(self) -> int:
        return len(self.country)


def _shared(world: _World, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    return np.minimum(_POPCOUNT[world.field_bits[i] & world.field_bits[j]], 2)


#: Share of the yearly proposals made by triadic closure, homophily and
#: seminar exposure (when a seminar has been held; otherwise 0.5, 0.5, 0).
_YEARLY_SHARES = (0.3, 0.25, 0.45)
#: Yearly homophily proposals: chance that the second organization is drawn
#: from the first one's country, and the acceptance factor across a border.
_YEARLY_P_SAME, _YEARLY_CROSS = 0.75, 0.35
#: Yearly decay of a seminar's exposure (a seminar held ``a`` years before
#: the year after it weighs ``0.8 ** a``).
_SEMINAR_DECAY = 0.8


def _accept_homophily(world: _World, i: np.ndarray, j: np.ndarray, cross: float) -> np.ndarray:
    """Acceptance probability of a homophily proposal."""
    return (0.06 + 0.22 * _shared(world, i, j)) * np.where(
        world.country[i] == world.country[j], 1.0, cross)


def _accept_triadic(world: _World, x: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Acceptance probability of a partner-of-a-partner proposal."""
    return (0.35 + 0.1 * _shared(world, x, j)) * np.where(
        world.country[x] == world.country[j], 1.0, 0.8)


def _accept_exposure(world: _World, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Acceptance probability of a seminar-exposure proposal; cross-border far more likely."""
    cross = world.country[i] != world.country[j]
    return np.where(cross, 0.7, 0.25) * (0.7 + 0.15 * _shared(world, i, j))


def _yearly_shares(has_exposure: bool, has_ties: bool) -> np.ndarray:
    """Shares of triadic, homophily and exposure proposals in a yearly round."""
    shares = np.array(_YEARLY_SHARES) if has_exposure else np.array([0.5, 0.5, 0.0])
    if not has_ties:
        shares = np.array([0.0, 1.0 - shares[2], shares[2]])
    return shares / shares.sum()


def _seminar_weight(world: _World, year: int) -> np.ndarray:
    """How often each seminar is picked for exposure proposals in ``year``."""
    size = np.diff(world.sem_ptr)
    age = year - world.sem_year - 1
    return np.where(age >= 0, size * (size - 1) * _SEMINAR_DECAY ** np.maximum(age, 0), 0.0)


def _propose_homophily(rng: np.random.Generator, world: _World, n: int, p_same: float,
                       cross: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random pairs, usually within a country, accepted more often with shared fields."""
    i = rng.integers(0, world.n, n)
    j = rng.integers(0, world.n, n)
    same = rng.random(n) < p_same
    j[same] = _draw_from_groups(rng, world.pool_ptr, world.pool, world.country[i[same]])
    p = _accept_homophily(world, i, j, cross)
    return i, j, rng.random(n) < p


def _propose_triadic(rng: np.random.Generator, world: _World, ties: _Ties, n: int,
                     adj: tuple[np.ndarray, np.ndarray],
                     n_old: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A partner of a partner: pick a tie (x, k) and a random neighbour j of k.

    Only the ``n_old`` ties that existed at the start of the year (those in
    ``adj``) are used.
    """
    e = rng.integers(0, n_old, n)
    flip = rng.random(n) < 0.5
    x = np.where(flip, ties.b[e], ties.a[e])
    k = np.where(flip, ties.a[e], ties.b[e])
    j = _draw_from_groups(rng, adj[0], adj[1], k)
    p = _accept_triadic(world, x, j)
    return x, j, rng.random(n) < p


def _propose_exposure(rng: np.random.Generator, world: _World, n: int,
                      sem_weight: np.ndarray) -> tuple[np.ndarray, ...]:
    """Two organizations that attended the same seminar; cross-border far more likely."""
    s = rng.choice(len(sem_weight), size=n, p=sem_weight / sem_weight.sum())
    i = _draw_from_groups(rng, world.sem_ptr, world.sem_orgs, s)
    j = _draw_from_groups(rng, world.sem_ptr, world.sem_orgs, s)
    p = _accept_exposure(world, i, j)
    return i, j, rng.random(n) < p, s


def formation_propensity(dataset: Dataset, year: int) -> tuple[list[str], np.ndarray]:
    """How likely the generator's own tie process makes each pair tie in ``year``.

    The expected number of accepted proposals for each pair in one yearly
    round (up to one factor common to all pairs: the number of proposals),
    computed from ``dataset`` as it stood before ``year`` with the same
    acceptance rules as the simulation in this module:

    - triadic closure: a tie ``(x, k)`` is drawn among the ``T`` existing ones,
      then a partner ``j`` of ``k``, so a pair is proposed with probability
      ``RA(i, j) / T`` (resource allocation, ``sum over common partners z of
      1 / deg z``);
    - homophily: ``i`` uniform, ``j`` from ``i``'s country with probability
      0.75, else uniform;
    - seminar exposure: a seminar drawn by its decaying weight, then two
      attendees uniformly.

    It is a diagnostic, not a method: it knows how the synthetic data was
    made, so its precision in a backtest bounds what any scoring of the same
    facts can reach on that data (``scripts/bench/backtest_weights.py``).

    Parameters
    ----------
    dataset : Dataset
        A generated programme, or what was known of it before ``year``
        (:func:`cso_network.backtest.evaluate.split_by_year`); ties dated
        ``year`` or later and seminars from ``year`` on are ignored.
    year : int

    Returns
    -------
    (org_ids, P) : tuple
        Organization ids in sorted order and the dense, symmetric ``n x n``
        matrix of propensities (zero diagonal). Dense: meant for programmes
        of up to a few thousand organizations.

    Examples
    --------
    >>> ds = generate_programme(seed=5).dataset
    >>> ids, P = formation_propensity(ds, 2020)
    >>> P.shape == (len(ids), len(ids)) and bool((P == P.T).all())
    True
    """
    from cso_network.network.layers import org_seminars
    from cso_network.vocab import year_of

    orgs = dataset.organizations.sort_values("org_id")
    ids = orgs["org_id"].tolist()
    index = {o: k for k, o in enumerate(ids)}
    n = len(ids)
    # a country outside the region, and a missing one, are one group each
    codes = {c: k for k, c in enumerate(_COUNTRIES)}
    n_codes = len(_COUNTRIES) + 2
    country = np.array([codes.get(c, n_codes - 2) if isinstance(c, str) else n_codes - 1
                        for c in orgs["country"]], dtype=np.int64)
    field_bits = np.array([sum(1 << FIELDS.index(f) for f in (fs or ()) if f in FIELDS)
                           for fs in orgs["fields"]], dtype=np.int64)
    # seminars held before ``year`` -> distinct attending organizations
    sem = dataset.seminars
    sem_year = {sid: year_of(d) for sid, d in zip(sem["seminar_id"], sem["start_date"],
                                                   strict=True)}
    pairs = org_seminars(dataset)
    pairs = pairs[pairs["org_id"].isin(index)
                  & pairs["seminar_id"].map(lambda s: (sem_year.get(s) or year) < year)]
    sem_ids = sorted(set(pairs["seminar_id"]))
    s_of = pairs["seminar_id"].map({s: k for k, s in enumerate(sem_ids)}).to_numpy(np.int64)
    o_of = pairs["org_id"].map(index).to_numpy(np.int64)
    sem_ptr, sem_orgs = _csr(s_of, o_of, len(sem_ids))
    pool_ptr, pool = _csr(country, np.arange(n), n_codes)
    world = _World(country, field_bits, pool_ptr, pool,
                   np.array([sem_year[s] for s in sem_ids], dtype=np.int64), sem_ptr, sem_orgs)
    # declared ties before ``year``
    collab = dataset.collaborations
    since = collab["since"].map(lambda v: year_of(v) if v else None)
    known = collab[~(since >= year)]
    A = np.zeros((n, n))
    a = known["org_a"].map(index).dropna().astype(np.int64).to_numpy()
    b = known["org_b"].map(index).dropna().astype(np.int64).to_numpy()
    A[a, b] = A[b, a] = 1.0
    np.fill_diagonal(A, 0.0)
    deg = A.sum(axis=1)
    ties = A.sum() / 2
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    weight = _seminar_weight(world, year)
    shares = _yearly_shares(weight.sum() > 0, ties > 0)
    P = np.zeros((n, n))
    if ties:
        ra = (A / np.maximum(deg, 1)) @ A
        P += shares[0] * ra / ties * _accept_triadic(world, i, j)
    pool_size = np.diff(pool_ptr)
    same = country[:, None] == country[None, :]
    pick_j = _YEARLY_P_SAME * same / pool_size[country][:, None] + (
        1 - _YEARLY_P_SAME) / n
    P += shares[1] * (pick_j + pick_j.T) / n * _accept_homophily(world, i, j, _YEARLY_CROSS)
    if weight.sum() > 0:
        size = np.diff(sem_ptr).astype(float)
        B = np.zeros((n, len(sem_ids)))
        B[sem_orgs, np.repeat(np.arange(len(sem_ids)), np.diff(sem_ptr))] = 1.0
        per_pair = np.divide(2 * weight / weight.sum(), size ** 2, out=np.zeros_like(size),
                             where=size > 0)
        P += shares[2] * (B * per_pair) @ B.T * _accept_exposure(world, i, j)
    np.fill_diagonal(P, 0.0)
    return ids, P


def _grow_ties(rng: np.random.Generator, world: _World, pre_ties: float,
               yearly_ties: float) -> _Ties:
    """Run the tie-formation process (see the module docstring).

    ``pre_ties`` and ``yearly_ties`` are the expected numbers of ties formed
    before 2012 and in each year 2012-2024 (Poisson-distributed).
    """
    n = world.n
    ties = _Ties(n)
    # (1) pre-programme ties, mostly within a country
    target = int(rng.poisson(pre_ties))
    pre_years = np.arange(1996, 2012)
    pre_p = np.linspace(1, 4, len(pre_years))
    pre_p /= pre_p.sum()
    for _ in range(60):
        remaining = target - len(ties)
        if remaining <= 0:
            break
        m = max(64, 8 * remaining)
        i, j, acc = _propose_homophily(rng, world, m, p_same=0.8, cross=0.4)
        i, j = i[acc], j[acc]
        years = rng.choice(pre_years, size=len(i), p=pre_p)
        ties.add(i, j, years, np.array(_Ties.PRE), np.array(-1), limit=remaining)
    # (2) yearly rounds
    for year in range(2012, 2025):
        target = max(1, int(rng.poisson(yearly_ties)))
        sem_weight = _seminar_weight(world, year)
        shares = _yearly_shares(sem_weight.sum() > 0, len(ties) > 0)
        adj, n_old = ties.adjacency(), len(ties)
        added = 0
        for _ in range(60):
            remaining = target - added
            if remaining <= 0:
                break
            m_tri, m_hom, m_exp = rng.multinomial(max(64, 6 * remaining), shares)
            parts_i, parts_j, parts_m, parts_s = [], [], [], []
            if m_tri:
                i, j, acc = _propose_triadic(rng, world, ties, m_tri, adj, n_old)
                parts_i.append(i[acc])
                parts_j.append(j[acc])
                parts_m.append(np.full(acc.sum(), _Ties.TRIADIC))
                parts_s.append(np.full(acc.sum(), -1))
            if m_hom:
                i, j, acc = _propose_homophily(rng, world, m_hom, p_same=_YEARLY_P_SAME,
                                               cross=_YEARLY_CROSS)
                parts_i.append(i[acc])
                parts_j.append(j[acc])
                parts_m.append(np.full(acc.sum(), _Ties.HOMOPHILY))
                parts_s.append(np.full(acc.sum(), -1))
            if m_exp:
                i, j, acc, s = _propose_exposure(rng, world, m_exp, sem_weight)
                parts_i.append(i[acc])
                parts_j.append(j[acc])
                parts_m.append(np.full(acc.sum(), _Ties.EXPOSURE))
                parts_s.append(s[acc])
            i, j = np.concatenate(parts_i), np.concatenate(parts_j)
            mech, sem = np.concatenate(parts_m), np.concatenate(parts_s)
            order = rng.permutation(len(i))
            added += ties.add(i[order], j[order], np.array(year), mech[order], sem[order],
                              limit=remaining)
    return ties


# --------------------------------------------------------------------------- organizations


def _country_counts_demo(rng: np.random.Generator) -> tuple[int, np.ndarray]:
    n = int(rng.integers(70, 91))
    counts = np.zeros(len(_COUNTRIES), np.int64)
    counts[_CI["AL"]] = rng.integers(1, 3)
    counts[_CI["XK"]] = rng.integers(3, 5)
    counts[_CI["HR"]] = rng.integers(2, 4)
    rest = n - counts.sum()
    main = np.array([0.31, 0.2, 0.22, 0.27])
    base = np.full(4, 10)
    counts[[_CI[c] for c in _MAIN]] = base + rng.multinomial(rest - base.sum(), main)
    return n, counts


def _country_counts_scaled(rng: np.random.Generator, n: int) -> np.ndarray:
    p = np.array([0.27, 0.12, 0.17, 0.25, 0.07, 0.05, 0.05, 0.02])
    counts = np.maximum(rng.multinomial(n - 2 * len(p), p) + 2, 2)
    return counts


def _org_language(country: str, city: str, u: float) -> str:
    if country in ("BA", "RS", "ME"):
        cyr = {"BA": 0.55 if city in _CYRILLIC_CITIES else 0.05, "RS": 0.35, "ME": 0.05}[country]
        if u < 0.1:
            return "en"
        return "sr_cyr" if u < 0.1 + cyr else "bcms"
    if country == "MK":
        return "en" if u < 0.15 else ("sq" if u < 0.4 else "mk")
    if country == "XK":
        return "en" if u < 0.15 else ("bcms" if u < 0.25 else "sq")
    if country == "AL":
        return "en" if u < 0.15 else "sq"
    if country == "SI":
        return "en" if u < 0.15 else "sl"
    return "en" if u < 0.1 else "bcms"  # HR


def _org_name(country: str, city: tuple[str, str, str | None, float], lang: str,
              r: np.ndarray, extra: str = "") -> tuple[str, str]:
    """Return (name, type) of an invented organization."""
    inv = _invented_word(r[0:3]) + extra
    english, local, alt, _ = city
    if lang == "en":
        templates, topics, city_name = _TEMPLATES["en"], _TOPICS["en"], english
    elif lang == "mk":
        templates, topics, city_name = _TEMPLATES["mk"], _TOPICS["mk"], local
        inv = to_cyrillic(inv, lang="mk")
    elif lang == "sq":
        templates, topics = _TEMPLATES["sq"], _TOPICS["sq"]
        city_name = alt if country == "MK" else local
        if country != "XK":
            templates = templates[:-1]  # "OJQ" is the Kosovo form
    elif lang == "sl":
        templates, topics, city_name = _TEMPLATES["sl"], _TOPICS["sl"], local
    else:  # bcms or sr_cyr
        key = country if country in ("BA", "RS", "ME", "HR") else "RS"
        templates, topics = _TEMPLATES[key], _TOPICS["bcms"]
        city_name = alt if country == "XK" else local
        if key == "RS":
            topics = tuple(t.replace("sjeć", "seć") for t in topics)
    template, kind = _pick(templates, r[3])
    name = template.format(inv=inv, topic=_pick(topics, r[4]), city=city_name)
    if lang == "sr_cyr":
        name = to_cyrillic(name)
    return name, kind


def _make_organizations(rng: np.random.Generator, counts: np.ndarray) -> dict[str, Any]:
    n = int(counts.sum())
    country = np.repeat(np.arange(len(_COUNTRIES)), counts)
    country = country[rng.permutation(n)]
    # attributes
    n_fields = rng.choice([1, 2, 3], size=n, p=[0.4, 0.42, 0.18])
    fields = _sample_subsets(rng, np.broadcast_to(_FIELD_W, (n, len(FIELDS))), n_fields)
    n_prac = rng.choice([2, 3, 4, 5], size=n, p=[0.25, 0.35, 0.25, 0.15])
    prac = _sample_subsets(rng, _PRACTICE_W[None, :] + fields @ _PRACTICE_BOOST, n_prac)
    n_risk = rng.choice(np.arange(7), size=n, p=[0.1, 0.12, 0.18, 0.2, 0.18, 0.13, 0.09])
    risk = _sample_subsets(rng, np.broadcast_to(_RISK_W, (n, _N_RISK)), n_risk)
    # names and cities
    r = rng.integers(0, 2**31, size=(n, 8))
    u = rng.random(n)
    names: list[str] = []
    kinds: list[str] = []
    cities: list[str] = []
    used: set[str] = set()
    for k in range(n):
        c = _COUNTRIES[country[k]]
        options = _CITIES[c]
        w = np.array([o[3] for o in options])
        city = options[int(np.searchsorted(np.cumsum(w) / w.sum(), (r[k, 5] % 10_000) / 10_000,
                                           side="right"))]
        lang = _org_language(c, city[0], u[k])
        name, kind = _org_name(c, city, lang, r[k])
        extra_round = 0
        while name in used:
            extra_round += 1
            extra = _pick(_WORD_SYLLABLES, r[k, 6] + extra_round) + _pick(
                _WORD_ENDINGS, r[k, 7] + 3 * extra_round)
            name, kind = _org_name(c, city, lang, r[k], extra)
        used.add(name)
        names.append(name)
        kinds.append(kind)
        cities.append(city[0])
    return {"country": country, "fields": fields, "practices": prac, "risk": risk,
            "name": names, "type": kinds, "city": cities}


# --------------------------------------------------------------------------- seminars & people


def _seminar_dates(rng: np.random.Generator, years: np.ndarray) -> tuple[list[str], list[str]]:
    months = rng.integers(3, 12, len(years))
    days = rng.integers(1, 25, len(years))
    lengths = rng.integers(2, 4, len(years))  # 3-4 days
    start = [f"{y}-{m:02d}-{d:02d}" for y, m, d in zip(years, months, days, strict=True)]
    end = [f"{y}-{m:02d}-{d + n:02d}" for y, m, d, n in zip(years, months, days, lengths,
                                                             strict=True)]
    return start, end


def _make_seminars(rng: np.random.Generator, n_orgs: int | None) -> dict[str, Any]:
    if n_orgs is None:
        cities = [s[0] for s in _DEMO_SEMINARS]
        countries = [s[1] for s in _DEMO_SEMINARS]
        years = np.array([s[2] for s in _DEMO_SEMINARS])
        ids = [f"SEM-{y}-{s[3]}" for s, y in zip(_DEMO_SEMINARS, years, strict=True)]
    else:
        n_sem = max(4, round(n_orgs / rng.uniform(20, 30)))
        p = np.array([0.24, 0.16, 0.2, 0.22, 0.06, 0.04, 0.05, 0.03])
        sem_country = rng.choice(len(_COUNTRIES), size=n_sem, p=p)
        years = 2012 + (np.arange(n_sem) * 13) // n_sem
        cities, countries, ids = [], [], []
        seen: dict[str, int] = {}
        r = rng.integers(0, 2**31, n_sem)
        for k in range(n_sem):
            c = _COUNTRIES[sem_country[k]]
            # the capital (listed first) hosts half of a country's seminars
            city, code = _pick(_SEMINAR_CITIES[c], 0 if r[k] % 2 == 0 else r[k] // 2)
            sid = f"SEM-{years[k]}-{code}"
            seen[sid] = seen.get(sid, 0) + 1
            if seen[sid] > 1:
                sid = f"{sid}{seen[sid]}"
            cities.append(city)
            countries.append(c)
            ids.append(sid)
    start, end = _seminar_dates(rng, years)
    order = np.argsort(np.array(start), kind="stable")
    return {
        "id": [ids[k] for k in order], "city": [cities[k] for k in order],
        "country": [countries[k] for k in order], "year": years[order],
        "start": [start[k] for k in order], "end": [end[k] for k in order],
    }


def _seminar_choice_p(sem_countries: list[str]) -> np.ndarray:
    """(country, seminar) matrix of attendance probabilities: home seminars first."""
    p = np.ones((len(_COUNTRIES), len(sem_countries)))
    for s, sc in enumerate(sem_countries):
        p[_CI[sc], s] = 4.0 * max(1, len(sem_countries) // 8)
        if sc == "MK":
            p[_CI["AL"], s] = p[_CI["XK"], s] = 3.0 * max(1, len(sem_countries) // 8)
    return p / p.sum(axis=1, keepdims=True)


def _person_language(country: str, u: float) -> str:
    if country == "MK":
        return "sq" if u < 0.25 else "mk"
    if country == "AL":
        return "sq"
    if country == "XK":
        return "bcms" if u < 0.15 else "sq"
    if country == "SI":
        return "sl"
    return "bcms"


def _make_people(rng: np.random.Generator, org_country: np.ndarray,
                 sem: dict[str, Any], demo: bool) -> dict[str, Any]:
    n_orgs = len(org_country)
    # about 1.5 participants per organization (110-130 in the demo), at most 3
    total = int(rng.integers(110, 131)) if demo else round(1.5 * n_orgs)
    extra = min(total - n_orgs, 2 * n_orgs)
    n_three = extra // 4
    picked = rng.permutation(n_orgs)[:extra - n_three]
    per_org = np.ones(n_orgs, np.int64)
    per_org[picked] = 2
    per_org[picked[:n_three]] = 3
    org_of = np.repeat(np.arange(n_orgs), per_org)
    n = len(org_of)
    first_of_org = np.concatenate([[True], org_of[1:] != org_of[:-1]])
    # seminars: first participant by country preference, colleagues often the same one
    p = _seminar_choice_p(sem["country"])
    n_sem = p.shape[1]
    seminar = np.zeros(n, np.int64)
    pc = org_country[org_of]
    for c in range(len(_COUNTRIES)):
        idx = np.flatnonzero(pc == c)
        if len(idx):
            seminar[idx] = rng.choice(n_sem, size=len(idx), p=p[c])
    first_idx = np.maximum.accumulate(np.where(first_of_org, np.arange(n), 0))
    same = (~first_of_org) & (rng.random(n) < 0.5)
    seminar[same] = seminar[first_idx[same]]
    # a few people attend a second seminar
    n_second = int(rng.integers(4, 9)) if demo else int(round(0.06 * n))
    who = rng.choice(n, size=min(n_second, n), replace=False)
    second = (seminar[who] + rng.integers(1, n_sem, len(who))) % n_sem
    att_p = np.concatenate([np.arange(n), who])
    att_s = np.concatenate([seminar, second])
    order = np.lexsort((att_s, att_p))
    # personal attributes
    g = rng.choice(3, size=n, p=[0.55, 0.42, 0.03])
    roles = rng.choice(len(_ROLES), size=n, p=_ROLE_P / _ROLE_P.sum())
    roles[first_of_org & (rng.random(n) < 0.35)] = 0  # many orgs send their director
    consent_c = rng.choice(3, size=n, p=[0.6, 0.25, 0.15])
    consent_d = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    r = rng.integers(0, 2**31, size=(n, 10))
    u = rng.random((n, 4))
    names, emails, phones = [], [], []
    used_emails: set[str] = set()
    for k in range(n):
        c = _COUNTRIES[pc[k]]
        gender = ("female", "male", None)[g[k]]
        name_gender = gender or ("female" if r[k, 9] % 2 else "male")
        lang = _person_language(c, u[k, 0])
        first = _pick(_FIRST_NAMES[lang][name_gender], r[k, 0])
        last = _surname(lang, name_gender, r[k, 1:4])
        full = f"{first} {last}"
        if lang == "mk" and u[k, 1] < 0.7:
            full = to_cyrillic(full, lang="mk")
        elif lang == "bcms" and c in ("BA", "RS", "ME") and u[k, 1] < {
                "BA": 0.15, "RS": 0.3, "ME": 0.05}[c]:
            full = to_cyrillic(full)
        names.append(full)
        if u[k, 2] < 0.9:
            local = f"{_ascii(first)}.{_ascii(last)}"
            if r[k, 4] % 3 == 0:
                local = f"{_ascii(first)[0]}{_ascii(last)}"
            email = f"{local}@{_pick(_EMAIL_DOMAINS, r[k, 5])}"
            bump = 1
            while email in used_emails:
                bump += 1
                email = f"{local}{bump}@{_pick(_EMAIL_DOMAINS, r[k, 5])}"
            used_emails.add(email)
            emails.append(email)
        else:
            emails.append(None)
        if u[k, 3] < 0.8:
            cc, mobiles = _PHONE[c]
            phones.append(f"{cc} {_pick(mobiles, r[k, 6])} 555 0{r[k, 7] % 1000:03d}")
        else:
            phones.append(None)
    bools = (True, False, None)
    return {
        "org": org_of, "name": names, "role": [_ROLES[x] for x in roles],
        "gender": [("female", "male", None)[x] for x in g], "email": emails, "phone": phones,
        "consent_contact": [bools[x] for x in consent_c],
        "consent_directory": [bools[x] for x in consent_d],
        "att_p": att_p[order], "att_s": att_s[order],
    }


# --------------------------------------------------------------------------- planted gaps


def _co_attending_pairs(world: _World, c1: int, c2: int) -> tuple[list[tuple[int, int]], list[int]]:
    """Distinct (org of c1, org of c2) pairs that attended a common seminar."""
    pairs: set[tuple[int, int]] = set()
    seminars = []
    for s in range(len(world.sem_year)):
        orgs = world.sem_orgs[world.sem_ptr[s]:world.sem_ptr[s + 1]]
        a = orgs[world.country[orgs] == c1]
        b = orgs[world.country[orgs] == c2]
        if len(a) and len(b):
            seminars.append(s)
            pairs.update((int(x), int(y)) for x in a for y in b)
    return sorted(pairs), seminars


def _components(nodes: list[int], a: np.ndarray, b: np.ndarray) -> list[list[int]]:
    """Connected components of the ties (a, b) restricted to ``nodes`` (union-find)."""
    parent = {v: v for v in nodes}

    def find(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        if x in parent and y in parent:
            parent[find(x)] = find(y)
    groups: dict[int, list[int]] = {}
    for v in nodes:
        groups.setdefault(find(v), []).append(v)
    return sorted(groups.values())


def _enforce_ties(rng: np.random.Generator, world: _World, ties: _Ties, org_ids: list[str],
                  names: list[str], sem_ids: list[str], demo: bool) -> list[PlantedGap]:
    n = world.n
    country = world.country
    me, mk = _CI[_GAP_PAIR[0]], _CI[_GAP_PAIR[1]]
    gaps: list[PlantedGap] = []

    # 1. no tie between ME and MK organizations
    ca, cb = country[ties.a], country[ties.b]
    removed_pair = ties.keep(~(((ca == me) & (cb == mk)) | ((ca == mk) & (cb == me))))
    pairs, pair_sems = _co_attending_pairs(world, me, mk)

    # cluster: AL/XK organizations (demo) or five of them (scaled)
    alxk = np.flatnonzero((country == _CI["AL"]) | (country == _CI["XK"]))
    if demo:
        cluster = sorted(alxk.tolist())
    else:
        cluster = sorted(rng.choice(alxk, size=min(5, len(alxk)), replace=False).tolist())
    in_cluster = np.zeros(n, bool)
    in_cluster[cluster] = True

    # 5. isolates: one or two low-degree organizations outside the cluster
    deg = ties.degree()
    candidates = np.flatnonzero(np.isin(country, [_CI["BA"], _CI["RS"], _CI["HR"]])
                                & ~in_cluster & (deg <= max(3, int(np.percentile(deg, 30)))))
    n_iso = int(rng.integers(1, 3))
    isolates = sorted(rng.choice(candidates, size=n_iso, replace=False).tolist())
    is_iso = np.zeros(n, bool)
    is_iso[isolates] = True
    ties.keep(~(is_iso[ties.a] | is_iso[ties.b]))

    # 4. cut point: an MK organization is the cluster's only link to the rest
    a_in, b_in = in_cluster[ties.a], in_cluster[ties.b]
    outside_deg = np.bincount(np.concatenate([ties.a[~a_in & ~b_in], ties.b[~a_in & ~b_in]]),
                              minlength=n)
    to_cluster = np.bincount(np.concatenate([ties.a[b_in & ~a_in], ties.b[a_in & ~b_in]]),
                             minlength=n)
    score = 10.0 * to_cluster + np.minimum(outside_deg, 3) + rng.random(n)
    eligible = (country == mk) & (outside_deg >= 1) & ~is_iso & ~in_cluster
    if not eligible.any():
        eligible = (outside_deg >= 1) & ~is_iso & ~in_cluster
    cut = int(np.argmax(np.where(eligible, score, -1.0)))
    crossing = a_in != b_in
    touches_cut = (ties.a == cut) | (ties.b == cut)
    removed_cut = ties.keep(~crossing | touches_cut)
    first_year = int(world.sem_year.min())
    if not (((ties.a == cut) & in_cluster[ties.b]) | ((ties.b == cut) & in_cluster[ties.a])).any():
        ties.add_one(cut, int(rng.choice(cluster)), int(rng.integers(first_year + 1, 2021)))
    comps = _components(cluster, ties.a, ties.b)
    for left, right in zip(comps[:-1], comps[1:], strict=True):
        ties.add_one(int(rng.choice(left)), int(rng.choice(right)),
                     int(rng.integers(first_year + 1, 2021)))

    # every other pair of main countries has at least one tie (so ME-MK stands out)
    ca, cb = country[ties.a], country[ties.b]
    for x in range(len(_MAIN)):
        for y in range(x + 1, len(_MAIN)):
            c1, c2 = _CI[_MAIN[x]], _CI[_MAIN[y]]
            if {c1, c2} == {me, mk}:
                continue
            if (((ca == c1) & (cb == c2)) | ((ca == c2) & (cb == c1))).any():
                continue
            ok = ~in_cluster & ~is_iso
            u = int(rng.choice(np.flatnonzero(ok & (country == c1))))
            v = int(rng.choice(np.flatnonzero(ok & (country == c2))))
            ties.add_one(u, v, int(rng.integers(first_year + 1, 2021)))
            ca, cb = country[ties.a], country[ties.b]

    # no isolates other than the planted ones
    deg = ties.degree()
    partners_ok = ~in_cluster & ~is_iso
    for v in np.flatnonzero((deg == 0) & ~is_iso & ~in_cluster).tolist():
        pool = np.flatnonzero(partners_ok & (country == country[v]))
        pool = pool[pool != v]
        if len(pool) == 0:
            pool = np.flatnonzero(partners_ok & np.isin(country, [_CI["BA"], _CI["RS"]]))
        ties.add_one(v, int(rng.choice(pool)), int(rng.integers(2005, 2021)))

    co_pairs = [[org_ids[a], org_ids[b]] for a, b in pairs]
    gaps.append(PlantedGap(
        "missing_country_pair",
        f"No collaboration between organizations from {_COUNTRY_NAMES['ME']} (ME) and "
        f"{_COUNTRY_NAMES['MK']} (MK), although {len(pairs)} ME-MK pairs of organizations "
        "attended a seminar together.",
        {"countries": list(_GAP_PAIR), "co_attending_pairs": len(pairs),
         "seminars": [sem_ids[s] for s in pair_sems], "example_pairs": co_pairs[:5],
         "ties_removed": removed_pair,
         "other_main_pairs_connected": True},
    ))
    gaps.append(PlantedGap(
        "cut_point",
        f"{org_ids[cut]} ({names[cut]}) is the only link between a cluster of "
        f"{len(cluster)} organizations and the rest of the collaboration network.",
        {"org_id": org_ids[cut], "org_name": names[cut], "country": _COUNTRIES[country[cut]],
         "cluster": [org_ids[v] for v in cluster],
         "cluster_countries": sorted({_COUNTRIES[country[v]] for v in cluster}),
         "ties_removed": removed_cut},
    ))
    gaps.append(PlantedGap(
        "isolate",
        f"{' and '.join(org_ids[v] for v in isolates)} attended a seminar but "
        f"{'has' if len(isolates) == 1 else 'have'} no collaboration with any other "
        "organization.",
        {"org_ids": [org_ids[v] for v in isolates], "names": [names[v] for v in isolates],
         "countries": [_COUNTRIES[country[v]] for v in isolates]},
    ))
    return gaps


def _enforce_attributes(rng: np.random.Generator, country: np.ndarray, fields: np.ndarray,
                        risk: np.ndarray, org_ids: list[str], names: list[str]) -> list[PlantedGap]:
    gaps: list[PlantedGap] = []
    # 3. a field absent from a country; every other field held by >= 2 orgs in main countries
    gc, gf = _CI[_GAP_FIELD[0]], FIELDS.index(_GAP_FIELD[1])
    for c in _MAIN:
        rows = np.flatnonzero(country == _CI[c])
        for f in range(len(FIELDS)):
            if (_CI[c], f) == (gc, gf):
                continue
            while fields[rows, f].sum() < 2:
                free = rows[~fields[rows, f] & (fields[rows].sum(axis=1) < 3)]
                fields[int(rng.choice(free)), f] = True
    rows = np.flatnonzero(country == gc)
    had = rows[fields[rows, gf]]
    fields[rows, gf] = False
    empty = rows[~fields[rows].any(axis=1)]
    fields[empty, FIELDS.index("human rights")] = True
    gaps_field = PlantedGap(
        "missing_field",
        f"No organization in {_COUNTRY_NAMES[_GAP_FIELD[0]]} ({_GAP_FIELD[0]}) works in "
        f"{_GAP_FIELD[1]}.",
        {"country": _GAP_FIELD[0], "field": _GAP_FIELD[1], "orgs_in_country": len(rows),
         "removed_from": [org_ids[v] for v in had.tolist()]},
    )
    # 2. a risk factor covered by exactly one organization in a country
    rc, rf = _CI[_GAP_RISK[0]], _GAP_RISK[1] - 1
    rows = np.flatnonzero(country == rc)
    holders = rows[risk[rows, rf]]
    holder = int(rng.choice(holders if len(holders) else rows))
    risk[rows, rf] = False
    if risk[holder].sum() >= 6:
        risk[holder, int(rng.choice(np.flatnonzero(risk[holder])))] = False
    risk[holder, rf] = True
    for c in _MAIN:
        rows = np.flatnonzero(country == _CI[c])
        for f in range(_N_RISK):
            if (_CI[c], f) == (rc, rf) or risk[rows, f].sum() != 1:
                continue
            free = rows[~risk[rows, f] & (risk[rows].sum(axis=1) < 6)]
            risk[int(rng.choice(free)), f] = True
    gaps.append(PlantedGap(
        "fragile_risk_factor",
        f"Risk factor {_GAP_RISK[1]} ({RISK_FACTORS[_GAP_RISK[1]].title}) is covered in "
        f"{_COUNTRY_NAMES[_GAP_RISK[0]]} ({_GAP_RISK[0]}) by a single organization, "
        f"{org_ids[holder]}.",
        {"country": _GAP_RISK[0], "risk_factor": _GAP_RISK[1],
         "title": RISK_FACTORS[_GAP_RISK[1]].title, "org_id": org_ids[holder],
         "org_name": names[holder]},
    ))
    gaps.append(gaps_field)
    return gaps


# --------------------------------------------------------------------------- tables


def _collaboration_records(rng: np.random.Generator, ties: _Ties, org_ids: list[str],
                           sem_cities: list[str]) -> list[dict[str, Any]]:
    order = np.lexsort((ties.b, ties.a))
    m = len(order)
    a, b, year = ties.a[order], ties.b[order], ties.year[order]
    mech, sem = ties.mech[order], ties.seminar[order]
    kind_p = np.array([[0.4, 0.35, 0.1, 0.15],      # pre-programme
                       [0.4, 0.3, 0.15, 0.15],      # triadic
                       [0.45, 0.25, 0.15, 0.15],    # homophily
                       [0.35, 0.2, 0.3, 0.15],      # exposure
                       [0.4, 0.35, 0.1, 0.15]])     # enforced
    cum = np.cumsum(kind_p, axis=1)
    kinds = np.minimum((rng.random(m)[:, None] > cum[mech]).sum(axis=1), 3)
    full_date = rng.random(m) < 0.15
    months = rng.integers(1, 13, m)
    days = rng.integers(1, 29, m)
    src_u = rng.random(m)
    src = np.where(year <= 2016, np.where(src_u < 0.45, 0, np.where(src_u < 0.75, 1, 2)),
                   np.where((year <= 2020) & (src_u < 0.65), 1, 2))
    note_u = rng.random(m)
    records = []
    for k in range(m):
        y = int(year[k])
        since = f"{y}-{months[k]:02d}-{days[k]:02d}" if full_date[k] else str(y)
        note = None
        if mech[k] == _Ties.EXPOSURE and note_u[k] < 0.3:
            note = f"met at the {sem_cities[sem[k]]} seminar"
        elif note_u[k] > 0.92:
            note = ("EU-funded project", "regional coalition", "informal contact")[k % 3]
        records.append({"org_a": org_ids[a[k]], "org_b": org_ids[b[k]],
                        "kind": _COLLAB_KINDS[kinds[k]], "since": since,
                        "source": _SOURCES[src[k]], "note": note})
    return records


def _engagement_records(rng: np.random.Generator, practices: np.ndarray,
                        first_year: np.ndarray, org_ids: list[str]) -> list[dict[str, Any]]:
    n = len(org_ids)
    k = max(1, round(rng.uniform(0.15, 0.25) * n))
    w = 1.0 + 2.0 * practices[:, 0] + practices[:, 1] + practices[:, 2]
    chosen = np.sort(rng.choice(n, size=k, replace=False, p=w / w.sum()))
    per = rng.choice([1, 2, 3], size=k, p=[0.55, 0.3, 0.15])
    org = np.repeat(chosen, per)
    m = len(org)
    kinds = rng.choice(len(_ENGAGEMENT_KINDS), size=m, p=[0.35, 0.3, 0.2, 0.15])
    lo = np.maximum(first_year[org], 2012)
    years = lo + (rng.random(m) * (2025 - lo)).astype(np.int64)
    months = rng.integers(1, 13, m)
    days = rng.integers(1, 29, m)
    note_u = rng.random(m)
    records, seen = [], set()
    for j in range(m):
        kind = _ENGAGEMENT_KINDS[kinds[j]]
        date = f"{years[j]}-{months[j]:02d}-{days[j]:02d}"
        key = (int(org[j]), kind, date)
        if key in seen:
            continue
        seen.add(key)
        note = _pick(_ENGAGEMENT_NOTES[kind], j) if note_u[j] < 0.3 else None
        records.append({"org_id": org_ids[org[j]], "kind": kind, "date": date, "note": note})
    records.sort(key=lambda r: (r["org_id"], r["date"], r["kind"]))
    return records


def _labels(matrix: np.ndarray, vocab: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [tuple(vocab[j] for j in np.flatnonzero(row)) for row in matrix]


# --------------------------------------------------------------------------- public functions


def generate_programme(seed: int = DEMO_SEED, n_orgs: int | None = None) -> SyntheticProgramme:
    """Generate a synthetic seminar programme with planted gaps.

    Parameters
    ----------
    seed : int, default 2011
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same data.
    n_orgs : int or None
        ``None`` gives the demo: four seminars (Sarajevo 2012, Budva 2013,
        Skopje 2014, Belgrade 2016), 70-90 organizations, about 120 participants
        and 120-200 collaborations. An integer (at least 50) gives a scaled run
        for benchmarks: about one seminar per 20-30 organizations (2012-2024,
        capitals and other cities), about 1.5 participants and 5-6 collaboration
        rows per organization. All five planted gaps are enforced in both modes
        (they are cheap); at scale the cut-point cluster is five AL/XK
        organizations instead of all of them.

    Returns
    -------
    SyntheticProgramme
        The dataset in canonical form, the planted gaps and the seed.

    Examples
    --------
    >>> prog = generate_programme(seed=1)
    >>> sorted(prog.dataset.seminars["city"])
    ['Belgrade', 'Budva', 'Sarajevo', 'Skopje']
    >>> 70 <= len(prog.dataset.organizations) <= 90
    True
    >>> prog.dataset.organizations.equals(generate_programme(seed=1).dataset.organizations)
    True
    >>> big = generate_programme(seed=1, n_orgs=500)
    >>> len(big.dataset.organizations)
    500
    """
    demo = n_orgs is None
    if not demo and n_orgs < 50:
        raise CsoNetworkError(f"n_orgs must be at least 50 (or None for the demo), got {n_orgs}")
    rng = np.random.default_rng(seed)

    sem = _make_seminars(rng, n_orgs)
    if demo:
        n, counts = _country_counts_demo(rng)
    else:
        counts = _country_counts_scaled(rng, n_orgs)
        n = int(counts.sum())
    orgs = _make_organizations(rng, counts)
    country = orgs["country"]
    width = max(3, len(str(n)))
    org_ids = [f"ORG-{k + 1:0{width}d}" for k in range(n)]

    people = _make_people(rng, country, sem, demo)
    n_people = len(people["org"])
    pwidth = max(4, len(str(n_people)))
    person_ids = [f"P-{k + 1:0{pwidth}d}" for k in range(n_people)]

    # seminar -> distinct organizations
    att_org = people["org"][people["att_p"]]
    codes = np.unique(people["att_s"] * n + att_org)
    sem_of, org_of = codes // n, codes % n
    sem_ptr, sem_orgs = _csr(sem_of, org_of, len(sem["id"]))
    pool_ptr, pool = _csr(country, np.arange(n), len(_COUNTRIES))
    field_bits = (orgs["fields"] * (1 << np.arange(len(FIELDS)))).sum(axis=1)
    world = _World(country, field_bits, pool_ptr, pool, sem["year"], sem_ptr, sem_orgs)

    # demo: make sure at least three ME-MK pairs met at a seminar
    if demo:
        me, mk = _CI["ME"], _CI["MK"]
        while len(_co_attending_pairs(world, me, mk)[0]) < 3:
            s_sk = sem["country"].index("MK")
            me_people = np.flatnonzero(country[people["org"]] == me)
            extra = int(rng.choice(me_people))
            people["att_p"] = np.append(people["att_p"], extra)
            people["att_s"] = np.append(people["att_s"], s_sk)
            keys = np.unique(people["att_p"] * len(sem["id"]) + people["att_s"])
            people["att_p"], people["att_s"] = keys // len(sem["id"]), keys % len(sem["id"])
            att_org = people["org"][people["att_p"]]
            codes = np.unique(people["att_s"] * n + att_org)
            world.sem_ptr, world.sem_orgs = _csr(codes // n, codes % n, len(sem["id"]))

    if demo:
        # about 175 ties before the gaps are enforced, whatever the number of orgs
        ties = _grow_ties(rng, world, pre_ties=48, yearly_ties=10)
    else:
        ties = _grow_ties(rng, world, pre_ties=1.5 * n, yearly_ties=0.31 * n)
    gaps_ties = _enforce_ties(rng, world, ties, org_ids, orgs["name"], sem["id"], demo)
    gaps_attr = _enforce_attributes(rng, country, orgs["fields"], orgs["risk"], org_ids,
                                    orgs["name"])
    by_kind = {g.kind: g for g in gaps_ties + gaps_attr}
    planted = [by_kind[k] for k in ("missing_country_pair", "fragile_risk_factor",
                                    "missing_field", "cut_point", "isolate")]

    # tables
    seminars = frame_from_records("seminars", (
        {"seminar_id": sem["id"][k], "city": sem["city"][k], "country": sem["country"][k],
         "start_date": sem["start"][k], "end_date": sem["end"][k]}
        for k in range(len(sem["id"]))))
    fields_t = _labels(orgs["fields"], FIELDS)
    prac_t = _labels(orgs["practices"], PRACTICES)
    risk_t = [tuple(int(j) + 1 for j in np.flatnonzero(row)) for row in orgs["risk"]]
    organizations = frame_from_records("organizations", (
        {"org_id": org_ids[k], "name": orgs["name"][k], "country": _COUNTRIES[country[k]],
         "city": orgs["city"][k], "type": orgs["type"][k], "fields": fields_t[k],
         "practices": prac_t[k], "risk_factors": risk_t[k]}
        for k in range(n)))
    participants = frame_from_records("participants", (
        {"participant_id": person_ids[k], "full_name": people["name"][k],
         "org_id": org_ids[people["org"][k]], "role": people["role"][k],
         "gender": people["gender"][k], "email": people["email"][k],
         "phone": people["phone"][k], "consent_contact": people["consent_contact"][k],
         "consent_directory": people["consent_directory"][k]}
        for k in range(n_people)))
    attendance = frame_from_records("attendance", (
        {"participant_id": person_ids[p], "seminar_id": sem["id"][s]}
        for p, s in zip(people["att_p"].tolist(), people["att_s"].tolist(), strict=True)))
    collaborations = frame_from_records(
        "collaborations", _collaboration_records(rng, ties, org_ids, sem["city"]))
    first_year = np.full(n, 2024)
    np.minimum.at(first_year, people["org"][people["att_p"]], sem["year"][people["att_s"]])
    engagements = frame_from_records(
        "engagements", _engagement_records(rng, orgs["practices"], first_year, org_ids))
    dataset = Dataset(seminars=seminars, organizations=organizations, participants=participants,
                      attendance=attendance, collaborations=collaborations,
                      engagements=engagements)
    return SyntheticProgramme(dataset=dataset, planted=planted, seed=seed)


def _format_value(value: Any) -> str:
    if isinstance(value, list):
        if value and isinstance(value[0], list):
            return "; ".join("–".join(map(str, v)) for v in value)
        return ", ".join(map(str, value)) if value else "(none)"
    return str(value)


def demo_readme(programme: SyntheticProgramme) -> str:
    """Return the Markdown README describing a synthetic programme.

    Parameters
    ----------
    programme : SyntheticProgramme
        Output of :func:`generate_programme`.

    Returns
    -------
    str
        Markdown: the synthetic-data label, seed, row counts, seminars, how the
        collaborations were generated and the planted gaps with their details.

    Examples
    --------
    >>> text = demo_readme(generate_programme(seed=3))
    >>> text.splitlines()[2]
    '**SYNTHETIC DATA — invented names, no real person or organization.**'
    >>> "missing_country_pair" in text
    True
    """
    ds = programme.dataset
    counts = ds.counts()
    lines = [
        "# cso-network demo data",
        "",
        "**SYNTHETIC DATA — invented names, no real person or organization.**",
        "",
        "Every name, e-mail address and phone number here is invented: surnames are built "
        "from made-up syllables, organization names combine a legal-form word with an "
        "invented word and a city, e-mails use only example.org / example.net / example.com "
        "and phone numbers the fictional 555-0xxx range. Any resemblance to a real person or "
        "organization is accidental.",
        "",
        f"Generated by `cso_network.demo.synth.generate_programme(seed={programme.seed})`; the same "
        "seed always gives the same data.",
        "",
        "## Tables",
        "",
        "| table | rows |",
        "|---|---|",
        *(f"| {name} | {count} |" for name, count in counts.items()),
        "",
        "## Seminars",
        "",
    ]
    sem = ds.seminars
    if len(sem) <= 12:
        lines += [f"- {r.seminar_id}: {r.city} ({r.country}), {r.start_date} to {r.end_date}"
                  for r in sem.itertuples()]
    else:
        years = sem["start_date"].str[:4]
        lines.append(f"{len(sem)} seminars in {sem['city'].nunique()} cities, "
                     f"{years.min()}-{years.max()}.")
    collab = ds.collaborations
    year = collab["since"].str[:4].astype(int)
    cross = (ds.organizations.set_index("org_id")["country"]
             .reindex(collab["org_a"]).to_numpy()
             != ds.organizations.set_index("org_id")["country"]
             .reindex(collab["org_b"]).to_numpy())
    lines += [
        "",
        "## How the collaborations were generated",
        "",
        "The collaborations come from a simple simulation, not from a scoring formula, so "
        "that link-prediction backtests on this data are not circular:",
        "",
        "1. **Before the programme** (ties dated before 2012): pairs of organizations, "
        "mostly from the same country, were proposed at random and accepted more often "
        "when they share fields of work.",
        "2. **Yearly rounds, 2012-2024**: each year a number of new ties formed through a "
        "mix of three mechanisms: *triadic closure* (an organization teams up with a "
        "partner of a partner), *homophily* (same country, shared fields) and *seminar "
        "exposure* (two organizations whose participants attended the same seminar; this "
        "starts the year after the seminar, fades over the years, and works much more "
        "often across borders).",
        "3. **Planted gaps** (below) were then enforced by removing the ties or "
        "attributes that contradict them, adding a few ties where needed.",
        "",
        f"Cross-border ties: {int((cross & (year < 2012)).sum())} before 2012, "
        f"{int((cross & (year >= 2012)).sum())} from 2012 on "
        f"(of {len(collab)} collaborations in all).",
        "",
        "## Planted gaps",
        "",
        "An analysis of this data should find each of these:",
        "",
    ]
    for k, gap in enumerate(programme.planted, 1):
        lines.append(f"{k}. **{gap.kind}**: {gap.description}")
        for key, value in gap.details.items():
            lines.append(f"   - {key}: {_format_value(value)}")
    lines.append("")
    return "\n".join(lines)
