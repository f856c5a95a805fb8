"""Analysis: pure functions over datasets and graphs; never reads or writes files.

One module per idea: :mod:`~cso_network.analysis.overview` (descriptive counts),
:mod:`~cso_network.analysis.mixing` (E-I, assortativity, country pairs),
:mod:`~cso_network.analysis.coverage` (fields, practices, risk factors),
:mod:`~cso_network.analysis.brokerage` (centrality, brokers, cut points),
:mod:`~cso_network.analysis.communities`, :mod:`~cso_network.analysis.cohorts`,
and :mod:`~cso_network.analysis.report`, which runs them all.
"""

from cso_network.analysis.overview import (
    organizations_per_country,
    organizations_per_field,
    seminar_attendance,
)
from cso_network.analysis.report import analyze, select_gaps

__all__ = [
    "analyze",
    "organizations_per_country",
    "organizations_per_field",
    "seminar_attendance",
    "select_gaps",
]
