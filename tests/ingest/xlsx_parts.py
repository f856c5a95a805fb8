"""Raw .xlsx parts for hostile-workbook tests: zip members and sheet XML written directly.

openpyxl would be slow for a million rows and cuts long cells, so these
builders write the parts themselves.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

#: The master sheets with their headers, as a minimal valid workbook has them.
HEADERS = {
    "seminars": ["seminar_id", "city", "country", "start_date", "end_date"],
    "organizations": ["org_id", "name", "country", "city", "type", "fields", "practices",
                      "risk_factors"],
    "participants": ["participant_id", "full_name", "org_id", "role", "gender", "email", "phone",
                     "consent_contact", "consent_directory"],
    "attendance": ["participant_id", "seminar_id"],
    "collaborations": ["org_a", "org_b", "kind", "since", "source", "note"],
}


# ----------------------------------------------------------------------------- building files


def _letter(index: int) -> str:
    """Column letter of 0-based ``index``: 0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_xml(value: str, ref: str | None = None) -> str:
    """An inline-string cell (``r`` is optional in the file format)."""
    r = f' r="{ref}"' if ref else ""
    return f'<c{r} t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def row_xml(values: Iterable[str | None], number: int | None = None) -> str:
    """A row of inline strings; ``number`` gives ``r`` attributes to the row and its cells."""
    cells = []
    for j, v in enumerate(values):
        if v is None:
            continue
        cells.append(cell_xml(v, f"{_letter(j)}{number}" if number else None))
    r = f' r="{number}"' if number else ""
    return f"<row{r}>{''.join(cells)}</row>"


def rows_xml(rows: list[list[str | None]]) -> str:
    return "".join(row_xml(r, i) for i, r in enumerate(rows, 1))


def sheet_xml(body: str | Iterable[bytes], dimension: str | None = None) -> Iterator[bytes]:
    """A worksheet part: optional ``<dimension>``, then ``<sheetData>`` holding ``body``."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    yield f'<worksheet xmlns="{MAIN}">{dim}<sheetData>'.encode()
    if isinstance(body, str):
        yield body.encode()
    else:
        yield from body
    yield b"</sheetData></worksheet>"


def write_xlsx(path: Path, sheets: dict[str, str | Iterable[bytes]], *,
               shared_strings: Iterable[bytes] | None = None, level: int = 9,
               method: int = zipfile.ZIP_DEFLATED) -> Path:
    """Write an .xlsx from parts: ``{title: sheet part body}`` (bytes chunks or text).

    A text body is wrapped by :func:`sheet_xml`; an iterable of bytes is
    written as the whole part, chunk by chunk (so a large part never sits in
    memory).
    """
    titles = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(titles) + 1))
    if shared_strings is not None:
        overrides += ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>")
    root_rels = (f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
                 f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    workbook = (f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                + "".join(f'<sheet name="{escape(t)}" sheetId="{i}" r:id="rId{i}"/>'
                          for i, t in enumerate(titles, 1))
                + "</sheets></workbook>")
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" '
                   f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(titles) + 1))
    if shared_strings is not None:
        rels += (f'<Relationship Id="rId{len(titles) + 1}" Type="{REL}/sharedStrings" '
                 'Target="sharedStrings.xml"/>')
    with zipfile.ZipFile(path, "w", compression=method, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", types)
        zf.writestr("_rels/.rels", root_rels)
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr("xl/_rels/workbook.xml.rels",
                    f'<Relationships xmlns="{PKG_REL}">{rels}</Relationships>')
        for i, title in enumerate(titles, 1):
            body = sheets[title]
            parts = sheet_xml(body) if isinstance(body, str) else body
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w") as fh:
                for chunk in parts:
                    fh.write(chunk)
        if shared_strings is not None:
            with zf.open("xl/sharedStrings.xml", "w") as fh:
                for chunk in shared_strings:
                    fh.write(chunk)
    return path


def master_sheets(**bodies: str | Iterable[bytes]) -> dict[str, str | Iterable[bytes]]:
    """The four required sheets (header only), with some replaced by ``bodies``."""
    sheets: dict[str, str | Iterable[bytes]] = {
        name: rows_xml([HEADERS[name]]) for name in ("seminars", "organizations", "participants",
                                                     "attendance")}
    sheets.update(bodies)
    return sheets


