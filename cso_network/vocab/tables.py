"""The vocabularies as data: countries, fields, practices, risk factors, yes/no spellings.

Data only, with no parsing and no other module of cso_network, so every layer
may read it (the sentences of :mod:`cso_network.core.messages` name countries
from here). :mod:`cso_network.vocab.parse` builds its lookup indexes from
these tables. Sources: ISO 3166-1 through pycountry, plus ``XK`` Kosovo; the
UN Framework of Analysis for Atrocity Crimes (2014) for the 14 risk factors;
the spellings used in the region (docs/vocabularies.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import pycountry

__all__ = [
    "REGION",
    "Country",
    "COUNTRY_NAMES",
    "REGION_ALIASES",
    "HISTORIC_COUNTRY_NAMES",
    "ENTITY_NAMES",
    "SCG_MESSAGE",
    "YU_MESSAGE",
    "YU_SUCCESSORS",
    "FIELDS",
    "PRACTICES",
    "FIELD_ALIASES",
    "PRACTICE_ALIASES",
    "RiskFactor",
    "RISK_FACTORS",
    "BOOL_SPELLINGS",
    "SHEET_ALIASES",
    "COLUMN_ALIASES",
]

# --- countries ---------------------------------------------------------------

#: The programme's region, in display order.
REGION: tuple[str, ...] = ("BA", "ME", "MK", "RS", "HR", "SI", "AL", "XK")


@dataclass(frozen=True)
class Country:
    """A country or territory.

    Attributes
    ----------
    code : str
        ISO 3166-1 alpha-2 code (``"XK"`` for Kosovo, a user-assigned code).
    name : str
        English short name.
    aliases : tuple of str
        Other accepted spellings (alpha-3 code, official and local names...).
    """

    code: str
    name: str
    aliases: tuple[str, ...] = ()


#: Spellings used in the region (domain.md section 2), on top of the ISO names
#: and alpha-3 codes. The region's own abbreviations mean what they mean there,
#: even where another country has them as its ISO code: "BH" is Bosnia and
#: Herzegovina (not Bahrain, which is read from "BHR" or its name), "CG" is
#: Montenegro (Crna Gora, not Congo: "COG"), "KS" is Kosovo.
REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "BA": (
        "BiH", "BH", "B&H", "B i H", "Bosnia", "Bosnia-Herzegovina",
        "Bosna i Hercegovina", "Босна и Херцеговина", "БиХ", "Bosna in Hercegovina",
        "Bosnja dhe Hercegovina", "Bosnje dhe Hercegovina",
    ),
    "ME": ("CG", "ЦГ", "Crna Gora", "Црна Гора", "Črna gora", "Mali i Zi",
           "Republic of Montenegro"),
    "MK": (
        "Macedonia", "Republic of Macedonia", "FYROM", "F.Y.R.O.M.", "FYR Macedonia",
        "former Yugoslav Republic of Macedonia", "The former Yugoslav Republic of Macedonia",
        "RM", "RNM", "Severna Makedonija", "Северна Македонија", "Sjeverna Makedonija",
        "Republika Severna Makedonija", "Република Северна Македонија",
        "Makedonija", "Македонија", "Republika Makedonija", "Република Македонија",
        "Maqedonia e Veriut", "Maqedoni e Veriut", "Maqedonia",
    ),
    "RS": ("SRB", "Srbija", "Србија", "Republika Srbija", "Република Србија", "Serbi"),
    "HR": ("HRV", "CRO", "Hrvatska", "Хрватска", "Republika Hrvatska", "Hrvaška", "Kroacia"),
    "SI": ("SLO", "Slovenija", "Словенија", "Republika Slovenija", "Sllovenia"),
    "AL": (
        "ALB", "Shqipëria", "Shqipëri", "Republika e Shqipërisë",
        "Albanija", "Албанија",
    ),
    "XK": (
        "XKX", "XKK", "KOS", "RKS", "KS", "Kosova", "Kosovë", "Kosovo", "Косово",
        "Kosovo*", "Kosovo (UNSCR 1244)", "Kosovo (UNSCR 1244/99)", "Kosovo under UNSCR 1244",
        "Republic of Kosovo", "Republika e Kosovës", "Republika Kosovo",
        "Kosovo and Metohija", "Kosovo i Metohija", "Косово и Метохија", "KiM",
    ),
}

SCG_MESSAGE = (
    "'{value}' is a former state (Serbia and Montenegro, 1992-2006); "
    "write the present-day country instead: Serbia (RS) or Montenegro (ME)"
)
YU_MESSAGE = (
    "'{value}' is a former state (Yugoslavia); write the present-day country instead, "
    "e.g. Bosnia and Herzegovina (BA), Croatia (HR), Montenegro (ME), "
    "North Macedonia (MK), Serbia (RS), Slovenia (SI) or Kosovo (XK)"
)
#: Parts of a country written where the country belongs: Bosnia and Herzegovina's
#: two entities and its district. They are read as the country, with a note.
ENTITY_NAMES: dict[str, str] = {
    name: "BA"
    for name in (
        "Republika Srpska", "Република Српска", "RS BiH",
        "Federacija Bosne i Hercegovine", "Федерација Босне и Херцеговине",
        "Federacija BiH", "Федерација БиХ", "FBiH", "ФБиХ",
        "Federation of Bosnia and Herzegovina",
        "Brčko distrikt", "Брчко дистрикт", "Brčko Distrikt BiH", "Brčko distrikt BiH",
        "Brcko District", "Brčko District", "Distrikt Brčko",
    )
}

#: Names of former states that cannot be mapped to one present-day country, with the
#: English of the error they raise (``{value}`` is the name as written).
HISTORIC_COUNTRY_NAMES: dict[str, str] = {
    name: SCG_MESSAGE
    for name in (
        "Serbia and Montenegro", "Srbija i Crna Gora", "Србија и Црна Гора",
        "Državna zajednica Srbija i Crna Gora", "SCG", "CS", "FRY", "SRJ",
        "Federal Republic of Yugoslavia", "Savezna Republika Jugoslavija",
        "Савезна Република Југославија",
    )
} | {
    name: YU_MESSAGE
    for name in ("Yugoslavia", "Jugoslavija", "Југославија", "SFRY", "SFRJ", "СФРЈ", "YU")
}

#: Present-day countries that were part of Yugoslavia, as a former-state error names them.
YU_SUCCESSORS = ("BA", "HR", "ME", "MK", "RS", "SI")

#: English short name of every ISO 3166-1 country, plus ``XK`` Kosovo, by alpha-2 code.
COUNTRY_NAMES: dict[str, str] = {
    c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries
} | {"XK": "Kosovo"}


# --- fields and practices ----------------------------------------------------

#: The programme's five fields of work (canonical labels, display order).
FIELDS: tuple[str, ...] = (
    "human rights",
    "social work",
    "law",
    "peacebuilding",
    "transitional justice",
)

#: What the seminars taught and CSOs do (canonical labels, display order).
PRACTICES: tuple[str, ...] = (
    "atrocity risk analysis",
    "early warning and response",
    "monitoring and reporting",
    "advocacy",
    "countering hate speech",
    "social media and technology",
    "community organizing",
    "dialogue and reconciliation",
    "victim and survivor support",
    "legal aid",
    "documentation and memory",
    "education and youth",
)

#: Accepted other spellings of each field (English, BCMS, Macedonian, Albanian, Slovenian).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "human rights": (
        "human-rights", "human rights protection", "ljudska prava", "људска права",
        "zaštita ljudskih prava", "заштита људских права", "права на човекот",
        "човекови права", "të drejtat e njeriut", "të drejtat njerëzore",
        "človekove pravice",
    ),
    "social work": (
        "social services", "social welfare", "social care", "social protection",
        "socijalni rad", "социјални рад", "социјална работа", "socijalna zaštita",
        "социјална заштита", "socijalne usluge", "социјални услуги",
        "punë sociale", "puna sociale", "shërbime sociale", "socialno delo",
    ),
    "law": (
        "legal", "legal affairs", "rule of law", "pravo", "право", "vladavina prava",
        "владавина права", "владеење на правото", "e drejta", "sundimi i ligjit",
        "pravna država",
    ),
    "peacebuilding": (
        "peace building", "peace-building", "izgradnja mira", "изградња мира",
        "градење мир", "градење на мирот", "изградба на мирот",
        "ndërtimi i paqes", "ndërtim paqeje", "gradnja miru",
    ),
    "transitional justice": (
        "transitional-justice", "dealing with the past", "tranziciona pravda",
        "tranzicijska pravda", "транзициона правда", "транзициска правда",
        "drejtësia tranzicionale", "drejtësi tranzicionale", "suočavanje s prošlošću",
        "suočavanje sa prošlošću", "суочавање са прошлошћу", "соочување со минатото",
        "ballafaqimi me të kaluarën", "tranzicijska pravičnost",
    ),
}

#: Accepted other spellings of each practice.
PRACTICE_ALIASES: dict[str, tuple[str, ...]] = {
    "atrocity risk analysis": (
        "UN Framework of Analysis", "Framework of Analysis", "Framework of Analysis for Atrocity Crimes",
        "atrocity prevention analysis", "atrocity risk assessment", "risk analysis",
        "risk assessment", "analiza rizika", "анализа ризика", "анализа на ризик",
        "analiza rizika od zločina", "analiza e rrezikut",
    ),
    "early warning and response": (
        "early warning", "early warning and early response", "early warning system",
        "early warning and early action", "rano upozoravanje", "рано упозоравање",
        "rano upozorenje", "рано предупредување", "paralajmërim i hershëm",
        "paralajmërimi i hershëm",
    ),
    "monitoring and reporting": (
        "monitoring", "reporting", "human rights monitoring", "monitoring i izvještavanje",
        "monitoring i izveštavanje", "praćenje i izvještavanje", "praćenje i izveštavanje",
        "мониторинг и извештавање", "мониторинг и известување", "monitorim dhe raportim",
        "monitorimi dhe raportimi",
    ),
    "advocacy": (
        "policy advocacy", "lobbying", "zagovaranje", "заговарање", "javno zagovaranje",
        "lobiranje", "застапување", "avokim", "avokimi", "avokimi dhe lobimi",
        "zagovorništvo",
    ),
    "countering hate speech": (
        "hate speech", "counter hate speech", "combating hate speech", "counter speech",
        "govor mržnje", "говор мржње", "suzbijanje govora mržnje",
        "borba protiv govora mržnje", "говор на омраза", "gjuha e urrejtjes",
        "sovražni govor",
    ),
    "social media and technology": (
        "social media", "technology", "digital media", "new media", "ICT",
        "društvene mreže", "друштвене мреже", "nove tehnologije", "социјални медиуми",
        "социјални мрежи", "rrjetet sociale", "mediat sociale", "družbeni mediji",
    ),
    "community organizing": (
        "community organising", "community mobilization", "community mobilisation",
        "community work", "grassroots organizing", "organizovanje zajednice",
        "organiziranje zajednice", "rad u zajednici", "организовање заједнице",
        "организирање на заедницата", "organizimi i komunitetit",
        "mobilizimi i komunitetit",
    ),
    "dialogue and reconciliation": (
        "dialogue", "dialog", "reconciliation", "interethnic dialogue",
        "intercultural dialogue", "pomirenje", "помирење", "dijalog i pomirenje",
        "дијалог и помирење", "међуетнички дијалог", "međuetnički dijalog",
        "дијалог и помирување", "помирување", "dialog dhe pajtim", "pajtimi", "sprava",
    ),
    "victim and survivor support": (
        "victim support", "survivor support", "victims and survivors",
        "support to victims", "support for victims", "support to survivors",
        "psychosocial support", "podrška žrtvama", "подршка жртвама",
        "rad sa žrtvama", "поддршка на жртвите", "mbështetje për viktimat",
        "podpora žrtvam",
    ),
    "legal aid": (
        "legal assistance", "free legal aid", "legal counselling", "legal counseling",
        "pravna pomoć", "besplatna pravna pomoć", "правна помоћ", "бесплатна правна помоћ",
        "правна помош", "бесплатна правна помош", "ndihmë juridike", "ndihma juridike",
        "ndihmë juridike falas", "pravna pomoč", "brezplačna pravna pomoč",
    ),
    "documentation and memory": (
        "documentation", "memory", "memorialization", "memorialisation", "remembrance",
        "memory work", "culture of remembrance", "dokumentacija", "dokumentovanje",
        "dokumentiranje", "документовање", "документирање", "memorijalizacija",
        "меморијализација", "kultura sjećanja", "kultura sećanja", "култура сећања",
        "култура на сеќавање", "dokumentimi", "kujtesa", "memorializimi",
    ),
    "education and youth": (
        "education", "youth", "youth work", "peace education", "human rights education",
        "obrazovanje", "образовање", "edukacija", "едукација", "mladi", "млади",
        "rad s mladima", "rad sa mladima", "образование", "младина", "млади луѓе",
        "arsim", "arsimi", "edukim", "edukimi", "rinia", "të rinjtë", "izobraževanje",
        "mladina",
    ),
}


# --- risk factors ------------------------------------------------------------


@dataclass(frozen=True)
class RiskFactor:
    """One risk factor of the UN Framework of Analysis for Atrocity Crimes (2014).

    Attributes
    ----------
    number : int
        1-14.
    title : str
        Official short title.
    scope : str
        ``"common"`` (1-8) or the crime it is specific to: ``"genocide"``,
        ``"crimes against humanity"`` or ``"war crimes"``.
    short : str
        A label of a few words, for charts.
    aliases : tuple of str
        Further accepted spellings (kept few and unambiguous).
    """

    number: int
    title: str
    scope: str
    short: str = ""
    aliases: tuple[str, ...] = ()


RISK_FACTORS: dict[int, RiskFactor] = {
    rf.number: rf
    for rf in (
        RiskFactor(
            1, "Situations of armed conflict or other forms of instability", "common",
            short="Armed conflict or instability", aliases=("armed conflict",),
        ),
        RiskFactor(
            2, "Record of serious violations of international human rights and humanitarian law",
            "common", short="Record of serious violations",
        ),
        RiskFactor(3, "Weakness of State structures", "common", short="Weak State structures"),
        RiskFactor(4, "Motives or incentives", "common", short="Motives or incentives"),
        RiskFactor(5, "Capacity to commit atrocity crimes", "common", short="Capacity to commit"),
        RiskFactor(6, "Absence of mitigating factors", "common", short="No mitigating factors"),
        RiskFactor(
            7, "Enabling circumstances or preparatory action", "common",
            short="Enabling circumstances", aliases=("preparatory action",),
        ),
        RiskFactor(
            8, "Triggering factors", "common", short="Triggering factors",
            aliases=("triggers", "triggering factor"),
        ),
        RiskFactor(
            9, "Intergroup tensions or patterns of discrimination against protected groups",
            "genocide", short="Intergroup tensions",
        ),
        RiskFactor(
            10, "Signs of an intent to destroy in whole or in part a protected group",
            "genocide", short="Intent to destroy a group",
        ),
        RiskFactor(
            11, "Signs of a widespread or systematic attack against any civilian population",
            "crimes against humanity", short="Widespread or systematic attack",
        ),
        RiskFactor(
            12, "Signs of a plan or policy to attack any civilian population",
            "crimes against humanity", short="Plan or policy to attack",
        ),
        RiskFactor(
            13, "Serious threats to those protected under international humanitarian law",
            "war crimes", short="Threats to protected persons",
        ),
        RiskFactor(
            14, "Serious threats to humanitarian or peacekeeping operations",
            "war crimes", short="Threats to aid and peacekeepers",
        ),
    )
}


# --- yes/no ------------------------------------------------------------------

#: Accepted yes/no spellings (matched case-insensitively, Cyrillic or Latin).
BOOL_SPELLINGS: dict[bool, tuple[str, ...]] = {
    True: ("yes", "y", "true", "1", "da", "да", "po"),
    False: ("no", "n", "false", "0", "ne", "не", "jo"),
}


# --- sheet and column names --------------------------------------------------

#: Other names of the master workbook's sheets: the BCS template's own (first), and
#: spellings people use. Matched after :func:`cso_network.core.text.fold`.
SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    "seminars": ("seminari", "семинари", "seminar", "trainings", "obuke"),
    "organizations": ("organizacije", "организације", "organisations", "organizations list",
                      "organization", "organisation", "organizacija", "CSOs", "NVO"),
    "participants": ("ucesnici", "učesnici", "учесници", "sudionici", "polaznici",
                     "participant", "people"),
    "attendance": ("prisustvo", "присуство", "dolasci", "attendances"),
    "collaborations": ("saradnje", "сарадње", "suradnje", "saradnja", "collaboration",
                       "partnerships"),
    "engagements": ("angazmani", "angažmani", "ангажмани", "kontakti s UNOGP",
                    "engagement", "UNOGP contacts"),
}

#: Other names of each sheet's columns: the BCS template's own header (first), then
#: spellings people use. Keyed by (sheet, column).
COLUMN_ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("seminars", "seminar_id"): ("id_seminara", "seminar", "seminar id"),
    ("seminars", "city"): ("grad", "град", "mjesto", "town"),
    ("seminars", "country"): ("država", "држава", "drzava", "zemlja"),
    ("seminars", "start_date"): ("početak", "почетак", "pocetak", "datum_početka", "start",
                                 "date", "datum", "from"),
    ("seminars", "end_date"): ("kraj", "крај", "datum_završetka", "end", "to"),
    ("organizations", "org_id"): ("id_organizacije", "organization_id", "organisation_id", "id"),
    ("organizations", "name"): ("naziv", "назив", "ime", "organization", "organisation",
                                "organization name", "organisation name", "naziv organizacije"),
    ("organizations", "country"): ("država", "држава", "drzava", "zemlja"),
    ("organizations", "city"): ("grad", "град", "mjesto", "town"),
    ("organizations", "type"): ("vrsta", "врста", "tip", "legal form", "pravni oblik"),
    ("organizations", "fields"): ("oblasti_rada", "области рада", "oblast rada", "field",
                                  "fields of work", "area", "areas"),
    ("organizations", "practices"): ("prakse", "праксе", "practice", "activities", "aktivnosti"),
    ("organizations", "risk_factors"): ("faktori_rizika", "фактори ризика", "risk factor",
                                        "risk factors covered"),
    ("participants", "participant_id"): ("id_učesnika", "id učesnika", "id_ucesnika",
                                         "participant", "person_id", "id"),
    ("participants", "full_name"): ("ime_i_prezime", "име и презиме", "ime i prezime", "name",
                                    "full name", "participant name"),
    ("participants", "org_id"): ("id_organizacije", "organization_id", "organisation_id",
                                 "organization", "organisation", "organizacija"),
    ("participants", "role"): ("uloga", "улога", "funkcija", "position", "title"),
    ("participants", "gender"): ("spol", "пол", "pol", "sex"),
    ("participants", "email"): ("e-pošta", "е-пошта", "e-posta", "e-mail", "mail",
                                "email address"),
    ("participants", "phone"): ("telefon", "телефон", "phone number", "tel", "mobile"),
    ("participants", "consent_contact"): ("saglasnost_za_kontakt", "сагласност за контакт",
                                          "suglasnost za kontakt", "consent to contact"),
    ("participants", "consent_directory"): ("saglasnost_za_imenik", "сагласност за именик",
                                            "suglasnost za imenik", "consent to directory",
                                            "consent to be listed"),
    ("attendance", "participant_id"): ("id_učesnika", "id učesnika", "id_ucesnika",
                                       "participant"),
    ("attendance", "seminar_id"): ("id_seminara", "seminar"),
    ("collaborations", "org_a"): ("organizacija_a", "организација а", "organization a",
                                  "organisation a", "from"),
    ("collaborations", "org_b"): ("organizacija_b", "организација б", "organization b",
                                  "organisation b", "to"),
    ("collaborations", "kind"): ("vrsta", "врста", "type"),
    ("collaborations", "since"): ("od", "од", "od kada", "start", "year"),
    ("collaborations", "source"): ("izvor", "извор"),
    ("collaborations", "note"): ("napomena", "напомена", "notes", "comment"),
    ("engagements", "org_id"): ("id_organizacije", "organization_id", "organisation_id",
                                "organization", "organisation"),
    ("engagements", "kind"): ("vrsta", "врста", "type"),
    ("engagements", "date"): ("datum", "датум", "year", "godina"),
    ("engagements", "note"): ("napomena", "напомена", "notes", "comment"),
}
