"""When a notification may go (opt-out, quiet hours, daily cap) and what it says: pure, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from redpark_platform.notifications.policy import Hold, Policy, QuietHours, Send, Skip, decide
from redpark_platform.notifications.templates import Template, TemplateCatalogue, TemplateError

PARK = ZoneInfo("Asia/Shanghai")
TICKET = Template(code="t.ticket", zh="${park}：您的票号 ${code}", en="${park}: your ticket ${code}")
REMINDER = Template(code="t.remind", kind="reminder", zh="明天 ${at} 见", en="See you tomorrow at ${at}")
ALERT = Template(code="t.alert", kind="alert", urgent=True, zh="出错：${what}", en="Failed: ${what}")


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, 10, hour, minute, tzinfo=PARK).astimezone(UTC)


def test_a_service_message_goes_even_at_night_to_someone_who_opted_out() -> None:
    assert decide(TICKET, opted_out=True, sent_today=99, now=at(23), zone=PARK, policy=Policy()) == Send()


def test_a_reminder_is_skipped_for_someone_who_opted_out() -> None:
    assert decide(REMINDER, opted_out=True, sent_today=0, now=at(10), zone=PARK, policy=Policy()) == Skip("opted_out")


def test_a_reminder_at_22_waits_for_8_the_next_morning_park_time() -> None:
    decision = decide(REMINDER, opted_out=False, sent_today=0, now=at(22), zone=PARK, policy=Policy())
    assert decision == Hold(datetime(2025, 3, 11, 8, tzinfo=PARK), "quiet_hours")


def test_a_reminder_at_7_waits_until_8_the_same_morning() -> None:
    decision = decide(REMINDER, opted_out=False, sent_today=0, now=at(7, 30), zone=PARK, policy=Policy())
    assert isinstance(decision, Hold) and decision.until == datetime(2025, 3, 10, 8, tzinfo=PARK)


def test_an_urgent_alert_goes_in_quiet_hours() -> None:
    assert decide(ALERT, opted_out=False, sent_today=0, now=at(3), zone=PARK, policy=Policy()) == Send()


def test_the_daily_cap_skips_what_is_over_it() -> None:
    policy = Policy(daily_cap=2)
    assert decide(REMINDER, opted_out=False, sent_today=1, now=at(10), zone=PARK, policy=policy) == Send()
    assert decide(REMINDER, opted_out=False, sent_today=2, now=at(10), zone=PARK, policy=policy) == Skip("daily_cap")


def test_quiet_hours_of_the_same_time_twice_are_none() -> None:
    assert not QuietHours.parse("00:00-00:00").contains(time(3))
    assert QuietHours.parse("12:00-14:00").contains(time(13)) and not QuietHours.parse("12:00-14:00").contains(time(14))
    with pytest.raises(ValueError, match="21:00-08:00"):
        QuietHours.parse("nine to five")


def test_a_template_renders_in_the_recipients_language_with_the_park_name() -> None:
    params = {"park": "红色园区", "code": "ABCD-EFGH"}
    assert TICKET.render("zh", params) == "红色园区：您的票号 ABCD-EFGH"
    assert TICKET.render("en", params) == "红色园区: your ticket ABCD-EFGH"
    assert TICKET.params == ("park", "code")
    with pytest.raises(TemplateError, match="code"):
        TICKET.render("zh", {"park": "x"})


def test_texts_with_different_parameters_are_refused() -> None:
    with pytest.raises(TemplateError, match="different parameters"):
        Template(code="t.bad", zh="${a}", en="${b}")


def test_the_provider_registrations_carry_both_languages_and_mapped_codes() -> None:
    catalogue = TemplateCatalogue([TICKET])
    registered = catalogue.provider_registrations({"t.ticket.zh": "SMS_100001"})
    assert registered == {"SMS_100001": {"params": ["park", "code"], "text": TICKET.zh},
                          "t.ticket.en": {"params": ["park", "code"], "text": TICKET.en}}
