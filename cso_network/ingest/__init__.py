"""Files in: reading workbooks safely, checking every cell, the reading limits.

- :mod:`~cso_network.ingest.excel`: reading and writing the master workbook;
- :mod:`~cso_network.ingest.validate`: every check, reporting every problem at once;
- :mod:`~cso_network.ingest.limits`: what a file may hold before it is refused.
"""

__all__: list[str] = []
