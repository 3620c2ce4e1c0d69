"""Bring a database's schema up to date (or take it down) with the Alembic migrations in ``migrations/``.

    upgrade("sqlite:///var/kneeassess.db")
    downgrade(url, "base")

No alembic.ini: the configuration is built here. Several processes may call :func:`upgrade` at once; they take turns
(PostgreSQL: an advisory lock; SQLite: ``BEGIN IMMEDIATE``), see ``migrations/env.py``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_one_at_a_time = threading.Lock()  # alembic's `context` is module-global: one migration per process at a time


def config(url: str | URL) -> Config:
    if isinstance(url, URL):
        url = url.render_as_string(hide_password=False)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # ConfigParser interpolates '%'
    return cfg


def upgrade(url: str | URL, revision: str = "head") -> None:
    with _one_at_a_time:
        command.upgrade(config(url), revision)


def downgrade(url: str | URL, revision: str = "base") -> None:
    with _one_at_a_time:
        command.downgrade(config(url), revision)
