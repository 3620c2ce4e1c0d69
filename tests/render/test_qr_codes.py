"""The kiosk's hand-off QR code reads back as the runner's private link, for any token: 300 random links, as the
PNG the app makes and scaled as a browser shows it (330 px, the kiosk's width, and 297 px, a narrower column;
nearest-neighbour, as its pixelated rendering), through the reader the browser tests use (tests/qr_reader.py).
OpenCV's classic reader alone misses some of these."""

from __future__ import annotations

import secrets

import pytest

from kneeassess import profiles
from tests.qr_reader import decode_qr


@pytest.mark.parametrize("width", [None, 330, 297])
def test_every_hand_off_code_reads_back_as_its_link(width: int | None) -> None:
    import cv2
    import numpy as np

    unread = []
    for _ in range(100):
        link = f"http://127.0.0.1:{secrets.randbelow(30000) + 30000}/?p={secrets.token_urlsafe(24)}"
        png = profiles.qr_png(link)
        if width:
            image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
            png = cv2.imencode(".png", cv2.resize(image, (width, width), interpolation=cv2.INTER_NEAREST))[1].tobytes()
        if decode_qr(png) != link:
            unread.append(link)
    assert unread == []
