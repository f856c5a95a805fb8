"""The workspace store: SQL tables, imports and their change sets.

- :mod:`~cso_network.store.sql`: the SQLAlchemy store (SQLite by default, any database by URL);
- :mod:`~cso_network.store.changes`: the pure diff of two datasets that an import applies.
"""

__all__: list[str] = []
