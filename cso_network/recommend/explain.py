"""Plain-language reasons for a suggestion, and the JSON of ``cso-network recommend``.

:func:`reasons` turns one row of :func:`~cso_network.recommend.score.recommend_all`
into one to three sentences, taken from the components that contribute most
to its score (each component's sentence is its
:attr:`~cso_network.recommend.components.Component.reason`);
:func:`suggestions_records` gives the list of JSON-ready dicts of one
organization's suggestions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from cso_network.core.messages import Message
from cso_network.core.model import Dataset
from cso_network.recommend.components import COMPONENTS
from cso_network.recommend.features import OrgFeatures

__all__ = ["reasons", "suggestions_records"]

_MAX_REASONS = 3

#: Each component's position, the tie-break between equal contributions.
_ORDER = {name: k for k, name in enumerate(COMPONENTS)}


def reasons(row: Mapping[str, Any] | pd.Series, features: OrgFeatures,
            dataset: Dataset | None = None) -> list[Message]:
    """One to three plain-language reasons for one suggestion.

    Parameters
    ----------
    row : mapping or pandas.Series
        A row of :func:`~cso_network.recommend.score.recommend_all`: ``org_id``,
        ``candidate`` and the component contributions.
    features : OrgFeatures
        The features the row was computed from.
    dataset : Dataset, optional
        Not needed (the features carry seminar labels and gaps); accepted so
        callers can pass what they have.

    Returns
    -------
    list of Message
        Sentences (English text that :func:`cso_network.core.messages.render` can
        say in another language) for the largest contributions first (ties in component
        order), at most three; components that contribute nothing, or have
        nothing specific to say, are skipped.

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> from cso_network.recommend.features import build_features
    >>> from cso_network.recommend.score import recommend_all
    >>> ds = generate_programme(seed=1).dataset
    >>> f = build_features(ds)
    >>> row = recommend_all(ds, features=f, top=1).iloc[0]
    >>> 1 <= len(reasons(row, f)) <= 3
    True
    """
    del dataset
    i, j = features.index[str(row["org_id"])], features.index[str(row["candidate"])]
    ranked = sorted(COMPONENTS, key=lambda c: (-float(row[c]), _ORDER[c]))
    out: list[Message] = []
    for name in ranked:
        if float(row[name]) <= 0 or len(out) >= _MAX_REASONS:
            continue
        sentence = COMPONENTS[name].reason(features, i, j)
        if sentence:
            out.append(sentence)
    return out


def suggestions_records(frame: pd.DataFrame, features: OrgFeatures,
                        dataset: Dataset | None = None) -> list[dict[str, Any]]:
    """The JSON records of ``cso-network recommend`` for suggestion rows.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows of :func:`~cso_network.recommend.score.recommend_for` (or of
        ``recommend_all``, then every organization's rows in turn).
    features : OrgFeatures
    dataset : Dataset, optional
        Passed on to :func:`reasons`.

    Returns
    -------
    list of dict
        One per suggested partner, in the frame's order (rank order):
        ``partner_id`` (the suggested organization, the frame's
        ``candidate``), ``name``, ``country`` (None when unknown),
        ``score``, ``components`` (``{component: contribution}`` in
        :data:`~cso_network.recommend.components.COMPONENTS` order) and
        ``reasons`` (one to three :class:`~cso_network.core.messages.Message`);
        numbers rounded to 4 decimals. The organization the suggestions are
        for is the frame's ``org_id``, not repeated in the records.

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> from cso_network.recommend.features import build_features
    >>> from cso_network.recommend.score import recommend_for
    >>> ds = generate_programme(seed=1).dataset
    >>> f = build_features(ds)
    >>> recs = suggestions_records(recommend_for(ds, "ORG-001", features=f, top=2), f)
    >>> sorted(recs[0])
    ['components', 'country', 'name', 'partner_id', 'reasons', 'score']
    """
    if frame.empty:
        return []
    # columns once, not a pandas row per suggestion (10x faster for --all)
    orgs = frame["org_id"].astype(str).to_numpy()
    candidates = frame["candidate"].astype(str).to_numpy()
    scores = frame["score"].to_numpy(dtype=float)
    parts = {k: frame[k].to_numpy(dtype=float) for k in COMPONENTS}
    out = []
    for t, cand in enumerate(candidates):
        row = {"org_id": orgs[t], "candidate": cand, **{k: parts[k][t] for k in COMPONENTS}}
        j = features.index[cand]
        c = features.country[j]
        out.append({
            "partner_id": cand,
            "name": features.names[j],
            "country": features.countries[c] if c >= 0 else None,
            "score": round(float(scores[t]), 4),
            "components": {k: round(float(parts[k][t]), 4) for k in COMPONENTS},
            "reasons": reasons(row, features, dataset),
        })
    return out
