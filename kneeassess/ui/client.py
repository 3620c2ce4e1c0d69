"""The client's address as the proxy passed it (see :mod:`kneeassess.clients`); None when unknown."""

from __future__ import annotations

import streamlit as st

from kneeassess import clients


def address() -> str | None:
    try:
        peer, forwarded = st.context.ip_address, st.context.headers.get("X-Forwarded-For")
    except Exception:  # no request context (bare runs)
        return None
    peer = peer if isinstance(peer, str) else None  # (AppTest hands out mocks)
    forwarded = forwarded if isinstance(forwarded, str) else None
    return clients.client_address(peer, forwarded, clients.trusted_proxies())
