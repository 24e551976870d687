"""The ticket's QR code as a PNG: how a ticket is drawn for the phone's screen, so an edge concern."""

from __future__ import annotations

import io

import qrcode
from qrcode.image.pure import PyPNGImage


def ticket_qr_png(session_id: str, ticket_code: str) -> bytes:
    """The QR code scanned at the door: the session and the code, nothing personal."""
    image = qrcode.make(
        f"REDPARK-TICKET:{session_id}:{ticket_code}", image_factory=PyPNGImage, box_size=8, border=2
    )
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()
