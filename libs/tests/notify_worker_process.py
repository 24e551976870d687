"""A notification worker as its own process, for the test that kills it mid-send:
`python notify_worker_process.py DSN SMS_URL LEASE_SECONDS`."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).parent))

from notify_support import CATALOGUE  # noqa: E402

from redpark_platform.clock import SystemClock  # noqa: E402
from redpark_platform.db import create_pool  # noqa: E402
from redpark_platform.notifications.channels import NotifySettings, SmsSettings  # noqa: E402
from redpark_platform.notifications.sms import AliyunSms  # noqa: E402
from redpark_platform.notifications.standins import LOCAL_KEY_ID, LOCAL_KEY_SECRET  # noqa: E402
from redpark_platform.notifications.worker import NotificationWorker  # noqa: E402


def sms_settings(url: str) -> SmsSettings:
    return SmsSettings(provider="aliyun", endpoint=url, access_key_id=LOCAL_KEY_ID,
                       access_key_secret=LOCAL_KEY_SECRET, sign_name="测试园区", region="cn-hangzhou")


def worker(pool: object, url: str, lease: float) -> NotificationWorker:
    settings = NotifySettings(park_name="测试园区", sms=sms_settings(url))
    return NotificationWorker(pool, CATALOGUE, {"sms": AliyunSms(settings.sms)},  # type: ignore[arg-type,dict-item]
                              settings, SystemClock(), ZoneInfo("Asia/Shanghai"), lease_seconds=lease,
                              poll_interval=0.05)


async def main(dsn: str, url: str, lease: float) -> None:
    pool = await create_pool(dsn, min_size=1, max_size=4)
    w = worker(pool, url, lease)
    w.start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3])))
