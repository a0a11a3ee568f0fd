"""The dashboard server's guards: host names off loopback, slow headers, connection cap, JSON depth."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from fastapi.testclient import TestClient

from powerbalance.interfaces.cli.main import main
from powerbalance.interfaces.web import server
from powerbalance.interfaces.web.app import create_app
from powerbalance.interfaces.web.security import InsecureBinding, Settings


def test_wildcard_bind_needs_allowed_hosts():
    with pytest.raises(InsecureBinding, match="--allowed-host"):
        Settings(host="0.0.0.0")
    with pytest.raises(InsecureBinding):
        Settings(host="::")
    assert Settings(host="0.0.0.0", allowed_hosts=["example.org"]).allowed_hosts == ["example.org"]
    assert Settings(host="192.0.2.10").allowed_hosts == ["192.0.2.10"]


def test_serve_on_every_address_without_allowed_host_is_refused(web_store, capsys):
    rc = main(["--store", str(web_store), "serve", "--host", "0.0.0.0"])
    err = capsys.readouterr().err
    assert rc == 2 and "--allowed-host" in err and "Traceback" not in err


def test_serve_refuses_an_unknown_language(web_store, capsys):
    assert main(["--store", str(web_store), "serve", "--lang", "fr"]) == 2
    assert "en (English) or sv (Swedish)" in capsys.readouterr().err


def test_host_header_is_checked_off_loopback(web_store):
    settings = Settings(store_path=web_store, host="0.0.0.0", allowed_hosts=["192.0.2.10"])
    with TestClient(create_app(settings), base_url="http://192.0.2.10:8000") as client:
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/health", headers={"host": "evil.example"}).status_code == 400


def test_deeply_nested_json_is_refused_not_a_server_error(writable_client, token):
    body = b"[" * 200_000
    r = writable_client.post(
        "/api/claims",
        content=body,
        headers={"Authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    assert r.status_code == 400
    assert "nested deeper" in r.text
    # an ordinary body still passes the guard (and is judged on its content)
    r = writable_client.post(
        "/api/claims", json={"id": "x"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code in (400, 422)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _running(settings: Settings) -> Iterator[int]:
    app = create_app(settings)
    srv = uvicorn.Server(server.config(app, settings))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started
    try:
        yield settings.port
    finally:
        srv.should_exit = True
        thread.join(timeout=30)


def _closed_by_server(sock: socket.socket, within: float) -> bool:
    sock.settimeout(within)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def _get(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


def test_slow_headers_are_cut_and_the_connection_cap_holds(web_store):
    settings = Settings(
        store_path=web_store, port=_free_port(), header_timeout=1.0, max_connections=8
    )
    with _running(settings) as port:
        held = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(8)]
        held[0].sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
        # beyond the cap, a connection is closed at once
        extra = socket.create_connection(("127.0.0.1", port), timeout=5)
        assert _closed_by_server(extra, within=2.0)
        extra.close()
        # the held connections, silent or half-sent, are closed after the header timeout
        start = time.monotonic()
        assert all(_closed_by_server(s, within=5.0) for s in held)
        assert time.monotonic() - start < 4.0
        for s in held:
            s.close()
        # and the server serves again
        assert _get(port).startswith(b"HTTP/1.1 200")
