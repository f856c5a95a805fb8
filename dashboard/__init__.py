"""The cso-network dashboard (Dash, multi-page). Pages call the library; no analysis lives here."""

__all__ = ["create_app"]


def create_app(*args, **kwargs):
    """Build the Dash app; see :func:`dashboard.app.create_app`."""
    from dashboard.app import create_app as _create_app

    return _create_app(*args, **kwargs)
