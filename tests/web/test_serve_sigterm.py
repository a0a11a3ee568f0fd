"""Stopping the dashboard with SIGTERM ends the worker processes of its scenario jobs."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TOKEN = "sigterm-test-token-0123456789"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> set[int]:
    """Every descendant of ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split())[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _request(port: int, path: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def test_sigterm_ends_the_workers(web_store):
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "powerbalance.interfaces.cli.main",
            "--store",
            str(web_store),
            "serve",
            "--port",
            str(port),
            "--write-token",
            TOKEN,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _request(port, "/api/health")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.2)
        job = _request(
            port, "/api/scenarios/run", {"name": "reverse-kissinger", "draws": 200_000, "seed": 1}
        )
        deadline = time.monotonic() + 90
        while not _children(server.pid):
            assert time.monotonic() < deadline, "no worker process started"
            time.sleep(0.2)
        time.sleep(1.0)  # the worker is computing
        assert _request(port, f"/api/jobs/{job['id']}?result=0")["status"] == "running"
        workers = _children(server.pid)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        deadline = time.monotonic() + 20
        while any(_alive(pid) for pid in workers):
            assert time.monotonic() < deadline, "workers outlived the server"
            time.sleep(0.2)
    finally:
        if server.poll() is None:
            server.kill()
        for pid in _children(server.pid):
            os.kill(pid, signal.SIGKILL)
