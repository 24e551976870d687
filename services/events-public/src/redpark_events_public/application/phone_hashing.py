"""The keyed hash that lets the service match a phone number without keeping it in clear.

Outside the domain on purpose: it needs the service's secret. The rules only compare hashes.
"""

from __future__ import annotations

import hashlib
import hmac


def phone_hash(secret: bytes, normalised_phone: str) -> str:
    """HMAC-SHA256 of the normalised eleven digits: without the secret, the hash of every one of
    the ~10^10 mobile numbers cannot be precomputed, so the hash does not give the number away."""
    if not secret:
        raise ValueError("the phone-hash secret is empty")
    return hmac.new(secret, normalised_phone.encode(), hashlib.sha256).hexdigest()
