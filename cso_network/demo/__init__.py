"""The synthetic programme: seeded, labelled as synthetic, invented names.

- :mod:`~cso_network.demo.synth`: the generator behind ``data/demo/`` and the benchmarks.
"""

__all__: list[str] = []
