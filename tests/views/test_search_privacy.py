"""Finding organizations by name in any script; what is shown about participants."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cso_network.access.privacy import public_participants
from cso_network.views.search import find_organizations, org_options
from tests.helpers import dataset_from_records, tiny_records


def orgs_dataset():
    return dataset_from_records({"organizations": [
        {"org_id": "O1", "name": "Udruženje građana „Most“ Tuzla", "country": "BA"},
        {"org_id": "O2", "name": "Центар за мир Ниш", "country": "RS"},
        {"org_id": "O3", "name": "Shoqata „Drita“ Prishtinë", "country": "XK"},
        {"org_id": "MOST", "name": "Forum Budva", "country": "ME"},
    ]})


def test_latin_query_finds_cyrillic_name():
    assert find_organizations(orgs_dataset(), "centar za mir nis")["org_id"].iloc[0] == "O2"


def test_cyrillic_query_finds_latin_name_with_diacritics():
    assert find_organizations(orgs_dataset(), "Удружење грађана Мост")["org_id"].iloc[0] == "O1"


def test_typo_and_missing_diacritics():
    assert find_organizations(orgs_dataset(), "shoqata drita prishtina")["org_id"].iloc[0] == "O3"


def test_exact_id_comes_first():
    hits = find_organizations(orgs_dataset(), "most")
    assert hits["org_id"].tolist()[:2] == ["MOST", "O1"]


def test_nonsense_and_blank_find_nothing():
    assert find_organizations(orgs_dataset(), "zzzzqqqq").empty
    assert find_organizations(orgs_dataset(), "  ").empty


@given(st.sampled_from(["O1", "O2", "O3"]), st.sampled_from([str.upper, str.lower, str.title]))
def test_case_never_matters(org_id, case):
    ds = orgs_dataset()
    name = ds.organizations.set_index("org_id").loc[org_id, "name"]
    assert find_organizations(ds, case(name))["org_id"].iloc[0] == org_id


def test_org_options_label_and_search_text():
    opts = {o["value"]: o for o in org_options(orgs_dataset())}
    assert opts["O2"]["label"] == "Центар за мир Ниш (RS, O2)"
    # the dropdown lower-cases what is typed and looks for it in the search text: Latin
    # with diacritics ("Niš"), without ("nis") and the Cyrillic itself all find it
    search = opts["O2"]["search"].lower()
    for typed in ("Niš", "centar za mir nis", "Центар", "O2"):
        assert typed.lower() in search, typed
    # typed in Cyrillic, a Latin name of a country that also writes Cyrillic is found;
    # Albanian (XK) is not transliterated
    assert "удружење грађана" in opts["O1"]["search"].lower()
    assert "будва" in opts["MOST"]["search"].lower()
    assert opts["O3"]["search"] == "Shoqata „Drita“ Prishtinë shoqata drita prishtine O3"


def test_contact_details_only_with_consent():
    rec = tiny_records()
    rec["participants"] = [
        {"participant_id": "p1", "org_id": "A", "full_name": "Ana", "email": "ana@example.org",
         "phone": "+387 61 555 0101", "consent_directory": True, "consent_contact": True},
        {"participant_id": "p2", "org_id": "A", "full_name": "Bojan", "email": "b@example.org",
         "consent_directory": True, "consent_contact": False},
        {"participant_id": "p3", "org_id": "A", "full_name": "Cveta", "email": "c@example.org",
         "consent_directory": False, "consent_contact": True},
        {"participant_id": "p4", "org_id": "A", "full_name": "Dino", "consent_directory": None},
        {"participant_id": "p5", "org_id": "B", "full_name": "Ema", "consent_directory": True},
    ]
    rec["attendance"] = []
    shown = public_participants(dataset_from_records(rec), "A")
    assert shown == {
        "listed": [
            {"full_name": "Ana", "role": None, "email": "ana@example.org", "phone": "+387 61 555 0101"},
            {"full_name": "Bojan", "role": None, "email": None, "phone": None},
        ],
        "unlisted": 2,
    }
