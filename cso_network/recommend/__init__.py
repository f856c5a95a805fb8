"""Partnership suggestions between organizations: features, scores, reasons.

- :mod:`~cso_network.recommend.features`: per-organization features, built once per dataset;
- :mod:`~cso_network.recommend.components`: the registry of the seven scoring
  components, each with its score function, reason, label and colour;
- :mod:`~cso_network.recommend.score`: presets, candidate generation and
  :func:`recommend_all` / :func:`recommend_for`;
- :mod:`~cso_network.recommend.explain`: plain-language reasons and the JSON records of
  ``cso-network recommend``;
- :mod:`~cso_network.recommend.select`: narrowing a list by the partners' country,
  fields and risk factors.
"""

from cso_network.recommend.components import COMPONENTS, Component, adamic_adar_sums
from cso_network.recommend.explain import reasons, suggestions_records
from cso_network.recommend.features import OrgFeatures, build_features
from cso_network.recommend.score import (
    LEARNED,
    PRESETS,
    check_preset,
    recommend_all,
    recommend_for,
    resolve_weights,
)

__all__ = [
    "OrgFeatures",
    "build_features",
    "COMPONENTS",
    "Component",
    "PRESETS",
    "LEARNED",
    "adamic_adar_sums",
    "check_preset",
    "resolve_weights",
    "recommend_all",
    "recommend_for",
    "reasons",
    "suggestions_records",
]
