"""The ``cso-network`` command line (typer + rich).

Each command parses its options, calls one library function and formats the
result (the sqlite-utils habit). Commands that print results take ``--json``:
one JSON document on stdout (``recommend --all``: one line per organization,
JSON Lines), with ``null`` for undefined values; progress and messages go to
stderr. Any :class:`~cso_network.core.exceptions.CsoNetworkError`
becomes a clear message and exit status 1 (validation errors print the same
report as ``cso-network validate``), and so does an operating-system error
(a file that cannot be read or written: the message names it); no traceback is
shown unless ``CSO_NETWORK_DEBUG=1``. Exit statuses: :data:`EXIT_OK`,
:data:`EXIT_ERROR`, :data:`EXIT_USAGE` (click's, for a bad option or argument)
and :data:`EXIT_BUG` (an internal error).

Text that comes from the user (names and ids in the data, file names,
arguments, messages quoting them) is printed as written: it goes to rich as
:class:`~rich.text.Text` or escaped with :func:`rich.markup.escape`, never as
markup, so ``[bold]`` or ``[/]`` in an organization's name is shown, not
interpreted.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import json
import math
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from cso_network.core.exceptions import CsoNetworkError, ValidationError
from cso_network.core.problems import Problem, has_errors
from cso_network.demo.synth import DEMO_SEED

__all__ = ["COMMAND_GROUP", "EXIT_BUG", "EXIT_ERROR", "EXIT_OK", "EXIT_USAGE", "app", "main",
           "open_workspace"]

#: Success.
EXIT_OK = 0
#: An error in the input, the data or the environment: a message, no traceback.
EXIT_ERROR = 1
#: A usage error, a bad option or argument (click's own status for it).
EXIT_USAGE = 2
#: An internal error, a bug in cso-network.
EXIT_BUG = 3

app = typer.Typer(
    name="cso-network",
    help="Turn seminar records into a collaboration network of civil-society organizations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

#: Width of a console whose stream is not a terminal (a file, a pipe): wide enough that
#: no value is cut or wrapped, so `cso-network validate x.xlsx | grep ...` finds it whole.
UNLIMITED_WIDTH = 1_000_000


def _console(stderr: bool = False) -> Console:
    """A console on stdout or stderr that never cuts or wraps a value when not on a terminal.

    On a terminal, tables fit its width; elsewhere each row is one line,
    whatever its length. ``emoji=False``: ":name:" in user text stays as written.
    """
    stream = sys.stderr if stderr else sys.stdout
    on_terminal = hasattr(stream, "isatty") and stream.isatty()
    return Console(stderr=stderr, soft_wrap=True, emoji=False,
                   width=None if on_terminal else UNLIMITED_WIDTH)


out = _console()
err = _console(stderr=True)

DEMO_WORKBOOK = Path("data") / "demo" / "pcrc_demo.xlsx"
TEMPLATE_WORKBOOK = Path("data") / "template.xlsx"

# ----------------------------------------------------------------------------- shared options

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Workspace: an SQLAlchemy URL or a path. Default: $CSO_NETWORK_DB, "
        "else data/workspace.sqlite.",
        show_default=False,
    ),
]
DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Read this master workbook (.xlsx) or workspace file instead of --db.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


def _clean(value: Any) -> Any:
    """Make ``value`` JSON-safe: NaN/inf -> None, tuples -> lists, numpy scalars -> Python."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def emit_json(value: Any) -> None:
    """Print ``value`` as one JSON document on stdout."""
    sys.stdout.write(json.dumps(_clean(value), ensure_ascii=False, indent=2) + "\n")


def _text(value: Any) -> Text:
    """``value`` as rich :class:`~rich.text.Text`: printed as written, never read as markup."""
    return value if isinstance(value, Text) else Text("" if value is None else str(value))


def _add_row(table: Table, *cells: Any) -> None:
    """Add a row whose cells are shown as written (see :func:`_text`)."""
    table.add_row(*(_text(c) for c in cells))


