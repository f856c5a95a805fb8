"""Do the suggestions predict the ties that formed? Offline evaluation of the engine.

- :mod:`~cso_network.backtest.evaluate`: the time split, the baselines, the metrics and
  learned weights.
"""

__all__: list[str] = []
