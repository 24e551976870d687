"""Local stand-ins for the providers, so everything works on one machine with nothing outside.

- **SMS gateway**, one HTTP address answering like Aliyun's dysmsapi (form POST with `Action`) and
  like Tencent Cloud's SMS API 3.0 (JSON with `X-TC-Action`): the signature is checked with the
  configured key; an invalid mainland number gets the provider's "invalid number" code; more than
  `per_minute` messages to one number a minute get its rate-limit code; otherwise the message is
  accepted and appended as one JSON line {"phone", "template", "params", "text", ...} to
  `<data>/sms-outbox.jsonl`, the text rendered from the templates the services registered in
  `<data>/sms-templates/`. `QuerySendDetails` / `PullSmsSendStatusByPhoneNumber` answer from that
  file, so a sender can ask what was taken.
- **WeCom robot**: `POST /cgi-bin/webhook/send?key=...` appends {"key", "content"} to
  `<data>/wecom-outbox.jsonl`.
- **SMTP server** (aiosmtpd): each message kept as `<data>/mail/<Message-ID>.eml` (a message sent
  again with the same Message-ID replaces its file: one message, as a mail client shows it).

    python -m redpark_platform.notifications.standins --data .redpark --http-port 18025 --smtp-port 18026
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hmac
import json
import logging
import re
import string
import time
import uuid
from collections import defaultdict, deque
from datetime import UTC, datetime
from email import message_from_bytes
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import uvicorn
from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from .sms import aliyun_signature, tencent_authorization

LOCAL_KEY_ID = "redpark-local"
LOCAL_KEY_SECRET = "redpark-local-secret"  # loopback only: the stand-in is no secret keeper
MAINLAND_MOBILE = re.compile(r"^(\+?86)?1[3-9]\d{9}$")


class SmsGateway:
    """The simulator's state: where it writes, what it has taken, its rate limit, an optional hold."""

    def __init__(self, data: Path, *, key_id: str = LOCAL_KEY_ID, key_secret: str = LOCAL_KEY_SECRET,
                 per_minute: int = 5) -> None:
        self.data = data
        self.key_id = key_id
        self.key_secret = key_secret
        self.per_minute = per_minute
        self._recent: dict[str, deque[float]] = defaultdict(deque)
        self._lock = asyncio.Lock()
        # While set and not yet released, an accepted message is recorded but not yet answered: what a
        # slow provider looks like to a sender that dies while waiting.
        self.hold: asyncio.Event | None = None
        self.held = asyncio.Event()

    @property
    def outbox(self) -> Path:
        return self.data / "sms-outbox.jsonl"

    @property
    def wecom_outbox(self) -> Path:
        return self.data / "wecom-outbox.jsonl"

    def templates(self) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for file in sorted((self.data / "sms-templates").glob("*.json")):
            with contextlib.suppress(OSError, ValueError):
                found.update(json.loads(file.read_text(encoding="utf-8")))
        return found

    def lines(self) -> list[dict[str, Any]]:
        try:
            text = self.outbox.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def _limited(self, phone: str) -> bool:
        now = time.monotonic()
        recent = self._recent[phone]
        while recent and now - recent[0] > 60:
            recent.popleft()
        if len(recent) >= self.per_minute:
            return True
        recent.append(now)
        return False

    async def accept(self, phone: str, template: str, params: dict[str, str], sign: str,
                     ref: dict[str, str]) -> tuple[str, str | None]:
        """('ok', id) | ('invalid', None) | ('limited', None) | ('template', None)."""
        if not MAINLAND_MOBILE.match(phone):
            return "invalid", None
        bare = phone[-11:]
        registered = self.templates().get(template)
        if registered is None:
            return "template", None
        async with self._lock:
            if self._limited(bare):
                return "limited", None
            try:
                body = string.Template(str(registered["text"])).substitute(params)
            except (KeyError, ValueError):
                return "template", None
            serial = uuid.uuid4().hex[:20]
            line = {"phone": bare, "template": template, "params": params, "text": f"【{sign}】{body}",
                    "id": serial, "at": datetime.now(UTC).isoformat(), **ref}
            self.data.mkdir(parents=True, exist_ok=True)
            with self.outbox.open("a", encoding="utf-8") as out:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        if self.hold is not None:
            self.held.set()
            await self.hold.wait()
        return "ok", serial


