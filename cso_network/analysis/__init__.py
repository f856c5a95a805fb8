"""Analysis: pure functions over datasets and graphs; never reads or writes files."""

from cso_network.analysis.overview import (
    organizations_per_country,
    organizations_per_field,
    seminar_attendance,
)

__all__ = ["organizations_per_country", "organizations_per_field", "seminar_attendance"]
