"""The organization's messages, in Chinese and English."""

from __future__ import annotations

from redpark_platform.notifications import Template, TemplateCatalogue

COMMITTEE_MEETING_MISSING = Template(
    code="org.committee_meeting_missing", kind="reminder",
    zh="${park}提醒：${branch}本月（${month}）尚未召开支委会，请在月底前召开并录入记录本。",
    en="${park} reminder: ${branch} has not held its branch committee meeting this month (${month}); please hold "
       "it before the month ends and record it.",
    title_zh="支委会提醒", title_en="Committee meeting reminder")

CATALOGUE = TemplateCatalogue([COMMITTEE_MEETING_MISSING])
