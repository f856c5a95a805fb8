"""Who may see what: the one place that decides.

- :mod:`~cso_network.access.privacy`: what may be shown of participants (consent).
"""

__all__: list[str] = []
