"""Library sentences as messages: English text that a front end can say in another language.

The English of every message is the library's contract (JSON, CLI, tests);
the same message rendered through the dashboard's BCS catalog must come out
in BCS, with vocabulary, countries and plural forms in that language.
"""

from __future__ import annotations

import ast
import copy
import json
import pickle
from pathlib import Path

import flask
import pytest
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from cso_network.core import messages
from cso_network.core.messages import (
    ENGLISH,
    Cap,
    EnglishTranslator,
    Message,
    Seq,
    country,
    join,
    msg,
    nmsg,
    ordinal,
    render,
    term,
)
from dashboard import i18n

ROOT = Path(__file__).resolve().parents[2]


class Upper(EnglishTranslator):
    """A toy language: templates in capitals (fields kept), terms as KIND:CODE."""

    def gettext(self, message):
        return _upper_keep_fields(message)

    def ngettext(self, singular, plural, n):
        return _upper_keep_fields(singular if n == 1 else plural) + f" [{n}]"

    def term(self, kind, code):
        return f"{kind}:{code}"


def _upper_keep_fields(text: str) -> str:
    out, depth = [], 0
    for ch in text:
        depth += ch == "{"
        out.append(ch if depth else ch.upper())
        depth -= ch == "}"
    return "".join(out)


def test_a_message_is_its_english_text():
    m = msg("{a} and {b} have no declared collaboration yet", a=country("ME"), b=country("MK"))
    assert m == "Montenegro and North Macedonia have no declared collaboration yet"
    assert isinstance(m, str)
    assert json.dumps({"r": [m]}) == '{"r": ["Montenegro and North Macedonia have no declared ' \
        'collaboration yet"]}'
    assert {m: 1}["Montenegro and North Macedonia have no declared collaboration yet"] == 1
    assert f"{m}!" .endswith("yet!")


def test_render_rebuilds_from_template_and_values():
    m = msg("Covers {what} that {who} does not",
            what=join([term("practice", "legal aid"), term("field", "law"), "x"]), who="Org A")
    assert render(m, Upper()) == "COVERS practice:legal aid, field:law AND x THAT Org A DOES NOT"
    assert render(m) == str(m) == "Covers legal aid, law and x that Org A does not"


def test_plural_forms_and_numbers_keep_their_format():
    m = nmsg("{n} pair met ({share:.0%})", "{n} pairs met ({share:.0%})", 3, share=0.256)
    assert m == "3 pairs met (26%)"
    assert render(m, Upper()) == "3 PAIRS MET (26%) [3]"
    assert nmsg("{n} pair", "{n} pairs", 1) == "1 pair"


def test_cap_and_ordinal():
    assert Cap(term("field", "social work")) == "Social work"
    assert render(Cap(term("field", "social work")), Upper()) == "Field:social work"
    assert [str(ordinal(n)) for n in (1, 2, 3, 11, 23)] == ["1st", "2nd", "3rd", "11th", "23rd"]


def test_seq_and_join():
    assert join([]) == ""
    assert join([country("BA")]) == "Bosnia and Herzegovina"
    assert isinstance(join([country("BA")]), messages.Term)
    assert join(list("abcde"), limit=2) == "a, b and 3 more"
    assert Seq(["a", "b"], sep="; ") == "a; b"


def test_a_broken_translation_falls_back_to_english():
    class Broken(EnglishTranslator):
        def gettext(self, message):
            return "{missing} field"

    m = msg("Met at {seminars}", seminars="Skopje 2014")
    assert render(m, Broken()) == "Met at Skopje 2014"


def test_messages_survive_pickle_and_copy():
    m = nmsg("{org} is linked to {n} organization", "{org} is linked to {n} organizations", 2,
             org=msg("{name} ({code})", name=country("XK"), code="XK"))
    for other in (pickle.loads(pickle.dumps(m)), copy.deepcopy(m)):
        assert other == m == "Kosovo (XK) is linked to 2 organizations"
        assert isinstance(other, Message) and other.template == m.template
        assert render(other, Upper()) == render(m, Upper())


def test_unknown_term_kind_is_refused():
    with pytest.raises(ValueError, match="unknown term kind"):
        term("colour", "red")


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@given(name=_text, n=st.integers(0, 10_000), items=st.lists(_text, max_size=6))
def test_english_render_equals_the_message_text(name, n, items):
    m = nmsg("{who} has {n} tie with {items}", "{who} has {n} ties with {items}", n,
             who=name, items=join(items, limit=3))
    assert render(m, ENGLISH) == str(m)
    assert name in m  # values are inserted, never parsed as templates


# ----------------------------------------------------------------------------- the catalog


def _library_templates() -> set:
    """Every literal template given to msg()/nmsg() in cso_network/, found by parsing the code."""
    found = set()
    for path in (ROOT / "cso_network").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("msg", "nmsg") and node.args
                    and isinstance(node.args[0], ast.Constant)):
                if node.func.id == "nmsg":
                    found.add((node.args[0].value, node.args[1].value))
                else:
                    found.add(node.args[0].value)
    return found


