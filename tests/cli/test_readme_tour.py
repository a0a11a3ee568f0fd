"""The README's tour, run line by line as a newcomer would after the first command.

Each command of the tour's code block runs in one shell, in the order shown, in
an empty folder with a fresh store. A line that reads a public dataset says so
(``# needs: ID, ...``); the test gives it the copy in ``../shared/data`` and
skips that line alone when the copy is absent. ``powerbalance serve`` is started
on a free port, asked for its front page and stopped.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from powerbalance.datasets.registry import DataSources

from ..conftest import REPO, shared_data_dir

pytestmark = pytest.mark.slow


def tour_lines(readme: str) -> list[tuple[str, list[str]]]:
    """The commands of the tour's bash block, each with the datasets it needs."""
    tour = readme[readme.index("## A short tour") :]
    start = tour.index("```bash") + len("```bash")
    block = tour[start : tour.index("```", start)]
    lines = []
    for raw in block.splitlines():
        raw = raw.strip()
        if not raw or raw.startswith("#"):
            continue
        command, *comment = (part.strip() for part in re.split(r"\s{2,}#", raw, maxsplit=1))
        needs = re.search(r"needs:\s*([\w\-, ]+)", comment[0] if comment else "")
        lines.append((command, [n.strip() for n in needs.group(1).split(",")] if needs else []))
    return lines


TOUR = tour_lines((REPO / "README.md").read_text(encoding="utf-8"))


def test_tour_is_found():
    assert len(TOUR) >= 20
    assert TOUR[0][0] == "powerbalance assess"
    assert any(c.startswith("powerbalance serve") for c, _ in TOUR)


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An empty folder, a fresh store and the installed command on the PATH."""
    folder = tmp_path_factory.mktemp("tour")
    env = dict(os.environ)
    env["POWERBALANCE_STORE"] = str(folder / "store.duckdb")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["COLUMNS"] = "100"
    env.pop("POWERBALANCE_STORE_TIMEOUT", None)
    return {"cwd": str(folder), **{f"env:{k}": v for k, v in env.items()}}


def _env(newcomer: dict[str, str]) -> dict[str, str]:
    return {k[4:]: v for k, v in newcomer.items() if k.startswith("env:")}


def _with_downloads(command: str, needs: list[str]) -> str:
    """Point the tour's ``~/Downloads`` at the shared copies of the datasets it names."""
    data = shared_data_dir()
    if data is None:
        pytest.skip(f"needs {', '.join(needs)} from ../shared/data, which is absent")
    sources = DataSources(data_dir=data)
    words = shlex.split(command)
    if words[1:3] == ["data", "add"]:
        found = sources.path(words[3])
        if found is None:
            pytest.skip(f"{words[3]} is absent from ../shared/data")
        words[4] = str(found)
    for i, w in enumerate(words):
        if w == "~/Downloads":
            words[i] = str(data)
    return shlex.join(words)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(command: str, newcomer: dict[str, str]) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [*shlex.split(command), "--port", str(port)],
        cwd=newcomer["cwd"],
        env=_env(newcomer),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    status = r.status
                    page = r.read().decode("utf-8")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        assert status == 200, f"the dashboard did not answer: {proc.poll()=}"
        assert "powerbalance" in page
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
    assert "Traceback" not in err, err


@pytest.mark.parametrize(("command", "needs"), TOUR, ids=[c[:60] for c, _ in TOUR])
def test_tour_line(command: str, needs: list[str], newcomer: dict[str, str]) -> None:
    if needs:
        command = _with_downloads(command, needs)
    if shlex.split(command)[:2] == ["powerbalance", "serve"]:
        _serve(command, newcomer)
        return
    done = subprocess.run(
        command,
        shell=True,
        cwd=newcomer["cwd"],
        env=_env(newcomer),
        capture_output=True,
        text=True,
        timeout=600,
        executable="/bin/bash",
    )
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr
    if " --json" in command:
        json.loads(done.stdout)
