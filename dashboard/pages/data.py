"""Data: bring in a workbook (check, preview, confirm), see past imports, download.

The upload is staged on the server under a random token
(:class:`cso_network.views.uploads.UploadStaging`); the browser keeps only the
token, and the upload component's contents are cleared as soon as the file is
staged. The file input is emptied too, so choosing a corrected file under the
same name is a new choice the page checks again. A confirmed import updates
the header's last-import line at once. Checking, the dry-run diff and the import itself are library calls
(:mod:`cso_network.views.uploads`); this module only renders.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import threading

import dash
import flask
from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from cso_network.core.exceptions import CsoNetworkError, NotFound, StaleChanges, ValidationError
from cso_network.core.messages import Cap, reason
from cso_network.core.model import TABLE_ORDER
from cso_network.ingest.limits import Limits
from cso_network.views.uploads import (
    UploadPreview,
    UploadStaging,
    change_examples,
    confirm_upload,
    data_workbook_bytes,
    group_problems,
    preview_upload,
    problems_summary,
    template_bytes,
)
from cso_network.workspace import Workspace
from dashboard.components import cell, freshness
from dashboard.i18n import N_, _, ngettext, say
from dashboard.state import UPLOAD_DIR_ENV, current_workspace, is_public

dash.register_page(__name__, path="/data", name=N_("Data"), staff=True,
                   title=lambda **_kw: _("Data") + " · cso-network", order=6)

log = logging.getLogger(__name__)

#: Flask config key of the app's upload staging area.
STAGING_KEY = "CSO_NETWORK_UPLOADS"
#: Environment variable naming a shared staging folder (several server processes).
STAGING_ENV = UPLOAD_DIR_ENV
#: Severity of a validation problem -> its label (translated when the table renders).
SEVERITY_LABELS = {"error": N_("error"), "warning": N_("warning"), "note": N_("note")}
HIDDEN = {"display": "none"}
SHOWN: dict = {}

_staging_lock = threading.Lock()


def _staging() -> UploadStaging:
    """The app's staging area (created on first use; private temp folder unless configured)."""
    config = flask.current_app.config
    with _staging_lock:
        staging = config.get(STAGING_KEY)
        if staging is None:
            staging = UploadStaging(os.environ.get(STAGING_ENV) or None)
            if os.environ.get(STAGING_ENV) is None:
                atexit.register(staging.close)
            config[STAGING_KEY] = staging
        return staging


# ----------------------------------------------------------------------------- pieces


def _sentence(exc: Exception) -> str:
    """An exception's message as a sentence in the reader's language: capital first, full stop."""
    return say(Cap(reason(exc))) + "."


#: Rows named in one cause's line; the table below lists them all.
ROWS_NAMED = 12


def _causes(problems) -> html.Div:
    """The problems grouped by cause, root causes first (:func:`group_problems`)."""
    items = []
    for g in group_problems(problems):
        where = [g.sheet or _("the file")]
        if g.column:
            where.append(_("column {column}").format(column=g.column))
        rows = [str(r) for r in g.rows[:ROWS_NAMED]] + (["…"] if len(g.rows) > ROWS_NAMED else [])
        if g.count > 1 or len(g.rows) > 1:
            where.append(ngettext("{n} row: {rows}", "{n} rows: {rows}", max(g.count, 1)).format(
                n=g.count, rows=", ".join(rows)))
        elif g.rows:
            where.append(_("row {row}").format(row=g.rows[0]))
        items.append(html.Li([html.Span(_(SEVERITY_LABELS.get(g.severity, g.severity)),
                                        className=f"data-severity data-severity-{g.severity}"),
                              " " + say(g.message) + " — " + ", ".join(where)],
                             className=f"data-cause data-problem-{g.severity}"))
    return html.Div([html.H4(_("Causes, the first to fix first")),
                     html.Ol(items, id="data-causes")], className="data-causes")


