"""A stand-in for the park's recruitment system: signed webhooks to a running enterprise-support service.

    python -m redpark_enterprise_support.demo.simulate_recruitment --url http://127.0.0.1:8000/enterprise-support \\
        --secret-file .redpark/webhook-secrets.json --employer-code 91410300MA44X7Y12K [--scenario demo]
    python -m redpark_enterprise_support.demo.simulate_recruitment --url ... --secret-file F --scenario hire \\
        --employer-code e1 --name 李明 --pol-status 01 --party-org 洛阳理工学院学生党支部

`--secret-file` is either the park's `webhook-secrets.json` (its `recruitment` entry is used) or a
file holding the secret alone. The employer code must be mapped by staff
(`PUT /integrations/recruitment/employers/{code}`) or be an enterprise id. The `demo` scenario sends
what a real sender does now and then: a party member's hire, the same delivery twice, a hire by
an employer nobody mapped yet (it waits, then parks), a talent fair, an intern (when `--base-code`
names an open internship base), a malformed body, an unknown status code and a bad signature.
Tests call `run_scenario` (or `RecruitmentSystem.send`) with their own client.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import sys
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx

from redpark_platform.calendar import park_date
from redpark_platform.clock import utcnow
from redpark_platform.webhook_sender import Sent, SignedSender, report
from redpark_platform.webhook_sender import read_secret as shared_read_secret

SYSTEM = "recruitment"
CST = timezone(timedelta(hours=8), "CST")  # the recruitment system writes China Standard Time


def read_secret(path: Path) -> str:
    return shared_read_secret(path, SYSTEM)


class RecruitmentSystem(SignedSender):
    """Sends signed notices to `<url>/webhooks/recruitment`."""

    system = SYSTEM


def _now_cst() -> datetime:
    return utcnow().astimezone(CST)


def _today() -> date:
    return park_date(utcnow())


def hire(req_id: str, employer_code: str, job_title: str, *, cand_id: str, full_name: str, pol_status: str | None,
         party_org: str = "", mobile: str = "", onboard_date: date | None = None) -> dict[str, Any]:
    candidate: dict[str, Any] = {"cand_id": cand_id, "full_name": full_name}
    if mobile:
        candidate["mobile"] = mobile
    if pol_status is not None:
        candidate["pol_status"] = pol_status
    if party_org:
        candidate["party_org"] = party_org
    return {"event_type": "hire.onboarded", "req_id": req_id, "employer_code": employer_code, "job_title": job_title,
            "candidate": candidate, "onboard_date": (onboard_date or _today()).isoformat(),
            "occurred_at": _now_cst().isoformat()}


def fair(fair_code: str, fair_name: str, employer_code: str, *, jobs: int, resumes: int,
         fair_date: date | None = None) -> dict[str, Any]:
    return {"event_type": "fair.attended", "fair_code": fair_code, "fair_name": fair_name,
            "fair_date": (fair_date or _today()).isoformat(), "employer_code": employer_code, "jobs_posted": jobs,
            "resumes_collected": resumes, "occurred_at": _now_cst().isoformat()}


def intern(assignment_no: str, base_code: str, full_name: str, school: str, major: str = "", *,
           start_date: date | None = None, weeks: int = 8) -> dict[str, Any]:
    start = start_date or _today()
    return {"event_type": "intern.assigned", "assignment_no": assignment_no, "base_code": base_code,
            "student": {"full_name": full_name, "school": school, "major": major},
            "start_date": start.isoformat(), "end_date": (start + timedelta(weeks=weeks)).isoformat(),
            "occurred_at": _now_cst().isoformat()}


async def demo(rs: RecruitmentSystem, employer_code: str, *, prefix: str = "", base_code: str | None = None,
               unmapped_code: str | None = None) -> list[Sent]:
    """Realistic traffic, the awkward parts included; each `Sent` says what answer it expects."""
    run = prefix or uuid.uuid4().hex[:6].upper()
    member = hire(f"REQ-{run}-01", employer_code, "嵌入式软件工程师", cand_id=f"C-{run}-01", full_name="李明",
                  pol_status="01", party_org="洛阳理工学院计算机学院学生党支部", mobile="13800001234")
    first = await rs.send("a party member is hired (中共党员)", member)
    await rs.send("the same delivery again (network retry)", member, webhook_id=first.webhook_id)
    await rs.send("a hire who declared 群众", hire(f"REQ-{run}-02", employer_code, "测试工程师", cand_id=f"C-{run}-02",
                                                full_name="王芳", pol_status="13"))
    await rs.send("a probationary member (预备党员) without a declared party organization",
                  hire(f"REQ-{run}-03", employer_code, "产品经理", cand_id=f"C-{run}-03", full_name="陈静",
                       pol_status="02"))
    await rs.send("a hire by an employer nobody mapped yet (waits, then parks)",
                  hire(f"REQ-{run}-04", unmapped_code or f"9141{run}UNMAPPED", "销售代表", cand_id=f"C-{run}-04",
                       full_name="周强", pol_status="01", party_org="某县委组织部"))
    await rs.send("a talent fair", fair(f"JF-{run}", "高校毕业生双选会", employer_code, jobs=6, resumes=84))
    if base_code:
        await rs.send("an intern placed", intern(f"IA-{run}-01", base_code, "赵磊", "洛阳理工学院", "软件工程"))
    await rs.send("malformed body", b'{"event_type": "hire.onboarded", "req_id": ', expected=422)
    await rs.send("an unknown political-status code",
                  hire(f"REQ-{run}-05", employer_code, "会计", cand_id=f"C-{run}-05", full_name="孙丽",
                       pol_status="99"),
                  expected=422)
    await rs.send("wrong secret", member, expected=401,
                  secret="whsec_" + base64.b64encode(b"not the park's secret!!").decode())
    return rs.sent


async def run_scenario(client: httpx.AsyncClient, url: str, secret: str, scenario: str = "demo",
                       **options: Any) -> list[Sent]:
    rs = RecruitmentSystem(client, url, secret)
    if scenario == "demo":
        return await demo(rs, options["employer_code"], prefix=options.get("prefix", ""),
                          base_code=options.get("base_code"), unmapped_code=options.get("unmapped_code"))
    if scenario == "hire":
        await rs.send("a hire", hire(options.get("req_id") or f"REQ-{uuid.uuid4().hex[:8]}", options["employer_code"],
                                     options.get("job_title", "工程师"),
                                     cand_id=options.get("cand_id") or f"C-{uuid.uuid4().hex[:8]}",
                                     full_name=options.get("name", "李明"), pol_status=options.get("pol_status"),
                                     party_org=options.get("party_org", ""), mobile=options.get("mobile", "")))
        return rs.sent
    raise ValueError(f"unknown scenario {scenario!r}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="simulate_recruitment", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--url", required=True,
                        help="the enterprise-support service, e.g. http://127.0.0.1:8000/enterprise-support")
    parser.add_argument("--secret-file", required=True, type=Path)
    parser.add_argument("--scenario", choices=("demo", "hire"), default="demo")
    parser.add_argument("--employer-code", required=True, help="a mapped employer code, or an enterprise id")
    parser.add_argument("--base-code", help="an open internship base id (demo: also places an intern)")
    parser.add_argument("--name", default="李明")
    parser.add_argument("--pol-status", default=None, help='GB/T 4762 code: "01" 中共党员, "02" 预备党员, "13" 群众 …')
    parser.add_argument("--party-org", default="")
    parser.add_argument("--job-title", default="工程师")
    args = parser.parse_args(argv)
    secret = read_secret(args.secret_file)

    async def go() -> list[Sent]:
        async with httpx.AsyncClient(timeout=10) as client:
            return await run_scenario(client, args.url, secret, args.scenario, employer_code=args.employer_code,
                                      base_code=args.base_code, name=args.name, pol_status=args.pol_status,
                                      party_org=args.party_org, job_title=args.job_title)

    return report(asyncio.run(go()))


if __name__ == "__main__":
    sys.exit(main())
