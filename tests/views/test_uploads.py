"""Uploads: decoding, staging, preview, confirm (cso_network.views.uploads)."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pandas as pd
import pytest

from cso_network.core.exceptions import NotFound, StaleChanges, ValidationError
from cso_network.core.model import TABLE_ORDER
from cso_network.ingest.validate import validate_workbook
from cso_network.views.uploads import (
    UploadStaging,
    change_examples,
    confirm_upload,
    data_workbook_bytes,
    decode_upload,
    export_readme,
    preview_upload,
    problems_summary,
    safe_file_name,
    template_bytes,
)
from cso_network.workspace import Workspace, import_workbook
from tests.helpers import assert_store_unchanged, store_snapshot


def payload(data: bytes, mime: str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode()


def only_problem(exc: pytest.ExceptionInfo) -> object:
    assert len(exc.value.problems) == 1
    problem = exc.value.problems[0]
    assert problem.severity == "error" and problem.sheet is None and problem.row is None
    return problem


@pytest.fixture
def staging(tmp_path: Path) -> UploadStaging:
    s = UploadStaging(tmp_path / "staging")
    yield s
    s.close()




# ----------------------------------------------------------------------------- decoding


def test_decode_a_good_data_url_and_bare_base64(tiny_workbook):
    data = tiny_workbook.read_bytes()
    assert decode_upload(payload(data), "tiny.xlsx") == data
    assert decode_upload(base64.b64encode(data).decode(), "tiny.xlsx") == data


def test_decode_refuses_bad_base64():
    with pytest.raises(ValidationError) as exc:
        decode_upload("data:application/octet-stream;base64,@@not base64!!", "cohort.xlsx")
    problem = only_problem(exc)
    assert problem.file == "cohort.xlsx"
    assert "damaged" in problem.message


def test_decode_refuses_a_data_url_that_is_not_base64():
    with pytest.raises(ValidationError) as exc:
        decode_upload("data:text/plain,hello", "cohort.xlsx")
    assert "damaged" in only_problem(exc).message


@pytest.mark.parametrize(("name", "expected"), [
    ("people.csv", "not an Excel workbook: expected an .xlsx file"),
    ("old.xls", "the old .xls format is not supported"),
    ("macros.xlsm", "macro-enabled workbooks (.xlsm) are not accepted"),
    ("no-suffix", "not an Excel workbook: expected an .xlsx file"),
])
def test_decode_refuses_a_wrong_type(name, expected):
    with pytest.raises(ValidationError) as exc:
        decode_upload(payload(b"a,b\n1,2\n", "text/csv"), name)
    problem = only_problem(exc)
    assert problem.message.startswith(expected)
    assert problem.file == name


def test_decode_refuses_a_too_large_file_before_decoding():
    data = b"PK\x03\x04" + b"x" * 5000
    with pytest.raises(ValidationError) as exc:
        decode_upload(payload(data), "big.xlsx", max_bytes=1000)
    problem = only_problem(exc)
    assert problem.message == "the file is 5 kB; the limit is 1,000 bytes"
    # Exactly at the limit is fine.
    assert decode_upload(payload(data[:1000]), "big.xlsx", max_bytes=1000) == data[:1000]


def test_decode_uses_the_same_wording_as_the_workbook_reader_for_size_and_emptiness(tmp_path):
    # An empty file: the reader and the upload say the same thing.
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    reader = validate_workbook_problem(empty)
    # A browser sends an empty file as a data URL with no data.
    with pytest.raises(ValidationError) as exc:
        decode_upload("data:application/octet-stream;base64,", "empty.xlsx")
    assert only_problem(exc).message == reader.message
    # Too large: the same sentence as the reader's.
    with pytest.raises(ValidationError) as exc:
        decode_upload(payload(b"x" * 3_000_000), "big.xlsx", max_bytes=2**21)
    assert only_problem(exc).message == "the file is 3 MB; the limit is 2 MiB"


def validate_workbook_problem(path: Path):
    from cso_network.ingest.excel import read_workbook

    with pytest.raises(ValidationError) as exc:
        read_workbook(path)
    return exc.value.problems[0]


def test_decode_without_contents():
    with pytest.raises(ValidationError) as exc:
        decode_upload(None, None)
    problem = only_problem(exc)
    assert problem.file == "upload.xlsx" and "no file was received" in problem.message


def test_safe_file_name_never_keeps_folders():
    assert safe_file_name("/home/ana/private/cohort.xlsx") == "cohort.xlsx"
    assert safe_file_name("C:\\Users\\ana\\cohort.xlsx") == "cohort.xlsx"
    assert safe_file_name("..") == "upload.xlsx"
    assert safe_file_name("a\x00b.xlsx") == "ab.xlsx"
    long = safe_file_name("x" * 500 + ".xlsx")
    assert len(long) <= 150 and long.endswith(".xlsx")


def test_problem_names_the_file_not_a_server_path(staging, tmp_path):
    with pytest.raises(ValidationError) as exc:
        staging.stage(payload(b"hello"), "/srv/secret/folder/people.csv")
    assert only_problem(exc).file == "people.csv"
    assert staging.tokens() == []  # nothing kept


# ----------------------------------------------------------------------------- staging


def test_stage_keeps_the_bytes_under_a_token(staging, tiny_workbook):
    staged = staging.stage(payload(tiny_workbook.read_bytes()), "tiny.xlsx")
    assert staged.file_name == "tiny.xlsx"
    assert staged.path.read_bytes() == tiny_workbook.read_bytes()
    assert staging.tokens() == [staged.token]
    assert staging.get(staged.token).path == staged.path
    assert len(staged.token) >= 24


@pytest.mark.parametrize("token", [None, "", "../etc", "short", "a/b" * 10, 42])
def test_get_refuses_unknown_or_malformed_tokens(staging, token):
    with pytest.raises(NotFound):
        staging.get(token)


def test_cleanup_removes_expired_uploads(staging, tiny_workbook):
    staged = staging.stage(payload(tiny_workbook.read_bytes()), "tiny.xlsx")
    assert staging.cleanup() == 0
    assert staging.cleanup(now=time.time() + staging.max_age + 5) == 1
    assert not staged.path.exists()
    with pytest.raises(NotFound):
        staging.get(staged.token)


def test_an_expired_upload_cannot_be_confirmed(tmp_path, tiny_workbook, fresh_store):
    staging = UploadStaging(tmp_path / "s", max_age=0)
    staged = staging.stage(payload(tiny_workbook.read_bytes()), "tiny.xlsx")
    time.sleep(0.01)
    with pytest.raises(NotFound, match="no longer available"):
        confirm_upload(fresh_store, staging, staged.token)
    assert fresh_store.imports() == []
    staging.close()


def test_staging_with_its_own_temporary_folder_removes_it_on_close(tiny_workbook):
    staging = UploadStaging()
    staged = staging.stage(payload(tiny_workbook.read_bytes()), "tiny.xlsx")
    folder = staging.folder
    assert staged.path.is_relative_to(folder)
    staging.close()
    assert not folder.exists()


# ----------------------------------------------------------------------------- preview


def test_preview_of_a_good_file_counts_the_changes(staging, tiny_workbook, fresh_store):
    staged = staging.stage(payload(tiny_workbook.read_bytes()), "tiny.xlsx")
    before = store_snapshot(fresh_store)
    preview = preview_upload(fresh_store, staged)
    assert preview.ok and preview.changed and preview.can_import
    assert preview.counts["organizations"] == {"added": 3, "updated": 0, "removed": 0, "unchanged": 0}
    assert preview.totals()["added"] == 2 + 3 + 4 + 4 + 1 + 1
    assert preview.store_version == 0
    assert preview.summary == "No errors and no warnings"
    assert_store_unchanged(fresh_store, before)  # a preview writes nothing


def test_preview_of_a_bad_file_lists_its_problems(staging, write_sheets, sheets, fresh_store):
    sheets["organizations"][2][2] = "Atlantis"  # row 3, column country
    sheets["participants"][1][2] = "ZZZ"  # unknown organization
    path = write_sheets(sheets, "bad.xlsx")
    staged = staging.stage(payload(path.read_bytes()), "bad.xlsx")
    preview = preview_upload(fresh_store, staged)
    assert not preview.ok and preview.changes is None and not preview.changed
    errors = preview.errors
    assert preview.problems[: len(errors)] == errors  # errors first
    country = next(p for p in errors if p.column == "country")
    assert (country.file, country.sheet, country.row, country.value) == (
        "bad.xlsx", "organizations", 3, "Atlantis")
    assert any(p.sheet == "participants" and p.row == 2 and p.column == "org_id" for p in errors)
    assert preview.summary.startswith(f"{len(errors)} errors: nothing can be imported")


def test_preview_with_mirror_counts_removals(staging, tiny_workbook, fresh_store, write_sheets,
                                             sheets):
    import_workbook(fresh_store, tiny_workbook)
    # A complete file with organizations A and B only: with mirror, C would go.
    path = write_sheets(sheets, "other.xlsx")
    staged = staging.stage(payload(path.read_bytes()), "other.xlsx")
    upsert = preview_upload(fresh_store, staged)
    mirror = preview_upload(fresh_store, staged, mirror=True)
    assert upsert.counts["organizations"]["removed"] == 0
    assert mirror.mirror and mirror.counts["organizations"]["removed"] == 1
    assert mirror.store_version == fresh_store.version() == 1


def test_preview_on_a_workspace_read_from_a_workbook_cannot_import(staging, tiny_workbook):
    ws = Workspace.open(data=tiny_workbook)
    staged = staging.stage(payload(tiny_workbook.read_bytes()), "tiny.xlsx")
    preview = preview_upload(ws, staged)
    assert preview.ok and not preview.can_import and preview.changes is None


def test_change_examples_name_rows_and_changed_columns(fresh_store, tiny_workbook, write_sheets,
                                                       tiny_dataset):
    import_workbook(fresh_store, tiny_workbook)
    from cso_network.ingest.excel import write_workbook

    changed = tiny_dataset.organizations.copy()
    changed.loc[changed["org_id"] == "B", "city"] = "Budva"
    data = type(tiny_dataset).from_frames(
        {t: (changed if t == "organizations" else tiny_dataset.table(t)) for t in TABLE_ORDER})
    path = write_workbook(data, write_sheets({"x": [[1]]}).with_name("changed.xlsx"))
    preview = preview_upload(fresh_store, path)
    assert preview.counts["organizations"]["updated"] == 1
    assert change_examples(preview.changes) == {
        "organizations": {"added": [], "updated": ["B (city)"], "removed": []}}


def test_problems_summary_sentences():
    from cso_network.core.problems import Problem

    e = Problem("error", "a.xlsx", "s", 2, "c", "v", "m")
    w = Problem("warning", "a.xlsx", "s", 2, "c", "v", "m")
    n = Problem("note", "a.xlsx", "s", None, None, None, "m")
    assert problems_summary([e, e, e]) == "3 errors: nothing can be imported until they are fixed"
    assert problems_summary([e]) == "1 error: nothing can be imported until they are fixed"
    assert problems_summary([w, w, n]) == "No errors; 2 warnings"
    assert problems_summary([w]) == "No errors; 1 warning"


# ----------------------------------------------------------------------------- confirm


def test_confirm_imports_once(staging, tiny_workbook, fresh_store):
    staged = staging.stage(payload(tiny_workbook.read_bytes()), "tiny.xlsx")
    preview = preview_upload(fresh_store, staged)
    result, warnings = confirm_upload(fresh_store, staging, staged.token,
                                      expected_digest=preview.digest)
    assert result.record is not None and result.record.file_name == "tiny.xlsx"
    assert result.record.counts == preview.counts
    assert len(fresh_store.load().organizations) == 3
    assert [r.file_name for r in fresh_store.imports()] == ["tiny.xlsx"]
    # The file is gone from the server ...
    assert not staged.path.exists() and staging.tokens() == []
    assert list(staging.folder.iterdir()) == []
    # ... and a second confirmation of the same token imports nothing.
    with pytest.raises(NotFound, match="no longer available"):
        confirm_upload(fresh_store, staging, staged.token)
    assert len(fresh_store.imports()) == 1


def test_confirm_records_the_import_as_the_cli_would(staging, tiny_workbook, fresh_store):
    staged = staging.stage(payload(tiny_workbook.read_bytes()), "tiny.xlsx")
    confirm_upload(fresh_store, staging, staged.token, mirror=True)
    from cso_network.workspace import file_sha256

    record = fresh_store.imports()[0]
    assert record.mode == "mirror" and record.sha256 == file_sha256(tiny_workbook)


def test_a_bad_file_never_changes_the_store(staging, tiny_workbook, fresh_store, write_sheets,
                                            sheets):
    import_workbook(fresh_store, tiny_workbook)
    before = store_snapshot(fresh_store)
    sheets["seminars"][1][3] = "not a date"
    path = write_sheets(sheets, "bad.xlsx")
    staged = staging.stage(payload(path.read_bytes()), "bad.xlsx")
    with pytest.raises(ValidationError) as exc:
        confirm_upload(fresh_store, staging, staged.token)
    assert any(p.sheet == "seminars" and p.column == "start_date" for p in exc.value.problems)
    assert_store_unchanged(fresh_store, before)
    # The upload is kept (not half-consumed) and still fails the same way.
    assert staging.tokens() == [staged.token]
    with pytest.raises(ValidationError):
        confirm_upload(fresh_store, staging, staged.token)
    assert_store_unchanged(fresh_store, before)


@pytest.mark.parametrize("data", [b"not a workbook at all", b"PK\x03\x04 truncated zip"])
def test_an_unreadable_file_never_changes_the_store(staging, tiny_workbook, fresh_store, data):
    import_workbook(fresh_store, tiny_workbook)
    before = store_snapshot(fresh_store)
    staged = staging.stage(payload(data), "broken.xlsx")
    preview = preview_upload(fresh_store, staged)
    assert not preview.ok and preview.problems[0].file == "broken.xlsx"
    with pytest.raises(ValidationError):
        confirm_upload(fresh_store, staging, staged.token)
    assert_store_unchanged(fresh_store, before)


def test_confirm_after_another_import_asks_for_a_new_preview(staging, tiny_workbook, fresh_store,
                                                             write_sheets, sheets):
    staged = staging.stage(payload(tiny_workbook.read_bytes()), "tiny.xlsx")
    preview = preview_upload(fresh_store, staged)
    import_workbook(fresh_store, write_sheets(sheets, "other.xlsx"))
    before = store_snapshot(fresh_store)
    with pytest.raises(StaleChanges):
        confirm_upload(fresh_store, staging, staged.token, expected_digest=preview.digest)
    assert_store_unchanged(fresh_store, before)
    assert staging.tokens() == [staged.token]
    fresh = preview_upload(fresh_store, staged)
    result, _ = confirm_upload(fresh_store, staging, staged.token, expected_digest=fresh.digest)
    assert result.record.import_id == 2


def test_confirm_applies_only_the_mode_that_was_previewed(staging, tiny_workbook, fresh_store,
                                                          write_sheets, sheets):
    # The store holds A, B, C; the file only A and B. Previewed without mirror
    # ("remove 0"), a confirmation that asks for mirror must remove nothing.
    import_workbook(fresh_store, tiny_workbook)
    before = store_snapshot(fresh_store)
    staged = staging.stage(payload(write_sheets(sheets, "two.xlsx").read_bytes()), "two.xlsx")
    upsert = preview_upload(fresh_store, staged)
    assert upsert.totals()["removed"] == 0
    with pytest.raises(StaleChanges):
        confirm_upload(fresh_store, staging, staged.token, mirror=True, expected_digest=upsert.digest)
    assert_store_unchanged(fresh_store, before)
    # The mirror preview has its own digest, and confirming it removes what it showed.
    mirror = preview_upload(fresh_store, staged, mirror=True)
    assert mirror.digest != upsert.digest
    result, _ = confirm_upload(fresh_store, staging, staged.token, mirror=True,
                               expected_digest=mirror.digest)
    assert result.record.counts == mirror.counts
    assert sorted(fresh_store.load().organizations["org_id"]) == ["A", "B"]


def test_a_claim_left_by_a_dead_process_is_put_back(staging, tiny_workbook, fresh_store):
    import subprocess
    import sys

    staged = staging.stage(payload(tiny_workbook.read_bytes()), "tiny.xlsx")
    # A server worker claimed the upload and was killed before its import committed.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    (staging.folder / staged.token).rename(staging.folder / f".claimed-{staged.token}.{pid}.abcd")
    # The retry finds the upload again and imports it, once.
    assert staging.get(staged.token).file_name == "tiny.xlsx"
    result, _ = confirm_upload(fresh_store, staging, staged.token)
    assert result.record is not None
    assert list(staging.folder.iterdir()) == []


def test_a_claim_of_a_live_process_is_left_alone(staging, tiny_workbook):
    import os

    staged = staging.stage(payload(tiny_workbook.read_bytes()), "tiny.xlsx")
    (staging.folder / staged.token).rename(
        staging.folder / f".claimed-{staged.token}.{os.getpid()}.abcd")
    with pytest.raises(NotFound):
        staging.get(staged.token)
    assert staging.cleanup() == 0


def test_staging_caps_how_many_uploads_and_bytes_wait(tmp_path, tiny_workbook):
    data = tiny_workbook.read_bytes()
    staging = UploadStaging(tmp_path / "capped", max_staged=2, max_bytes=10 * len(data))
    first = staging.stage_bytes(data, "1.xlsx")
    time.sleep(0.01)
    second = staging.stage_bytes(data, "2.xlsx")
    time.sleep(0.01)
    third = staging.stage_bytes(data, "3.xlsx")
    assert staging.tokens() == sorted([second.token, third.token])
    assert first.token not in staging.tokens()
    small = UploadStaging(tmp_path / "bytes", max_staged=10, max_bytes=2 * len(data))
    tokens = [small.stage_bytes(data, f"{i}.xlsx").token for i in range(3)]
    assert small.tokens() == sorted(tokens[1:])


def test_opening_the_staging_area_removes_expired_uploads(tmp_path, tiny_workbook):
    import os

    folder = tmp_path / "shared"
    staged = UploadStaging(folder).stage_bytes(tiny_workbook.read_bytes(), "old.xlsx")
    old = time.time() - 7200
    os.utime(folder / staged.token, (old, old))
    UploadStaging(folder)  # a server starting up
    assert not (folder / staged.token).exists()


def test_problems_never_show_the_staging_path_or_the_token(staging, fresh_store):
    from cso_network.core.problems import Problem
    from cso_network.views.uploads import _scrub

    staged = staging.stage_bytes(b"junk", "cohort.xlsx")
    leaky = Problem("error", "cohort.xlsx", None, None, None, str(staged.path),
                    f"cannot open {staged.path}: bad zip ({staged.token})")
    clean = _scrub([leaky], staged)[0]
    assert str(staging.folder) not in clean.message + clean.value
    assert staged.token not in clean.message + clean.value
    assert "cohort.xlsx" in clean.message


@pytest.mark.parametrize("data", [
    b"",  # staged by hand: an empty file
    b"junk",
    b"PK\x03\x04junk",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
])
def test_no_preview_or_confirm_message_names_the_server_path(staging, fresh_store, data):
    staged = staging.stage_bytes(data, "cohort.xlsx")
    preview = preview_upload(fresh_store, staged)
    texts = [f"{p.file} {p.value} {p.message}" for p in preview.problems]
    with pytest.raises(ValidationError) as exc:
        confirm_upload(fresh_store, staging, staged.token)
    texts += [f"{p.file} {p.value} {p.message}" for p in exc.value.problems]
    for text in texts:
        assert str(staging.folder) not in text and staged.token not in text


# ----------------------------------------------------------------------------- downloads


def test_data_download_round_trips_and_warns_about_personal_data(tmp_path, tiny_workbook,
                                                                 fresh_store, tiny_dataset):
    import_workbook(fresh_store, tiny_workbook)
    ws = Workspace.from_store(fresh_store)
    path = tmp_path / "export.xlsx"
    path.write_bytes(data_workbook_bytes(ws))
    report = validate_workbook(path)
    assert report.ok
    for table in TABLE_ORDER:
        pd.testing.assert_frame_equal(report.dataset.table(table).reset_index(drop=True),
                                      ws.dataset.table(table).reset_index(drop=True))
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    readme = "\n".join(str(r[0]) for r in wb["README"].iter_rows(values_only=True) if r[0])
    wb.close()
    assert "personal data" in readme and "tiny.xlsx" in readme and ws.name in readme
    # Re-importing the export changes nothing.
    assert not preview_upload(fresh_store, path).changed


def test_export_readme_for_a_workbook_workspace(tiny_workbook):
    text = export_readme(Workspace.open(data=tiny_workbook))
    assert "the workbook tiny.xlsx" in text and "personal data" in text
    assert str(tiny_workbook.parent) not in text


def test_template_download_is_a_valid_empty_workbook(tmp_path):
    path = tmp_path / "template.xlsx"
    path.write_bytes(template_bytes())
    report = validate_workbook(path)
    assert report.ok and report.dataset.is_empty()


def test_server_processes_sharing_a_staging_folder_see_each_others_uploads(tmp_path):
    """`cso-network serve` runs several workers on one folder: stage in one, confirm in another."""
    folder = tmp_path / "shared"
    worker_a, worker_b = UploadStaging(folder), UploadStaging(folder)
    data = template_bytes()  # made once: a workbook carries its time of writing
    staged = worker_a.stage_bytes(data, "cohort.xlsx")
    seen = worker_b.get(staged.token)
    assert seen.file_name == "cohort.xlsx" and seen.path.read_bytes() == data
    claimed = worker_b.claim(staged.token)
    with pytest.raises(NotFound):  # claimed once, by whichever worker got the click
        worker_a.claim(staged.token)
    worker_b.finish(claimed)
    with pytest.raises(NotFound):
        worker_a.get(staged.token)