def print_problems(problems: list[Problem], console: Console = err) -> None:
    """Print a validation report as a table (errors first)."""
    if not problems:
        return
    table = Table(title="Problems found", show_lines=False, expand=False)
    for col in ("severity", "sheet", "row", "column", "value", "message"):
        table.add_column(col, overflow="fold")
    styles = {"error": "bold red", "warning": "yellow", "note": "dim"}
    for p in problems:
        _add_row(
            table,
            Text(p.severity, style=styles[p.severity]),
            p.sheet,
            p.row,
            p.column,
            p.value,
            p.message,
        )
    console.print(Text.assemble("File: ", str(problems[0].file)))
    console.print(table)
    n_err = sum(p.severity == "error" for p in problems)
    n_warn = sum(p.severity == "warning" for p in problems)
    console.print(f"{n_err} {'error' if n_err == 1 else 'errors'}, "
                  f"{n_warn} {'warning' if n_warn == 1 else 'warnings'}.")


#: What to do about an operating-system error, by its class (the first match applies).
_OS_ERROR_ADVICE: tuple[tuple[type[OSError], str], ...] = (
    (PermissionError, "permission denied: check that you may read (and, to write, change) it "
                      "and its folder, or choose another path"),
    (NotADirectoryError, "a part of the path is a file, not a folder: check the path"),
    (IsADirectoryError, "this is a folder: give a file name"),
    (FileExistsError, "a file is in the way where a folder is needed: check the path"),
    (FileNotFoundError, "no such file or folder: check the path"),
)


def describe_os_error(exc: OSError) -> str:
    """A sentence for an operating-system error: which path, what went wrong, what to do.

    Parameters
    ----------
    exc : OSError
        Raised while reading or writing a file (a workbook, a workspace, an
        output folder).

    Returns
    -------
    str
        E.g. ``"cannot use /data/ws.sqlite: permission denied: check that you
        may read ... or choose another path"``; without a path, the system's
        own description.

    Examples
    --------
    >>> describe_os_error(PermissionError(13, "Permission denied", "/srv/x.xlsx"))[:43]
    'cannot use /srv/x.xlsx: permission denied: '
    >>> describe_os_error(OSError(28, "No space left on device"))
    'No space left on device'
    """
    paths = [os.fsdecode(p) if isinstance(p, (str, bytes, os.PathLike)) else str(p)
             for p in (exc.filename, exc.filename2) if p is not None]
    advice = next((text for kind, text in _OS_ERROR_ADVICE if isinstance(exc, kind)), None)
    detail = advice or exc.strerror or str(exc) or type(exc).__name__
    if not paths:
        return detail
    return f"cannot use {' and '.join(paths)}: {detail}"


def command(func: Callable) -> Callable:
    """Turn library and environment errors into a clear message and exit status 1.

    A :class:`~cso_network.core.exceptions.CsoNetworkError` or an :class:`OSError`
    (a file or folder that cannot be read or written) is the user's input or
    environment: a message, :data:`EXIT_ERROR`, no traceback. Anything else is a
    bug: :data:`EXIT_BUG`, with the traceback only under ``CSO_NETWORK_DEBUG=1``.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            print_problems(exc.problems)
            err.print("[bold red]Stopped:[/] the file has errors; nothing was changed.")
            raise typer.Exit(EXIT_ERROR) from None
        except CsoNetworkError as exc:
            err.print(f"[bold red]Error:[/] {escape(str(exc))}")
            raise typer.Exit(EXIT_ERROR) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # e.g. `cso-network recommend --all --json | head`
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(EXIT_OK) from None
        except OSError as exc:  # the user's files and folders, not a bug
            if os.environ.get("CSO_NETWORK_DEBUG"):
                raise
            err.print(f"[bold red]Error:[/] {escape(describe_os_error(exc))}")
            raise typer.Exit(EXIT_ERROR) from None
        except Exception as exc:  # a bug: say so plainly, keep the details for debugging
            if os.environ.get("CSO_NETWORK_DEBUG"):
                raise
            err.print(
                f"[bold red]Internal error:[/] {type(exc).__name__}: {escape(str(exc))}\n"
                "This is a bug in cso-network; run again with CSO_NETWORK_DEBUG=1 for details "
                "and report it."
            )
            raise typer.Exit(EXIT_BUG) from None

    return wrapper


@contextlib.contextmanager
def _steps(title: str, steps: tuple[str, ...]) -> Iterator[Callable[[str], None]]:
    """A rich progress bar on stderr over named steps; yields the callback to report a step."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    # redirect_stdout=False: what a command writes on stdout (a --json document) goes to
    # stdout, not through the bar's console on stderr.
    with Progress(TextColumn("{task.description}", markup=False), BarColumn(),
                  TimeElapsedColumn(), console=err, transient=True,
                  redirect_stdout=False, redirect_stderr=False) as bar:
        task = bar.add_task(title, total=len(steps))

        def report(name: str) -> None:
            bar.update(task, description=f"{title}: {name}", completed=steps.index(name))

        yield report


