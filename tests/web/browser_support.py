"""What the browser tests share: Debian's Chromium through Playwright, a real server, artifacts.

Importing this module skips the importing test module when Playwright is not
installed (a test extra); the marks skip it when Chromium is absent.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
MARKS = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"
    ),
]
sync_api = pytest.importorskip("playwright.sync_api")
import uvicorn  # noqa: E402  (a core dependency)

from powerbalance.interfaces.web.app import create_app  # noqa: E402
from powerbalance.interfaces.web.security import Settings  # noqa: E402

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def artifacts_dir(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """``$POWERBALANCE_TEST_ARTIFACTS/web`` when set, else a temporary folder."""
    root = os.environ.get("POWERBALANCE_TEST_ARTIFACTS")
    path = Path(root) / "web" if root else tmp_path_factory.mktemp(name)
    path.mkdir(parents=True, exist_ok=True)
    print(f"screenshots in {path}")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(store: Path, token: str) -> Iterator[str]:
    """A real uvicorn server on loopback, writable with ``token``; yields its address."""
    port = _free_port()
    app = create_app(Settings(store_path=store, port=port, write_token=token))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[object]:
    """Headless Chromium, closed on exit."""
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()
