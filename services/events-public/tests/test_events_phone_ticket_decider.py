"""Phone numbers and ticket codes: the inputs the registration rules rely on."""

from __future__ import annotations

import pytest

from redpark_events_public.application.phone_hashing import phone_hash
from redpark_events_public.domain.phone import mask_phone, normalise_phone
from redpark_events_public.domain.ticket import (
    ALPHABET,
    LENGTH,
    format_ticket_code,
    new_ticket_code,
    normalise_ticket_code,
)
from redpark_platform.errors import InvalidCommand


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "008613800138000",
        "8613800138000",
    ],
)
def test_a_mainland_mobile_is_normalised_to_eleven_digits(raw: str) -> None:
    assert normalise_phone(raw) == "13800138000"


@pytest.mark.parametrize(
    "raw", ["", "12800138000", "1380013800", "138001380001", "23800138000", "1380013800a", "+1 138 0013 8000"]
)
def test_anything_else_is_refused_naming_the_field(raw: str) -> None:
    with pytest.raises(InvalidCommand) as err:
        normalise_phone(raw, field="contact_phone")
    assert (
        err.value.code == "phone.invalid"
        and err.value.field == "contact_phone"
        and "手机" in err.value.detail_zh
    )


def test_a_phone_is_masked_like_138_stars_8000() -> None:
    assert mask_phone("13800138000") == "138****8000"


def test_the_phone_hash_is_keyed_and_stable() -> None:
    a = phone_hash(b"secret-1", "13800138000")
    assert a == phone_hash(b"secret-1", "13800138000") and len(a) == 64
    assert a != phone_hash(b"secret-2", "13800138000")
    assert a != phone_hash(b"secret-1", "13800138001")
    with pytest.raises(ValueError):
        phone_hash(b"", "13800138000")


def test_ticket_codes_use_only_unambiguous_characters() -> None:
    codes = {new_ticket_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert not set("0O1IL2Z5S8BUV") & set(ALPHABET)


def test_a_ticket_code_is_read_back_however_it_was_typed() -> None:
    code = new_ticket_code()
    shown = format_ticket_code(code)
    assert shown[4] == "-" and normalise_ticket_code(shown.lower()) == code
    with pytest.raises(InvalidCommand) as err:
        normalise_ticket_code("ABCD-EFG0")
    assert err.value.field == "ticket_code"
