"""An emergency notice's picture at the platform: a JPEG or PNG of at most 300 kB that Pillow
decodes, re-encoded as a JPEG of at most 1024 px without metadata; anything else is refused with
emergency.bad_notice_image. Switched on through the staff API, the picture rides with the notice
in the change the stations pull, and staff listings say ``has_image`` instead of the bytes."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from backend.platform.api.deps import Visibility
from backend.platform.api.routes import emergency as api
from backend.platform.db.area_models import ChangeRecord
from backend.platform.runtime import PlatformRuntime
from backend.platform.services.auth import Staff
from backend.platform.services.volunteers import notice_image
from backend.shared.errors import AppError
from backend.shared.volunteers.notice_image import IMAGE_KEY, image_of

from .conftest import COMMUNITY

BAD = "emergency.bad_notice_image"


def picture(fmt: str = "PNG", size: tuple[int, int] = (1600, 900), **save: object) -> bytes:
    image = Image.new("RGBA" if fmt == "PNG" else "RGB", size, (30, 120, 200, 255))
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (19.0, 58.0, 0.0)}  # GPS latitude
    return picture("JPEG", (640, 480), exif=exif.tobytes(), comment=b"secret note")


def test_a_png_becomes_a_jpeg_of_at_most_1024_px_without_metadata() -> None:
    cleaned = notice_image.clean(picture())
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG" and max(image.size) == 1024
    photo = notice_image.clean(with_exif())
    with Image.open(io.BytesIO(photo)) as image:
        assert image.size == (640, 480) and not image.getexif() and "comment" not in image.info
    assert b"PhoneMaker" not in photo and b"secret note" not in photo


@pytest.mark.parametrize("data", [
    b"GIF89a" + b"\0" * 64,  # not a JPEG or PNG by its first bytes
    b"\x89PNG\r\n\x1a\n" + b"not really a png",  # the magic, then nothing Pillow can read
    b"\xff\xd8\xff" + b"\0" * (notice_image.RULES.max_input + 1),  # over 300 kB
    b"",
])
def test_anything_else_is_refused_with_the_code(data: bytes) -> None:
    with pytest.raises(AppError) as caught:
        notice_image.clean(data)
    assert caught.value.code == BAD and caught.value.status == 422
    assert caught.value.spec.zh and caught.value.spec.en


def _switch(runtime: PlatformRuntime, image: str) -> dict[str, object]:
    user = Visibility(Staff(1, "admin", "admin", COMMUNITY[:6]), [COMMUNITY])
    notice = api.Notice(title={"zh": "物资发放点"}, body={"zh": "见地图"}, image_base64=image)
    body = api.SwitchOn(community_code=COMMUNITY, scope="community", reason="台风",
                        message={"zh": "全社区应急"}, notices=[notice, api.Notice(title={"zh": "无图"})])
    return api.switch_on(body, user, runtime)


def test_the_staff_api_keeps_a_checked_picture_and_the_stations_get_it(runtime: PlatformRuntime) -> None:
    for bad in ("not base64!", base64.b64encode(b"GIF89a....").decode()):
        with pytest.raises(AppError) as caught:
            _switch(runtime, bad)
        assert caught.value.code == BAD
    mode = _switch(runtime, base64.b64encode(with_exif()).decode())
    notices = mode["notices"]
    assert isinstance(notices, list)
    assert [n["has_image"] for n in notices] == [True, False] and IMAGE_KEY not in notices[0]
    with runtime.db() as session:
        change = session.query(ChangeRecord).filter_by(key=mode["id"]).one()
    sent = image_of(change.payload["notices"][0])
    assert sent is not None and b"PhoneMaker" not in sent
    assert image_of(change.payload["notices"][1]) is None
