"""The kiosk camera's photo for a request (a fresh station: no picture seen yet)."""

from __future__ import annotations

import base64
import io
import json
import time

from PIL import Image
from websockets.sync.client import connect

from support.stack import Simulators, Station


def test_the_camera_takes_a_photo_of_what_it_sees(running_station: Station, sims: Simulators) -> None:
    with running_station.client() as client:
        none_yet = client.post("/api/camera/photo")
        assert none_yet.status_code == 503 and none_yet.json()["code"] == "camera.not_responding"
        assert "without a photo" in none_yet.json()["message"]["en"]
        with connect(running_station.url.replace("http", "ws") + "/ws/events", open_timeout=10,
                     additional_headers=running_station.auth.header()) as ws:
            sims.call("POST", "/devices/camera/show", {"text": "a pothole by building 3"})
            deadline = time.monotonic() + 10
            while json.loads(ws.recv(timeout=10)).get("data", {}).get("source") != "camera":
                assert time.monotonic() < deadline, "the camera saw nothing"
        photo = client.post("/api/camera/photo").json()
    with Image.open(io.BytesIO(base64.b64decode(photo["jpeg_base64"]))) as image:
        assert image.format == "JPEG" and image.size == (640, 480)
