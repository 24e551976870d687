"""A phone proven by a one-time code: the SMS read from the local gateway, 6 digits, 5 minutes, 5 tries,
limits per number, used once. Real PostgreSQL, NATS and gateway; the clock is frozen and moved."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from redpark_platform.clock import FrozenClock
from redpark_platform.errors import DomainError
from redpark_platform.notifications import PhoneVerification
from redpark_platform.testkit import eventually
from redpark_platform.testkit.notify import StandIns
from redpark_platform.web.ratelimit import TooManyRequests

sys.path.insert(0, str(Path(__file__).parent))

from notify_support import hall_app  # noqa: E402

PHONE = "13800138000"
CODES = PhoneVerification()


async def hall(service_client: Any, standins: StandIns, clock: FrozenClock) -> Any:
    return await service_client(hall_app(standins.settings()), service="hall", roles=("park_admin",), clock=clock,
                                data_dir=standins.data)


async def code_sent(standins: StandIns, count: int = 1) -> str:
    lines = await eventually(standins.sms_lines, lambda got: len(got) == count)
    line = lines[-1]
    assert line["phone"] == PHONE and line["template"] == "platform.verification_code.zh"
    match = re.search(r"您的验证码是 (\d{6})，5 分钟内有效", line["text"])
    assert match is not None, line["text"]
    return match.group(1)


async def test_the_right_code_proves_the_phone_once_for_its_purpose(service_client: Any,
                                                                    notify_standins: StandIns) -> None:
    clock = FrozenClock(datetime(2025, 3, 10, 2, 0, tzinfo=UTC))
    c = await hall(service_client, notify_standins, clock)
    started = await CODES.start(c.runtime, "+86 138-0013-8000", "register:s1")
    code = await code_sent(notify_standins)
    stored = await c.runtime.pool.fetchrow("SELECT code_hash FROM verification_challenges")
    assert code not in stored["code_hash"]
    assert code not in await c.runtime.pool.fetchval("SELECT params FROM notifications")  # sealed
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(DomainError) as refused:
        await CODES.confirm(c.runtime, started.challenge_id, wrong)
    assert refused.value.code == "verification.wrong_code" and refused.value.field == "code"
    assert "还可尝试 4 次" in (refused.value.detail_zh or "")
    await CODES.confirm(c.runtime, started.challenge_id, code)
    assert not await CODES.consume(c.runtime, started.challenge_id, PHONE, "register:s2")  # another purpose
    assert not await CODES.consume(c.runtime, started.challenge_id, "13900000000", "register:s1")  # another phone
    assert await CODES.consume(c.runtime, started.challenge_id, PHONE, "register:s1")
    assert not await CODES.consume(c.runtime, started.challenge_id, PHONE, "register:s1")  # used


async def test_five_wrong_codes_end_the_challenge(service_client: Any, notify_standins: StandIns) -> None:
    clock = FrozenClock(datetime(2025, 3, 10, 2, 0, tzinfo=UTC))
    c = await hall(service_client, notify_standins, clock)
    started = await CODES.start(c.runtime, PHONE, "register:s1")
    code = await code_sent(notify_standins)
    wrong = "000000" if code != "000000" else "111111"
    outcomes = []
    for _ in range(5):
        with pytest.raises(DomainError) as refused:
            await CODES.confirm(c.runtime, started.challenge_id, wrong)
        outcomes.append(refused.value.code)
    assert outcomes == ["verification.wrong_code"] * 4 + ["verification.too_many_tries"]
    with pytest.raises(DomainError, match="too many"):
        await CODES.confirm(c.runtime, started.challenge_id, code)  # even the right one, now
    assert not await CODES.consume(c.runtime, started.challenge_id, PHONE, "register:s1")


async def test_a_code_expires_after_5_minutes_and_a_number_gets_one_code_a_minute(
        service_client: Any, notify_standins: StandIns) -> None:
    clock = FrozenClock(datetime(2025, 3, 10, 2, 0, tzinfo=UTC))
    c = await hall(service_client, notify_standins, clock)
    started = await CODES.start(c.runtime, PHONE, "register:s1")
    code = await code_sent(notify_standins)
    with pytest.raises(TooManyRequests) as too_soon:
        await CODES.start(c.runtime, PHONE, "register:s1")
    assert too_soon.value.field == "phone" and too_soon.value.headers == {"Retry-After": "61"}
    clock.advance(minutes=5)
    with pytest.raises(DomainError) as late:
        await CODES.confirm(c.runtime, started.challenge_id, code)
    assert late.value.code == "verification.expired"
    again = await CODES.start(c.runtime, PHONE, "register:s1")
    assert again.challenge_id != started.challenge_id
    await code_sent(notify_standins, 2)


async def test_a_number_gets_at_most_five_codes_an_hour(service_client: Any, notify_standins: StandIns) -> None:
    clock = FrozenClock(datetime(2025, 3, 10, 2, 0, tzinfo=UTC))
    c = await hall(service_client, notify_standins, clock)
    for _ in range(5):
        await CODES.start(c.runtime, PHONE, "register:s1")
        clock.advance(minutes=2)
    with pytest.raises(TooManyRequests) as refused:
        await CODES.start(c.runtime, PHONE, "register:s1")
    assert refused.value.code == "verification.too_often"
    with pytest.raises(DomainError) as bad:
        await CODES.start(c.runtime, "12345", "register:s1")
    assert bad.value.field == "address"
