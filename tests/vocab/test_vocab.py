"""Tests for cso_network.vocab: vocabularies and cell parsers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cso_network.core.exceptions import VocabularyError
from cso_network.core.text import fold
from cso_network.vocab import (
    BOOL_SPELLINGS,
    COUNTRIES,
    FIELD_ALIASES,
    FIELDS,
    PRACTICE_ALIASES,
    PRACTICES,
    REGION,
    RISK_FACTORS,
    Country,
    RiskFactor,
    country_name,
    order_items,
    parse_bool,
    parse_country,
    parse_date,
    parse_field,
    parse_practice,
    parse_risk_factor,
    split_multi,
    year_of,
)

# --- constants other modules rely on -----------------------------------------


def test_constants_unchanged() -> None:
    assert REGION == ("BA", "ME", "MK", "RS", "HR", "SI", "AL", "XK")
    assert FIELDS == (
        "human rights", "social work", "law", "peacebuilding", "transitional justice",
    )
    assert len(PRACTICES) == 12
    assert PRACTICES[0] == "atrocity risk analysis"
    assert PRACTICES[-1] == "education and youth"


def test_risk_factor_constructor_keeps_positional_order() -> None:
    rf = RiskFactor(8, "Triggering factors", "common")
    assert (rf.number, rf.title, rf.scope, rf.short, rf.aliases) == (
        8, "Triggering factors", "common", "", (),
    )


# --- countries ---------------------------------------------------------------

# (spelling, code), worked out from domain.md section 2.
COUNTRY_SPELLINGS = [
    ("BA", "BA"), ("ba", "BA"), ("BIH", "BA"), ("BiH", "BA"), ("B&H", "BA"), ("B.i.H.", "BA"),
    ("Bosnia and Herzegovina", "BA"), ("Bosnia & Herzegovina", "BA"),
    ("Bosnia-Herzegovina", "BA"), ("Bosna i Hercegovina", "BA"),
    ("Босна и Херцеговина", "BA"), ("БиХ", "BA"), ("bosna i hercegovina", "BA"),
    ("ME", "ME"), ("MNE", "ME"), ("Montenegro", "ME"), ("Crna Gora", "ME"),
    ("Црна Гора", "ME"), ("CRNA   GORA", "ME"),
    ("MK", "MK"), ("MKD", "MK"), ("North Macedonia", "MK"), ("Macedonia", "MK"),
    ("FYROM", "MK"), ("F.Y.R.O.M.", "MK"), ("former Yugoslav Republic of Macedonia", "MK"),
    ("the Former Yugoslav Republic of Macedonia", "MK"), ("RM", "MK"),
    ("Северна Македонија", "MK"), ("Severna Makedonija", "MK"),
    ("Sjeverna Makedonija", "MK"), ("Maqedonia e Veriut", "MK"),
    ("RS", "RS"), ("SRB", "RS"), ("Serbia", "RS"), ("Srbija", "RS"), ("Србија", "RS"),
    ("Republic of Serbia", "RS"),
    ("HR", "HR"), ("HRV", "HR"), ("Croatia", "HR"), ("Hrvatska", "HR"), ("Хрватска", "HR"),
    ("SI", "SI"), ("SVN", "SI"), ("SLO", "SI"), ("Slovenia", "SI"), ("Slovenija", "SI"),
    ("AL", "AL"), ("ALB", "AL"), ("Albania", "AL"), ("Shqipëria", "AL"), ("Shqipëri", "AL"),
    ("Shqiperia", "AL"),
    ("XK", "XK"), ("XKX", "XK"), ("XKK", "XK"), ("Kosovo", "XK"), ("Kosova", "XK"),
    ("Kosovë", "XK"), ("Kosove", "XK"), ("Косово", "XK"), ("Kosovo*", "XK"),
    ("Kosovo and Metohija", "XK"), ("Косово и Метохија", "XK"),
    # Outside the region.
    ("Germany", "DE"), ("DEU", "DE"), ("Côte d'Ivoire", "CI"), ("cote d ivoire", "CI"),
    ("South Korea", "KR"), ("Korea, Republic of", "KR"), ("United Kingdom", "GB"),
    # The region's abbreviations mean what they mean there, even where they are another
    # country's ISO code; those countries are read from their names and alpha-3 codes.
    ("BH", "BA"), ("CG", "ME"), ("ЦГ", "ME"), ("KS", "XK"), ("RKS", "XK"), ("MKD", "MK"),
    ("SRB", "RS"), ("Bahrain", "BH"), ("BHR", "BH"), ("Congo", "CG"), ("COG", "CG"),
    # Parts of Bosnia and Herzegovina are read as the country.
    ("Republika Srpska", "BA"), ("Република Српска", "BA"), ("Federacija BiH", "BA"),
    ("FBiH", "BA"), ("Brčko distrikt", "BA"), ("Brcko District", "BA"),
]

#: ISO codes of other countries that the region uses for its own (REGION_ALIASES).
TAKEN_BY_THE_REGION = {"BH": "BA", "CG": "ME"}


@pytest.mark.parametrize(("spelling", "code"), COUNTRY_SPELLINGS)
def test_parse_country(spelling: str, code: str) -> None:
    assert parse_country(spelling) == code


@pytest.mark.parametrize(
    "value",
    ["Serbia and Montenegro", "SCG", "FRY", "SRJ", "Srbija i Crna Gora", "Србија и Црна Гора"],
)
def test_serbia_and_montenegro_is_rejected(value: str) -> None:
    with pytest.raises(VocabularyError) as err:
        parse_country(value)
    msg = str(err.value)
    assert f"'{value}'" in msg
    assert "Serbia (RS)" in msg and "Montenegro (ME)" in msg


def test_yugoslavia_is_rejected() -> None:
    with pytest.raises(VocabularyError, match="former state"):
        parse_country("Jugoslavija")


def test_unknown_country_message() -> None:
    with pytest.raises(VocabularyError) as err:
        parse_country("Narnia")
    assert str(err.value) == (
        "unknown country 'Narnia'; expected an ISO 3166 code such as BA, ME, MK, RS "
        "or a country name"
    )


@pytest.mark.parametrize("value", [None, "", "   ", float("nan")])
def test_blank_country_is_an_error(value: object) -> None:
    with pytest.raises(VocabularyError, match="blank"):
        parse_country(value)


def test_countries_cover_iso_and_kosovo() -> None:
    expected = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    assert set(COUNTRIES) == expected
    assert len(COUNTRIES) == 250  # 249 in ISO 3166-1 plus Kosovo
    assert all(isinstance(c, Country) for c in COUNTRIES.values())
    assert all(code == c.code for code, c in COUNTRIES.items())


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("BA", "Bosnia and Herzegovina"), ("ME", "Montenegro"), ("MK", "North Macedonia"),
        ("RS", "Serbia"), ("HR", "Croatia"), ("SI", "Slovenia"), ("AL", "Albania"),
        ("XK", "Kosovo"), ("KR", "South Korea"), ("IR", "Iran"), ("DE", "Germany"),
    ],
)
def test_country_name(code: str, name: str) -> None:
    assert country_name(code) == name
    assert country_name(code.lower()) == name
    assert COUNTRIES[code].name == name


def test_country_name_unknown_code() -> None:
    with pytest.raises(VocabularyError, match="'QQ'"):
        country_name("QQ")


def test_every_code_parses_to_itself() -> None:
    for code, country in COUNTRIES.items():
        expected = TAKEN_BY_THE_REGION.get(code, code)
        assert parse_country(code) == expected
        assert parse_country(code.lower()) == expected
        assert parse_country(country.name) == code


def test_every_alias_belongs_to_one_country() -> None:
    owners: dict[str, set[str]] = {}
    for country in COUNTRIES.values():
        for spelling in (country.code, country.name, *country.aliases):
            owners.setdefault(fold(spelling), set()).add(country.code)
            if spelling not in TAKEN_BY_THE_REGION:
                assert parse_country(spelling) == country.code, spelling
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    # Only the region's abbreviations that are another country's code are shared.
    assert shared == {fold(code): {code, region} for code, region in TAKEN_BY_THE_REGION.items()}


def test_region_countries_have_local_aliases() -> None:
    assert "Босна и Херцеговина" in COUNTRIES["BA"].aliases
    assert "Crna Gora" in COUNTRIES["ME"].aliases
    assert "FYROM" in COUNTRIES["MK"].aliases
    assert "Србија" in COUNTRIES["RS"].aliases
    assert "Kosovë" in COUNTRIES["XK"].aliases
    assert "BH" in COUNTRIES["BA"].aliases
    assert "CG" in COUNTRIES["ME"].aliases


REGION_SPELLINGS = [
    (spelling, c.code)
    for c in (COUNTRIES[code] for code in REGION)
    for spelling in (c.code, c.name, *c.aliases)
]


def _scramble(data: st.DataObject, text: str) -> str:
    """Randomize the case of every character and pad with spaces."""
    flips = data.draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    cased = "".join(ch.upper() if f else ch.lower() for ch, f in zip(text, flips, strict=True))
    gap = data.draw(st.sampled_from([" ", "  ", "\u00a0", " \t "]))
    pad = data.draw(st.sampled_from(["", " ", "\t", "\u00a0 "]))
    return pad + cased.replace(" ", gap) + pad


@given(st.data())
def test_parse_country_ignores_case_and_spaces(data: st.DataObject) -> None:
    spelling, code = data.draw(st.sampled_from(REGION_SPELLINGS))
    assert parse_country(_scramble(data, spelling)) == code


# --- fields and practices ----------------------------------------------------

FIELD_SPELLINGS = [
    ("human rights", "human rights"), ("Human Rights", "human rights"),
    ("human-rights", "human rights"), ("ljudska prava", "human rights"),
    ("Људска права", "human rights"), ("права на човекот", "human rights"),
    ("të drejtat e njeriut", "human rights"), ("te drejtat e njeriut", "human rights"),
    ("social work", "social work"), ("socijalni rad", "social work"),
    ("social services", "social work"), ("социјална работа", "social work"),
    ("law", "law"), ("pravo", "law"), ("Право", "law"), ("legal", "law"),
    ("rule of law", "law"),
    ("peacebuilding", "peacebuilding"), ("peace building", "peacebuilding"),
    ("Peace-Building", "peacebuilding"), ("izgradnja mira", "peacebuilding"),
    ("transitional justice", "transitional justice"),
    ("tranziciona pravda", "transitional justice"),
    ("tranzicijska pravda", "transitional justice"),
    ("transitional-justice", "transitional justice"),
    ("Dealing with the past", "transitional justice"),
    ("suočavanje s prošlošću", "transitional justice"),
]


@pytest.mark.parametrize(("spelling", "label"), FIELD_SPELLINGS)
def test_parse_field(spelling: str, label: str) -> None:
    assert parse_field(spelling) == (label, True)


@pytest.mark.parametrize(
    ("raw", "kept"),
    [("gender equality", "gender equality"), ("  Culture\u00a0 and arts ", "Culture and arts")],
)
def test_unknown_field_is_kept(raw: str, kept: str) -> None:
    assert parse_field(raw) == (kept, False)


PRACTICE_SPELLINGS = [
    ("atrocity risk analysis", "atrocity risk analysis"),
    ("UN Framework of Analysis", "atrocity risk analysis"),
    ("framework of analysis", "atrocity risk analysis"),
    ("atrocity prevention analysis", "atrocity risk analysis"),
    ("early warning", "early warning and response"),
    ("Early warning & response", "early warning and response"),
    ("monitoring", "monitoring and reporting"),
    ("advocacy", "advocacy"), ("zagovaranje", "advocacy"),
    ("hate speech", "countering hate speech"), ("govor mržnje", "countering hate speech"),
    ("Говор на омраза", "countering hate speech"),
    ("social media", "social media and technology"),
    ("community organising", "community organizing"),
    ("reconciliation", "dialogue and reconciliation"),
    ("pomirenje", "dialogue and reconciliation"),
    ("victim support", "victim and survivor support"),
    ("legal assistance", "legal aid"), ("besplatna pravna pomoć", "legal aid"),
    ("memorialization", "documentation and memory"),
    ("documentation", "documentation and memory"),
    ("youth", "education and youth"), ("education", "education and youth"),
    ("Education & Youth", "education and youth"),
]


@pytest.mark.parametrize(("spelling", "label"), PRACTICE_SPELLINGS)
def test_parse_practice(spelling: str, label: str) -> None:
    assert parse_practice(spelling) == (label, True)


def test_unknown_practice_is_kept() -> None:
    assert parse_practice(" fund  raising ") == ("fund raising", False)


def test_every_label_and_alias_parses() -> None:
    for label in FIELDS:
        assert parse_field(label) == (label, True)
        for alias in FIELD_ALIASES[label]:
            assert parse_field(alias) == (label, True), alias
    for label in PRACTICES:
        assert parse_practice(label) == (label, True)
        for alias in PRACTICE_ALIASES[label]:
            assert parse_practice(alias) == (label, True), alias
    assert set(FIELD_ALIASES) == set(FIELDS)
    assert set(PRACTICE_ALIASES) == set(PRACTICES)


# --- risk factors ------------------------------------------------------------

# From domain.md section 1, typed independently of the module.
UN_TITLES = {
    1: "Situations of armed conflict or other forms of instability",
    2: "Record of serious violations of international human rights and humanitarian law",
    3: "Weakness of State structures",
    4: "Motives or incentives",
    5: "Capacity to commit atrocity crimes",
    6: "Absence of mitigating factors",
    7: "Enabling circumstances or preparatory action",
    8: "Triggering factors",
    9: "Intergroup tensions or patterns of discrimination against protected groups",
    10: "Signs of an intent to destroy in whole or in part a protected group",
    11: "Signs of a widespread or systematic attack against any civilian population",
    12: "Signs of a plan or policy to attack any civilian population",
    13: "Serious threats to those protected under international humanitarian law",
    14: "Serious threats to humanitarian or peacekeeping operations",
}
SCOPES = {
    **dict.fromkeys(range(1, 9), "common"),
    9: "genocide", 10: "genocide",
    11: "crimes against humanity", 12: "crimes against humanity",
    13: "war crimes", 14: "war crimes",
}


def test_risk_factor_table() -> None:
    assert list(RISK_FACTORS) == list(range(1, 15))
    for n, rf in RISK_FACTORS.items():
        assert rf.number == n
        assert rf.title == UN_TITLES[n]
        assert rf.scope == SCOPES[n]
        assert 0 < len(rf.short) <= 35
    assert len({rf.short for rf in RISK_FACTORS.values()}) == 14


@given(st.integers(min_value=1, max_value=14))
def test_parse_risk_factor_number_and_title(n: int) -> None:
    assert parse_risk_factor(n) == n
    assert parse_risk_factor(float(n)) == n
    assert parse_risk_factor(str(n)) == n
    assert parse_risk_factor(UN_TITLES[n]) == n
    assert parse_risk_factor(UN_TITLES[n].upper()) == n
    assert parse_risk_factor(f"RF{n}") == n
    assert parse_risk_factor(f"{n}. {UN_TITLES[n]}") == n
    assert parse_risk_factor(RISK_FACTORS[n].short) == n


@pytest.mark.parametrize(
    "value",
    [
        8, 8.0, np.int64(8), np.float64(8.0), "8", " 8 ", "08", "8.0", "RF8", "rf8", "RF 8",
        "RF-8", "Risk factor 8", "risk factor 8: triggering factors", "8 - Triggering factors",
        "8. Triggering factors", "8: Triggering factors", "Triggering factors",
        "TRIGGERING FACTORS", "triggers", "Faktor rizika 8", "Фактор ризика 8",
        "Фактор на ризик 8", "Faktori i rrezikut 8", "Risk factor no. 8", "RF #8",
    ],
)
def test_parse_risk_factor_forms_of_eight(value: object) -> None:
    assert parse_risk_factor(value) == 8


@pytest.mark.parametrize(
    ("value", "n"),
    [("armed conflict", 1), ("Weakness of state structures", 3), ("RF 14", 14), (1, 1)],
)
def test_parse_risk_factor_other_examples(value: object, n: int) -> None:
    assert parse_risk_factor(value) == n


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"), (15, "15"), (-1, "-1"), (8.5, "8.5"), ("8.5", "8.5"), ("banana", "banana"),
        ("RF 15", "RF 15"), ("15", "15"), ("8 - Armed conflict", "8 - Armed conflict"),
        ("risk factor", "risk factor"), ("mitigating factors", "mitigating factors"),
        (True, "True"),
    ],
)
def test_parse_risk_factor_rejects(value: object, shown: str) -> None:
    with pytest.raises(VocabularyError) as err:
        parse_risk_factor(value)
    assert str(err.value) == (
        f"risk factor '{shown}' is not one of the 14 risk factors of the UN Framework of "
        "Analysis; expected a number 1-14 or its title"
    )


@pytest.mark.parametrize("value", [None, "", float("nan")])
def test_parse_risk_factor_blank(value: object) -> None:
    with pytest.raises(VocabularyError, match="expected a number 1-14"):
        parse_risk_factor(value)


# --- split_multi -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "items"),
    [
        (None, []), (float("nan"), []), (pd.NA, []), ("", []), ("  ;, \n", []),
        (8, ["8"]), (8.0, ["8"]), (8.5, ["8.5"]),
        ("law", ["law"]),
        ("law; peacebuilding", ["law", "peacebuilding"]),
        ("law,peacebuilding", ["law", "peacebuilding"]),
        ("law\npeacebuilding\r\nsocial work", ["law", "peacebuilding", "social work"]),
        (" human   rights ;;  law ", ["human rights", "law"]),
        ("Law; law; LAW", ["Law"]),
        ("Ljudska prava; ljudska  prava; Људска права", ["Ljudska prava"]),
        ("b; a; b", ["b", "a"]),
    ],
)
def test_split_multi(value: object, items: list[str]) -> None:
    assert split_multi(value) == items


WORD = st.text(alphabet="abcčćdđeghlnsšzžABCČĐŠЉљЖжЏџ", min_size=1, max_size=8)
ITEM = st.lists(WORD, min_size=1, max_size=3).map(" ".join)


@given(st.lists(ITEM, max_size=6, unique_by=fold))
def test_split_multi_round_trip(items: list[str]) -> None:
    assert split_multi(";".join(items)) == items
    assert split_multi(", ".join(items)) == items
    assert split_multi("\n".join(items)) == items


# --- parse_bool --------------------------------------------------------------

YES = ["yes", "y", "true", "1", "da", "да", "po"]
NO = ["no", "n", "false", "0", "ne", "не", "jo"]


@pytest.mark.parametrize(
    ("value", "answer"),
    [(s, True) for s in YES]
    + [(s, False) for s in NO]
    + [
        ("YES", True), (" Da ", True), ("ДА", True), ("No", False), ("НЕ", False),
        ("Po", True), ("JO", False),
        (True, True), (False, False), (np.bool_(True), True),
        (1, True), (0, False), (1.0, True), (0.0, False),
        (None, None), ("", None), ("  ", None), (float("nan"), None),
    ],
)
def test_parse_bool(value: object, answer: bool | None) -> None:
    assert parse_bool(value) is answer


def test_bool_spellings_constant() -> None:
    assert set(BOOL_SPELLINGS[True]) == set(YES)
    assert set(BOOL_SPELLINGS[False]) == set(NO)


@pytest.mark.parametrize(("value", "shown"), [("maybe", "maybe"), ("x", "x"), (2, "2"), (0.5, "0.5")])
def test_parse_bool_rejects(value: object, shown: str) -> None:
    with pytest.raises(VocabularyError) as err:
        parse_bool(value)
    assert str(err.value) == (
        f"expected yes or no (also true/false, 1/0, da/ne, да/не, po/jo), got '{shown}'"
    )


@given(st.data())
def test_parse_bool_any_case(data: st.DataObject) -> None:
    spelling, answer = data.draw(st.sampled_from([(s, True) for s in YES] + [(s, False) for s in NO]))
    assert parse_bool(_scramble(data, spelling)) is answer


# --- dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        (None, None), ("", None), (" ", None), (float("nan"), None), (pd.NaT, None),
        (dt.date(2014, 5, 3), "2014-05-03"),
        (dt.datetime(2014, 5, 3, 15, 30), "2014-05-03"),
        (pd.Timestamp("2014-05-03 10:00"), "2014-05-03"),
        (np.datetime64("2014-05-03"), "2014-05-03"),
        (2014, "2014"), (2014.0, "2014"), (np.int64(2014), "2014"),
        ("2014", "2014"), ("2014.", "2014"),
        ("2014-05-03", "2014-05-03"), ("2014-05-03 00:00:00", "2014-05-03"),
        ("2014-05-03T00:00:00", "2014-05-03"),
        ("3.5.2014", "2014-05-03"), ("03.05.2014", "2014-05-03"),
        ("03.05.2014.", "2014-05-03"), ("3. 5. 2014.", "2014-05-03"),
        (" 3.5.2014 ", "2014-05-03"),
        ("29.02.2016", "2016-02-29"),
    ],
)
def test_parse_date(value: object, iso: str | None) -> None:
    assert parse_date(value) == iso


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("31.02.2014", "31.02.2014"), ("29.02.2015", "29.02.2015"), ("2014-13-01", "2014-13-01"),
        ("05/03/2014", "05/03/2014"), ("May 2014", "May 2014"), ("next year", "next year"),
        (12.5, "12.5"), (12, "12"), (2014.5, "2014.5"), (True, "True"),
        (1850, "1850"), ("1850", "1850"), ("2101-01-01", "2101-01-01"),
        (dt.date(1850, 1, 1), "1850-01-01"), ("3.5.14", "3.5.14"),
    ],
)
def test_parse_date_rejects(value: object, shown: str) -> None:
    with pytest.raises(VocabularyError) as err:
        parse_date(value)
    msg = str(err.value)
    assert f"'{shown}'" in msg
    assert "2014" in msg and "2014-05-03" in msg and "03.05.2014" in msg


def test_parse_date_messages_say_why() -> None:
    with pytest.raises(VocabularyError, match="does not exist in the calendar"):
        parse_date("31.02.2014")
    with pytest.raises(VocabularyError, match="1900-2100"):
        parse_date("1850")


FORMATS = [
    lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}",
    lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d} 00:00:00",
    lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}T00:00:00",
    lambda d: f"{d.day:02d}.{d.month:02d}.{d.year:04d}",
    lambda d: f"{d.day}.{d.month}.{d.year}",
    lambda d: f"{d.day:02d}.{d.month:02d}.{d.year:04d}.",
    lambda d: f"{d.day}. {d.month}. {d.year}.",
]


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.sampled_from(FORMATS),
)
def test_parse_date_round_trip(d: dt.date, fmt) -> None:
    assert parse_date(fmt(d)) == d.isoformat()


@given(st.integers(min_value=1900, max_value=2100))
def test_parse_date_years(y: int) -> None:
    assert parse_date(y) == str(y)
    assert parse_date(float(y)) == str(y)
    assert parse_date(str(y)) == str(y)


@pytest.mark.parametrize(
    ("value", "year"),
    [("2014-05-03", 2014), ("2019", 2019), (None, None), ("", None), (float("nan"), None)],
)
def test_year_of(value: object, year: int | None) -> None:
    assert year_of(value) == year


# --- order_items -------------------------------------------------------------


def test_order_items() -> None:
    assert order_items(["law", "human rights"], FIELDS) == ("human rights", "law")
    assert order_items(
        ["law", "gender", "human rights", "law", "Art", "ecology"], FIELDS
    ) == ("human rights", "law", "Art", "ecology", "gender")
    assert order_items([14, 3, 3, 8], RISK_FACTORS) == (3, 8, 14)
    assert order_items([], PRACTICES) == ()
    assert order_items(["zebra", "Čačak", "apple"], ()) == ("apple", "Čačak", "zebra")