def _problem_table(problems) -> html.Div:
    """Every problem of the check, in a box that scrolls (the library bounds their number,
    ``CSO_NETWORK_MAX_PROBLEMS``, and says how many more it found)."""
    header = html.Thead(html.Tr([html.Th(c, scope="col") for c in
                                 (_("severity"), _("sheet"), _("row"), _("column"), _("value"),
                                  _("problem"))]))
    rows = [
        html.Tr([cell(_(SEVERITY_LABELS.get(p.severity, p.severity)),
                      className=f"data-severity data-severity-{p.severity}"),
                 cell(p.sheet or "–"), cell("–" if p.row is None else p.row),
                 cell(p.column or "–"), html.Td("–" if p.value in (None, "") else p.value),
                 html.Td(say(p.message))],
                className=f"data-problem-{p.severity}")
        for p in problems
    ]
    return html.Div(html.Table([header, html.Tbody(rows)], id="data-problems",
                               className="table data-table"), className="data-scroll")


def _counts_table(counts: dict[str, dict[str, int]], component_id: str) -> html.Div:
    header = html.Thead(html.Tr([html.Th(c, scope="col") for c in
                                 (_("table"), _("added"), _("updated"), _("removed"),
                                  _("unchanged"))]))
    rows = []
    for table in TABLE_ORDER:
        c = counts.get(table, {"added": 0, "updated": 0, "removed": 0, "unchanged": 0})
        rows.append(html.Tr(
            [cell(table)]
            + [cell(c[k], className=f"data-num data-{k}"
                    + (" data-nonzero" if c[k] and k != "unchanged" else ""))
               for k in ("added", "updated", "removed", "unchanged")]
        ))
    return html.Div(html.Table([header, html.Tbody(rows)], id=component_id,
                               className="table data-table data-counts"), className="data-scroll")


def _totals_sentence(totals: dict[str, int], *, done: bool) -> str:
    verb = (_("added {added}, updated {updated} and removed {removed} row(s)") if done else
            _("would add {added}, update {updated} and remove {removed} row(s)"))
    return verb.format(**totals)


def _examples(preview: UploadPreview) -> html.Details | str:
    examples = change_examples(preview.changes) if preview.changes is not None else {}
    if not examples:
        return ""
    items = []
    for table, kinds in examples.items():
        parts = [f"{kind}: {', '.join(keys)}" for kind, keys in kinds.items() if keys]
        items.append(html.Li([html.Strong(table), " — ", "; ".join(parts)]))
    return html.Details([html.Summary(_("Which rows (first few per table)")), html.Ul(items)],
                        className="data-examples")


def _render_preview(preview: UploadPreview, ws: Workspace) -> html.Div:
    ok = preview.ok
    children: list = [
        html.H3([_("Checked") + " ", html.Span(preview.file_name, className="data-file")]),
        html.P(say(preview.summary) + ".", id="data-summary",
               className="lead data-summary " + ("data-summary-ok" if ok else "data-summary-error")),
    ]
    if preview.problems:
        if len(preview.problems) > 1:
            children.append(_causes(preview.problems))
        children.append(_problem_table(preview.problems))
    if not ok:
        children.append(html.P(_("Fix these in the workbook (sheet, row and column are as in "
                                 "Excel) and upload it again."), className="how-to-read"))
    elif not preview.can_import:
        children.append(html.P(_("Checked only: this dashboard reads the workbook {name} "
                                 "directly and cannot import (see above).").format(name=ws.name),
                               id="data-cannot-import",
                               className="data-notice"))
    elif preview.changes is not None:
        totals = preview.totals()
        mode = " " + _("(mirror)") if preview.mirror else ""
        if preview.changed:
            sentence = _("Importing this file{mode} {changes}.").format(
                mode=mode, changes=_totals_sentence(totals, done=False))
        elif preview.mirror:
            sentence = _("Nothing would change: the workspace already holds everything in this "
                         "file and nothing else.")
        else:
            sentence = _("Nothing would change: the workspace already holds everything in this "
                         "file.")
        children += [
            html.H3(_("What importing would change") + mode),
            html.P(sentence, id="data-diff-sentence",
                   className="data-warn" if totals["removed"] else ""),
            _counts_table(preview.counts, "data-diff"),
            _examples(preview),
        ]
    return html.Div(children, className="card data-report")


