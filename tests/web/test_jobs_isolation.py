"""A failed dashboard job fails alone; the worker pool keeps serving; workers end with the server."""

from __future__ import annotations

import sys
import textwrap
import time
from pathlib import Path

import pytest

from powerbalance.datasets.edgelist import EdgeListError
from powerbalance.interfaces.web.jobs import Jobs, WorkerFailed

WORKERS = textwrap.dedent(
    """
    import os
    import time


    def square(x, progress=None):
        progress(1, 1)
        return x * x


    def die(progress=None):
        os._exit(3)


    def sleep(seconds, progress=None):
        progress(0, 1)
        time.sleep(seconds)


    def read_edges(path, progress=None):
        from powerbalance.datasets.edgelist import read_edge_list

        return read_edge_list(path)
    """
)


@pytest.fixture
def workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A module of job functions the spawned worker processes can import."""
    (tmp_path / "pb_test_workers.py").write_text(WORKERS)
    monkeypatch.syspath_prepend(str(tmp_path))
    import pb_test_workers

    yield pb_test_workers
    sys.modules.pop("pb_test_workers", None)


def _ended(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        state = next(line for line in status.read_text().splitlines() if line.startswith("State"))
    except (FileNotFoundError, ProcessLookupError):
        return True
    return "Z" in state.split(":", 1)[1]


def test_an_error_with_its_own_constructor_comes_back_and_the_pool_serves_on(workers, tmp_path):
    jobs = Jobs(workers=1)
    try:
        with pytest.raises(EdgeListError) as caught:
            jobs.in_process(workers.read_edges, str(tmp_path / "missing.csv"))
        assert "missing.csv" in str(caught.value)
        assert jobs.in_process(workers.square, 7) == 49
    finally:
        jobs.shutdown()


def test_a_dead_worker_fails_its_job_alone(workers):
    jobs = Jobs(workers=1)
    try:
        with pytest.raises(WorkerFailed, match="new worker"):
            jobs.in_process(workers.die)
        assert jobs.in_process(workers.square, 3) == 9
        job = jobs.submit("test", "dies", lambda progress: jobs.in_process(workers.die))
        assert jobs.wait(job.id).status == "failed" and "worker" in job.error
        job = jobs.submit("test", "works", lambda progress: jobs.in_process(workers.square, 5))
        assert jobs.wait(job.id).status == "done" and job.result == 25
    finally:
        jobs.shutdown()


def test_a_bug_in_a_job_is_reported_on_its_page():
    jobs = Jobs(processes=False)
    try:
        job = jobs.submit("test", "bug", lambda progress: 1 / 0)
        assert jobs.wait(job.id).status == "failed"
        assert job.error.startswith("ZeroDivisionError")
    finally:
        jobs.shutdown()


def test_workers_end_with_the_server(workers):
    jobs = Jobs(workers=1)
    running = jobs.submit("test", "long", lambda progress: jobs.in_process(workers.sleep, 120))
    deadline = time.monotonic() + 60
    while running.status != "running" or not jobs._worker_pids:
        assert time.monotonic() < deadline, "the worker did not start"
        time.sleep(0.05)
    pids = set(jobs._worker_pids)
    jobs.shutdown()
    deadline = time.monotonic() + 15
    while not all(_ended(pid) for pid in pids):
        assert time.monotonic() < deadline, f"workers still running: {pids}"
        time.sleep(0.1)