@contextlib.contextmanager
def _bar(title: str, total: int) -> Iterator[Callable[[], None]]:
    """A rich progress bar on stderr over ``total`` items; yields the callback for one item."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}", markup=False), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True,
                  redirect_stdout=False, redirect_stderr=False) as bar:
        task = bar.add_task(title, total=total)
        yield lambda: bar.advance(task)


def open_workspace(data: Path | None, db: str | None):
    from cso_network.workspace import Workspace

    ws = Workspace.open(data=data, db=db)
    for p in ws.warnings:
        if p.severity == "warning":
            err.print(Text(str(p), style="yellow"))
    return ws


# ----------------------------------------------------------------------------- commands


@app.command()
@command
def validate(
    file: Annotated[Path, typer.Argument(help="The master workbook (.xlsx) to check.")],
    as_json: JsonOption = False,
) -> None:
    """Check a master workbook and report every problem (exit 1 if any is an error)."""
    from cso_network.core.problems import problems_to_json
    from cso_network.ingest.validate import validate_workbook

    report = validate_workbook(file)
    if as_json:
        sys.stdout.write(problems_to_json(report.problems) + "\n")
    else:
        if report.problems:
            print_problems(report.problems, out)
        if report.ok:
            counts = report.dataset.counts() if report.dataset else {}
            out.print(
                "[green]OK[/]: no errors. "
                + ", ".join(f"{n} {t}" for t, n in counts.items())
            )
    if has_errors(report.problems):
        raise typer.Exit(1)


@app.command("import")
@command
def import_(
    file: Annotated[Path, typer.Argument(help="The master workbook (.xlsx) to import.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    mirror: Annotated[
        bool, typer.Option("--mirror", help="Make the workspace mirror the file: remove rows it lacks.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Validate a workbook and import it into the workspace in one transaction.

    Rows are upserted by id, so cohorts can be imported one file at a time;
    importing the same file twice changes nothing.
    """
    from cso_network.store.sql import Store
    from cso_network.workspace import IMPORT_STEPS, import_workbook

    store = Store(db)
    with _steps(f"Importing {file.name}", IMPORT_STEPS) as progress:
        result, problems = import_workbook(store, file, mirror=mirror, dry_run=dry_run,
                                           progress=progress)
    counts = result.changes.counts()
    if as_json:
        emit_json({
            "file": file.name,
            "dry_run": dry_run,
            "mirror": mirror,
            "changed": result.changed,
            "import_id": result.record.import_id if result.record else None,
            "tables": counts,
            "warnings": [p.to_dict() for p in problems if p.severity == "warning"],
        })
        return
    print_problems([p for p in problems if p.severity == "warning"], err)
    title = ("Dry run: would change" if dry_run else "Imported") + f" ({file.name})"
    table = Table(title=escape(title))
    table.add_column("table")
    for col in ("added", "updated", "removed", "unchanged"):
        table.add_column(col, justify="right")
    for name, c in counts.items():
        _add_row(table, name, *(str(c[k]) for k in ("added", "updated", "removed", "unchanged")))
    out.print(table)
    if not result.changed:
        out.print("Nothing to change: the workspace already holds this data.")
    elif result.record:
        out.print(f"Recorded as import #{result.record.import_id} in {store.name}.", markup=False)