def _readonly_text(ws: Workspace) -> str:
    return _("This dashboard reads the workbook {name} directly, so it cannot import files: "
             "you can check a workbook here and download the data below. Importing needs the "
             "dashboard started on a workspace (for whoever runs it: cso-network init, then "
             "cso-network serve without --data).").format(name=ws.name)


def _upload_hint() -> html.P:
    return html.P(_("No file checked yet: choose or drop a workbook above; the check and what "
                    "importing it would change appear here before anything is written."),
                  className="how-to-read", id="data-report-empty")


def _imports_table(ws: Workspace) -> html.Div:
    if ws.store is None:
        return html.P(_("No import history: this dashboard reads the workbook {name} "
                        "directly.").format(name=ws.name),
                      id="data-imports-empty", className="how-to-read")
    records = ws.store.imports()
    if not records:
        return html.P(_("No imports yet. Upload a workbook above (start from the blank template "
                        "below, or load the synthetic demo with cso-network init --demo)."),
                      id="data-imports-empty", className="how-to-read")
    header = html.Thead(html.Tr([html.Th(c, scope="col") for c in
                                 ("#", _("time (UTC)"), _("file"), _("mode"), _("added"),
                                  _("updated"), _("removed"))]))
    rows = []
    for r in reversed(records):
        totals = {k: sum(c.get(k, 0) for c in r.counts.values())
                  for k in ("added", "updated", "removed")}
        rows.append(html.Tr([cell(r.import_id), cell(r.imported_at[:16].replace("T", " ")),
                             html.Td(r.file_name), cell(r.mode), cell(totals["added"]),
                             cell(totals["updated"]), cell(totals["removed"])]))
    return html.Div(
        [html.Div(html.Table([header, html.Tbody(rows)], id="data-imports-table",
                             className="table data-table"), className="data-scroll"),
         html.P(_("Newest first. Row-by-row changes of each import: cso-network history."),
                className="how-to-read")]
    )


def _render_result(result, file_name: str) -> html.Div:
    if result.record is None:
        return html.Div(
            html.P(_("Nothing changed: the workspace already holds everything in "
                     "{file}.").format(file=file_name),
                   id="data-result-message"),
            className="card data-result")
    totals = {k: sum(c[k] for c in result.record.counts.values())
              for k in ("added", "updated", "removed")}
    return html.Div(
        [html.P([_("Imported {file} as import #{number}: {changes}. Every page now shows the "
                   "new data:").format(file=file_name, number=result.record.import_id,
                                       changes=_totals_sentence(totals | {"unchanged": 0},
                                                                done=True)) + " ",
                 dcc.Link(_("see the overview"), href="/"), "."],
                id="data-result-message", className="lead data-summary-ok"),
         _counts_table(result.record.counts, "data-result-counts")],
        className="card data-result",
    )


def _message(text: str, kind: str = "error") -> html.Div:
    return html.Div(html.P(text, id="data-result-message"), className=f"card data-message-{kind}")


# ----------------------------------------------------------------------------- layout


def _public_notice() -> html.Div:
    return html.Div([
        html.H1(_("Data")),
        html.P(_("This dashboard is served for participants: uploading, importing and "
                 "downloading the data are switched off here. PCRC staff manage the data in "
                 "their own copy of cso-network."), id="data-public", className="card data-notice"),
    ])


