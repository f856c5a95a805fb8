"""Controlled vocabularies (data) and the parsers that read cells into them.

- :mod:`~cso_network.vocab.tables`: countries, fields, practices, the 14 UN risk
  factors and yes/no spellings, as data;
- :mod:`~cso_network.vocab.parse`: one cell into its canonical form, with clear errors.

Both are read as ``vocab.NAME`` (``from cso_network import vocab``).
"""

from cso_network.vocab.parse import *  # noqa: F403
from cso_network.vocab.parse import __all__ as _parse_all
from cso_network.vocab.tables import *  # noqa: F403
from cso_network.vocab.tables import __all__ as _tables_all

__all__ = [*_tables_all, *_parse_all]
