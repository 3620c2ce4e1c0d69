"""Issue 14 item 5: the per-client sign-in limit is keyed on the client's address, which a reload keeps; behind a
proxy the address comes from X-Forwarded-For only when the proxy is trusted (configurable)."""

from __future__ import annotations

from kneeassess.clients import client_address, trusted_proxies

LOOPBACK = trusted_proxies("127.0.0.1,::1")


def test_behind_the_local_proxy_the_forwarded_client_is_the_key():
    # Streamlit reports a loopback peer as None; nginx appends the real client to whatever the client sent
    assert client_address(None, "203.0.113.9", LOOPBACK) == "203.0.113.9"
    assert client_address(None, "1.2.3.4, 203.0.113.9", LOOPBACK) == "203.0.113.9"  # a forged hop is ignored
    assert client_address("127.0.0.1", "2001:db8::1", LOOPBACK) == "2001:db8::1"


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored():
    assert client_address("198.51.100.7", "203.0.113.9", LOOPBACK) == "198.51.100.7"


def test_a_chain_of_trusted_proxies():
    trusted = trusted_proxies("127.0.0.1, 10.0.0.0/8, not-an-address")
    assert client_address("10.1.2.3", "203.0.113.9, 10.9.9.9", trusted) == "203.0.113.9"
    assert client_address("10.1.2.3", None, trusted) is None  # unknown: the session is used instead


def test_unknown_without_a_proxy_on_loopback():
    assert client_address(None, None, LOOPBACK) is None
    assert client_address(None, "garbage", LOOPBACK) is None
