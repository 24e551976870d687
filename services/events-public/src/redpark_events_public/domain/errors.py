"""Every refusal of the service's rules, once: code -> (kind, English, Chinese).

Deciders raise by code (`raise ERRORS.error("registration.closed", field="session_id")`) and carry no
sentences and no HTTP status: the web edge answers with the status of the kind (conflict 409,
invalid 422, not_found 404, ...), the code, both sentences and the field. `{name}` placeholders are
filled from the keywords of `error`.

A code refused for two different reasons has one entry per reason, `code/reason`: the client sees
the code before the slash, the sentences of the reason.
"""

from __future__ import annotations

from typing import Any

from redpark_platform.errors import DomainError, ErrorCatalogue


class Refusals(ErrorCatalogue):
    def error(self, code: str, *, field: str | None = None, **values: Any) -> DomainError:
        refusal = super().error(code, field=field, **values)
        refusal.code = code.split("/", 1)[0]
        return refusal


ERRORS = Refusals({
    # activity
    "activity.already_published": (
        "conflict", "This activity is already in the catalogue.",
        "该活动已发布，不能重复发布。",
    ),
    "activity.already_withdrawn": ("conflict", "The activity was already withdrawn.", "该活动已撤下。"),
    "activity.carnival_not_allowed": (
        "invalid",
        "Only the parts of a carnival week belong to one.",
        "只有嘉年华子活动可以归属科技嘉年华周。",
    ),
    "activity.carnival_required": (
        "invalid",
        "A carnival activity must name its carnival week.",
        "嘉年华子活动必须指明所属的科技嘉年华周。",
    ),
    "activity.daily_limit_invalid": ("invalid", "The daily limit is at least 1.", "每日报名上限至少为1。"),
    "activity.daily_limit_not_allowed": (
        "invalid",
        "A per-phone daily limit is set on the science carnival week.",
        "每个手机号每日报名上限只能在科技嘉年华周上设置。",
    ),
    "activity.not_a_carnival": (
        "invalid", "carnival_id must name a science carnival week.", "所属活动必须是科技嘉年华周。",
    ),
    "activity.not_found": ("not_found", "No such activity.", "活动不存在。"),
    "activity.reason_required": ("invalid", "Say why the activity is withdrawn.", "请填写撤下活动的原因。"),
    "activity.route_not_allowed": (
        "invalid", "Only a family tech tour has a route.",
        "只有科技亲子游可以设置参观路线。",
    ),
    "activity.route_repeats_stop": ("invalid", "A route visits each site once.", "路线中的参观点不能重复。"),
    "activity.route_stop_unnamed": (
        "invalid", "Every stop of the route needs a name.",
        "路线中的每个参观点都需要名称。",
    ),
    "activity.route_too_short": (
        "invalid",
        "A family tech tour visits at least two sites, in order.",
        "科技亲子游路线至少包含两个参观点。",
    ),
    "activity.withdrawn": (
        "conflict", "The activity was withdrawn; it takes no new sessions.", "该活动已撤下，不能再安排场次。",
    ),
    "activity.title_required": ("invalid", "An activity needs a title.", "请填写活动名称。"),
    # concurrency
    "concurrency.exhausted": (
        "unavailable", "stream {stream_id} kept changing; the command was not applied, try again",
        "数据正在被他人修改，本次操作未生效，请重试",
    ),
    # checkin
    "checkin.already_checked_in": (
        "conflict", "This ticket has already been checked in.",
        "该票已签到，不能重复签到。",
    ),
    "checkin.cancelled": ("conflict", "This registration was cancelled.", "该报名已取消，不能签到。"),
    "checkin.not_confirmed": (
        "conflict", "This registration is still on the waiting list.",
        "该报名仍在候补中，不能签到。",
    ),
    "checkin.not_open_yet": (
        "conflict", "Check-in opens one hour before the session starts.",
        "签到于场次开始前一小时开放。",
    ),
    "checkin.session_over": ("conflict", "The session is over.", "场次已结束，不能签到。"),
    "checkin.wrong_session": ("conflict", "This ticket is not for this session.", "该票不属于本场次。"),
    # open_base
    "open_base.already_decided": ("conflict", "This booking was already {status}.", "该预约已处理（已确认或已婉拒）。"),
    "open_base.booking_not_found": ("not_found", "No such booking on this day.", "该日期没有此预约。"),
    "open_base.contact_required": ("invalid", "Name a contact person.", "请填写联系人姓名。"),
    "open_base.day_full": (
        "conflict",
        "The base can receive {value} more visitor(s) on {day}.",
        "{day}基地剩余可接待名额为{value}人。",
    ),
    "open_base.day_not_in_future": ("invalid", "Book a visit for tomorrow or later.", "请预约明天及以后的日期。"),
    "open_base.duplicate_booking": ("conflict", "This booking was already received.", "该预约已提交，请勿重复提交。"),
    "open_base.day_too_far": (
        "invalid", "Book a visit at most {value} days ahead.", "最多可预约{value}天内的参观。",
    ),
    "open_base.group_size_invalid": ("invalid", "A group has at least one visitor.", "来访人数至少为1人。"),
    "open_base.group_too_large": (
        "invalid", "A group has at most {value} visitors; split a larger one over several days.",
        "每批来访最多{value}人，人数较多请分批预约。",
    ),
    "open_base.lapsed": (
        "conflict", "This request was not confirmed in time and has lapsed; its places are free again.",
        "该预约未在规定时间内确认，已自动失效，名额已释放。",
    ),
    "open_base.organization_required": ("invalid", "Name the visiting party organization.", "请填写来访党组织名称。"),
    "open_base.reason_required": ("invalid", "Say why the visit is declined.", "请填写婉拒参观的原因。"),
    # phone_verification (a one-time code sent by SMS; the code's own refusals are `verification.*`)
    "phone_verification.code_required": (
        "invalid", "This event checks the phone: ask for a code and enter the one sent to your phone.",
        "本活动需验证手机号：请获取验证码并填写短信中的验证码。",
    ),
    "phone_verification.challenge_required": (
        "invalid", "Ask for a code first: send the challenge_id its answer gave with the code.",
        "请先获取验证码，并随验证码一并提交该次获取的验证请求编号。",
    ),
    "phone_verification.code_wrong": (
        "invalid", "That code was not sent to this phone for this session, or was already used.",
        "该验证码不是发送给此手机号用于本场次报名的，或已使用过，请重新获取。",
    ),
    "phone_verification.not_needed": (
        "conflict", "This event does not check the phone: register without a code.", "本活动无需短信验证，请直接报名。",
    ),
    "phone_verification.unavailable": (
        "unavailable", "This event checks the phone by SMS, which is not configured; registration "
        "cannot take place online for now.", "本活动需短信验证手机号，但短信服务尚未开通，暂时无法在线报名。",
    ),
    # phone
    "phone.invalid": (
        "invalid",
        "Enter a mainland China mobile number: 11 digits starting with 13 to 19.",
        "请输入有效的中国大陆手机号码（11位，以13至19开头）。",
    ),
    # registration
    "registration.adults_invalid": ("invalid", "The number of adults cannot be negative.", "成人人数不能为负数。"),
    "registration.age_out_of_range": (
        "invalid",
        "This session is for children aged {value}; a child of {age} cannot join.",
        "本场次适合{value2}的儿童，{age}岁儿童不能参加。",
    ),
    "registration.already_cancelled": ("conflict", "This registration is already cancelled.", "该报名已取消。"),
    "registration.already_checked_in": (
        "conflict", "A checked-in registration cannot be cancelled.",
        "已签到的报名不能取消。",
    ),
    "registration.cancel_too_late": (
        "conflict",
        "The session has started; it can no longer be cancelled.",
        "场次已开始，不能再取消报名。",
    ),
    "registration.child_age_invalid": (
        "invalid",
        "A child's age is between 0 and {value}; count older people as adults.",
        "儿童年龄应在0至{value}岁之间，年满{adult_age}岁请按成人登记。",
    ),
    "registration.child_required": (
        "invalid",
        "This is a children's session: add the child attending.",
        "本场次为少儿活动，请填写参加活动的儿童信息。",
    ),
    "registration.closed": ("conflict", "Registration for this session has closed.", "该场次报名已截止。"),
    "registration.consent_required": (
        "invalid",
        "Registration needs your consent to the privacy notice.",
        "报名前请阅读并同意隐私告知。",
    ),
    "registration.daily_limit_reached": (
        "conflict",
        "This phone number already holds {limit} carnival registration(s) on {day}.",
        "该手机号在{day}的嘉年华活动报名已达上限（{limit}项）。",
    ),
    "registration.duplicate_id": (
        "conflict", "This registration was already received.",
        "该报名已提交，请勿重复提交。",
    ),
    "registration.full": ("conflict", "The session and its waiting list are full.", "该场次名额及候补名额均已满。"),
    "registration.name_required": ("invalid", "Enter the registrant's name.", "请填写报名人姓名。"),
    "registration.name_too_long": (
        "invalid",
        "A name has at most {max_name_length} characters.",
        "姓名不能超过{max_name_length}个字符。",
    ),
    "registration.not_found": (
        "not_found",
        "No registration with this ticket code and phone number.",
        "未找到与该票号和手机号匹配的报名。",
    ),
    "registration.not_open_yet": (
        "conflict",
        "Registration for this session opens at {opens}.",
        "该场次尚未开放报名，报名开始时间：{opens}。",
    ),
    "registration.party_empty": ("invalid", "A registration is for at least one person.", "每份报名至少包含一人。"),
    "registration.party_too_large": (
        "invalid",
        "A registration is for at most {max_party_size} people.",
        "每份报名最多{max_party_size}人。",
    ),
    "registration.phone_already_registered": (
        "conflict",
        "This phone number is already registered for this session.",
        "该手机号已报名本场次，每个手机号每场限报一次。",
    ),
    "registration.ticket_code_taken": ("conflict", "The ticket code is taken; try again.", "票号冲突，请重试。"),
    # service
    "service.stopping": (
        "unavailable", "The service is restarting; try again in a moment.", "服务正在重启，请稍后重试。",
    ),
    # session
    "session.age_limit_invalid": (
        "invalid", "An age limit is between 0 and {max_age}.",
        "年龄限制应在0至{max_age}岁之间。",
    ),
    "session.age_limits_reversed": (
        "invalid", "The minimum age is not above the maximum.",
        "最小年龄不能大于最大年龄。",
    ),
    "session.already_scheduled": ("conflict", "This session is already scheduled.", "该场次已安排，不能重复安排。"),
    "session.capacity_invalid": ("invalid", "Capacity is at least one seat.", "名额至少为1。"),
    "session.carnival_required": (
        "invalid", "A carnival session must name its carnival week.",
        "嘉年华场次必须指明所属的科技嘉年华周。",
    ),
    "session.carnival_week_has_no_sessions": (
        "invalid",
        "The carnival week itself has no sessions; schedule them on its activities.",
        "科技嘉年华周本身不设场次，请在其子活动下安排场次。",
    ),
    "session.ends_before_start": ("invalid", "A session ends after it starts.", "场次结束时间必须晚于开始时间。"),
    "session.no_shows_already_counted": (
        "conflict", "No-shows of this session were already counted.",
        "本场次的未到场人数已统计。",
    ),
    "session.not_found": ("not_found", "No such session.", "场次不存在。"),
    "session.not_over": ("conflict", "No-shows are counted after the session ends.", "场次结束后才能统计未到场人数。"),
    "session.party_size_invalid": ("invalid", "A party may hold at least one person.", "每份报名人数上限至少为1。"),
    "session.place_required": ("invalid", "A session needs a place.", "请填写场次地点。"),
    "session.waitlist_limit_invalid": ("invalid", "The waiting-list limit cannot be negative.", "候补名额不能为负数。"),
    "session.window_after_start": (
        "invalid",
        "Registration closes by the time the session starts.",
        "报名截止时间不能晚于场次开始时间。",
    ),
    "session.window_invalid": ("invalid", "Registration closes after it opens.", "报名截止时间必须晚于报名开始时间。"),
    # ticket
    "ticket.not_found": ("not_found", "No such ticket for this session.", "该场次没有此票号。"),
    "ticket.invalid_code": (
        "invalid",
        "A ticket code is {length} characters from {alphabet}.",
        "票号为{length}位字符（仅含 {alphabet}），请核对后重新输入。",
    ),
    # volunteer
    "volunteer.activity_not_found": ("not_found", "No such volunteer activity.", "志愿服务活动不存在。"),
    "volunteer.already_scheduled": (
        "conflict", "This volunteer activity is already scheduled.",
        "该志愿服务活动已安排。",
    ),
    "volunteer.already_signed_up": ("conflict", "This member is already signed up.", "该党员已报名本次活动。"),
    "volunteer.already_started": ("conflict", "Sign-up closes when the activity starts.", "活动已开始，不能再报名。"),
    "volunteer.already_started/withdraw": (
        "conflict",
        "The activity has started; withdrawing is closed.",
        "活动已开始，不能再退出。",
    ),
    "volunteer.ends_before_start": ("invalid", "An activity ends after it starts.", "活动结束时间必须晚于开始时间。"),
    "volunteer.full": ("conflict", "All volunteer places are taken.", "志愿者名额已满。"),
    "volunteer.hours_already_recorded": (
        "conflict", "Hours for this member are already recorded.",
        "该党员的服务时长已登记。",
    ),
    "volunteer.hours_invalid": (
        "invalid",
        "Hours are more than 0 and at most the activity's length ({longest:g} h).",
        "服务时长应大于0且不超过活动时长（{longest:g}小时）。",
    ),
    "volunteer.not_over": ("conflict", "Hours are recorded after the activity ends.", "活动结束后才能登记服务时长。"),
    "volunteer.not_signed_up": (
        "conflict",
        "Only members signed up for the activity get hours.",
        "只有报名参加本次活动的党员才能登记服务时长。",
    ),
    "volunteer.not_signed_up/withdraw": ("not_found", "This member is not signed up.", "该党员未报名本次活动。"),
    "volunteer.organizer_required": ("invalid", "Name the organising branch.", "请指明组织活动的党组织。"),
    "volunteer.organizer_unknown": (
        "not_found", "No established branch or general branch has this id.", "没有此编号的党支部或党总支（或已撤销）。"
    ),
    "volunteer.member_unknown": (
        "not_found", "No member registered in the park has this id.", "园区党员名册中没有此编号的党员。"
    ),
    "volunteer.slots_invalid": ("invalid", "Volunteer places are at least one.", "志愿者名额至少为1。"),
    "volunteer.title_required": ("invalid", "A volunteer activity needs a title.", "请填写志愿服务活动名称。"),
})
