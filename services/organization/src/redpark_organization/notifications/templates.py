"""The organization's messages, in Chinese and English."""

from __future__ import annotations

from redpark_platform.notifications import Template, TemplateCatalogue

COMMITTEE_MEETING_MISSING = Template(
    code="org.committee_meeting_missing", kind="reminder",
    zh="${park}提醒：${branch}本月（${month}）尚未召开支委会，请在月底前召开并录入记录本。",
    en="${park} reminder: ${branch} has not held its branch committee meeting this month (${month}); please hold "
       "it before the month ends and record it.",
    title_zh="支委会提醒", title_en="Committee meeting reminder")

DUES_IN_ARREARS = Template(
    code="org.dues_in_arrears", kind="reminder",
    zh="${park}提醒：${name}同志，您已有 ${months} 个月（${first} 至 ${last}）的党费未缴纳，共 ${amount} 元，"
       "请尽快向所在党支部缴纳。",
    en="${park} reminder: Comrade ${name}, your party dues for ${months} months (${first} to ${last}) are unpaid, "
       "${amount} yuan in all; please pay them to your branch soon.",
    title_zh="党费缴纳提醒", title_en="Party dues reminder")
RECTIFICATION_DUE = Template(
    code="org.rectification_due", kind="reminder",
    zh="${park}提醒：${branch}的整改将于 ${deadline} 到期（还有 ${days} 天），请按期完成并录入整改结果。",
    en="${park} reminder: the rectification of ${branch} is due on ${deadline} (${days} days left); please "
       "complete it in time and record the result.",
    title_zh="整改到期提醒", title_en="Rectification deadline")
TRANSFER_FOLLOWUP_WAITING = Template(
    code="org.transfer_followup_waiting", kind="reminder",
    zh="${park}提醒：${enterprise}的党员${person}自 ${since} 起组织关系尚未转入园区（已 ${days} 天），请跟进办理转接。",
    en="${park} reminder: at ${enterprise}, party member ${person} has not transferred their membership into "
       "the park since ${since} (${days} days); please follow it up.",
    title_zh="组织关系转接跟进", title_en="Membership transfer follow-up")

# The three guarantees (三个保证), on education's `reminder.issued`.
GUARANTEE_SELF_STUDY = Template(
    code="org.guarantee_self_study", kind="reminder",
    zh="${park}提醒：${name}同志（${branch}），您 ${period} 的自学记录尚未提交，请在月底前完成自学并提交记录。",
    en="${park} reminder: Comrade ${name} (${branch}), your self-study record for ${period} is not filed yet; "
       "please study and file it before the month ends.",
    title_zh="自学提醒", title_en="Self-study reminder")
GUARANTEE_WEEKLY_STUDY = Template(
    code="org.guarantee_weekly_study", kind="reminder",
    zh="${park}提醒：${branch} ${period} 有周学习未开展，请组织补上并在月底前录入记录。",
    en="${park} reminder: ${branch} missed a weekly study in ${period}; please hold it and record it before "
       "the month ends.",
    title_zh="周学习提醒", title_en="Weekly study reminder")
GUARANTEE_LESSON = Template(
    code="org.guarantee_lesson", kind="reminder",
    zh="${park}提醒：${name}同志（${branch}），您在 ${period} 尚未参加园区党课，请按课程安排参加或补课。",
    en="${park} reminder: Comrade ${name} (${branch}), you have not attended the park's party lesson in "
       "${period}; please attend one or make it up.",
    title_zh="党课提醒", title_en="Party lesson reminder")

CATALOGUE = TemplateCatalogue([COMMITTEE_MEETING_MISSING, DUES_IN_ARREARS, RECTIFICATION_DUE,
                               TRANSFER_FOLLOWUP_WAITING, GUARANTEE_SELF_STUDY, GUARANTEE_WEEKLY_STUDY,
                               GUARANTEE_LESSON])
