"""The blank template's words: instructions, sheet names and column headers, in English and BCS.

:func:`cso_network.ingest.excel.write_template` writes the workbook; this
module says what it says. English names are the tables' own
(:mod:`cso_network.core.model`); BCS names are the first aliases of
:data:`~cso_network.vocab.tables.SHEET_ALIASES` and
:data:`~cso_network.vocab.tables.COLUMN_ALIASES`, so the reader reads a
filled-in BCS template like an English one.
"""

from __future__ import annotations

from cso_network.core.model import TABLES
from cso_network.vocab.tables import COLUMN_ALIASES, SHEET_ALIASES

__all__ = ["TEMPLATE_LANGUAGES", "sheet_name", "column_header", "column_description",
           "instructions"]

#: The languages the template is written in.
TEMPLATE_LANGUAGES = ("en", "bs")

_INTRO = {
    "en": """# cso-network master workbook (blank template)
Fill one sheet per table. Row 1 is the header: do not rename or remove these columns.
Sheets seminars, organizations, participants and attendance are required (they may be empty);
collaborations and engagements are optional. This README sheet and the lists sheet are ignored.
Multi-value cells (fields, practices, risk_factors): separate values with ; or , or new lines.
Dates: 2014-05-03, 03.05.2014 or a bare year such as 2014.
Yes/no cells: yes/no (also da/ne, да/не, po/jo, true/false, 1/0).
Countries: an ISO code (BA, ME, MK, RS, HR, SI, AL, XK), a regional abbreviation (BiH, CG) or the name in any script.
Risk factors: numbers 1-14 of the UN Framework of Analysis for Atrocity Crimes, or their titles.
The file may contain personal data about human-rights defenders: keep it out of shared folders.
Check the file before importing: Data page of the dashboard, or cso-network validate FILE

# Columns
""",
    "bs": """# cso-network glavna radna knjiga (prazan obrazac)
Popunite po jedan list za svaku tabelu. Red 1 je zaglavlje: ne mijenjajte i ne brišite ove kolone.
Listovi seminari, organizacije, ucesnici i prisustvo su obavezni (mogu biti prazni);
saradnje i angazmani nisu obavezni. Ovaj list README i list lists se ne čitaju.
Ćelije s više vrijednosti (oblasti rada, prakse, faktori rizika): odvojite vrijednosti sa ; ili , ili novim redom.
Datumi: 2014-05-03, 03.05.2014 ili samo godina, npr. 2014.
Ćelije da/ne: da/ne (ili да/не, yes/no, po/jo, true/false, 1/0).
Države: ISO oznaka (BA, ME, MK, RS, HR, SI, AL, XK), regionalna skraćenica (BiH, CG) ili naziv, latinicom ili ćirilicom.
Faktori rizika: brojevi 1-14 Okvira UN-a za analizu zločina zvjerstava ili njihovi nazivi.
Datoteka može sadržavati lične podatke o braniteljima ljudskih prava: ne držite je u dijeljenim folderima.
Provjerite datoteku prije uvoza: stranica Podaci na kontrolnoj ploči ili cso-network validate DATOTEKA

# Kolone
""",
}

_TABLE_DESCRIPTIONS_BS = {
    "seminars": "Jedan red za svaki regionalni seminar.",
    "organizations": "Jedan red za svaku organizaciju civilnog društva.",
    "participants": "Jedan red za svaku osobu koja je prisustvovala seminaru.",
    "attendance": "Jedan red za svaku osobu na svakom seminaru kojem je prisustvovala.",
    "collaborations": "Prijavljene saradnje dvije organizacije (bez smjera).",
    "engagements": "Kontakti organizacije s UNOGP-om.",
}

