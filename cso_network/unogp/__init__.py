"""UNOGP's regional contacts: focal points and introduction paths.

- :mod:`~cso_network.unogp.focal`: fewest organizations covering every country and risk factor;
- :mod:`~cso_network.unogp.paths`: how to introduce an organization to UNOGP.
"""

__all__: list[str] = []
