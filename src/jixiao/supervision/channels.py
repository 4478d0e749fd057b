"""Delivery channels (送达渠道) of reminder notices: in-app, e-mail, a group-chat webhook.

A channel is a small class with a ``name`` and ``send(message)`` that returns when the message
is out and raises :class:`DeliveryFailed` with a readable reason when it is not; the delivery
service records either outcome. Adding SMS means one more subclass and one ``register`` call.

``settings.JIXIAO_NOTIFY_CHANNELS`` names the channels in use; an unknown name fails early with
``ImproperlyConfigured`` (and ``manage.py check`` reports it, see ``checks.py``).
"""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

WEBHOOK_TIMEOUT = 10  # seconds; a chat server that does not answer must not hold the daily job


class DeliveryFailed(Exception):
    """The channel could not deliver the message; ``str(e)`` says why (stored on the delivery)."""


@dataclass(frozen=True)
class DeliveryMessage:
    """What one delivery carries: a subject and a body in Chinese, and where it goes."""

    subject: str
    body: str
    address: str  # an e-mail address for e-mail; empty for in-app and webhook
    recipient: str  # the recipient's display name (empty for a group webhook)


@dataclass(frozen=True)
class Recipient:
    """A user a notice goes to, as the channels need him."""

    user_id: int
    name: str
    email: str


class Channel(ABC):
    """A way to deliver a notice. ``per_recipient`` channels get one delivery per recipient (the
    address from :meth:`address_for`); the others one per notice (a group chat). An ``immediate``
    channel has nothing to send: its delivery is recorded as sent when the notice is issued.
    A message carries up to ``digest_max`` notices for the same recipient (a digest)."""

    name: ClassVar[str]
    label: ClassVar[str]
    per_recipient: ClassVar[bool] = True
    immediate: ClassVar[bool] = False
    digest_max: ClassVar[int] = 1  # deliveries (notices) one message may carry

    def address_for(self, recipient: Recipient) -> str | None:
        """The address to use for this recipient; ``None`` when he cannot be reached this way."""
        return ""

    def group_address(self) -> str:
        """What to show as the address of a per-notice delivery (never a secret)."""
        return ""

    @abstractmethod
    def send(self, message: DeliveryMessage) -> None:
        """Deliver, or raise :class:`DeliveryFailed`."""

    def close(self) -> None:  # noqa: B027 - optional hook: most channels hold nothing open
        """Release what a run of sends held open (an SMTP connection)."""


class InAppChannel(Channel):
    """站内: the notice itself is the inbox item, so there is nothing to transmit."""

    name = "inapp"
    label = "站内通知"
    immediate = True

    def send(self, message: DeliveryMessage) -> None:
        return None


class EmailChannel(Channel):
    """电子邮件: through Django's mail backend (SMTP from the ``JIXIAO_EMAIL_*`` settings). One
    connection is opened for a run of sends and closed by :meth:`close`."""

    name = "email"
    label = "电子邮件"
    digest_max = 50

    def __init__(self) -> None:
        self._connection: Any = None

    def address_for(self, recipient: Recipient) -> str | None:
        return recipient.email.strip() or None

    def send(self, message: DeliveryMessage) -> None:
        if not message.address:
            raise DeliveryFailed("收件人没有电子邮箱地址")
        try:
            if self._connection is None:
                self._connection = mail.get_connection(fail_silently=False)
            sent = mail.EmailMessage(subject=message.subject, body=message.body, to=[message.address],
                                     connection=self._connection).send(fail_silently=False)
        except Exception as e:  # any backend error (SMTP refusal, network, bad address) is this delivery's failure
            self._drop()
            raise DeliveryFailed(f"邮件发送失败：{type(e).__name__}: {e}"[:480]) from e
        if not sent:
            raise DeliveryFailed("邮件服务器未接受该邮件")

    def _drop(self) -> None:
        conn, self._connection = self._connection, None
        if conn is not None:
            with contextlib.suppress(Exception):  # a broken connection may fail to close too; dropped either way
                conn.close()

    def close(self) -> None:
        self._drop()


class WebhookChannel(Channel):
    """群机器人: a DingTalk/WeCom-style webhook, one message per notice to the group chat
    (``{"msgtype": "text", "text": {"content": ...}}`` POSTed as JSON to
    ``settings.JIXIAO_WEBHOOK_URL``)."""

    name = "webhook"
    label = "群机器人"
    per_recipient = False
    digest_max = 20  # DingTalk takes ~20 KB of text per message and ~20 messages a minute

    def group_address(self) -> str:
        # The URL usually carries the robot's access token: show only its host.
        return urlsplit(settings.JIXIAO_WEBHOOK_URL).netloc

    def send(self, message: DeliveryMessage) -> None:
        url = settings.JIXIAO_WEBHOOK_URL
        if not url:
            raise DeliveryFailed("未配置 JIXIAO_WEBHOOK_URL")
        body = json.dumps({"msgtype": "text", "text": {"content": f"{message.subject}\n{message.body}"}},
                          ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:
                status = response.status
                answer = response.read(2000)
        except urllib.error.HTTPError as e:
            raise DeliveryFailed(f"群机器人返回 HTTP {e.code}") from e
        except (urllib.error.URLError, OSError) as e:
            raise DeliveryFailed(f"群机器人无法连接：{e}"[:480]) from e
        if not 200 <= status < 300:
            raise DeliveryFailed(f"群机器人返回 HTTP {status}")
        _check_answer(answer)


def _check_answer(answer: bytes) -> None:
    """DingTalk and WeCom answer 200 with ``{"errcode": N, "errmsg": ...}``; a non-zero code is a
    refusal (bad token, rate limit) even though the HTTP status says OK."""
    try:
        data = json.loads(answer.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return
    if isinstance(data, dict) and data.get("errcode") not in (None, 0):
        raise DeliveryFailed(f"群机器人拒绝：{data.get('errcode')} {data.get('errmsg', '')}"[:480])


REGISTRY: dict[str, type[Channel]] = {}


def register(cls: type[Channel]) -> type[Channel]:
    """Make a channel available to ``JIXIAO_NOTIFY_CHANNELS`` under its ``name``."""
    REGISTRY[cls.name] = cls
    return cls


for _cls in (InAppChannel, EmailChannel, WebhookChannel):
    register(_cls)


def configuration_problems() -> list[str]:
    """What is wrong with the channel settings (empty when nothing is)."""
    names = list(settings.JIXIAO_NOTIFY_CHANNELS)
    problems = [f"JIXIAO_NOTIFY_CHANNELS 含未知的送达渠道“{n}”；可用：{', '.join(sorted(REGISTRY))}"
                for n in names if n not in REGISTRY]
    if "webhook" in names and not settings.JIXIAO_WEBHOOK_URL:
        problems.append("JIXIAO_NOTIFY_CHANNELS 含 webhook，但未配置 JIXIAO_WEBHOOK_URL")
    return problems


def channels_configured() -> list[Channel]:
    """The channels named in ``JIXIAO_NOTIFY_CHANNELS``, in order, without repeats."""
    problems = configuration_problems()
    if problems:
        raise ImproperlyConfigured("；".join(problems))
    return [REGISTRY[n]() for n in dict.fromkeys(settings.JIXIAO_NOTIFY_CHANNELS)]


def channel_get(name: str) -> Channel:
    """A fresh instance of the named channel (a delivery recorded under a channel since removed
    from the settings is still sent through it)."""
    try:
        return REGISTRY[name]()
    except KeyError:
        raise DeliveryFailed(f"未知的送达渠道“{name}”") from None
