"""The Workspace: the data one works on, and the graphs built from it.

A workspace is read either from a store (``data/workspace.sqlite`` or any
database URL) or straight from a master workbook. Graphs and summaries are
cached per workspace *version* (the store's latest import id, or the file's
sha256), so the dashboard rebuilds them only after an import.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from cso_network.core.exceptions import NotFound
from cso_network.core.model import Dataset
from cso_network.core.problems import Problem
from cso_network.ingest.validate import validate_workbook
from cso_network.network.layers import LAYERS
from cso_network.store.sql import ImportResult, Store

__all__ = ["Workspace", "IMPORT_STEPS", "import_workbook", "file_sha256", "summarize"]

_WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}


def file_sha256(path: str | Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


#: Steps of :func:`import_workbook`, reported to its ``progress`` callback in order.
IMPORT_STEPS = ("reading the workspace", "reading and checking the workbook", "writing")


def import_workbook(
    store: Store, path: str | Path, *, mirror: bool = False, dry_run: bool = False,
    progress=None, expected_digest: str | None = None,
) -> tuple[ImportResult, list[Problem]]:
    """Validate a workbook and import it into ``store`` (one transaction).

    References in the file may point to ids already in the store (cohorts
    can be imported one file at a time), except with ``mirror``, where the
    file alone must be complete.

    Parameters
    ----------
    store : Store
        The workspace store.
    path : str or Path
        The master workbook.
    mirror : bool, default False
        Make the store mirror the file (rows absent from it are removed).
    dry_run : bool, default False
        Report the changes without writing anything.
    progress : callable, optional
        Called with each name of :data:`IMPORT_STEPS` as the step starts.
    expected_digest : str, optional
        Write only if the changes are exactly those with this digest (a
        confirmed preview); see :meth:`~cso_network.store.sql.Store.import_dataset`.

    Returns
    -------
    (ImportResult, warnings)
        The import's result and the validation warnings and notes.

    Raises
    ------
    ValidationError
        The file has errors; nothing at all was written.
    StaleChanges
        ``expected_digest`` no longer matches; nothing was written.
    """
    step = progress or (lambda _name: None)
    step(IMPORT_STEPS[0])
    base = None if mirror else store.load()
    step(IMPORT_STEPS[1])
    report = validate_workbook(path, base=base)
    dataset = report.raise_for_errors()
    step(IMPORT_STEPS[2])
    result = store.import_dataset(
        dataset, file_name=Path(path).name, sha256=file_sha256(path), mirror=mirror, dry_run=dry_run,
        expected_digest=expected_digest,
    )
    return result, report.problems


def summarize(dataset: Dataset, met: nx.Graph, collaborated: nx.Graph) -> dict[str, int]:
    """The headline counts shown by ``cso-network summary`` and the Overview page.

    Parameters
    ----------
    dataset : Dataset
    met, collaborated : networkx.Graph
        The ``met`` and ``collaborated`` layers.

    Returns
    -------
    dict
        Integer values for organizations, participants, seminars, countries
        (distinct organization countries), attendance (rows), met_pairs (edges
        of the met layer), collaboration_ties (edges of the collaborated
        layer), engagements.
    """
    return {
        "organizations": len(dataset.organizations),
        "participants": len(dataset.participants),
        "seminars": len(dataset.seminars),
        "countries": int(dataset.organizations["country"].nunique()),
        "attendance": len(dataset.attendance),
        "met_pairs": met.number_of_edges(),
        "collaboration_ties": collaborated.number_of_edges(),
        "engagements": len(dataset.engagements),
    }


@dataclass(frozen=True)
class _Source:
    kind: str  # "store" or "workbook"
    name: str


class Workspace:
    """The data being worked on, with cached graphs.

    Use :meth:`open` (from a workbook or a store) rather than the constructor.

    Parameters
    ----------
    dataset : Dataset
        The tables.
    version : str
        Changes whenever the data changes (cache key).
    name : str
        Shown in the dashboard and reports.
    store : Store, optional
        The backing store; None for a workspace read from a workbook.

    Examples
    --------
    >>> ws = Workspace.from_store(Store.memory())
    >>> ws.summary()["organizations"]
    0
    """

    def __init__(self, dataset: Dataset, *, version: str, name: str, store: Store | None = None,
                 warnings: list[Problem] | None = None) -> None:
        self.dataset = dataset
        self.version = version
        self.name = name
        self.store = store
        self.warnings = list(warnings or [])
        self._cache: dict[Any, Any] = {}
        self._lock = threading.RLock()

    # ---------------------------------------------------------------- opening
    @classmethod
    def from_store(cls, store: Store) -> Workspace:
        """Load the workspace held by ``store``."""
        return cls(store.load(), version=f"store:{store.version()}", name=store.name, store=store)

    @classmethod
    def from_workbook(cls, path: str | Path) -> Workspace:
        """Read a master workbook (validated; raises ValidationError on errors)."""
        report = validate_workbook(path)
        dataset = report.raise_for_errors()
        return cls(dataset, version=f"file:{file_sha256(path)}", name=Path(path).name,
                   warnings=report.problems)

    @classmethod
    def open(cls, data: str | Path | None = None, db: str | Path | None = None) -> Workspace:
        """Open what a command names: ``--data`` (workbook or workspace file) or ``--db``.

        Parameters
        ----------
        data : str or Path, optional
            A master workbook (.xlsx) or a workspace file (SQLite). Wins over ``db``.
        db : str or Path, optional
            Store URL or path; default ``CSO_NETWORK_DB`` or ``data/workspace.sqlite``.

        Raises
        ------
        NotFound
            The file or workspace does not exist.
        ValidationError
            The workbook has errors.
        """
        if data is not None:
            path = Path(data)
            if path.suffix.lower() in _WORKBOOK_SUFFIXES:
                return cls.from_workbook(path)
            if not path.exists():
                raise NotFound(f"no such file: {path}")
            if _looks_like_sqlite(path):
                return cls.from_store(Store(path, create=False))
            # Anything else is judged by the workbook reader, which names the problem.
            return cls.from_workbook(path)
        return cls.from_store(Store(db, create=False))

    # ---------------------------------------------------------------- freshness
    def refreshed(self) -> Workspace:
        """Return this workspace, or a newly loaded one if its store has changed since."""
        if self.store is None:
            return self
        if f"store:{self.store.version()}" == self.version:
            return self
        return Workspace.from_store(self.store)

    # ---------------------------------------------------------------- derived data
    def cached(self, key: Any, build) -> Any:
        """Return ``build()`` computed once per workspace version and ``key``."""
        with self._lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]

    def graph(self, layer: str = "combined") -> nx.Graph:
        """Return the organization network for ``layer`` (cached; do not mutate)."""
        from cso_network.network.layers import build_layer

        return self.cached(("graph", layer), lambda: build_layer(self.dataset, layer))

    def organization(self, org_id: str) -> dict[str, Any]:
        """One organization's row (org_id, name, country, city, type, fields, practices, risk_factors).

        Raises
        ------
        NotFound
            No organization has this id.

        Examples
        --------
        >>> from cso_network.demo.synth import generate_programme
        >>> ws = Workspace(generate_programme(seed=1).dataset, version="x", name="x")
        >>> ws.organization("ORG-001")["org_id"]
        'ORG-001'
        """
        index = self.cached("organization_index", lambda: {
            str(row["org_id"]): row for row in self.dataset.organizations.to_dict("records")})
        row = index.get(str(org_id))
        if row is None:
            raise NotFound(f"no organization with id {org_id!r}")
        return dict(row)

    def facts(self):
        """The network's clusters and cross-border gaps, computed once per version.

        The one source that the gap analysis, the suggestions and their
        reasons, and every page read; see :mod:`cso_network.analysis.facts`.
        """
        from cso_network.analysis.facts import FACTS_LAYER, network_facts

        return self.cached("facts", lambda: network_facts(self.dataset,
                                                          graph=self.graph(FACTS_LAYER)))

    def analysis(self, layer: str = "collaborated", *, weighted: bool = False,
                 permutations: int = 1000, seed: int = 0, progress=None) -> dict[str, Any]:
        """Return the gap analysis of one layer (cached per version and options).

        See :func:`cso_network.analysis.report.analyze`.
        """
        from cso_network.analysis.report import analyze

        def build() -> dict[str, Any]:
            graphs = {name: self.graph(name) for name in {layer, "met", "collaborated"}}
            return analyze(self.dataset, layer=layer, weighted=weighted, permutations=permutations,
                           seed=seed, graphs=graphs, facts=self.facts(), progress=progress)

        return self.cached(("analysis", layer, weighted, permutations, seed), build)

    def recommend_features(self):
        """Per-organization features for suggestions (cached); see ``recommend.features``.

        Reads the adjacency from the cached graphs when they are built (the
        dashboard builds them anyway), else straight from the tables: the
        values are the same, and building networkx graphs only for this would
        take most of the time at scale (10 of 22 s at 10,000 organizations).
        """
        from cso_network.recommend.features import build_features

        def build():
            with self._lock:
                built = all(("graph", name) in self._cache for name in LAYERS)
            graphs = {name: self.graph(name) for name in LAYERS} if built else None
            return build_features(self.dataset, graphs=graphs, facts=self.facts())

        return self.cached("recommend_features", build)

    def learned_weights(self, *, details: bool = False) -> dict[str, Any]:
        """The ``learned`` preset's weights, fitted on this workspace's own history (cached).

        The collaborations that started in the last two dated years are
        predicted from what was known before them
        (:func:`cso_network.backtest.evaluate.learn_weights`); computed once
        per workspace version.

        Parameters
        ----------
        details : bool, default False
            Return the fit's details (``weights``, ``coef``, ``intercept``,
            ``inner_split_year``, ``last_year``, ``positives``,
            ``negatives``) instead of ``{component: weight}``.

        Raises
        ------
        CsoNetworkError
            The history is too short to learn from (the message says why).
        """
        from cso_network.backtest.evaluate import learn_weights
        from cso_network.core.exceptions import CsoNetworkError

        def build() -> dict[str, Any] | CsoNetworkError:
            try:
                return learn_weights(self.dataset, details=True, fallback=False)
            except CsoNetworkError as exc:  # cached too: the data will not change
                return exc

        info = self.cached("learned_weights", build)
        if isinstance(info, CsoNetworkError):
            raise CsoNetworkError(*info.args)
        return {**info, "weights": dict(info["weights"])} if details else dict(info["weights"])

    def preset_weights(self, preset: str = "balanced",
                       weights: dict[str, float] | None = None) -> dict[str, float]:
        """Every component's weight under ``preset``, ``weights`` overriding single ones.

        ``learned`` takes :meth:`learned_weights`; the other presets are
        fixed (:func:`cso_network.recommend.score.resolve_weights`).

        Raises
        ------
        CsoNetworkError
            Unknown preset or weight, or ``learned`` on too short a history.
        """
        from cso_network.recommend.score import LEARNED, check_preset, resolve_weights

        if check_preset(preset) == LEARNED:
            return resolve_weights(LEARNED, {**self.learned_weights(), **(weights or {})})
        return resolve_weights(preset, weights)

    def suggestions(self, org_id: str, *, preset: str = "balanced", top: int = 10,
                    weights: dict[str, float] | None = None) -> list[dict[str, Any]]:
        """Partner suggestions for one organization, with reasons (JSON-ready records).

        See :func:`cso_network.recommend.score.recommend_for` and
        :func:`cso_network.recommend.explain.suggestions_records` (each record
        names the suggested partner ``partner_id``); ``preset`` may be
        ``learned`` (:meth:`preset_weights`).

        Raises
        ------
        NotFound
            An unknown organization.
        CsoNetworkError
            Unknown preset or weight, or ``learned`` on too short a history.
        """
        from cso_network.recommend.explain import suggestions_records
        from cso_network.recommend.score import recommend_for

        w = self.preset_weights(preset, weights)
        features = self.recommend_features()
        key = ("suggestions", org_id, preset, top, tuple(w.items()))

        def build() -> list[dict[str, Any]]:
            frame = recommend_for(self.dataset, org_id, preset=preset, weights=w, top=top,
                                  features=features)
            return suggestions_records(frame, features, self.dataset)

        return self.cached(key, build)

    def backtest(self, *, split_year: int | None = None, k: int = 10, preset: str = "balanced",
                 seed: int = 0) -> dict[str, Any]:
        """Backtest of the suggestions against baselines (cached); see ``backtest.evaluate``.

        ``learned`` is learned again on each split's known data only
        (:func:`cso_network.backtest.evaluate.engine_method`), never from
        :meth:`learned_weights`, which has seen the ties being predicted.
        """
        from cso_network.backtest.evaluate import backtest, engine_method

        return self.cached(
            ("backtest", split_year, k, preset, seed),
            lambda: backtest(self.dataset, split_year=split_year, k=k, seed=seed,
                             engine=engine_method(preset)),
        )

    def focal_points(self, k: int | None = None):
        """UNOGP focal points (cached); see :func:`cso_network.unogp.focal.focal_points`."""
        from cso_network.unogp.focal import focal_points

        return self.cached(("focal", k),
                           lambda: focal_points(self.graph("collaborated"), self.dataset, k=k))

    def missing_contacts(self):
        """Organizations covering gaps in UNOGP's reach (cached); see ``unogp.focal``."""
        from cso_network.unogp.focal import missing_contacts

        return self.cached("missing_contacts",
                           lambda: missing_contacts(self.graph("collaborated"), self.dataset))

    def introduction_paths(self) -> dict:
        """Every organization's introduction path to UNOGP (cached); see ``unogp.paths``."""
        from cso_network.unogp.paths import introduction_paths

        return self.cached("intro_paths",
                           lambda: introduction_paths(self.graph("combined"), dataset=self.dataset))

    def summary(self) -> dict[str, int]:
        """Return the headline counts (see :func:`summarize`)."""
        return self.cached(
            "summary",
            lambda: summarize(self.dataset, self.graph("met"), self.graph("collaborated")),
        )

    def is_empty(self) -> bool:
        """True when the workspace holds no data at all."""
        return self.dataset.is_empty()


def _looks_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


