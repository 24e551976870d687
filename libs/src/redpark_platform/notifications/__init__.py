"""Notifications: decided from events by rules (or from the calendar by scheduled checks), kept in an
outbox, sent by a worker over SMS (Aliyun- or Tencent-shaped), e-mail (SMTP) or WeCom group robots.
See libs/README.md."""

from .channels import UNKNOWN, Accepted, NotifySettings, Outgoing, Rejected, Retry, SmsSettings, SmtpSettings
from .hub import Hub, Notifications, dashboard_tile, hub_of
from .outbox import Notice
from .policy import Policy, QuietHours
from .rules import NotificationRule
from .schedules import Scheduled
from .templates import Template, TemplateCatalogue
from .verification import Challenge, PhoneVerification

__all__ = ["UNKNOWN", "Accepted", "Challenge", "PhoneVerification",
           "Hub", "Notice", "NotificationRule", "Notifications", "NotifySettings",
           "Outgoing", "Policy", "QuietHours", "Rejected", "Retry", "Scheduled", "SmsSettings", "SmtpSettings",
           "Template", "TemplateCatalogue", "dashboard_tile", "hub_of"]
