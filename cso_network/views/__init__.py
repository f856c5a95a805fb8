"""Screen-shaped data for the command line and the dashboard (no Dash here).

- :mod:`~cso_network.views.explore`: the network explorer's filters, URL state, thinning,
  CSV export and profiles;
- :mod:`~cso_network.views.search`: finding organizations by name in any script;
- :mod:`~cso_network.views.uploads`: the Data page's staging, preview and confirm.
"""

__all__: list[str] = []
