"""Member development: applicant → activist → candidate → probationary → full, in order, dated, and the quota."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.organization import DevelopmentApplicationReceived, DevelopmentQuotaSet, DevelopmentStageAdvanced
from redpark_organization.domain import development as dev
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)
TODAY = date(2025, 6, 15)
spec = DeciderSpec(dev.decider)
quota = DeciderSpec(dev.quota_decider)

APPLIED = DevelopmentApplicationReceived(person_id="p1", name="赵六", enterprise_id="e1",
                                         priority_groups=["legal_representative"], applied_on=date(2022, 3, 1),
                                         phone="13900000000")
ACTIVIST = DevelopmentStageAdvanced(person_id="p1", from_stage="applicant", to_stage="activist",
                                    reached_on=date(2022, 5, 1))
CANDIDATE = DevelopmentStageAdvanced(person_id="p1", from_stage="activist", to_stage="candidate",
                                     reached_on=date(2023, 6, 1))
PROBATIONARY = DevelopmentStageAdvanced(person_id="p1", from_stage="candidate", to_stage="probationary",
                                        reached_on=date(2024, 6, 1))


def advance(to: str, on: date | None = None) -> dev.AdvanceStage:
    return dev.AdvanceStage(person_id="p1", to_stage=to, now=NOW, effective_on=on)  # type: ignore[arg-type]


def test_an_application_puts_the_person_in_the_pipeline_with_priority_groups() -> None:
    cmd = dev.ReceiveApplication(person_id="p1", name="赵六", enterprise_id="e1",
                                 priority_groups=["tech_talent", "tech_talent", "technical_backbone"],
                                 phone="13900000000", now=NOW)
    spec.given([]).when(cmd).then([DevelopmentApplicationReceived(
        person_id="p1", name="赵六", enterprise_id="e1", priority_groups=["tech_talent", "technical_backbone"],
        applied_on=TODAY, phone="13900000000")])
    spec.given([APPLIED]).when(cmd).then_raises(DomainError, code="development.already_applied")


def test_each_stage_follows_the_previous_one() -> None:
    spec.given([APPLIED]).when(advance("activist")).then([DevelopmentStageAdvanced(
        person_id="p1", from_stage="applicant", to_stage="activist", reached_on=TODAY)])
    spec.given([APPLIED, ACTIVIST, CANDIDATE]).when(advance("probationary")).then([DevelopmentStageAdvanced(
        person_id="p1", from_stage="candidate", to_stage="probationary", reached_on=TODAY)])


def test_a_stage_is_never_skipped() -> None:
    spec.given([APPLIED]).when(advance("candidate")).then_raises(DomainError, code="development.stage_skipped",
                                                                 field="to_stage")
    spec.given([APPLIED, ACTIVIST]).when(advance("full")).then_raises(DomainError, code="development.stage_skipped")


def test_a_stage_is_never_reversed_or_repeated() -> None:
    spec.given([APPLIED, ACTIVIST, CANDIDATE]).when(advance("activist")).then_raises(
        DomainError, code="development.stage_reversed", field="to_stage")
    spec.given([APPLIED, ACTIVIST]).when(advance("activist")).then_raises(DomainError,
                                                                          code="development.stage_reversed")


def test_a_stage_is_not_dated_before_the_previous_one() -> None:
    spec.given([APPLIED]).when(advance("activist", date(2022, 2, 28))).then_raises(
        InvalidCommand, code="development.date_before_previous_stage", field="effective_on")
    spec.given([APPLIED]).when(advance("activist", date(2022, 3, 1))).then([DevelopmentStageAdvanced(
        person_id="p1", from_stage="applicant", to_stage="activist", reached_on=date(2022, 3, 1))])


def test_an_activist_is_observed_for_a_year_before_becoming_a_candidate() -> None:
    spec.given([APPLIED, ACTIVIST]).when(advance("candidate", date(2023, 4, 30))).then_raises(
        DomainError, code="development.activist_period_too_short")
    spec.given([APPLIED, ACTIVIST]).when(advance("candidate", date(2023, 5, 1))).then([DevelopmentStageAdvanced(
        person_id="p1", from_stage="activist", to_stage="candidate", reached_on=date(2023, 5, 1))])


def test_a_probationary_member_becomes_full_only_after_a_year() -> None:
    given = [APPLIED, ACTIVIST, CANDIDATE, PROBATIONARY]
    spec.given(given).when(advance("full", date(2025, 5, 31))).then_raises(DomainError,
                                                                           code="development.probation_not_over")
    spec.given(given).when(advance("full", date(2025, 6, 1))).then_state(stage="full")


def test_advancing_someone_who_never_applied_is_not_found() -> None:
    spec.given([]).when(advance("activist")).then_raises(NotFound, code="development.unknown")


def test_the_year_quota_is_set_and_reset() -> None:
    cmd = dev.SetQuota(year=2025, quota=3, now=NOW)
    spec_q = quota.given([])
    spec_q.when(cmd).then([DevelopmentQuotaSet(year=2025, quota=3, set_on=TODAY)])
    quota.given([DevelopmentQuotaSet(year=2025, quota=3, set_on=TODAY)]).when(cmd).then([])
    quota.given([]).when(dev.SetQuota(year=2025, quota=-1, now=NOW)).then_raises(
        InvalidCommand, code="development.quota_negative")
    quota.given([]).when(dev.SetQuota(year=2020, quota=2, now=NOW)).then_raises(
        DomainError, code="development.quota_year_closed")


def test_the_year_is_measured_by_admissions_as_probationary_members_against_the_quota() -> None:
    pipeline = [
        dev.PipelineEntry(person_id="p1", stage="probationary", priority_groups=["tech_talent"],
                          reached={"applicant": date(2022, 1, 1), "probationary": date(2025, 3, 1)}),
        dev.PipelineEntry(person_id="p2", stage="full",
                          reached={"applicant": date(2020, 1, 1), "probationary": date(2024, 3, 1)}),
        dev.PipelineEntry(person_id="p3", stage="activist", reached={"applicant": date(2024, 1, 1)}),
        dev.PipelineEntry(person_id="p4", stage="probationary",
                          reached={"applicant": date(2022, 1, 1), "probationary": date(2025, 5, 1)}),
    ]
    figures = dev.year_figures(2025, 5, pipeline)
    assert (figures.admitted, figures.remaining, figures.admitted_from_priority_groups) == (2, 3, 1)
    assert figures.by_stage == {"applicant": 0, "activist": 1, "candidate": 0, "probationary": 2, "full": 1}
    assert dev.year_figures(2025, None, pipeline).remaining is None
