"""Where a request comes from: the client's address, believing X-Forwarded-For only from trusted proxies.

Used for limits a reload must not reset (staff sign-in attempts, consultation requests per address).
KNEEASSESS_TRUSTED_PROXIES: comma-separated addresses or networks of the proxies in front of the app (default
loopback: nginx on the same host, as in ``deploy/nginx``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

log = logging.getLogger(__name__)


def trusted_proxies(text: str | None = None) -> list[IPv4Network | IPv6Network]:
    """KNEEASSESS_TRUSTED_PROXIES (``Settings.trusted_proxies``): addresses or networks (comma-separated) whose
    X-Forwarded-For is believed; default loopback (nginx on the same host). Malformed entries are ignored (and
    logged)."""
    if text is None:
        from kneeassess.settings import current

        text = current().trusted_proxies
    out = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            try:
                out.append(ip_network(part, strict=False))
            except ValueError:
                log.error("KNEEASSESS_TRUSTED_PROXIES: %r is not an address or network: ignored", part)
    return out


def client_address(
    peer: str | None, forwarded_for: str | None, trusted: Sequence[IPv4Network | IPv6Network]
) -> str | None:
    """The address a sign-in attempt came from, for the per-client limit (a reload keeps it; a new session does
    not change it). ``peer``: the connection's address (None: loopback, as Streamlit reports it). Only when the
    peer is a trusted proxy is X-Forwarded-For believed, and then its right-most address that is not itself a
    trusted proxy (addresses to its left are whatever the client chose to send). None when unknown."""
    def is_trusted(text: str) -> bool:
        try:
            address = ip_address(text.strip())
        except ValueError:
            return False
        return any(address in net for net in trusted)

    peer_text = peer or "127.0.0.1"
    if not is_trusted(peer_text):
        return peer_text
    for hop in reversed([h.strip() for h in (forwarded_for or "").split(",") if h.strip()]):
        if not is_trusted(hop):
            try:
                return str(ip_address(hop))
            except ValueError:
                return None  # a malformed hop added by a trusted proxy: do not guess
    return None
