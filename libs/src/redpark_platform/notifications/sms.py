"""SMS through the common Chinese providers' APIs: Aliyun (dysmsapi, RPC style, HMAC-SHA1 signed
form) and Tencent Cloud (API 3.0, TC3-HMAC-SHA256 signed JSON). Both send a template code and its
parameters; the provider holds the text. Our notification id rides along (Aliyun `OutId`, Tencent
`SessionContext`), so after a crash `find` asks the provider's send records whether it took it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import httpx

from .channels import UNKNOWN, Accepted, Outcome, Outgoing, Rejected, Retry, SmsSettings, _Unknown

ALIYUN_VERSION = "2017-05-25"
TENCENT_VERSION = "2021-01-11"
# Provider codes that a later try may get past (limits per number and minute/day, throttling).
ALIYUN_RETRY = ("isv.BUSINESS_LIMIT_CONTROL", "Throttling", "isv.DAY_LIMIT_CONTROL", "ServiceUnavailable")
ALIYUN_REJECT = ("isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT", "isv.BLACK_KEY_CONTROL_LIMIT")
# The providers' send dates are Beijing time.
_CHINA = ZoneInfo("Asia/Shanghai")
TENCENT_REJECT = ("InvalidParameterValue.IncorrectPhoneNumber", "FailedOperation.PhoneNumberInBlacklist",
                  "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber")


def percent_encode(value: str) -> str:
    """Aliyun's POP encoding: RFC 3986 unreserved characters kept, everything else %XX (space is %20)."""
    return quote(value, safe="-_.~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "POST") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def tencent_authorization(secret_id: str, secret_key: str, host: str, body: bytes, timestamp: int,
                          service: str = "sms") -> str:
    day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical = "\n".join(["POST", "/", "", f"content-type:application/json; charset=utf-8\nhost:{host}\n",
                           "content-type;host", hashlib.sha256(body).hexdigest()])
    scope = f"{day}/{service}/tc3_request"
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), scope, hashlib.sha256(canonical.encode()).hexdigest()])

    def h(key: bytes, msg: str) -> bytes:
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    signing = h(h(h(f"TC3{secret_key}".encode(), day), service), "tc3_request")
    signature = hmac.new(signing, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders=content-type;host, Signature={signature}"


class AliyunSms:
    name = "sms"

    def __init__(self, settings: SmsSettings, timeout: float = 10.0) -> None:
        self.settings = settings
        self.client = httpx.AsyncClient(timeout=timeout)

    def _signed(self, action: str, **extra: str) -> dict[str, str]:
        params = {
            "AccessKeyId": self.settings.access_key_id, "Action": action, "Format": "JSON",
            "RegionId": self.settings.region, "SignatureMethod": "HMAC-SHA1", "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0", "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": ALIYUN_VERSION, **extra,
        }
        params["Signature"] = aliyun_signature(params, self.settings.access_key_secret)
        return params

    async def _call(self, action: str, **extra: str) -> dict[str, object] | Retry:
        try:
            response = await self.client.post(self.settings.endpoint, data=self._signed(action, **extra))
        except httpx.HTTPError as exc:
            return Retry(f"{type(exc).__name__}")
        try:
            body = response.json()
        except ValueError:
            return Retry(f"HTTP {response.status_code}, not JSON")
        if not isinstance(body, dict):
            return Retry(f"HTTP {response.status_code}, unexpected answer")
        return body

    async def send(self, message: Outgoing) -> Outcome:
        body = await self._call(
            "SendSms", PhoneNumbers=message.address, SignName=self.settings.sign_name,
            TemplateCode=self.settings.code_of(message.template, message.lang),
            TemplateParam=json.dumps(dict(message.params), ensure_ascii=False), OutId=message.notification_id)
        if isinstance(body, Retry):
            return body
        code = str(body.get("Code", ""))
        if code == "OK":
            return Accepted(str(body.get("BizId", "")))
        reason = f"{code}: {body.get('Message', '')}"[:300]
        if code in ALIYUN_REJECT:
            return Rejected(reason)
        return Retry(reason)

    async def find(self, message: Outgoing) -> str | None | _Unknown:
        # The send records of the number on the days the message may have gone (the provider's dates).
        days = {message.created_at.astimezone(_CHINA).date(), datetime.now(_CHINA).date()}
        for day in sorted(days):
            body = await self._call("QuerySendDetails", PhoneNumber=message.address, SendDate=day.strftime("%Y%m%d"),
                                    PageSize="50", CurrentPage="1")
            if isinstance(body, Retry) or body.get("Code") != "OK":
                return UNKNOWN
            dtos = body.get("SmsSendDetailDTOs") or {}
            records = dtos.get("SmsSendDetailDTO", []) if isinstance(dtos, dict) else []
            for record in records:
                if isinstance(record, dict) and record.get("OutId") == message.notification_id:
                    return str(record.get("BizId") or "")
        return None

    async def close(self) -> None:
        await self.client.aclose()


class TencentSms:
    name = "sms"

    def __init__(self, settings: SmsSettings, timeout: float = 10.0) -> None:
        self.settings = settings
        self.client = httpx.AsyncClient(timeout=timeout)
        self.host = urlsplit(settings.endpoint).netloc

    async def _call(self, action: str, payload: dict[str, object]) -> dict[str, object] | Retry:
        body = json.dumps(payload, ensure_ascii=False).encode()
        stamp = int(datetime.now(UTC).timestamp())
        headers = {
            "Content-Type": "application/json; charset=utf-8", "Host": self.host, "X-TC-Action": action,
            "X-TC-Version": TENCENT_VERSION, "X-TC-Timestamp": str(stamp), "X-TC-Region": self.settings.region,
            "Authorization": tencent_authorization(self.settings.access_key_id, self.settings.access_key_secret,
                                                   self.host, body, stamp),
        }
        try:
            response = await self.client.post(self.settings.endpoint, content=body, headers=headers)
            answer = response.json()
        except httpx.HTTPError as exc:
            return Retry(type(exc).__name__)
        except ValueError:
            return Retry(f"HTTP {response.status_code}, not JSON")
        inner = answer.get("Response") if isinstance(answer, dict) else None
        if not isinstance(inner, dict):
            return Retry(f"HTTP {response.status_code}, unexpected answer")
        return inner

    @staticmethod
    def _e164(phone: str) -> str:
        return phone if phone.startswith("+") else f"+86{phone}"

    async def send(self, message: Outgoing) -> Outcome:
        template = message.template
        answer = await self._call("SendSms", {
            "PhoneNumberSet": [self._e164(message.address)], "SmsSdkAppId": self.settings.sdk_app_id,
            "SignName": self.settings.sign_name, "TemplateId": self.settings.code_of(template, message.lang),
            "TemplateParamSet": [str(message.params[p]) for p in template.params],
            "SessionContext": message.notification_id,
        })
        if isinstance(answer, Retry):
            return answer
        error = answer.get("Error")
        if isinstance(error, dict):
            return Retry(f"{error.get('Code')}: {error.get('Message', '')}"[:300])
        statuses = answer.get("SendStatusSet") or []
        status = statuses[0] if isinstance(statuses, list) and statuses else {}
        code = str(status.get("Code", "")) if isinstance(status, dict) else ""
        if code == "Ok":
            return Accepted(str(status.get("SerialNo", "")))
        reason = f"{code}: {status.get('Message', '') if isinstance(status, dict) else ''}"[:300]
        if code in TENCENT_REJECT:
            return Rejected(reason)
        return Retry(reason)

    async def find(self, message: Outgoing) -> str | None | _Unknown:
        begin = int((message.created_at - timedelta(minutes=5)).timestamp())
        answer = await self._call("PullSmsSendStatusByPhoneNumber", {
            "BeginTime": begin, "Offset": 0, "Limit": 100, "PhoneNumber": self._e164(message.address),
            "SmsSdkAppId": self.settings.sdk_app_id})
        if isinstance(answer, Retry) or "Error" in answer:
            return UNKNOWN
        records = answer.get("PullSmsSendStatusSet") or []
        for record in records if isinstance(records, list) else []:
            if isinstance(record, dict) and record.get("SessionContext") == message.notification_id:
                return str(record.get("SerialNo") or "")
        return None

    async def close(self) -> None:
        await self.client.aclose()


def sms_channel(settings: SmsSettings) -> AliyunSms | TencentSms:
    return AliyunSms(settings) if settings.provider == "aliyun" else TencentSms(settings)

