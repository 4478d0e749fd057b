"""The webhook channel POSTs DingTalk/WeCom-style JSON to JIXIAO_WEBHOOK_URL over real HTTP (a
local server thread); a non-2xx answer or a robot's error code is a recorded failure."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from jixiao.supervision.models import Delivery
from jixiao.supervision.services.reminders import reminders_run


class Robot:
    """A group-chat robot: records what it receives, answers as told."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str, dict[str, Any]]] = []
        self.status = 200
        self.answer: dict[str, Any] = {"errcode": 0, "errmsg": "ok"}


@pytest.fixture
def robot() -> Iterator[tuple[Robot, str]]:
    state = Robot()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append((self.path, self.headers["Content-Type"], json.loads(body)))
            out = json.dumps(state.answer).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _use(settings: Any, base: str) -> None:
    settings.JIXIAO_NOTIFY_CHANNELS = ["inapp", "webhook"]
    settings.JIXIAO_WEBHOOK_URL = f"{base}/robot/send?access_token=secret-token"


def test_webhook_receives_the_notice_as_json(sv: Any, settings: Any, robot: tuple[Robot, str]) -> None:
    state, base = robot
    _use(settings, base)
    summary = reminders_run()  # west_task yellow
    assert (summary.sent, summary.failed) == (1, 0)
    [(path, ctype, payload)] = state.received
    assert path == "/robot/send?access_token=secret-token" and ctype.startswith("application/json")
    assert payload["msgtype"] == "text"
    content = payload["text"]["content"]
    assert "催办通知单（第1次）" in content and "整治道路扬尘" in content and "办结时限：2026-03-04" in content
    hook = Delivery.objects.get(channel="webhook")
    assert hook.recipient is None and hook.status == "sent"
    assert hook.address == base.removeprefix("http://") and "secret" not in hook.address  # the token is not shown


@pytest.mark.parametrize(("status", "answer", "error"), [
    (500, {"errcode": 0}, "HTTP 500"),
    (200, {"errcode": 310000, "errmsg": "keywords not in content"}, "310000"),
])
def test_refused_webhook_is_a_failure(sv: Any, settings: Any, robot: tuple[Robot, str], status: int,
                                      answer: dict[str, Any], error: str) -> None:
    state, base = robot
    state.status, state.answer = status, answer
    _use(settings, base)
    summary = reminders_run()
    hook = Delivery.objects.get(channel="webhook")
    assert (summary.sent, summary.failed) == (0, 1)
    assert hook.status == "failed" and hook.attempts == 1 and error in hook.last_error


def test_unreachable_webhook_is_a_failure(sv: Any, settings: Any) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _use(settings, f"http://127.0.0.1:{port}")
    reminders_run()
    hook = Delivery.objects.get(channel="webhook")
    assert hook.status == "failed" and "无法连接" in hook.last_error
