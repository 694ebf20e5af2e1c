"""A notification channel's robot URL (it carries the robot's key) and signing secret, read raw
from the database without the platform's key: neither is there in clear."""

from __future__ import annotations

from sqlalchemy import text

from backend.platform.db.notify_models import NotificationChannel
from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services.notify.channels import create_channel

from .conftest import COMMUNITY

ROBOT = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=robot-key-4f1c"
SECRET = "sign-secret-9a7e"


def test_channel_secrets_are_sealed_at_rest_and_open_for_the_platform(runtime: PlatformRuntime) -> None:
    with write_transaction(runtime.db) as session:
        channel = create_channel(session, staff_org="460100", by="t", now=runtime.clock.now(), name="值班群",
                                 kind="wecom", target=ROBOT, secret=SECRET, area_code=COMMUNITY,
                                 min_severity="warning")
        channel_id = channel.id
    with runtime.engine.connect() as raw:
        stored = " ".join(str(v) for row in raw.execute(text("SELECT * FROM notification_channels"))
                          for v in row)
    assert "robot-key-4f1c" not in stored and SECRET not in stored
    with runtime.db() as session:  # the platform, holding the key, reads them back
        found = session.get(NotificationChannel, channel_id)
        assert found is not None and (found.target, found.secret) == (ROBOT, SECRET)