def _aliyun_answer(code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"Code": code, "Message": message, "RequestId": uuid.uuid4().hex.upper(), **extra})


def _tencent_error(code: str, message: str) -> JSONResponse:
    return JSONResponse({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": str(uuid.uuid4())}})


def gateway_app(gateway: SmsGateway) -> FastAPI:
    app = FastAPI(title="Local SMS and WeCom stand-in", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.post("/")
    async def provider(request: Request) -> JSONResponse:
        if request.headers.get("x-tc-action"):
            return await _tencent(gateway, request)
        return await _aliyun(gateway, request)

    @app.post("/cgi-bin/webhook/send")
    async def wecom(request: Request) -> JSONResponse:
        key = request.query_params.get("key", "")
        if not key:
            return JSONResponse({"errcode": 93000, "errmsg": "invalid webhook url"})
        try:
            body = json.loads(await request.body())
            content = str(body["text"]["content"])
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"errcode": 40008, "errmsg": "invalid message type"})
        gateway.data.mkdir(parents=True, exist_ok=True)
        with gateway.wecom_outbox.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"key": key, "content": content}, ensure_ascii=False) + "\n")
        return JSONResponse({"errcode": 0, "errmsg": "ok"})

    return app


async def _aliyun(gateway: SmsGateway, request: Request) -> JSONResponse:
    form = {k: str(v) for k, v in (await request.form()).items()}
    signature = form.pop("Signature", "")
    if form.get("AccessKeyId") != gateway.key_id:
        return _aliyun_answer("InvalidAccessKeyId.NotFound", "Specified access key is not found.")
    if not hmac.compare_digest(signature, aliyun_signature(form, gateway.key_secret)):
        return _aliyun_answer("SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
    action = form.get("Action")
    if action == "SendSms":
        try:
            params = json.loads(form.get("TemplateParam") or "{}")
        except ValueError:
            return _aliyun_answer("isv.INVALID_JSON_PARAM", "JSON参数不合法")
        verdict, serial = await gateway.accept(form.get("PhoneNumbers", ""), form.get("TemplateCode", ""),
                                               {k: str(v) for k, v in params.items()}, form.get("SignName", ""),
                                               {"out_id": form.get("OutId", "")})
        return {
            "ok": lambda: _aliyun_answer("OK", "OK", BizId=serial),
            "invalid": lambda: _aliyun_answer("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号"),
            "limited": lambda: _aliyun_answer("isv.BUSINESS_LIMIT_CONTROL", "触发号码天级流控Permits:10"),
            "template": lambda: _aliyun_answer("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板"),
        }[verdict]()
    if action == "QuerySendDetails":
        phone, day = form.get("PhoneNumber", ""), form.get("SendDate", "")
        records = [{"PhoneNum": line["phone"], "SendStatus": 3, "Content": line["text"],
                    "OutId": line.get("out_id", ""), "TemplateCode": line["template"], "BizId": line["id"],
                    "SendDate": line["at"]} for line in gateway.lines()
                   if line["phone"] == phone[-11:] and _china_day(line["at"]) == day]
        return _aliyun_answer("OK", "OK", TotalCount=len(records), SmsSendDetailDTOs={"SmsSendDetailDTO": records})
    return _aliyun_answer("InvalidAction.NotFound", f"Specified api {action} is not found")


def _china_day(at: str) -> str:
    return datetime.fromisoformat(at).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y%m%d")


async def _tencent(gateway: SmsGateway, request: Request) -> JSONResponse:
    body = await request.body()
    auth = request.headers.get("authorization", "")
    try:
        stamp = int(request.headers.get("x-tc-timestamp", ""))
    except ValueError:
        return _tencent_error("MissingParameter", "X-TC-Timestamp is missing")
    expected = tencent_authorization(gateway.key_id, gateway.key_secret, request.headers.get("host", ""), body, stamp)
    if not hmac.compare_digest(auth, expected):
        return _tencent_error("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
    try:
        payload = json.loads(body)
    except ValueError:
        return _tencent_error("InvalidParameter", "the body is not JSON")
    action = request.headers.get("x-tc-action")
    request_id = str(uuid.uuid4())
    if action == "SendSms":
        template = str(payload.get("TemplateId", ""))
        registered = gateway.templates().get(template, {"params": []})
        values = [str(v) for v in payload.get("TemplateParamSet") or []]
        params = dict(zip(registered["params"], values, strict=False))
        statuses = []
        for phone in payload.get("PhoneNumberSet") or []:
            verdict, serial = await gateway.accept(str(phone), template, params, str(payload.get("SignName", "")),
                                                   {"session_context": str(payload.get("SessionContext", ""))})
            code, message = {
                "ok": ("Ok", "send success"),
                "invalid": ("InvalidParameterValue.IncorrectPhoneNumber", "incorrect phone number"),
                "limited": ("LimitExceeded.PhoneNumberOneHourLimit", "the number reached its hourly limit"),
                "template": ("FailedOperation.TemplateIncorrectOrUnapproved", "template not approved"),
            }[verdict]
            statuses.append({"SerialNo": serial or "", "PhoneNumber": str(phone), "Fee": 1 if serial else 0,
                             "SessionContext": payload.get("SessionContext", ""), "Code": code, "Message": message,
                             "IsoCode": "CN"})
        return JSONResponse({"Response": {"SendStatusSet": statuses, "RequestId": request_id}})
    if action == "PullSmsSendStatusByPhoneNumber":
        phone = str(payload.get("PhoneNumber", ""))[-11:]
        records = [{"UserReceiveTime": int(datetime.fromisoformat(line["at"]).timestamp()), "CountryCode": "86",
                    "SubscriberNumber": line["phone"], "PhoneNumber": f"+86{line['phone']}", "SerialNo": line["id"],
                    "ReportStatus": "SUCCESS", "Description": "DELIVRD",
                    "SessionContext": line.get("session_context", "")}
                   for line in gateway.lines() if line["phone"] == phone]
        return JSONResponse({"Response": {"PullSmsSendStatusSet": records, "RequestId": request_id}})
    return _tencent_error("InvalidAction", f"action {action} is not supported")


# --- SMTP ---------------------------------------------------------------------------------------------

class MailKeeper:
    """aiosmtpd handler: every message kept as a file named by its Message-ID."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's name
        raw = envelope.original_content or b""
        message_id = message_from_bytes(raw).get("Message-ID", "") or uuid.uuid4().hex
        name = re.sub(r"[^A-Za-z0-9._@-]", "_", message_id.strip("<> "))[:150] or uuid.uuid4().hex
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f".{name}.tmp"
        partial.write_bytes(raw)
        partial.replace(self.folder / f"{name}.eml")
        return "250 Message accepted for delivery"


async def start_smtp(folder: Path, host: str, port: int) -> asyncio.Server:
    # aiosmtpd logs every envelope's addresses at INFO: personal data, kept out of the logs.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    loop = asyncio.get_running_loop()
    keeper = MailKeeper(folder)
    return await loop.create_server(lambda: SMTP(keeper, hostname="redpark.local"), host, port)


# --- the process `up` runs ------------------------------------------------------------------------------

class HttpStandIn:
    """The SMS/WeCom app on a uvicorn server inside the current loop (tests and the `up` process)."""

    def __init__(self, gateway: SmsGateway, host: str, port: int) -> None:
        config = uvicorn.Config(gateway_app(gateway), host=host, port=port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.task: asyncio.Task[None] | None = None
        self.url = f"http://{host}:{port}/"

    async def start(self) -> None:
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self.task.done():
                self.task.result()
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        self.server.should_exit = True
        if self.task is not None:
            await self.task


async def _serve(args: argparse.Namespace) -> None:
    data = Path(args.data).resolve()
    gateway = SmsGateway(data, key_id=args.access_key_id, key_secret=args.access_key_secret,
                         per_minute=args.per_minute)
    http = HttpStandIn(gateway, args.host, args.http_port)
    await http.start()
    smtp = await start_smtp(data / "mail", args.host, args.smtp_port)
    print(f"SMS and WeCom stand-in on {http.url}, SMTP on {args.host}:{args.smtp_port}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        smtp.close()
        await http.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", required=True, help="the data folder (sms-outbox.jsonl, mail/ go here)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--access-key-id", default=LOCAL_KEY_ID)
    parser.add_argument("--access-key-secret", default=LOCAL_KEY_SECRET)
    parser.add_argument("--per-minute", type=int, default=5, help="messages one number may get a minute")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
