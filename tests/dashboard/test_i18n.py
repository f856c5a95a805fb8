"""The dashboard speaks English and Bosnian/Croatian/Serbian: catalogs, language choice, labels.

Every message marked in ``dashboard/`` (``_``, ``gettext``, ``ngettext``,
``N_``), every sentence template of the library (``msg``, ``nmsg`` in
``cso_network/``) and every vocabulary label (from ``cso_network/vocab/tables.py``)
must have a non-empty BCS translation with the same ``{placeholders}``;
the language of a request follows cookie > ``?lang=`` > Accept-Language >
English; vocabulary labels exist for every field, practice and risk factor.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import flask
import pytest
from babel.messages.extract import extract, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.util import pathmatch

from cso_network import vocab
from dashboard import i18n

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboard"
PO = DASHBOARD / "locale" / "bs" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None,
            "msg": None, "nmsg": (1, 2)}
TABLES = ROOT / "cso_network" / "vocab" / "tables.py"


def _extracted() -> set:
    """Every msgid (str, or (singular, plural)) pybabel extracts with the repository's babel.cfg."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    return {message for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, options_map=options_map, keywords=KEYWORDS)}


@pytest.fixture(scope="module")
def catalog():
    with PO.open("rb") as fh:
        return read_po(fh, locale="bs")


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_every_dashboard_message_has_a_bcs_translation(catalog):
    ids = _extracted()
    assert len(ids) > 250  # the whole interface, not a sample
    missing = [m for m in ids if catalog.get(m) is None]
    assert missing == [], f"not in {PO.name}: {missing[:10]}"
    empty = [m.id for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple)
                                                                 and not all(m.string)))]
    assert empty == [], f"untranslated: {empty[:10]}"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert fuzzy == []


def test_placeholders_match_between_english_and_bcs(catalog):
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(_fields(i) for i in ids))
        for text in strings:
            assert _fields(text) == expected, (message.id, text)
        # plotly's %{x} placeholders too
        plotly = set(re.findall(r"%\{\w+\}", ids[0]))
        for text in strings:
            assert set(re.findall(r"%\{\w+\}", text)) == plotly, (message.id, text)


def test_bcs_plural_forms_follow_the_number():
    app = flask.Flask(__name__)
    with app.test_request_context("/", headers={"Cookie": f"{i18n.COOKIE}=bs"}):
        forms = [i18n.ngettext("{n} tie", "{n} ties", n).format(n=n) for n in (1, 3, 5, 21, 12)]
    assert forms == ["1 veza", "3 veze", "5 veza", "21 veza", "12 veza"]


@pytest.mark.parametrize(
    ("url", "headers", "expected"),
    [
        ("/", {}, "en"),
        ("/", {"Accept-Language": "hr-HR,hr;q=0.9,en;q=0.8"}, "bs"),
        ("/", {"Accept-Language": "sr-Latn-RS"}, "bs"),
        ("/", {"Accept-Language": "cnr"}, "bs"),
        ("/", {"Accept-Language": "sh"}, "bs"),
        ("/", {"Accept-Language": "de-DE,en;q=0.5"}, "en"),
        ("/", {"Accept-Language": "fr"}, "en"),
        ("/?lang=bs", {"Accept-Language": "en"}, "bs"),  # query beats Accept-Language
        ("/?lang=en", {"Accept-Language": "bs"}, "en"),
        ("/?lang=bs", {"Cookie": "cso_lang=en"}, "en"),  # cookie beats query
        ("/", {"Cookie": "cso_lang=bs", "Accept-Language": "en"}, "bs"),
        ("/", {"Cookie": "cso_lang=xx", "Accept-Language": "hr"}, "bs"),  # unknown cookie ignored
        # a callback request reads ?lang= from the page that sent it
        ("/_dash-update-component", {"Referer": "http://127.0.0.1:8050/network?lang=bs"}, "bs"),
    ],
)
def test_language_precedence(url, headers, expected):
    app = flask.Flask(__name__)
    with app.test_request_context(url, headers=headers):
        assert i18n.current_language() == expected


def test_outside_a_request_it_is_english():
    assert i18n.current_language() == "en"
    assert i18n._("Overview") == "Overview"
    assert i18n.country_label("MK") == vocab.country_name("MK")


