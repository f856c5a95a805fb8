"""The organization network: its layers and the positions of its pictures.

- :mod:`~cso_network.network.layers`: ``met``, ``collaborated`` and ``combined`` graphs;
- :mod:`~cso_network.network.positions`: geographic and force layouts.
"""

__all__: list[str] = []
