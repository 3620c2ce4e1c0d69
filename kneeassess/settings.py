"""Every setting of KneeAssess, read in one place: one frozen :class:`Settings`, built once at start.

    settings = Settings.load(os.environ)                          # the CLI, a worker, tests
    settings = Settings.load(os.environ, secrets=dict(st.secrets))  # the app (kneeassess.ui.config)

The domain and the services are given the settings (an argument, or :func:`current` where a call passes through
code that has no settings of its own, such as a pydantic validator or a content loader). Only ``kneeassess.ui``
reads Streamlit's secrets, and passes them in here as a plain mapping; nothing is ever written back into the
environment.

:func:`current` is the process's settings: those :func:`install`-ed at start, else loaded from the environment
on first use. Tests build their own (``Settings(...)``, ``settings.replace(...)``) and install them with
:func:`using` instead of changing environment variables or module globals.

Where a setting comes from (the README's configuration section lists them all):

======================================  ================================  ==========================================
environment variable                    secrets                           default
======================================  ================================  ==========================================
KNEEASSESS_DATABASE_URL                 –                                 SQLite file ``kneeassess.db`` in the var dir
KNEEASSESS_VAR_DIR                      –                                 ``var/`` in the checkout
KNEEASSESS_DATA_DIR                     –                                 ``data/`` in the checkout
KNEEASSESS_CLINIC_FILE                  –                                 ``clinic.toml`` in the data dir
KNEEASSESS_PUBLIC_URL                   –                                 the address the browser used
KNEEASSESS_KIOSK_TIMEOUT_S              –                                 90 (at least 10)
KNEEASSESS_TIME_SCALE                   –                                 1 (above 0, at most 1)
KNEEASSESS_PHONE_REGION                 –                                 GB
KNEEASSESS_REQUESTS_PER_SESSION_HOUR    –                                 3
KNEEASSESS_REQUESTS_PER_CONTACT_DAY     –                                 3
KNEEASSESS_REQUESTS_PER_ADDRESS_HOUR    –                                 10
KNEEASSESS_REQUESTS_PER_HOUR            –                                 60
KNEEASSESS_STAFF_LIMIT_BY               –                                 address (or ``session``)
KNEEASSESS_DELIVERY_WORKER              –                                 1 (``0``: no delivery thread in the app)
KNEEASSESS_OUTBOX_FAIL_AFTER            –                                 5 (at least 1)
KNEEASSESS_STAFF_PASSCODE_HASH          ``[staff] passcode_hash`` (wins)  none: staff sign-in is not set up
–                                       ``[auth]`` (present or not)       absent: the staff passcode is used
KNEEASSESS_WEBHOOK_URL, _SECRET         ``[delivery] webhook_url``, ...   none (the environment wins)
KNEEASSESS_SMTP_HOST, _PORT, _USER,     ``[delivery] smtp_host``, ...     none (the environment wins)
_PASSWORD, _FROM, _TO, _STARTTLS
–                                       –                                 Argon2id cost of a new staff passcode hash:
                                                                          RFC 9106 "low memory" (tests lower it)
======================================  ================================  ==========================================
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kneeassess.outbox.config import DeliveryConfig

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "KNEEASSESS_"

# secrets [delivery] key -> the environment variable of the same setting (the environment wins)
DELIVERY_SECRETS = {
    "webhook_url": "KNEEASSESS_WEBHOOK_URL", "webhook_secret": "KNEEASSESS_WEBHOOK_SECRET",
    "smtp_host": "KNEEASSESS_SMTP_HOST", "smtp_port": "KNEEASSESS_SMTP_PORT", "smtp_user": "KNEEASSESS_SMTP_USER",
    "smtp_password": "KNEEASSESS_SMTP_PASSWORD", "smtp_from": "KNEEASSESS_SMTP_FROM", "smtp_to": "KNEEASSESS_SMTP_TO",
    "smtp_starttls": "KNEEASSESS_SMTP_STARTTLS",
}


def _no_delivery() -> DeliveryConfig:
    from kneeassess.outbox.config import DeliveryConfig  # here: this module imports nothing of the app's at start

    return DeliveryConfig()


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The process's configuration. Frozen: change it by building another (:meth:`replace`)."""

    database_url: str | None = None  # None: a SQLite file in var_dir (see store_url)
    var_dir: Path = ROOT / "var"
    data_dir: Path = ROOT / "data"
    clinic_file: Path | None = None  # None: clinic.toml in data_dir
    public_url: str | None = None  # the app's address for private links and kiosk resets
    kiosk_timeout_s: int = 90
    kiosk_qr_timeout_s: int | None = None  # the hand-off QR screen's timeout; None: three times kiosk_timeout_s
    kiosk_test_timer_s: int = 60  # the kiosk's squat timer (the inactivity reset waits while it runs)
    kiosk_offline_long_s: int = 30  # connection lost this long: the kiosk says what to do
    time_scale: float = 1.0  # seconds on the clock per second of exercise (tests shorten guided sessions)
    phone_region: str = "GB"  # for phone numbers written without a country code
    requests_per_session_hour: int = 3
    requests_per_contact_day: int = 3
    requests_per_address_hour: int = 10
    requests_per_hour: int = 60
    staff_limit_by_address: bool = True  # staff sign-in attempts limited per client address (else per session)
    delivery_worker: bool = True  # the app runs a delivery thread (else `python -m kneeassess deliver` does)
    outbox_fail_after: int = 5  # permanent failures in a row before an outbox row is marked failed
    staff_passcode_hash: str | None = field(default=None, repr=False)
    identity_provider: bool = False  # secrets have an [auth] table: staff sign in with st.login
    delivery: DeliveryConfig = field(default_factory=_no_delivery)
    delivery_problem: str | None = None  # a malformed delivery setting (the message names it): nothing is sent
    link_secret: str | None = field(default=None, repr=False)  # signs reminder links (None: var/link-secret)
    db_lock_timeout_s: float = 5.0  # a write waits this long for another's lock (SQLite busy, PG lock_timeout)
    db_statement_timeout_s: float = 15.0  # PostgreSQL statement_timeout
    trusted_proxies: str = "127.0.0.1,::1"  # proxies whose X-Forwarded-For is believed (comma-separated)
    # the Argon2id cost of a new staff passcode hash: RFC 9106's "low memory" choice, 3 passes over 64 MiB. Read from
    # neither the environment nor the secrets, so no deployment weakens it; tests make it cheap (``replace``)
    passcode_hash_time_cost: int = 3
    passcode_hash_memory_kib: int = 64 * 1024

    @property
    def clinic_path(self) -> Path:
        return self.clinic_file or self.data_dir / "clinic.toml"

    @property
    def store_url(self) -> str:
        """The database URL: KNEEASSESS_DATABASE_URL, or a SQLite file in the var dir (created when missing)."""
        if self.database_url:
            return self.database_url
        self.var_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.var_dir / 'kneeassess.db'}"

    @property
    def delivery_channels(self) -> list[str]:
        """The channels a new request is forwarded on: none while a delivery setting is malformed."""
        return [] if self.delivery_problem else self.delivery.channels

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    @classmethod
    def load(cls, environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> Settings:
        """Read the settings from environment variables and, for the app, Streamlit's secrets (a mapping of
        tables). A malformed number falls back to its default; a malformed delivery setting is kept as
        ``delivery_problem`` (the app logs it, ``deliver`` exits 2 with it)."""
        from kneeassess.outbox.config import ConfigError, DeliveryConfig

        secrets = secrets or {}

        def text(name: str) -> str | None:
            value = (environ.get(PREFIX + name) or "").strip()
            return value or None

        def number(name: str, default: int, least: int) -> int:
            try:
                return max(least, int(text(name) or default))
            except ValueError:
                return default

        def table(name: str) -> Mapping[str, Any]:
            value = secrets.get(name)
            return value if isinstance(value, Mapping) else {}

        def seconds(name: str, default: float) -> float:
            try:
                value = float(text(name) or default)
            except ValueError:
                return default
            return value if value > 0 else default

        try:
            scale = float(text("TIME_SCALE") or 1)
        except ValueError:
            scale = 1.0
        delivery_values = {env: str(table("delivery")[key]) for key, env in DELIVERY_SECRETS.items()
                           if key in table("delivery")}
        delivery_values |= {k: v for k, v in environ.items() if k in DELIVERY_SECRETS.values()}
        try:
            delivery, problem = DeliveryConfig.from_env(delivery_values), None
        except ConfigError as e:
            delivery, problem = DeliveryConfig(), str(e)
        data_dir = Path(text("DATA_DIR") or ROOT / "data")
        staff_hash = table("staff").get("passcode_hash") or text("STAFF_PASSCODE_HASH")
        return cls(
            database_url=text("DATABASE_URL"),
            var_dir=Path(text("VAR_DIR") or ROOT / "var"),
            data_dir=data_dir,
            clinic_file=Path(clinic) if (clinic := text("CLINIC_FILE")) else None,
            public_url=text("PUBLIC_URL"),
            kiosk_timeout_s=number("KIOSK_TIMEOUT_S", 90, 10),
            kiosk_qr_timeout_s=number("KIOSK_QR_TIMEOUT_S", 0, 0) or None,
            kiosk_test_timer_s=number("KIOSK_TEST_TIMER_S", 60, 5),
            kiosk_offline_long_s=number("KIOSK_OFFLINE_LONG_S", 30, 1),
            time_scale=scale if 0 < scale <= 1 else 1.0,
            phone_region=(text("PHONE_REGION") or "GB").upper(),
            requests_per_session_hour=number("REQUESTS_PER_SESSION_HOUR", 3, 1),
            requests_per_contact_day=number("REQUESTS_PER_CONTACT_DAY", 3, 1),
            requests_per_address_hour=number("REQUESTS_PER_ADDRESS_HOUR", 10, 1),
            requests_per_hour=number("REQUESTS_PER_HOUR", 60, 1),
            staff_limit_by_address=(text("STAFF_LIMIT_BY") or "address").lower() != "session",
            delivery_worker=environ.get(PREFIX + "DELIVERY_WORKER", "1").strip() != "0",
            outbox_fail_after=number("OUTBOX_FAIL_AFTER", 5, 1),
            staff_passcode_hash=str(staff_hash) if staff_hash else None,
            identity_provider="auth" in secrets,
            delivery=delivery,
            delivery_problem=problem,
            link_secret=text("LINK_SECRET"),
            trusted_proxies=text("TRUSTED_PROXIES") or "127.0.0.1,::1",
            db_lock_timeout_s=seconds("DB_LOCK_TIMEOUT_S", 5.0),
            db_statement_timeout_s=seconds("DB_STATEMENT_TIMEOUT_S", 15.0),
        )


# Process-level configuration, not user data: set once at start, read everywhere.
_lock = threading.Lock()
_current: Settings | None = None
_installed = False  # True once install() set them (the app with its secrets, a test); False when read lazily


def installed() -> Settings | None:
    """The settings :func:`install`-ed for this process; None when none were (or only read from the environment
    on first use, which the app replaces with the environment and its secrets)."""
    return _current if _installed else None


def install(settings: Settings) -> Settings:
    """Make these the process's settings (at start: the app with its secrets, a test session)."""
    global _current, _installed
    with _lock:
        _current, _installed = settings, True
    if settings.delivery_problem:
        log.error("delivery settings: %s", settings.delivery_problem)
    return settings


def current() -> Settings:
    """The process's settings: those installed at start, else loaded from the environment (once)."""
    global _current
    found = _current
    if found is not None:
        return found
    loaded = Settings.load(os.environ)
    with _lock:
        if _current is None:
            _current = loaded
        return _current


@contextmanager
def using(settings: Settings) -> Iterator[Settings]:
    """For tests: these settings while the block runs, the earlier ones after it."""
    global _current, _installed
    with _lock:
        before, _current, was_installed, _installed = _current, settings, _installed, True
    try:
        yield settings
    finally:
        with _lock:
            _current, _installed = before, was_installed
