"""The delivery settings: which channels requests are forwarded on, and how to reach them.

Read from a mapping of ``KNEEASSESS_*`` names (the environment, or the Streamlit secrets' ``[delivery]`` table
mapped onto those names by :mod:`kneeassess.settings`). A malformed value raises :class:`ConfigError` naming it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

log = logging.getLogger("kneeassess.outbox")

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


class ConfigError(ValueError):
    """A delivery setting is malformed; the message names the variable."""


@dataclass(frozen=True)
class WebhookConfig:
    url: str
    secret: str = field(repr=False)


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    sender: str
    recipients: tuple[str, ...]
    starttls: bool


@dataclass(frozen=True)
class DeliveryConfig:
    webhook: WebhookConfig | None = None
    smtp: SmtpConfig | None = None

    @property
    def channels(self) -> list[str]:
        return [name for name, cfg in (("webhook", self.webhook), ("email", self.smtp)) if cfg is not None]

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> DeliveryConfig:
        """From a mapping of KNEEASSESS_* names (:meth:`kneeassess.settings.Settings.load` passes the environment
        and the secrets' [delivery] table); :class:`ConfigError` names a malformed value."""
        env = environ

        def get(name: str) -> str:
            return (env.get(f"KNEEASSESS_{name}") or "").strip()

        webhook = None
        if get("WEBHOOK_URL"):
            url = get("WEBHOOK_URL")
            if not url.startswith(("https://", "http://")):
                raise ConfigError("KNEEASSESS_WEBHOOK_URL must start with https:// (or http://)")
            webhook = WebhookConfig(url=url, secret=env.get("KNEEASSESS_WEBHOOK_SECRET") or "")
        smtp = None
        recipients = tuple(a.strip() for a in get("SMTP_TO").split(",") if a.strip())
        if get("SMTP_HOST") and recipients:
            starttls_text = get("SMTP_STARTTLS").lower() or "true"
            if starttls_text not in TRUE | FALSE:
                raise ConfigError("KNEEASSESS_SMTP_STARTTLS must be true or false")
            starttls = starttls_text in TRUE
            try:
                port = int(get("SMTP_PORT") or (587 if starttls else 25))
            except ValueError:
                raise ConfigError("KNEEASSESS_SMTP_PORT must be a number") from None
            user = get("SMTP_USER")
            sender = get("SMTP_FROM") or (user if "@" in user else "kneeassess@localhost")
            smtp = SmtpConfig(host=get("SMTP_HOST"), port=port, user=user,
                              password=env.get("KNEEASSESS_SMTP_PASSWORD") or "", sender=sender,
                              recipients=recipients, starttls=starttls)
        return cls(webhook=webhook, smtp=smtp)


def configured_channels(environ: Mapping[str, str] | None = None) -> list[str]:
    """The channels a new request is forwarded on; [] when none is configured (or the settings are broken).
    ``environ``: a mapping of KNEEASSESS_* names; default the process's settings."""
    if environ is None:
        from kneeassess.settings import current

        return current().delivery_channels
    try:
        return DeliveryConfig.from_env(environ).channels
    except ConfigError as e:
        log.error("delivery settings: %s", e)
        return []
