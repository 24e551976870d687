"""E-mail over SMTP (aiosmtplib). The Message-ID is derived from the notification id, so a message
sent again after a crash (SMTP cannot be asked what it took) is the same message to the receiver."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib

from .channels import UNKNOWN, Accepted, Outcome, Outgoing, Rejected, Retry, SmtpSettings, _Unknown

MESSAGE_ID_DOMAIN = "notify.redpark"


def message_id(notification_id: str) -> str:
    return f"<{notification_id}@{MESSAGE_ID_DOMAIN}>"


class SmtpEmail:
    name = "email"

    def __init__(self, settings: SmtpSettings, timeout: float = 15.0) -> None:
        self.settings = settings
        self.timeout = timeout

    def compose(self, message: Outgoing) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.settings.sender
        mail["To"] = message.address
        mail["Subject"] = message.title
        mail["Message-ID"] = message_id(message.notification_id)
        mail["Date"] = formatdate(message.created_at.timestamp(), usegmt=True)
        mail.set_content(message.text)
        return mail

    async def send(self, message: Outgoing) -> Outcome:
        s = self.settings
        try:
            response = await aiosmtplib.send(
                self.compose(message), hostname=s.host, port=s.port, username=s.username or None,
                password=s.password or None, use_tls=s.tls == "tls", start_tls=True if s.tls == "starttls" else False,
                timeout=self.timeout)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            return Rejected(f"recipient refused: {[r.code for r in exc.recipients]}")
        except aiosmtplib.SMTPResponseException as exc:
            reason = f"SMTP {exc.code}"
            return Rejected(reason) if 500 <= exc.code < 600 else Retry(reason)
        except (aiosmtplib.SMTPException, OSError) as exc:
            return Retry(type(exc).__name__)
        return Accepted(response[1][:200] if isinstance(response, tuple) else "")

    async def find(self, message: Outgoing) -> str | None | _Unknown:
        return UNKNOWN

    async def close(self) -> None:
        return None