_COLUMN_DESCRIPTIONS_BS = {
    ("seminars", "seminar_id"): "Kratka jedinstvena oznaka, npr. SEM-2014-SKP",
    ("seminars", "city"): "Grad u kojem je seminar održan",
    ("seminars", "country"): "Država (naziv ili ISO oznaka)",
    ("seminars", "start_date"): "Prvi dan (datum ili godina)",
    ("seminars", "end_date"): "Posljednji dan (datum ili godina)",
    ("organizations", "org_id"): "Kratka jedinstvena oznaka, npr. ORG-001",
    ("organizations", "name"): "Naziv organizacije kako ga ona piše",
    ("organizations", "country"): "Država (naziv ili ISO oznaka)",
    ("organizations", "city"): "Grad",
    ("organizations", "type"): "Pravni oblik ili vrsta: udruženje, fondacija, mreža...",
    ("organizations", "fields"): "Oblasti rada, odvojene sa ; ili ,",
    ("organizations", "practices"): "Prakse, odvojene sa ; ili ,",
    ("organizations", "risk_factors"): "Obuhvaćeni faktori rizika Okvira UN-a: brojevi 1-14 ili nazivi",
    ("participants", "participant_id"): "Kratka jedinstvena oznaka, npr. P-0001",
    ("participants", "full_name"): "Ime i prezime",
    ("participants", "org_id"): "Organizacija koju je osoba predstavljala",
    ("participants", "role"): "Uloga u organizaciji",
    ("participants", "gender"): "Kako je osoba navela",
    ("participants", "email"): "E-pošta",
    ("participants", "phone"): "Telefon",
    ("participants", "consent_contact"): "Smiju li je drugi kontaktirati? da/ne",
    ("participants", "consent_directory"): "Smije li biti navedena u imeniku? da/ne",
    ("attendance", "participant_id"): "Ko je prisustvovao",
    ("attendance", "seminar_id"): "Kojem seminaru",
    ("collaborations", "org_a"): "Jedna organizacija",
    ("collaborations", "org_b"): "Druga organizacija (redoslijed nije bitan)",
    ("collaborations", "kind"): "zajednički projekat, članstvo u mreži, razmjena...",
    ("collaborations", "since"): "Od kada (datum ili godina)",
    ("collaborations", "source"): "Odakle to znamo: anketa, izvještaj...",
    ("collaborations", "note"): "Slobodan tekst",
    ("engagements", "org_id"): "Organizacija",
    ("engagements", "kind"): "brifing, dostavljen izvještaj, konsultacije, zajednički događaj...",
    ("engagements", "date"): "Kada (datum ili godina)",
    ("engagements", "note"): "Slobodan tekst",
}


def sheet_name(table: str, lang: str) -> str:
    """The name of ``table``'s sheet in the ``lang`` template.

    >>> sheet_name("participants", "en"), sheet_name("participants", "bs")
    ('participants', 'ucesnici')
    """
    return table if lang == "en" else SHEET_ALIASES[table][0]


def column_header(table: str, column: str, lang: str) -> str:
    """The header of ``column`` in the ``lang`` template.

    >>> column_header("organizations", "name", "bs")
    'naziv'
    """
    return column if lang == "en" else COLUMN_ALIASES[(table, column)][0]


def column_description(table: str, column: str, lang: str) -> str:
    """What ``column`` holds, in ``lang``."""
    if lang == "en":
        return TABLES[table].column(column).description
    return _COLUMN_DESCRIPTIONS_BS[(table, column)]


def instructions(lang: str) -> str:
    """The README sheet's text: how to fill in the template, then every sheet and column."""
    lines = [_INTRO[lang]]
    required = "obavezno" if lang == "bs" else "required"
    for name, table in TABLES.items():
        about = table.description if lang == "en" else _TABLE_DESCRIPTIONS_BS[name]
        lines.append(f"## {sheet_name(name, lang)}: {about}")
        for col in table.columns:
            req = f" ({required})" if col.required else ""
            lines.append(f"{column_header(name, col.name, lang)}{req}: "
                         f"{column_description(name, col.name, lang)}")
        lines.append("")
    return "\n".join(lines)