def test_every_library_template_is_in_the_bcs_catalog():
    """Independent of Babel's extractor (which skips calls inside lambdas): parse the code."""
    with (ROOT / "dashboard" / "locale" / "bs" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="bs")
    ids = {m.id for m in catalog if m.id and not m.fuzzy
           and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    templates = _library_templates()
    assert len(templates) > 60
    assert sorted(map(str, templates - ids)) == []


# ----------------------------------------------------------------------------- in the dashboard


def _bs(value):
    app = flask.Flask(__name__)
    with app.test_request_context("/?lang=bs"):
        return i18n.say(value)


def test_dashboard_says_library_sentences_in_bcs():
    gap = msg("{a} and {b} have no declared collaboration yet", a=country("ME"), b=country("MK"))
    assert _bs(gap) == "Crna Gora i Sjeverna Makedonija još nemaju prijavljenu saradnju"
    topics = msg("Both work on {topics}", topics=join(
        [term("field", "human rights"), term("practice", "legal aid")]))
    assert _bs(topics) == ("Obje rade na temama: " + _bs(term("field", "human rights")) + " i "
                           + _bs(term("practice", "legal aid")))
    assert _bs(term("field", "human rights")) != "human rights"
    # BCS has three plural forms: 1, 2-4, 5+ (and 21 like 1, 12 like 5)
    forms = [_bs(nmsg("{n} partner in common", "{n} partners in common", n)) for n in (1, 3, 5, 21, 12)]
    assert forms == ["Zajednički: 1 partner", "Zajednički: 3 partnera", "Zajednički: 5 partnera",
                     "Zajednički: 21 partner", "Zajednički: 12 partnera"]
    assert _bs(ordinal(3)) == "3."
    assert _bs("plain data stays as it is") == "plain data stays as it is"


@pytest.fixture(scope="module")
def demo_workspace():
    from cso_network.workspace import Workspace

    return Workspace.open(data=ROOT / "data" / "demo" / "pcrc_demo.xlsx")


def test_demo_sentences_all_render_in_bcs(demo_workspace):
    """Every gap, reason, position, missing contact and path of the demo comes out in BCS."""
    from cso_network.views.explore import position_sentences

    ws = demo_workspace
    orgs = list(ws.dataset.organizations["org_id"])
    analysis = ws.analysis()
    sentences = [g["detail"] for g in analysis["gaps"]]
    for org in orgs[:15]:
        sentences += [r for rec in ws.suggestions(org) for r in rec["reasons"]]
        sentences += position_sentences(org, analysis)
    sentences += list(ws.missing_contacts()["reason"])
    sentences += [p.sentence for p in ws.introduction_paths().values()]
    assert len(sentences) > 100
    assert all(isinstance(s, (Message, Seq)) for s in sentences)
    app = flask.Flask(__name__)
    with app.test_request_context("/?lang=bs"):
        said = [i18n.say(s) for s in sentences]
    left_in_english = [e for e, b in zip(sentences, said, strict=True) if b == e]
    assert left_in_english == []
    assert any("nemaju prijavljenu saradnju" in s or "Nema prijavljene saradnje" in s
               for s in said)


# ----------------------------------------------------------------------------- validation problems


def _bad_workbook_problems(write_sheets, sheets):
    from cso_network.ingest.validate import validate_workbook

    sheets["organizations"].append(["C", None, "Narnia", None, None, "sports; law"])  # row 4
    sheets["seminars"].append(["S2", "Skopje", "MK", "31.02.2014"])  # row 3
    report = validate_workbook(write_sheets(sheets))
    return {(p.sheet, p.row, p.column): p for p in report.problems}


def test_validation_problems_are_said_in_bcs(write_sheets, sheets):
    problems = _bad_workbook_problems(write_sheets, sheets)
    country = problems[("organizations", 4, "country")].message
    blank = problems[("organizations", 4, "name")].message
    date = problems[("seminars", 3, "start_date")].message
    field = problems[("organizations", 4, "fields")].message
    # The English is the library's contract (CLI, JSON, tests): unchanged.
    assert country == ("unknown country 'Narnia'; expected an ISO 3166 code such as BA, ME, MK, "
                       "RS or a country name")
    assert blank == "required value is missing: fill in name"
    assert date == ("date '31.02.2014' does not exist in the calendar; expected a year (2014), "
                    "a date as 2014-05-03, or a date as 03.05.2014")
    assert field.startswith("unknown field 'sports' is kept as written; known fields are: "
                            "human rights, social work, law")
    assert all(isinstance(p.message, Message) for p in problems.values())
    # The Data page says them in the reader's language; data and codes stay as written.
    assert _bs(country) == ("nepoznata zemlja 'Narnia'; očekuje se ISO 3166 oznaka, npr. BA, ME, "
                            "MK, RS, ili naziv zemlje")
    assert _bs(blank) == "nedostaje obavezna vrijednost: popunite name"
    assert _bs(date) == ("datum '31.02.2014' ne postoji u kalendaru; očekuje se godina (2014), "
                         "datum u obliku 2014-05-03 ili datum u obliku 03.05.2014")
    assert _bs(field) == ("nepoznata oblast 'sports' zadržava se kako je upisana; poznate oblasti "
                          "su: ljudska prava, socijalni rad, pravo, izgradnja mira, tranziciona "
                          "pravda")


def test_parse_errors_keep_their_message(write_sheets, sheets):
    """A VocabularyError carries a Message; the problem made from it keeps the template."""
    from cso_network import vocab
    from cso_network.core.exceptions import VocabularyError

    with pytest.raises(VocabularyError) as caught:
        vocab.parse_country("Jugoslavija")
    message = caught.value.args[0]
    assert isinstance(message, Message)
    assert str(caught.value) == message == (
        "'Jugoslavija' is a former state (Yugoslavia); write the present-day country instead, "
        "e.g. Bosnia and Herzegovina (BA), Croatia (HR), Montenegro (ME), North Macedonia (MK), "
        "Serbia (RS), Slovenia (SI) or Kosovo (XK)")
    assert _bs(message) == (
        "'Jugoslavija' je bivša država (Jugoslavija); umjesto nje upišite današnju zemlju, npr. "
        "Bosna i Hercegovina (BA), Hrvatska (HR), Crna Gora (ME), Sjeverna Makedonija (MK), "
        "Srbija (RS), Slovenija (SI) ili Kosovo (XK)")
    with pytest.raises(VocabularyError) as caught:
        vocab.parse_bool("maybe")
    assert _bs(caught.value.args[0]) == ("očekuje se da ili ne (može i yes/no, true/false, 1/0, "
                                         "да/не, po/jo), a upisano je 'maybe'")


def test_missing_columns_choose_the_bcs_plural(write_sheets, sheets):
    from cso_network.ingest.validate import validate_workbook

    sheets["seminars"][0] = ["seminar_id", "city", "country"]  # start_date missing
    sheets["participants"][0] = ["full_name", "role"]  # participant_id and org_id missing
    report = validate_workbook(write_sheets(sheets))
    said = {p.sheet: _bs(p.message) for p in report.problems
            if p.message.startswith("missing required column(s)")}
    assert said["seminars"].startswith("nedostaje obavezna kolona: start_date; red zaglavlja "
                                       "mora navesti: seminar_id, city")
    assert said["participants"].startswith("nedostaju obavezne kolone: participant_id, org_id;")


def test_file_problems_are_said_in_bcs(tmp_path):
    from cso_network.ingest.validate import validate_workbook

    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    [problem] = validate_workbook(empty).problems
    assert problem.message == "the file is empty (0 bytes); expected an Excel workbook (.xlsx)"
    assert _bs(problem.message) == ("datoteka je prazna (0 bajtova); očekuje se Excel radna "
                                    "knjiga (.xlsx)")
    [problem] = validate_workbook(tmp_path / "missing.xlsx").problems
    assert _bs(problem.message) == "datoteka nije pronađena; provjerite naziv i folder"


def test_problems_with_messages_pickle_and_serialize_as_plain_text(write_sheets, sheets):
    from cso_network.core.problems import problems_to_json

    problems = sorted(_bad_workbook_problems(write_sheets, sheets).values(),
                      key=lambda p: (p.sheet, p.row, p.column))
    again = pickle.loads(pickle.dumps(problems))
    assert again == problems
    assert all(isinstance(p.message, Message) and p.message.template for p in again)
    assert [_bs(p.message) for p in again] == [_bs(p.message) for p in problems]
    row = problems[0].to_dict()
    assert type(row["message"]) is str and row["message"] == problems[0].message
    assert json.loads(problems_to_json(problems))[0]["message"] == str(problems[0].message)


def test_backtest_errors_shown_on_the_partners_page_speak_bcs():
    from cso_network.backtest.evaluate import backtest
    from cso_network.core.exceptions import CsoNetworkError
    from cso_network.core.messages import reason
    from cso_network.demo.synth import generate_programme

    ds = generate_programme().dataset
    with pytest.raises(CsoNetworkError) as caught:
        backtest(ds, split_year=2030)
    english = str(caught.value)
    assert english.startswith("no new collaboration starts in 2030 or later, so there is "
                              "nothing to predict: dated collaborations start from ")
    said = _bs(reason(caught.value))
    assert said.startswith("nijedna nova saradnja ne počinje 2030. godine ili kasnije, pa nema "
                           "šta da se predvidi: saradnje s datumom počinju od ")
