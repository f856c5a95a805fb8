"""The leaf layer: the six tables and the Dataset, problems, library sentences, errors, text.

- :mod:`~cso_network.core.model`: tables, columns, keys and the :class:`Dataset`;
- :mod:`~cso_network.core.problems`: the :class:`Problem` record of a validation report;
- :mod:`~cso_network.core.messages`: sentences as :class:`Message` values the dashboard can translate;
- :mod:`~cso_network.core.exceptions`: the one exception hierarchy;
- :mod:`~cso_network.core.text`: folding, transliteration and matching keys.

Nothing here reads files, and nothing here imports another package of cso_network
except :mod:`cso_network.vocab`'s tables.
"""

__all__: list[str] = []
