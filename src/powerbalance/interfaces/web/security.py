"""The dashboard's defences: write token, CSRF tokens, body limits, headers, host check.

- The server is read-only unless started with a write token; every write
  (a form post or an API call) must prove it knows the token: the API by an
  ``Authorization: Bearer TOKEN`` header, a browser by the ``pb_write``
  cookie it receives after typing the token once on ``/unlock``.
- Cookie-authenticated writes also carry a CSRF token tied to the browser's
  session cookie (a keyed hash, compared in constant time) and, when the
  browser sends one, an ``Origin`` equal to the server's own.
- Request bodies larger than the configured limit are refused with 413
  before they are read into memory.
- Every response carries a Content-Security-Policy that allows scripts only
  from the server itself, so stored text can never run as script even if a
  template forgot to escape it (they all escape).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from powerbalance.errors import UserError

SESSION_COOKIE = "pb_session"
WRITE_COOKIE = "pb_write"
LANG_COOKIE = "pb_lang"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


class InsecureBinding(UserError):
    """The server was asked to listen beyond this machine in a way that is not safe."""


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine.

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    """True when ``host`` listens on every address of the machine (``0.0.0.0``, ``::``).

    Examples
    --------
    >>> is_wildcard("0.0.0.0"), is_wildcard("::"), is_wildcard("192.0.2.10")
    (True, True, False)
    """
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return host == ""


@dataclass
class Settings:
    """How one dashboard server runs.

    ``write_token`` None means read-only. ``allowed_hosts`` limits the Host
    header (a defence against DNS rebinding); on loopback it defaults to the
    loopback names.
    """

    store_path: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    write_token: str | None = None
    max_body_bytes: int = 1_000_000
    max_upload_bytes: int = 256_000
    max_json_depth: int = 64
    header_timeout: float = 10.0
    max_connections: int = 512
    allowed_hosts: list[str] | None = None
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    default_lang: str = "en"
    events_file: Path | None = (
        None  # an aggregated event series, chosen by whoever starts the server
    )

    def __post_init__(self) -> None:
        if self.write_token is not None and len(self.write_token) < 12:
            raise InsecureBinding(
                "the write token is too short: use at least 12 characters "
                "(or pass --writable to have one generated)"
            )
        if self.allowed_hosts is None:
            if is_loopback(self.host):
                self.allowed_hosts = sorted(LOOPBACK_NAMES | {self.host})
            elif is_wildcard(self.host):
                raise InsecureBinding(
                    f"listening on {self.host} accepts requests for any host name; name the "
                    "host names or addresses clients use with --allowed-host NAME (repeatable)"
                )
            else:
                self.allowed_hosts = [self.host]

    @property
    def writable(self) -> bool:
        return self.write_token is not None

    def mac(self, purpose: str, value: str) -> str:
        """A keyed hash of ``value`` for ``purpose`` (cookies and CSRF tokens)."""
        msg = f"{purpose}\x00{value}".encode()
        return hmac.new(self.secret, msg, hashlib.sha256).hexdigest()

    def write_cookie_value(self) -> str:
        assert self.write_token is not None
        return self.mac("write", self.write_token)

    def csrf_token(self, session: str) -> str:
        return self.mac("csrf", session)

    def token_matches(self, candidate: str | None) -> bool:
        if self.write_token is None or not candidate:
            return False
        return hmac.compare_digest(candidate.encode(), self.write_token.encode())

    def write_cookie_ok(self, cookie: str | None) -> bool:
        if self.write_token is None or not cookie:
            return False
        return hmac.compare_digest(cookie, self.write_cookie_value())

    def csrf_ok(self, session: str | None, token: str | None) -> bool:
        if not session or not token:
            return False
        return hmac.compare_digest(token, self.csrf_token(session))


def new_token() -> str:
    """A fresh random write token (printed by ``powerbalance serve --writable``)."""
    return secrets.token_urlsafe(24)


def bearer(headers: Headers) -> str | None:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return None


def same_origin(headers: Headers) -> bool:
    """False only when the browser says the request comes from another site."""
    origin = headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    host = headers.get("host", "")
    return origin.split("://", 1)[-1] == host


class BodyLimit:
    """Refuse request bodies above ``limit`` bytes (413), whether announced or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None:
            try:
                too_big = int(length) > self.limit
            except ValueError:
                too_big = True
            if too_big:
                await _too_large(self.limit)(scope, receive, send)
                return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _too_large(self.limit)(scope, receive, send)


class JsonDepthLimit:
    """Refuse JSON bodies nested deeper than ``limit`` levels (400), before any parser sees them.

    Python's JSON parser recurses once per level: a body of 200,000 ``[`` ended in
    a ``RecursionError`` (a 500). The body is already bounded by :class:`BodyLimit`,
    so reading it whole here costs at most that many bytes.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        content_type = (
            Headers(scope=scope).get("content-type", "") if scope["type"] == "http" else ""
        )
        if "json" not in content_type:
            await self.app(scope, receive, send)
            return
        chunks = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if json_depth(body) > self.limit:
            response = PlainTextResponse(
                f"JSON nested deeper than {self.limit} levels", status_code=400
            )
            await response(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_depth(body: bytes) -> int:
    r"""The deepest nesting of arrays and objects in a JSON text (strings skipped).

    Examples
    --------
    >>> json_depth(b'{"a": [1, {"b": "[[[ \\\\"}]}'), json_depth(b"[" * 5), json_depth(b"3")
    (3, 5, 0)
    """
    depth = deepest = 0
    for byte in _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS):
        if byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class _BodyTooLarge(Exception):
    pass


def _too_large(limit: int) -> PlainTextResponse:
    return PlainTextResponse(f"request body too large: the limit is {limit} bytes", status_code=413)


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class SecurityHeaders:
    """Add CSP and the usual hardening headers to every HTTP response."""

    HEADERS: ClassVar[list[tuple[bytes, bytes]]] = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = list(message.get("headers", []))
                names = {h[0].lower() for h in headers}
                headers.extend(h for h in self.HEADERS if h[0] not in names)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def write_denied(
    settings: Settings, headers: Headers, cookies: dict[str, str], csrf: str | None
) -> str | None:
    """Why a write must be refused, or None when it may proceed.

    A valid bearer token is enough (API clients). Otherwise the browser must
    hold the write cookie, send the CSRF token of its session, and not come
    from another origin.
    """
    if not settings.writable:
        return (
            "this server is read-only: restart it with `powerbalance serve --writable` "
            "(or --write-token TOKEN) to allow writes"
        )
    if settings.token_matches(bearer(headers)):
        return None
    if not same_origin(headers):
        return "cross-site request refused"
    if not settings.csrf_ok(cookies.get(SESSION_COOKIE), csrf):
        return "missing or stale form token: reload the page and submit again"
    if not settings.write_cookie_ok(cookies.get(WRITE_COOKIE)):
        return "writes need the write token: enter it on the /unlock page first"
    return None