@app.command()
@command
def init(
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the synthetic demo workbook (generated if missing).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Create the workspace (running it again changes nothing)."""
    from cso_network.store.sql import Store
    from cso_network.workspace import import_workbook

    store = Store(db)
    out.print(f"Workspace ready: {store.name} (schema {store.schema_version()}).", markup=False)
    if demo:
        if not DEMO_WORKBOOK.exists():
            _write_demo(DEMO_WORKBOOK, seed=DEMO_SEED)
        result, _ = import_workbook(store, DEMO_WORKBOOK)
        if result.changed:
            out.print(f"Loaded the synthetic demo from {DEMO_WORKBOOK}.", markup=False)
        else:
            out.print("The demo data is already loaded.")


@app.command()
@command
def summary(data: DataOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Headline counts: organizations, participants, seminars, ties..."""
    ws = open_workspace(data, db)
    figures = ws.summary()
    if as_json:
        emit_json(figures)
        return
    table = Table(title=escape(f"Summary of {ws.name}"))
    table.add_column("what")
    table.add_column("count", justify="right")
    for k, v in figures.items():
        _add_row(table, k.replace("_", " "), str(v))
    out.print(table)


LayerOption = Annotated[
    str,
    typer.Option(
        "--layer",
        help="Which network: collaborated (declared ties), met (same seminar) or combined.",
        case_sensitive=False,
    ),
]


@app.command()
@command
def analyze(
    data: DataOption = None,
    db: DbOption = None,
    layer: LayerOption = "collaborated",
    weighted: Annotated[
        bool, typer.Option("--weighted", help="Use tie weights where a measure has a weighted form.")
    ] = False,
    permutations: Annotated[
        int, typer.Option("--permutations", min=0, help="Label permutations for the E-I test.")
    ] = 1000,
    seed: Annotated[
        int, typer.Option(min=0, help="Seed (0 or more) for permutations, sampling and Louvain.")
    ] = 0,
    top: Annotated[int, typer.Option(min=0, help="Rows per table in the readable output.")] = 15,
    as_json: JsonOption = False,
) -> None:
    """Gap analysis: cross-border mixing, coverage gaps, brokers, cut points, communities, cohorts."""
    from cso_network.analysis.report import ANALYSIS_STEPS
    from cso_network.network.layers import check_layer

    check_layer(layer)
    ws = open_workspace(data, db)
    with _steps("Analysing", ANALYSIS_STEPS) as progress:
        result = ws.analysis(layer, weighted=weighted, permutations=permutations, seed=seed,
                             progress=progress)
    if as_json:
        emit_json(result)
        return
    _print_analysis(result, top)


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _print_analysis(result: dict[str, Any], top: int) -> None:
    """Readable tables of an analysis result."""
    meta, summary = result["meta"], result["summary"]
    out.print(
        Text.assemble(
            ("Gap analysis", "bold"),
            f" of the {meta['layer']} layer: {meta['organizations']} organizations, {meta['ties']} "
            f"ties ({'weighted' if meta['weighted'] else 'ties counted, not weighted'}).",
        )
    )
    t = Table(title="Summary")
    t.add_column("measure")
    t.add_column("value", justify="right")
    for key, value in summary.items():
        _add_row(t, key.replace("_", " "), _fmt(value))
    out.print(t)
    t = Table(title=f"Gaps (top {top} of {len(result['gaps'])}, worst first)")
    t.add_column("kind")
    t.add_column("what", overflow="fold")
    for gap in result["gaps"][:top]:
        _add_row(t, gap["kind"], gap["detail"])
    out.print(t)
    t = Table(title="Country pairs: observed vs expected ties")
    for col in ("a", "b", "observed", "expected", "ratio"):
        t.add_column(col, justify="right" if col not in ("a", "b") else "left")
    for row in result["country_pairs"]:
        if row["a"] != row["b"]:
            _add_row(t, row["a"], row["b"], str(row["observed"]), _fmt(row["expected"], 1),
                     _fmt(row["ratio"], 2))
    out.print(t)
    t = Table(title=f"Brokers (top {top} by betweenness)")
    for col in ("org_id", "name", "country", "degree", "betweenness", "constraint", "gatekeeper",
                "liaison"):
        t.add_column(col)
    for b in result["brokers"][:top]:
        _add_row(t, b["org_id"], b["name"] or "", b["country"] or "", str(b["degree"]),
                 _fmt(b["betweenness"]), _fmt(b["constraint"]),
                 str(b["brokerage"]["gatekeeper"]), str(b["brokerage"]["liaison"]))
    out.print(t)
    t = Table(title="Seminars: collaborations among their organizations")
    for col in ("seminar", "before", "after", "cross-border after", "met then collaborated"):
        t.add_column(col)
    for c in result["cohorts"]:
        _add_row(t, c["seminar_id"], str(c["ties_before"]), str(c["ties_after"]),
                 str(c["cross_border_after"]), str(c["met_then_collaborated"]))
    out.print(t)


OrgOption = Annotated[str, typer.Option("--org", help="Organization id (see 'summary' or the dashboard).")]


def _check_org(ws, org_id: str) -> None:
    """Raise NotFound naming close matches when ``org_id`` is not in the workspace."""
    from cso_network.core.exceptions import NotFound
    from cso_network.views.search import find_organizations

    if org_id in set(ws.dataset.organizations["org_id"]):
        return
    close = find_organizations(ws.dataset, org_id, limit=3)
    hint = ("; did you mean " + ", ".join(f"{r.org_id} ({r.name})" for r in close.itertuples())
            + "?") if not close.empty else ""
    raise NotFound(f"no organization with id {org_id!r}{hint}")


def _parse_weights(pairs: list[str] | None) -> dict[str, float] | None:
    """``["cross_border=0.5", ...]`` -> dict; a clear error for anything else."""
    if not pairs:
        return None
    weights = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        try:
            if not sep:
                raise ValueError
            weights[name.strip()] = float(value)
        except ValueError:
            raise CsoNetworkError(
                f"--weight takes NAME=NUMBER, e.g. --weight cross_border=0.4; got {pair!r}"
            ) from None
    return weights


@app.command()
@command
def recommend(
    org: Annotated[str | None, typer.Option("--org", help="Organization id to suggest partners for.")] = None,
    all_orgs: Annotated[bool, typer.Option("--all", help="Suggestions for every organization.")] = False,
    top: Annotated[int, typer.Option("--top", min=1, help="Suggestions per organization.")] = 10,
    preset: Annotated[
        str, typer.Option("--preset", help="balanced, integration, similar-work, coverage, or "
                                           "learned (weights fitted on this workspace's history).")
    ] = "balanced",
    weight: Annotated[
        list[str] | None,
        typer.Option("--weight", help="Change one component's weight: NAME=NUMBER (repeatable)."),
    ] = None,
    data: DataOption = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print JSON on stdout: one document, or with --all one line per "
                       "organization (JSON Lines).")] = False,
) -> None:
    """Suggest partner organizations, with the parts of each score and plain-language reasons.

    With --all --json, prints one JSON line per organization (JSON Lines), so
    large workspaces stream. With --preset learned, the learned weights are
    printed on stderr.
    """
    import numpy as np

    from cso_network.recommend.explain import suggestions_records
    from cso_network.recommend.score import LEARNED, check_preset, recommend_all

    if bool(org) == bool(all_orgs):
        raise CsoNetworkError("give either --org ORG_ID or --all")
    check_preset(preset)
    weights = _parse_weights(weight)
    ws = open_workspace(data, db)
    if org:
        _check_org(ws, org)
    if preset == LEARNED:
        with err.status("Learning the weights from this workspace's history…"):
            used = ws.preset_weights(preset, weights)
        _print_learned(ws, used)
    else:
        used = ws.preset_weights(preset, weights)
    if org:
        records = ws.suggestions(org, preset=preset, top=top, weights=weights)
        if as_json:
            emit_json(records)
        else:
            _print_suggestions(ws, org, records)
        return
    with err.status("Building the features (communities, gaps)…"):
        features = ws.recommend_features()
    with err.status("Scoring all organizations…"):
        frame = recommend_all(ws.dataset, preset=preset, weights=used, top=top, features=features)
    # frame is sorted by org_id, then rank: each organization's rows are a slice
    orgs = frame["org_id"].to_numpy(dtype=object)
    starts = np.flatnonzero(np.r_[True, orgs[1:] != orgs[:-1]]) if len(orgs) else []
    stops = [*starts[1:], len(orgs)] if len(orgs) else []
    bounds = {orgs[a]: (a, b) for a, b in zip(starts, stops, strict=True)}
    with _bar("Writing suggestions", features.n) as advance:
        for org_id in features.orgs:  # every organization, one with no suggestion too
            start, stop = bounds.get(org_id, (0, 0))
            records = suggestions_records(frame.iloc[start:stop], features, ws.dataset)
            if as_json:
                sys.stdout.write(json.dumps(_clean({"org_id": org_id, "suggestions": records}),
                                            ensure_ascii=False) + "\n")
            else:
                _print_suggestions(ws, org_id, records)
            advance()


