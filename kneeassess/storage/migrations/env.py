"""Alembic environment: run by kneeassess.storage.migrate (there is no alembic.ini).

Online runs take turns: on PostgreSQL under a session-level advisory lock, on SQLite inside ``BEGIN IMMEDIATE``
(kneeassess.storage.sql.make_engine(migrating=True)). A process that waited then finds the schema at head already.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from kneeassess.storage.sql import make_engine, metadata

MIGRATION_LOCK = 0x4B6E6565_4D696772  # "KneeMigr": the same key in every process

config = context.config


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "", migrating=True)
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            postgres = connection.dialect.name == "postgresql"
            if postgres:
                connection.execute(sa.text("SET lock_timeout = '60s'"))  # a stuck process fails the others' start
                connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
                connection.commit()  # the lock belongs to the session; the migration gets a transaction of its own
            try:
                context.configure(
                    connection=connection,
                    target_metadata=metadata,
                    render_as_batch=sqlite,
                    transactional_ddl=True if sqlite else None,  # None: the dialect's own default
                )
                with context.begin_transaction():
                    context.run_migrations()
            finally:
                if postgres:
                    connection.rollback()
                    connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                    connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
