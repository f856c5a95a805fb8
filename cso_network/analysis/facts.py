"""The network's clusters and cross-border gaps: computed once, read by every page and score.

Two facts are told to users in several places: which *cluster* an
organization belongs to (the profile, the Network page's colours, the Gaps
page, and the Partners reason "would connect two different clusters") and
which *country pairs* lack collaboration (the Gaps page's list and the
Partners reason "would be the first tie between ..."). :func:`network_facts`
computes both from one dataset with one set of documented settings, and
everything that speaks of them reads its result, so two pages never tell a
user different things.

Settings (:data:`FACTS_LAYER` and the constants below):

- clusters: Louvain communities of the declared-collaboration layer, ties
  counted (unweighted), resolution 1, seed 0, numbered by size
  (:func:`~cso_network.analysis.communities.detect_communities`); an
  organization without declared ties is a cluster of its own;
- gaps: country pairs of the declared-collaboration layer with no ties
  (``missing``) or fewer than half the ties expected (``thin``), among pairs
  expected to have at least one tie
  (:func:`~cso_network.analysis.mixing.missing_bridges` with
  ``threshold=0.5`` and ``min_expected=1``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from cso_network.analysis.communities import CommunityResult, detect_communities
from cso_network.analysis.mixing import missing_bridges, mixing_table
from cso_network.core.model import Dataset
from cso_network.network.layers import build_layer

__all__ = ["NetworkFacts", "network_facts", "FACTS_LAYER", "GAP_THRESHOLD", "MIN_EXPECTED_TIES",
           "FACTS_SEED"]

#: The layer the clusters and the gaps are computed on: declared collaborations.
FACTS_LAYER = "collaborated"
#: A country pair is "thin" below this share of the ties expected.
GAP_THRESHOLD = 0.5
#: Pairs expected to have fewer ties than this are no gap (two small countries, 0 of 0.1).
MIN_EXPECTED_TIES = 1.0
#: Louvain's seed.
FACTS_SEED = 0


@dataclass(frozen=True)
class NetworkFacts:
    """The one partition into clusters and the one set of country-pair gaps.

    Attributes
    ----------
    communities : CommunityResult
        Louvain on :data:`FACTS_LAYER` (``partition`` maps each organization
        to its cluster, 0 = largest).
    missing_bridges : pandas.DataFrame
        The gap pairs with their counts (columns of
        :func:`~cso_network.analysis.mixing.missing_bridges`).
    gap_pairs : dict
        ``(a, b) -> "missing" | "thin"`` for every gap pair, both orders.
    """

    communities: CommunityResult
    missing_bridges: pd.DataFrame
    gap_pairs: Mapping[tuple[str, str], str]

    @property
    def partition(self) -> Mapping[str, int]:
        """Organization id -> cluster number."""
        return self.communities.partition


def network_facts(dataset: Dataset, *, graph: nx.Graph | None = None) -> NetworkFacts:
    """Compute the clusters and the gap pairs of ``dataset``.

    Parameters
    ----------
    dataset : Dataset
    graph : networkx.Graph, optional
        The :data:`FACTS_LAYER` layer of ``dataset``, if already built.

    Returns
    -------
    NetworkFacts

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> facts = network_facts(generate_programme(seed=1).dataset)
    >>> all(facts.gap_pairs[(b, a)] == s for (a, b), s in facts.gap_pairs.items())
    True
    """
    G = graph if graph is not None else build_layer(dataset, FACTS_LAYER)
    communities = detect_communities(G, weight=None, seed=FACTS_SEED)
    gaps = missing_bridges(mixing_table(G), threshold=GAP_THRESHOLD,
                           min_expected=MIN_EXPECTED_TIES)
    pairs: dict[tuple[str, str], str] = {}
    for a, b, status in gaps[["a", "b", "status"]].itertuples(index=False, name=None):
        pairs[(a, b)] = pairs[(b, a)] = str(status)
    return NetworkFacts(communities, gaps, pairs)
