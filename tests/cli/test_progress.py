"""Progress off a terminal: a line every few seconds, and a last one only when it is new."""

from __future__ import annotations

import time

from powerbalance.interfaces.cli import _common
from powerbalance.interfaces.cli._common import ProgressReporter


def test_lines_off_a_terminal(capsys):
    assert not _common.err_console.is_terminal  # pytest captures standard error
    with ProgressReporter("draws", every=0.05) as bar:
        for done in range(0, 5_001, 1_000):
            bar.update(done, 5_000)
            time.sleep(0.03)
    lines = [line for line in capsys.readouterr().err.splitlines() if line]
    assert 1 <= len(lines) <= 6
    assert all(line.startswith("draws: ") for line in lines)
    assert lines[-1].startswith("draws: 5,000/5,000 (100%)")
    assert len(set(lines)) == len(lines)


def test_quick_work_prints_nothing(capsys):
    with ProgressReporter("draws", every=5) as bar:
        bar.update(1, 1)
    assert capsys.readouterr().err == ""


def test_disabled_prints_nothing(capsys):
    with ProgressReporter("draws", every=0.01, enabled=False) as bar:
        time.sleep(0.03)
        bar.update(1, 2)
    assert capsys.readouterr().err == ""