def layout(**_query) -> html.Div:
    """Build the page for the current workspace."""
    if is_public():
        return _public_notice()
    ws = current_workspace()
    readonly = ws.store is None
    limits = Limits.from_env()
    limit_text = f"{limits.max_file_bytes / 2**20:g} MiB"
    return html.Div(
        [
            html.H1(_("Data")),
            html.P(_("Bring in new records from a master workbook, see past imports, and "
                     "download the blank template or the current data."), className="how-to-read"),
            html.Div(_readonly_text(ws), id="data-readonly", className="card data-notice")
            if readonly else "",
            html.Div(
                [
                    html.H2(_("Check a workbook") if readonly else _("Import a workbook")),
                    html.Ol([
                        html.Li(_("Fill in the blank template (download below) or edit a download "
                                  "of the current data.")),
                        html.Li(_("Drop the .xlsx file here to check it: every problem is listed "
                                  "with its sheet, row and column.") if readonly else
                                _("Drop the .xlsx file here. It is checked first and you see what "
                                  "would change; nothing is written until you confirm.")),
                    ], className="data-steps"),
                    dcc.Upload(
                        html.Div([
                            html.Span(_("Drag and drop an .xlsx workbook here, or") + " "),
                            html.Button(_("choose a file"), className="data-button", type="button",
                                        id="data-choose"),
                        ]),
                        id="data-upload", className="data-upload", multiple=False,
                    ),
                    html.P(_("Excel workbooks (.xlsx) in the master format "
                             "(docs/data-format.md), up to {limit}.").format(limit=limit_text),
                           className="how-to-read"),
                    html.Div(id="data-upload-refused", role="alert"),
                    dcc.Store(id="data-payload", storage_type="memory"),
                    dcc.Store(id="data-limit", data={
                        "bytes": limits.max_file_bytes,
                        "text": _("{file} is {size} MB; files up to {limit} can be uploaded. "
                                  "Nothing was sent.").replace("{limit}", limit_text),
                    }),
                    dcc.Store(id="data-token", storage_type="memory"),
                    dcc.Loading(html.Div(_upload_hint(), id="data-report"), type="default"),
                    html.Div(
                        [
                            dcc.Checklist(
                                [{"label": " " + _("mirror: remove rows that are not in the file"),
                                  "value": "mirror"}],
                                value=[], id="data-mirror", className="data-mirror"),
                            html.Button(_("Confirm import"), id="data-confirm", n_clicks=0,
                                        className="data-button data-primary", type="button"),
                        ],
                        id="data-controls", className="data-controls", style=HIDDEN,
                    ),
                    dcc.Loading(html.Div(id="data-result"), type="default"),
                ],
                className="card",
            ),
            html.Div([html.H2(_("Past imports")), html.Div(_imports_table(ws), id="data-imports")],
                     className="card"),
            html.Div(
                [
                    html.H2(_("Downloads")),
                    html.Div([
                        html.Button(_("Blank template (.xlsx)"), id="data-download-template",
                                    className="data-button", type="button"),
                        html.Button(_("Blank template in BCS (.xlsx)"),
                                    id="data-download-template-bs", className="data-button",
                                    type="button", lang="bs"),
                        html.Button(_("Current data (.xlsx)"), id="data-download-data",
                                    className="data-button", type="button"),
                    ], className="data-downloads"),
                    html.P(_("The current data may contain personal data about human-rights "
                             "defenders (names, e-mails, phones): keep downloads out of shared "
                             "folders and version control. Its README sheet says where it came "
                             "from."), className="how-to-read"),
                    html.Div(id="data-download-message"),
                    dcc.Download(id="data-download"),
                ],
                className="card",
            ),
        ],
        className="data-page",
    )


# ----------------------------------------------------------------------------- callbacks


def _preview_outputs(preview: UploadPreview, ws: Workspace, token: dict | None):
    """(token data, report, controls style, confirm disabled) for a preview.

    The token data records the previewed mode and the digest of the changes
    shown; Confirm applies exactly those or nothing.
    """
    importable = preview.ok and preview.can_import and preview.changes is not None
    data = ({"token": token.get("token"), "file": token.get("file"), "mirror": preview.mirror,
             "digest": preview.digest} if token and importable else None)
    if token and not importable:
        # Nothing can be done with this upload: drop it now.
        _staging().discard(token.get("token"))
    return (data, _render_preview(preview, ws), SHOWN if importable else HIDDEN,
            not preview.changed)


