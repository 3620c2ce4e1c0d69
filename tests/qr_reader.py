"""Reading a QR code from a picture the way a phone's camera app does (the kiosk's hand-off code, its tests)."""

from __future__ import annotations

from tests.conftest import missing_setup


def decode_qr(png: bytes) -> str:
    """The text of the QR code in this picture ("" if none is read).

    OpenCV's classic reader misses about 1 valid code in 50 of the kiosk's links (27 of 1,500 random ones; each
    link holds a random token, so every code differs). With two orientations that failed about 1 stress run in 25:
    run 9 of 2026-12-03. OpenCV's ArUco-based reader read all 1,500 (tests/render/test_qr_codes.py). The classic
    reader is asked first, the other when it reads nothing."""
    try:
        import cv2
        import numpy as np
    except ImportError:
        missing_setup("opencv-python-headless is not installed (pip install opencv-python-headless)")
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    for reader in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
        text, _, _ = reader.detectAndDecode(image)
        if text:
            return str(text)
    return ""
