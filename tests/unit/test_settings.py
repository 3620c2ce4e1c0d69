"""One settings object: read from the environment and the app's secrets in one place, never written back."""

from __future__ import annotations

import os
from pathlib import Path

from kneeassess import content, guided, leads
from kneeassess.settings import Settings, current, using


def test_defaults_without_any_setting():
    s = Settings.load({})
    assert s.database_url is None and s.store_url.startswith("sqlite:///") and s.store_url.endswith("kneeassess.db")
    assert s.clinic_path == s.data_dir / "clinic.toml"
    assert (s.kiosk_timeout_s, s.time_scale, s.phone_region) == (90, 1.0, "GB")
    assert (s.requests_per_session_hour, s.requests_per_contact_day) == (3, 3)
    assert s.delivery_worker and not s.identity_provider and s.staff_passcode_hash is None
    assert s.delivery_channels == [] and s.delivery_problem is None


def test_environment_values_and_bad_numbers_fall_back(tmp_path: Path):
    s = Settings.load({
        "KNEEASSESS_DATABASE_URL": "postgresql+psycopg://db/x", "KNEEASSESS_VAR_DIR": str(tmp_path),
        "KNEEASSESS_DATA_DIR": str(tmp_path / "d"), "KNEEASSESS_PUBLIC_URL": "https://knee.example",
        "KNEEASSESS_KIOSK_TIMEOUT_S": "3", "KNEEASSESS_TIME_SCALE": "0.02", "KNEEASSESS_PHONE_REGION": " de ",
        "KNEEASSESS_REQUESTS_PER_SESSION_HOUR": "x", "KNEEASSESS_REQUESTS_PER_CONTACT_DAY": "7",
        "KNEEASSESS_DELIVERY_WORKER": "0", "KNEEASSESS_STAFF_PASSCODE_HASH": "$argon2id$env",
    })
    assert s.store_url == "postgresql+psycopg://db/x" and s.clinic_path == tmp_path / "d" / "clinic.toml"
    assert s.public_url == "https://knee.example" and s.kiosk_timeout_s == 10  # at least 10 s
    assert (s.time_scale, s.phone_region) == (0.02, "DE")
    assert (s.requests_per_session_hour, s.requests_per_contact_day) == (3, 7)  # a bad number: the default
    assert not s.delivery_worker and s.staff_passcode_hash == "$argon2id$env"
    assert Settings.load({"KNEEASSESS_TIME_SCALE": "5"}).time_scale == 1.0  # out of range: real time


def test_secrets_add_delivery_and_staff_settings_without_touching_the_environment():
    before = dict(os.environ)
    secrets = {"delivery": {"webhook_url": "https://hooks.example/x", "webhook_secret": "from-secrets",
                            "smtp_host": "smtp.example", "smtp_to": "desk@clinic.example"},
               "staff": {"passcode_hash": "$argon2id$secret"}, "auth": {"client_id": "x"}}
    s = Settings.load({"KNEEASSESS_WEBHOOK_SECRET": "from-env", "KNEEASSESS_STAFF_PASSCODE_HASH": "$argon2id$env"},
                      secrets)
    assert s.delivery_channels == ["webhook", "email"]
    assert s.delivery.webhook is not None and s.delivery.webhook.secret == "from-env"  # the environment wins
    assert s.staff_passcode_hash == "$argon2id$secret"  # for the passcode the secrets win (as before)
    assert s.identity_provider
    assert dict(os.environ) == before
    assert "from-env" not in repr(s) and "argon2id" not in repr(s)  # secrets stay out of logs


def test_a_malformed_delivery_setting_forwards_nothing_and_says_which():
    s = Settings.load({"KNEEASSESS_WEBHOOK_URL": "ftp://x"})
    assert s.delivery_channels == [] and "KNEEASSESS_WEBHOOK_URL" in (s.delivery_problem or "")


def test_services_read_the_installed_settings(tmp_path: Path):
    changed = current().replace(phone_region="DE", time_scale=0.5, requests_per_contact_day=9)
    with using(changed):
        assert leads.normalise_phone("030 901820") == "+4930901820"
        assert guided.time_scale() == 0.5
        assert leads.Limits.from_settings().per_contact_day == 9
        assert content.clinic_path() == changed.clinic_path
    assert current() is not changed