@callback(
    Output("data-token", "data"),
    Output("data-report", "children"),
    Output("data-controls", "style"),
    Output("data-confirm", "disabled"),
    Output("data-result", "children"),
    Output("data-imports", "children"),
    Output("data-payload", "data"),
    Output("shell-freshness", "children", allow_duplicate=True),
    Input("data-payload", "data"),
    Input("data-mirror", "value"),
    Input("data-confirm", "n_clicks"),
    State("data-token", "data"),
    prevent_initial_call=True,
)
def _on_upload(payload, mirror_value, _clicks, token):
    """Stage and check an upload; re-check on the mirror switch; import on confirmation.

    After a confirmation the header's last-import line (``shell-freshness``)
    is rendered again, so it names the import just made.
    """
    if is_public():  # refused on the server: a crafted request gets nothing
        raise PreventUpdate
    out = _handle_upload(ctx.triggered_id, payload, mirror_value, _clicks, token)
    header = no_update
    if ctx.triggered_id == "data-confirm":
        try:
            header = freshness(current_workspace())
        except Exception:  # the import is done; the line follows on the next navigation
            log.exception("data page: the header's last-import line could not be read")
    return (*out, header)


def _handle_upload(trigger, payload, mirror_value, _clicks, token) -> tuple:
    """The page's seven outputs for an upload, a mirror switch or a confirmation."""
    mirror = isinstance(mirror_value, list) and "mirror" in mirror_value
    token = token if isinstance(token, dict) else None
    try:
        ws = current_workspace()
        staging = _staging()
        if trigger == "data-payload":
            if not isinstance(payload, dict) or not payload.get("contents"):
                raise PreventUpdate
            contents, file_name = payload.get("contents"), payload.get("filename")
            if not isinstance(contents, str) or not isinstance(file_name, (str, type(None))):
                raise PreventUpdate
            if token:
                staging.discard(token.get("token"))
            try:
                staged = staging.stage(contents, file_name)
            except ValidationError as exc:
                name = exc.problems[0].file if exc.problems else _("the file")
                report = _render_preview(UploadPreview(name, exc.problems), ws)
                return None, report, HIDDEN, True, "", no_update, None
            new_token = {"token": staged.token, "file": staged.file_name}
            out = _preview_outputs(preview_upload(ws, staged, mirror=mirror), ws, new_token)
            return (*out, "", no_update, None)
        if trigger == "data-mirror":
            if not token:
                raise PreventUpdate
            staged = staging.get(token.get("token"))
            return (*_preview_outputs(preview_upload(ws, staged, mirror=mirror), ws, token),
                    "", no_update, no_update)
        if trigger == "data-confirm":
            if not token or not _clicks or not isinstance(token.get("digest"), str):
                raise PreventUpdate
            if ws.store is None:
                return (None, no_update, HIDDEN, True, _message(_readonly_text(ws)), no_update,
                        no_update)
            file = str(token.get("file") or _("the file"))
            # The previewed mode and changes, never the checkbox's state at the click.
            previewed_mirror = token.get("mirror") is True
            try:
                result, _warnings = confirm_upload(ws.store, staging, token.get("token"),
                                                   mirror=previewed_mirror,
                                                   expected_digest=token["digest"])
            except StaleChanges as exc:
                staged = staging.get(token.get("token"))
                out = _preview_outputs(preview_upload(ws, staged, mirror=mirror), ws, token)
                return (*out, _message(_sentence(exc), "warning"),
                        _imports_table(current_workspace()), no_update)
            except ValidationError as exc:
                report = _render_preview(UploadPreview(file, exc.problems, previewed_mirror), ws)
                return (None, report, HIDDEN, True,
                        _message(_("{file} was not imported: {problems}.").format(
                            file=file, problems=say(problems_summary(exc.problems)))),
                        no_update, no_update)
            fresh = current_workspace()
            return (None, "", HIDDEN, True, _render_result(result, file),
                    _imports_table(fresh), no_update)
    except PreventUpdate:
        raise
    except NotFound as exc:
        return None, _upload_hint(), HIDDEN, True, _message(_sentence(exc)), \
            no_update, None
    except CsoNetworkError as exc:
        return (None, no_update, HIDDEN, True,
                _message(_("Nothing was imported: {reason}.").format(reason=say(reason(exc)))),
                no_update, None)
    except Exception:  # never a traceback in the page; the server log has it
        log.exception("data page: upload handling failed")
        return (None, no_update, HIDDEN, True,
                _message(_("Something went wrong while handling the file; nothing was "
                           "imported. Check it with cso-network validate FILE, or try again.")),
                no_update, None)
    raise PreventUpdate


