"""Descriptive tables for the Overview: who is in the programme, from where, doing what."""

from __future__ import annotations

import pandas as pd

from cso_network import vocab
from cso_network.core.model import Dataset
from cso_network.network.layers import org_seminars

__all__ = ["organizations_per_country", "organizations_per_field", "seminar_attendance"]


def organizations_per_country(dataset: Dataset) -> pd.DataFrame:
    """Count organizations per country.

    Returns
    -------
    pandas.DataFrame
        Columns ``country`` (ISO code), ``country_name``, ``organizations``;
        region countries first (BA, ME, MK, RS, HR, SI, AL, XK), then others.

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records as f
    >>> ds = Dataset.from_frames({"organizations": f("organizations", [
    ...     {"org_id": "a", "name": "A", "country": "RS"},
    ...     {"org_id": "b", "name": "B", "country": "BA"},
    ...     {"org_id": "c", "name": "C", "country": "RS"}])})
    >>> organizations_per_country(ds)[["country", "organizations"]].values.tolist()
    [['BA', 1], ['RS', 2]]
    """
    counts = dataset.organizations["country"].value_counts()
    order = vocab.sort_countries(counts.index)
    return pd.DataFrame({
        "country": order,
        "country_name": [vocab.country_name(c) for c in order],
        "organizations": [int(counts[c]) for c in order],
    })


def organizations_per_field(dataset: Dataset) -> pd.DataFrame:
    """Count organizations per field of work and country (an organization may have several fields).

    Returns
    -------
    pandas.DataFrame
        Long form: ``field``, ``country``, ``organizations``; programme fields
        in vocabulary order (with zero rows kept for fields nobody covers),
        then other fields found in the data.
    """
    orgs = dataset.organizations[["org_id", "country", "fields"]].explode("fields")
    orgs = orgs.dropna(subset=["fields"])
    counts = orgs.groupby(["fields", "country"]).size()
    fields = list(vocab.FIELDS) + sorted(set(orgs["fields"]) - set(vocab.FIELDS))
    countries = vocab.sort_countries(pd.Index(dataset.organizations["country"].unique()))
    rows = [
        {"field": f, "country": c, "organizations": int(counts.get((f, c), 0))}
        for f in fields
        for c in countries
    ]
    return pd.DataFrame(rows, columns=["field", "country", "organizations"])


def seminar_attendance(dataset: Dataset) -> pd.DataFrame:
    """One row per seminar: where, when, and how many came from how many organizations and countries.

    Returns
    -------
    pandas.DataFrame
        Columns ``seminar_id``, ``city``, ``country``, ``start_date``,
        ``end_date``, ``participants``, ``organizations``, ``countries``
        (distinct organization countries); by start date.
    """
    sem = dataset.seminars.copy()
    att = dataset.attendance.merge(dataset.participants[["participant_id", "org_id"]], on="participant_id")
    people = att.groupby("seminar_id")["participant_id"].nunique()
    os_ = org_seminars(dataset).merge(dataset.organizations[["org_id", "country"]], on="org_id")
    orgs = os_.groupby("seminar_id")["org_id"].nunique()
    countries = os_.groupby("seminar_id")["country"].nunique()
    sem["participants"] = sem["seminar_id"].map(people).fillna(0).astype(int)
    sem["organizations"] = sem["seminar_id"].map(orgs).fillna(0).astype(int)
    sem["countries"] = sem["seminar_id"].map(countries).fillna(0).astype(int)
    return sem.sort_values(["start_date", "seminar_id"], kind="stable").reset_index(drop=True)
