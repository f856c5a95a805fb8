"""Sheet and column names in other words: every alias means one thing, and hints are offered."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cso_network.core.model import TABLE_ORDER, TABLES
from cso_network.ingest.headers import closest, column_of_header, header_key, table_of_sheet
from cso_network.vocab.tables import COLUMN_ALIASES, SHEET_ALIASES


def test_every_sheet_alias_names_one_table():
    owners: dict[str, set[str]] = {}
    for table in TABLE_ORDER:
        for name in (table, *SHEET_ALIASES[table]):
            owners.setdefault(header_key(name), set()).add(table)
            assert table_of_sheet(name) == table, name
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_every_column_alias_names_one_column_of_its_sheet():
    for table, spec in TABLES.items():
        owners: dict[str, set[str]] = {}
        for column in spec.column_names:
            for name in (column, *COLUMN_ALIASES.get((table, column), ())):
                owners.setdefault(header_key(name), set()).add(column)
                assert column_of_header(table, name) == column, (table, name)
        assert {k: v for k, v in owners.items() if len(v) > 1} == {}, table


def test_aliases_only_name_real_columns():
    assert all(column in TABLES[table].column_names for table, column in COLUMN_ALIASES)
    assert set(SHEET_ALIASES) == set(TABLE_ORDER)


@given(st.text(max_size=40))
def test_header_key_is_idempotent_and_spacing_free(text):
    key = header_key(text)
    assert header_key(key) == key
    assert "  " not in key and key == key.strip()


def test_closest_offers_only_close_names():
    assert closest("Organisatons", ["organizations", "seminars"]) == "organizations"
    assert closest("e_mail", ["email", "phone"]) == "email"
    assert closest("notes", ["org_id", "country"]) is None
    assert closest("anything", []) is None
