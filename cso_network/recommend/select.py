"""Narrow a list of suggestions by the candidates' country, fields and risk factors.

The dashboard's Partners filters call this on a longer list (say the top 50)
and show the first few that pass, so a filter never empties the page when
matching partners exist further down.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cso_network.core.model import Dataset, org_matches

__all__ = ["select_suggestions"]


def select_suggestions(
    records: list[dict[str, Any]],
    dataset: Dataset,
    *,
    countries: Iterable[str] | None = None,
    fields: Iterable[str] | None = None,
    risk_factors: Iterable[int] | None = None,
    limit: int = 10,
) -> list[dict[str, Any]]:
    """Keep suggestions whose partner is in one of ``countries``, works in one of
    ``fields`` and covers one of ``risk_factors`` (each None or empty = any).

    ``records`` are :func:`~cso_network.recommend.explain.suggestions_records`
    (each names its partner by ``partner_id``); the first ``limit`` that pass
    are returned, in their order.

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records as f
    >>> ds = Dataset.from_frames({"organizations": f("organizations", [
    ...     {"org_id": "A", "name": "A", "country": "BA", "fields": ("law",)},
    ...     {"org_id": "B", "name": "B", "country": "ME", "risk_factors": (8,)}])})
    >>> recs = [{"partner_id": "A"}, {"partner_id": "B"}]
    >>> [r["partner_id"] for r in select_suggestions(recs, ds, risk_factors=[8])]
    ['B']
    >>> [r["partner_id"] for r in select_suggestions(recs, ds, countries=["BA", "ME"], limit=1)]
    ['A']
    """
    orgs = {str(row["org_id"]): row for row in dataset.organizations.to_dict("records")}
    rfs = [int(r) for r in (risk_factors or ())]
    out = []
    for rec in records:
        if not org_matches(orgs[rec["partner_id"]], countries=countries or (), fields=fields or (),
                           risk_factors=rfs):
            continue
        out.append(rec)
        if len(out) >= limit:
            break
    return out
