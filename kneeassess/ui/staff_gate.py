"""Staff sign-in: the clinic's identity provider (st.login) when ``[auth]`` is configured, else a passcode.

The passcode is stored only as an Argon2 hash (secrets ``[staff] passcode_hash`` or the environment variable
KNEEASSESS_STAFF_PASSCODE_HASH; make one with ``python -m kneeassess hash-passcode``). Failed attempts and
lockouts are kept in the database, so they hold across processes.
"""

from __future__ import annotations

import secrets as random_secrets

import streamlit as st

from kneeassess import staff_auth
from kneeassess.storage import StorageError
from kneeassess.ui import account, client, forms
from kneeassess.ui.config import settings
from kneeassess.ui.navigation import STAFF_KEY

CLIENT_KEY = "kneeassess_client_key"


def passcode_hash() -> str | None:
    return settings().staff_passcode_hash


def uses_identity_provider() -> bool:
    return settings().identity_provider


def client_key() -> str:
    """Who is trying, for the per-client attempt limit: the client's address, which a reload keeps (behind a trusted
    proxy, from its X-Forwarded-For; see :func:`staff_auth.client_address`); the browser session only when the
    address is unknown (a local run without a proxy) or KNEEASSESS_STAFF_LIMIT_BY=session."""
    by_address = settings().staff_limit_by_address
    if by_address and (address := client.address()):
        return f"address:{address}"
    if CLIENT_KEY not in st.session_state:
        st.session_state[CLIENT_KEY] = random_secrets.token_hex(16)
    key: str = st.session_state[CLIENT_KEY]
    return key


def verify_passcode(code: str) -> bool | str:
    """True when right; otherwise a message to show."""
    hashed = passcode_hash()
    if not hashed:
        return "No staff passcode is set up for this app (see the README: staff sign-in)."
    try:
        ok = staff_auth.verify(account.store(), code or "", hashed, client_key())
    except staff_auth.LockedOut as exc:
        return f"Too many wrong attempts. Try again after {exc.until:%H:%M} (UTC)."
    except StorageError:
        return "Sign-in is not available right now (database unreachable). Please try again."
    except ValueError:
        return "The staff passcode is not set up correctly (the stored hash is not an Argon2 hash)."
    return True if ok else "That passcode is not right."


def signed_in() -> str | None:
    """The signed-in staff member's name, or None."""
    if uses_identity_provider():
        try:
            if st.user.is_logged_in:
                return str(st.user.get("email") or st.user.get("name") or "staff")
        except Exception:
            return None
        return None
    return st.session_state.get(STAFF_KEY)


def require_staff() -> str:
    """First line of every staff page: stop here unless signed in (the page may be reached by URL)."""
    who = signed_in()
    if who is None:
        st.error("This page is for clinic staff. Please sign in.")
        st.stop()
    return who


def sign_in_form() -> None:
    if uses_identity_provider():
        if st.button("Sign in with the clinic's account", type="primary"):
            st.login()
        return
    with st.form("staff_sign_in"):
        st.text_input("Your name", max_chars=60, key="staff_name")
        st.text_input("Staff passcode", type="password", key="staff_code")
        st.form_submit_button("Sign in", type="primary", on_click=_sign_in)
        forms.show("staff_sign_in", forms.FORM)


def _sign_in() -> None:
    """The form's callback: the click's one run already has the staff pages (or the message)."""
    outcome = verify_passcode(st.session_state.get("staff_code") or "")
    if outcome is True:
        forms.clear("staff_sign_in")
        st.session_state[STAFF_KEY] = (st.session_state.get("staff_name") or "").strip()[:60] or "staff"
        return
    forms.report("staff_sign_in", {forms.FORM: str(outcome)})


def sign_out() -> None:
    if uses_identity_provider():
        st.logout()
    st.session_state.pop(STAFF_KEY, None)
    st.rerun()
