"""Partnership suggestions between organizations: features, scores, reasons.

- :mod:`~cso_network.recommend.features`: per-organization features, built once per dataset;
- :mod:`~cso_network.recommend.score`: the scoring components, presets, candidate
  generation and :func:`recommend_all` / :func:`recommend_for`;
- :mod:`~cso_network.recommend.explain`: plain-language reasons and the JSON records of
  ``cso-network recommend``.
"""

from cso_network.recommend.explain import reasons, suggestions_records
from cso_network.recommend.features import OrgFeatures, build_features
from cso_network.recommend.score import (
    COMPONENTS,
    PRESETS,
    adamic_adar_sums,
    recommend_all,
    recommend_for,
    resolve_weights,
)

__all__ = [
    "OrgFeatures",
    "build_features",
    "COMPONENTS",
    "PRESETS",
    "adamic_adar_sums",
    "resolve_weights",
    "recommend_all",
    "recommend_for",
    "reasons",
    "suggestions_records",
]
