"""The local web dashboard (``pactnet serve``) and the report and figure commands; needs the ``web`` extra.

The library never imports this package.
"""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(db=None, *, sim_dir=None):
    """The dashboard's ASGI application (see :func:`pactnet.web.app.create_app`)."""
    from .app import create_app as _create

    return _create(db, sim_dir=sim_dir)
