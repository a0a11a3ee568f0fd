"""The dashboard's HTTP server: uvicorn, with two guards it lacks.

uvicorn bounds idle keep-alive connections but not a connection that opens and
then sends its request headers slowly or never (a "slowloris" client): 20,000
such connections held every descriptor of the server for 40 s in a test. The
protocol here, uvicorn's own httptools protocol with two additions, closes

- a connection whose request headers are not complete within
  ``Settings.header_timeout`` seconds of its first byte (or of the connection);
- a new connection beyond ``Settings.max_connections`` open at once, at once.

uvicorn takes the protocol class through its documented ``http`` setting.
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from powerbalance.interfaces.web.security import Settings


def guarded_protocol(*, header_timeout: float, max_connections: int) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol with a header-read timeout and a connection cap."""

    class GuardedHttpToolsProtocol(HttpToolsProtocol):
        _header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > max_connections:
                transport.abort()
                return
            self._start_header_timer()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._start_header_timer()

        def on_headers_complete(self) -> None:
            self._stop_header_timer()
            super().on_headers_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_header_timer()
            super().connection_lost(exc)

        def _start_header_timer(self) -> None:
            self._stop_header_timer()
            self._header_timer = self.loop.call_later(header_timeout, self._headers_too_slow)

        def _stop_header_timer(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            if not self.transport.is_closing():
                self.transport.abort()

    return GuardedHttpToolsProtocol


def config(app: Any, settings: Settings) -> uvicorn.Config:
    """The uvicorn configuration of a dashboard served with ``settings``."""
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        http=guarded_protocol(
            header_timeout=settings.header_timeout, max_connections=settings.max_connections
        ),
        log_level="warning",
        access_log=False,
        timeout_keep_alive=5,
    )


def run(app: Any, settings: Settings) -> None:
    """Serve ``app`` until interrupted (Ctrl-C or SIGTERM)."""
    uvicorn.Server(config(app, settings)).run()