def _print_learned(ws, used: dict[str, float]) -> None:
    """Say on stderr which weights the learned preset uses and what they were learned from."""
    info = ws.learned_weights(details=True)
    parts = ", ".join(f"{name} {value:.2f}" for name, value in used.items())
    overridden = "" if used == info["weights"] else " (with the --weight changes)"
    err.print(Text(f"Learned weights{overridden}: {parts}. Learned from the collaborations that "
                   f"started in {info['inner_split_year']}–{info['last_year']}, predicted from "
                   "what was known before them."))


def _print_suggestions(ws, org_id: str, records: list[dict[str, Any]]) -> None:
    name = ws.organization(org_id)["name"]
    t = Table(title=escape(f"Suggested partners for {name} ({org_id})"))
    for col in ("#", "organization", "country", "score", "why"):
        t.add_column(col, overflow="fold")
    for i, r in enumerate(records, 1):
        _add_row(t, str(i), f"{r['name']} ({r['partner_id']})", r["country"] or "",
                 f"{r['score']:.2f}", "; ".join(r["reasons"]))
    out.print(t)
    if not records:
        out.print("No suggestions: no organization scores above zero for this one.")


@app.command()
@command
def backtest(
    split_year: Annotated[
        int | None, typer.Option("--split-year", help="Hide collaborations from this year on.")
    ] = None,
    k: Annotated[int, typer.Option("--k", min=1, help="Suggestions per organization.")] = 10,
    preset: Annotated[str, typer.Option(
        "--preset", help="Engine preset to evaluate: balanced, integration, similar-work, "
                         "coverage, or learned (weights fitted on the known history).")] = "balanced",
    seed: Annotated[
        int, typer.Option(min=0, help="Seed (0 or more) for the random baseline and AUC sampling.")
    ] = 0,
    data: DataOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Does it work? Hide later collaborations, suggest from what was known, and score the hits."""
    from cso_network.backtest.evaluate import ratio_in_words

    ws = open_workspace(data, db)
    with err.status("Backtesting…"):
        result = ws.backtest(split_year=split_year, k=k, preset=preset, seed=seed)
    if as_json:
        emit_json(result)
        return
    out.print(f"Collaborations from {result['split_year']} on hidden ({result['new_ties']} new ties, "
              f"{result['evaluated_orgs']} organizations formed at least one); k = {result['k']}.")
    t = Table(title="Backtest")
    for col in ("method", f"precision@{k}", f"recall@{k}", "AUC"):
        t.add_column(col, justify="right" if col != "method" else "left")
    for name, m in result["methods"].items():
        _add_row(t, name if name != "engine" else f"engine ({preset})", _fmt(m["precision_at_k"]),
                 _fmt(m["recall_at_k"]), _fmt(m["auc"]))
    out.print(t)
    sentence = ratio_in_words(result)
    if sentence is not None:
        out.print(str(sentence), highlight=False, markup=False)


@app.command("focal-points")
@command
def focal_points_(
    k: Annotated[int | None, typer.Option("--k", min=1, help="Fix the number of focal points.")] = None,
    data: DataOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """UNOGP focal points: fewest organizations covering every country x risk factor and field."""
    ws = open_workspace(data, db)
    result = ws.focal_points(k).to_dict()
    contacts = ws.missing_contacts()
    result["missing_contacts"] = contacts.to_dict("records")
    if as_json:
        emit_json(result)
        return
    who = "1 organization covers" if result["k"] == 1 else f"{result['k']} organizations cover"
    out.print(f"{who} {result['covered']} of {result['total']} "
              f"country x risk-factor/field cells ({result['coverage']:.0%}).")
    t = Table(title="Focal points, in the order chosen")
    for col in ("#", "org_id", "name", "country", "new cells", "engaged", "consent"):
        t.add_column(col)
    for o in result["orgs"]:
        _add_row(t, str(o["order"]), o["org_id"], o["name"] or "", o["country"] or "",
                 str(o["new_cells"]), "yes" if o["engaged"] else "no",
                 "yes" if o["consent"] else "no")
    out.print(t)
    if result["uncovered_cells"]:
        out.print("Left uncovered: " + ", ".join(result["uncovered_cells"]), markup=False)
    if result["missing_contacts"]:
        t = Table(title="Contacts UNOGP is missing")
        t.add_column("org_id")
        t.add_column("country")
        t.add_column("why", overflow="fold")
        for c in result["missing_contacts"]:
            _add_row(t, c["org_id"], c["country"] or "", c["reason"])
        out.print(t)


@app.command("intro-path")
@command
def intro_path(
    org: OrgOption,
    data: DataOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """How an organization is best introduced to UNOGP: the shortest trusted chain."""
    ws = open_workspace(data, db)
    _check_org(ws, org)
    path = ws.introduction_paths()[org].to_dict()
    if as_json:
        emit_json(path)
        return
    out.print(path["sentence"], markup=False)
    if path["path"] and len(path["path"]) > 1:
        out.print("Path: " + " → ".join(path["path"]), markup=False)


@app.command()
@command
def history(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the imports recorded in the workspace."""
    from cso_network.store.sql import Store

    records = Store(db, create=False).imports()
    if as_json:
        emit_json([r.__dict__ for r in records])
        return
    if not records:
        out.print("No imports yet. Import a workbook with: cso-network import FILE")
        return
    table = Table(title="Imports")
    for col in ("#", "when (UTC)", "file", "mode", "added", "updated", "removed"):
        table.add_column(col)
    for r in records:
        totals = {k: sum(t[k] for t in r.counts.values()) for k in ("added", "updated", "removed")}
        _add_row(table, str(r.import_id), r.imported_at, r.file_name, r.mode,
                     str(totals["added"]), str(totals["updated"]), str(totals["removed"]))
    out.print(table)





def _demo_notes_path(workbook: Path, notes: str) -> Path:
    """Where the demo's notes ``notes`` go beside ``workbook``, overwriting nothing of the user's.

    ``README.md`` in the workbook's folder, unless a README.md is there that
    the demo did not write (its first lines differ from ``notes``'s: the
    title and the synthetic-data label); then ``<stem>.README.md``, named
    after the workbook, e.g. ``x.README.md`` beside ``x.xlsx``.
    """
    readme = workbook.with_name("README.md")
    try:
        with readme.open(encoding="utf-8") as fh:
            head = [fh.readline() for _ in range(3)]
    except FileNotFoundError:
        return readme
    except (OSError, UnicodeDecodeError):  # a folder, unreadable, not text: not the demo's
        head = []
    if "".join(head) == "".join(notes.splitlines(keepends=True)[:3]):
        return readme
    return workbook.with_name(f"{workbook.stem}.README.md")


def _write_demo_files(path: Path, *, seed: int, n_orgs: int | None = None) -> tuple[Path, Path]:
    """Generate the synthetic programme; write the workbook ``path`` and its notes beside it.

    Returns the workbook's path and the notes' (see :func:`_demo_notes_path`).
    """
    from cso_network.demo.synth import demo_readme, generate_programme
    from cso_network.ingest.excel import write_workbook

    programme = generate_programme(seed=seed, n_orgs=n_orgs)
    text = demo_readme(programme)
    notes = _demo_notes_path(path, text)
    write_workbook(programme.dataset, path, readme=text)
    notes.write_text(text, encoding="utf-8")
    return path, notes


def _write_demo(path: Path, *, seed: int, n_orgs: int | None = None) -> Path:
    """Generate the synthetic programme and write it as a workbook plus notes; return ``path``.

    The notes are README.md beside the workbook, or ``<stem>.README.md`` when a
    README.md the demo did not write is already there (see :func:`_demo_notes_path`).
    """
    return _write_demo_files(path, seed=seed, n_orgs=n_orgs)[0]


@app.command()
@command
def demo(
    out_path: Annotated[
        Path, typer.Option("--out", help="Workbook to write; its notes go beside it, in README.md "
                                         "(or <name>.README.md if a README.md of yours is there).")
    ] = DEMO_WORKBOOK,
    seed: Annotated[
        int, typer.Option(min=0, help="Random seed (0 or more): same seed, same data.")
    ] = DEMO_SEED,
    orgs: Annotated[
        int | None,
        typer.Option("--orgs", help="Scale the model to N organizations (for benchmarks)."),
    ] = None,
    to_store: Annotated[
        bool,
        typer.Option("--store", help="Write straight into the workspace (--db) instead of a workbook."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Generate the synthetic programme data (invented names, labelled synthetic)."""
    if not to_store:
        with err.status("Generating the synthetic programme…"):
            path, notes = _write_demo_files(out_path, seed=seed, n_orgs=orgs)
        out.print(f"Wrote {path} and {notes} (synthetic data).", markup=False)
        return
    from cso_network.demo.synth import generate_programme
    from cso_network.store.sql import Store

    store = Store(db)
    with err.status("Generating the synthetic programme…"):
        programme = generate_programme(seed=seed, n_orgs=orgs)
    with err.status(f"Writing {programme.dataset.counts()['organizations']} organizations…"):
        result = store.import_dataset(
            programme.dataset, file_name=f"synthetic(seed={seed}, orgs={orgs})", sha256="-" * 64
        )
    out.print(f"Wrote the synthetic programme into {store.name} "
              f"({'changed' if result.changed else 'unchanged'}).", markup=False)


class TemplateLanguage(enum.StrEnum):
    """The languages of ``template --lang`` (:data:`cso_network.ingest.template.TEMPLATE_LANGUAGES`)."""

    en = "en"
    bs = "bs"


@app.command()
@command
def template(
    out_path: Annotated[Path | None, typer.Option(
        "--out", help="Where to write the blank workbook (default data/template.xlsx, "
                      "data/template-bs.xlsx with --lang bs).", show_default=False)] = None,
    lang: Annotated[TemplateLanguage, typer.Option(
        "--lang", help="Language of the sheets, headers and instructions: en or bs "
                       "(Bosnian/Croatian/Serbian). Both are read by import.")
    ] = TemplateLanguage.en,
) -> None:
    """Write the blank master workbook with instructions and dropdowns."""
    from cso_network.ingest.excel import write_template

    lang = lang.value
    if out_path is None:
        out_path = TEMPLATE_WORKBOOK if lang == "en" else TEMPLATE_WORKBOOK.with_name(
            f"{TEMPLATE_WORKBOOK.stem}-{lang}{TEMPLATE_WORKBOOK.suffix}")
    out.print(f"Wrote {write_template(out_path, lang=lang)}.", markup=False)


#: Entry-point group through which other packages add commands (the dashboard adds
#: ``serve``), so this library never imports them.
COMMAND_GROUP = "cso_network.commands"


def _add_registered_commands() -> None:
    """Add the commands registered under :data:`COMMAND_GROUP` by installed packages."""
    from importlib.metadata import entry_points

    for ep in entry_points(group=COMMAND_GROUP):
        try:
            func = ep.load()
        except ImportError:  # the package providing it is not installed completely
            continue
        except AttributeError:
            # The providing module is being imported right now (someone imported it
            # before this one, and it imports this module): it is not complete yet,
            # so its command is not added in this process.
            continue
        app.command(ep.name)(command(func))


def main() -> None:
    """Entry point of the ``cso-network`` console script."""
    app()


_add_registered_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