# In the browser, before anything is sent: refuse a file over the size limit with a message
# (the server would answer 413 and the page would say nothing), hand an acceptable one to the
# server callback, and empty the upload component so the file is not kept in the page. The
# file input is emptied too: the browser reports a choice only when it differs from the
# input's current one, so a file corrected and chosen again under the same name would
# otherwise not be checked.
clientside_callback(
    """
    function(contents, filename, limit) {
        const none = window.dash_clientside.no_update;
        if (!contents) { return [none, none, none]; }
        const input = document.querySelector("#data-upload input[type=file]");
        if (input) { input.value = ""; }
        const comma = contents.indexOf(",");
        const data = comma >= 0 ? contents.length - comma - 1 : contents.length;
        const bytes = Math.floor(data * 3 / 4);
        if (limit && bytes > limit.bytes) {
            const text = limit.text.replace("{file}", filename || "")
                .replace("{size}", (bytes / 1e6).toFixed(0));
            return [none, null, text];
        }
        return [{contents: contents, filename: filename}, null, ""];
    }
    """,
    Output("data-payload", "data", allow_duplicate=True),
    Output("data-upload", "contents"),
    Output("data-upload-refused", "children"),
    Input("data-upload", "contents"),
    State("data-upload", "filename"),
    State("data-limit", "data"),
    prevent_initial_call=True,
)

# Confirm is off from the moment the file or the mode changes until the server has
# shown what the new choice would change.
clientside_callback(
    """
    function(_contents, _mirror) { return true; }
    """,
    Output("data-confirm", "disabled", allow_duplicate=True),
    Input("data-upload", "contents"),
    Input("data-mirror", "value"),
    prevent_initial_call=True,
)


@callback(
    Output("data-download", "data"),
    Output("data-download-message", "children"),
    Input("data-download-template", "n_clicks"),
    Input("data-download-template-bs", "n_clicks"),
    Input("data-download-data", "n_clicks"),
    prevent_initial_call=True,
)
def _on_download(_template, _template_bs, _data):
    """Serve the blank template (English or BCS) or the current data as a master workbook."""
    if is_public():
        raise PreventUpdate
    try:
        if ctx.triggered_id == "data-download-template":
            return dcc.send_bytes(template_bytes(), "cso-network-template.xlsx"), ""
        if ctx.triggered_id == "data-download-template-bs":
            return dcc.send_bytes(template_bytes("bs"), "cso-network-obrazac.xlsx"), ""
        if ctx.triggered_id == "data-download-data":
            ws = current_workspace()
            stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
            return dcc.send_bytes(data_workbook_bytes(ws), f"cso-network-data-{stamp}.xlsx"), ""
    except Exception:
        log.exception("data page: download failed")
        return no_update, html.P(_("The download could not be prepared; try again, or use "
                                   "cso-network template / the command line."),
                                 className="data-message-error")
    raise PreventUpdate