def test_vocabulary_labels_exist_for_every_item(catalog):
    app = flask.Flask(__name__)
    with app.test_request_context("/", headers={"Cookie": "cso_lang=bs"}):
        for field in vocab.FIELDS:
            assert catalog.get(field) is not None and i18n.field_label(field) != field, field
        for practice in vocab.PRACTICES:
            label = i18n.practice_label(practice)
            assert catalog.get(practice) is not None and label != practice, practice
        for n, rf in vocab.RISK_FACTORS.items():
            for short in (True, False):
                label = i18n.risk_factor_label(n, short=short)
                english = rf.short if short else rf.title
                assert label and label != english, (n, short)
        assert i18n.risk_factor_label(9, numbered=True).startswith("9. ")
        names = {c: i18n.country_label(c) for c in vocab.REGION}
    assert names == {"BA": "Bosna i Hercegovina", "ME": "Crna Gora", "MK": "Sjeverna Makedonija",
                     "RS": "Srbija", "HR": "Hrvatska", "SI": "Slovenija", "AL": "Albanija",
                     "XK": "Kosovo"}
    # English labels are the library's canonical ones.
    assert [i18n.field_label(f) for f in vocab.FIELDS] == list(vocab.FIELDS)
    assert i18n.risk_factor_label(1, short=False) == vocab.RISK_FACTORS[1].title


def test_vocabulary_labels_are_extracted_from_the_vocabulary_tables():
    """The English of a label is written once, in vocab/tables.py, and Babel finds it there."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, _options = parse_mapping_cfg(fh)
    method = next(m for pattern, m in method_map
                  if pathmatch(pattern, "cso_network/vocab/tables.py"))
    assert method == "dashboard.i18n.extract_vocabulary"
    with TABLES.open("rb") as fh:
        found = [(line, message) for line, message, _comments, _context
                 in extract(method, fh, keywords=KEYWORDS)]
    risk_factors = vocab.RISK_FACTORS.values()
    labels = ({*vocab.FIELDS, *vocab.PRACTICES} | {rf.title for rf in risk_factors}
              | {rf.short for rf in risk_factors})
    # 5 fields, 12 practices, 14 titles and 12 short labels (factors 4 and 8 use their title)
    assert len(labels) == 5 + 12 + 14 + 12
    assert {message for _line, message in found} == labels
    assert sorted(i18n.vocabulary_messages()) == sorted(labels)
    source = TABLES.read_text(encoding="utf-8").splitlines()
    assert all(f'"{message}"' in source[line - 1] for line, message in found)


def test_the_dashboard_does_not_repeat_the_vocabulary():
    """No string in dashboard/ spells a field, practice or risk factor label: i18n reads them."""
    risk_factors = vocab.RISK_FACTORS.values()
    labels = ({*vocab.FIELDS, *vocab.PRACTICES} | {rf.title for rf in risk_factors}
              | {rf.short for rf in risk_factors})
    repeated = []
    for path in sorted(DASHBOARD.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in labels:
                repeated.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert repeated == []


def test_the_template_lists_the_same_messages_as_the_catalog(catalog):
    with (DASHBOARD / "locale" / "messages.pot").open("rb") as fh:
        template = read_po(fh)
    assert {m.id for m in template if m.id} == {m.id for m in catalog if m.id} == _extracted()


def test_lazy_strings_translate_when_rendered():
    label = i18n.lazy("Overview")
    app = flask.Flask(__name__)
    with app.test_request_context("/?lang=bs"):
        assert str(label) == "Pregled"
        assert label.to_plotly_json() == "Pregled"
    assert str(label) == "Overview"


def test_translated_options_keep_values():
    layers = [{"label": i18n.N_("Collaborated"), "value": "collaborated"},
              {"label": i18n.N_("Met at a seminar"), "value": "met"}]
    app = flask.Flask(__name__)
    with app.test_request_context("/?lang=bs"):
        options = i18n.translated_options(layers)
    assert options == [{"label": "Sarađivali", "value": "collaborated"},
                       {"label": "Sreli se na seminaru", "value": "met"}]


# ----------------------------------------------------------------------------- component texts


def _component_texts(component) -> list[str]:
    """What Dash components show besides their children: dropdown placeholders and own texts
    (``labels``), checklist and radio labels; in tree order."""
    from dash import dcc

    texts = []
    for node in [component, *component._traverse()]:
        if isinstance(node, dcc.Dropdown):
            if getattr(node, "placeholder", None) is not None:
                texts.append(node.placeholder)
            labels = getattr(node, "labels", None)
            assert labels is not None, f"dropdown {node.id} shows Dash's English texts"
            texts += [labels[key] for key in sorted(labels)]
        elif isinstance(node, (dcc.Checklist, dcc.RadioItems)):
            texts += [o["label"].strip() for o in node.options
                      if isinstance(o, dict) and isinstance(o.get("label"), str)]
    return texts


def _page_texts(component) -> list[str]:
    """Every string child of a component tree, in tree order."""
    texts = []
    for node in [component, *component._traverse()]:
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if isinstance(child, str) and child.strip():
                texts.append(child)
    return texts


@pytest.fixture(scope="module")
def rendered():
    """Every page as the app renders it (through the page registry), in English and in BCS."""
    import dash

    from cso_network.workspace import Workspace
    from dashboard.app import create_app

    ws = Workspace.open(data=ROOT / "data" / "demo" / "pcrc_demo.xlsx")
    app = create_app(ws)
    org = ws.dataset.organizations["org_id"].iloc[3]
    kwargs = {"pages.org": {"org_id": org}, "pages.partners": {"org": org}}
    pages = {}
    for lang in ("en", "bs"):
        for module, page in dash.page_registry.items():
            with app.server.test_request_context(f"/?lang={lang}"):
                pages[module, lang] = page["layout"](**kwargs.get(module, {}))
    return pages


def test_component_texts_are_in_the_catalog(catalog, rendered):
    """Placeholders, a dropdown's own texts ("Select all", "Search", "No options found") and
    checklist and radio labels: in English a catalog message, in BCS its translation."""
    modules = sorted({module for module, _lang in rendered})
    assert "pages.not_found_404" in modules and len(modules) >= 9
    checked = set()
    for module in modules:
        english = _component_texts(rendered[module, "en"])
        bcs = _component_texts(rendered[module, "bs"])
        assert len(english) == len(bcs), module
        for en, bs in zip(english, bcs, strict=True):
            message = catalog.get(en)
            assert message is not None, (module, en)
            assert bs == message.string, (module, en, bs)
            checked.add(en)
    assert {"Select all", "Deselect all", "Search", "No options found", "Any",
            "{num_selected} selected", "Map", "Force"} <= checked


def test_the_page_for_an_unknown_address_is_in_the_catalog(catalog, rendered):
    english = _page_texts(rendered["pages.not_found_404", "en"])
    bcs = _page_texts(rendered["pages.not_found_404", "bs"])
    assert english[0] == "Page not found" and bcs[0] == "Stranica nije pronađena"
    assert "Overview" in english and "Pregled" in bcs  # a link to each page, translated
    for en, bs in zip(english, bcs, strict=True):
        message = catalog.get(en)
        assert message is not None and bs == message.string, (en, bs)


def test_the_force_layout_has_a_plain_name_in_bcs(catalog):
    """Not "Sile" (forces), which says nothing to a reader: the layout draws tied organizations
    together, so it is named by what it follows."""
    assert catalog.get("Force").string == "Po vezama"


# ----------------------------------------------------------------------------- browser


def _errors(dash_duo) -> list:
    return [entry for entry in (dash_duo.get_logs() or []) if entry.get("level") == "SEVERE"]


@pytest.mark.browser
def test_switching_the_language_in_the_browser(dash_duo):
    from cso_network.workspace import Workspace
    from dashboard.app import create_app

    artifacts = ROOT / "test-artifacts"
    demo = ROOT / "data" / "demo" / "pcrc_demo.xlsx"
    dash_duo.start_server(create_app(Workspace.open(data=demo)))
    dash_duo.wait_for_text_to_equal("#overview-title", "Overview", timeout=10)
    assert dash_duo.driver.find_element("css selector", "html").get_attribute("lang") == "en"

    # Pick BCS with the keyboard-usable radio: the cookie is set and the page reloads.
    dash_duo.find_element("#lang-switch input[value='bs']").click()
    dash_duo.wait_for_text_to_equal("#overview-title", "Pregled", timeout=15)
    assert dash_duo.find_element("#nav-network").text == "Mreža"
    assert dash_duo.find_element("#nav-organizations").text == "Organizacije"
    assert "Radni prostor" in dash_duo.find_element("#shell-freshness").text or \
        "Podaci" in dash_duo.find_element("#shell-freshness").text
    assert dash_duo.driver.find_element("css selector", "html").get_attribute("lang") == "bs"
    assert dash_duo.driver.get_cookie(i18n.COOKIE)["value"] == "bs"
    dash_duo.wait_for_element("#overview-countries .main-svg", timeout=10)
    dash_duo.wait_for_contains_text("#overview-countries", "Organizacije po zemljama", timeout=10)
    # Callbacks answer in the chosen language too.
    dash_duo.find_element("#nav-gaps").click()
    dash_duo.wait_for_contains_text("#gaps-content h2", "Praznine, najveće prvo", timeout=20)
    # Sentences built by the library come in BCS too (the demo plants an ME-MK gap).
    dash_duo.wait_for_contains_text("#gaps-content", "Nema prijavljene saradnje između "
                                    "organizacija iz zemalja", timeout=10)
    assert "No declared collaboration" not in dash_duo.find_element("#gaps-content").text
    artifacts.mkdir(exist_ok=True)
    dash_duo.driver.set_window_size(1366, 900)
    dash_duo.driver.save_screenshot(str(artifacts / "gaps-bcs.png"))

    # And back to English.
    dash_duo.find_element("#nav-overview").click()
    dash_duo.wait_for_text_to_equal("#overview-title", "Pregled", timeout=10)
    dash_duo.find_element("#lang-switch input[value='en']").click()
    dash_duo.wait_for_text_to_equal("#overview-title", "Overview", timeout=15)
    assert dash_duo.find_element("#nav-network").text == "Network"
    assert dash_duo.driver.get_cookie(i18n.COOKIE)["value"] == "en"
    assert _errors(dash_duo) == []
