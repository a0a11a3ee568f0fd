"""Background jobs (scenario runs) with progress, so pages stay responsive meanwhile."""

from __future__ import annotations

import secrets
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from powerbalance.errors import UnknownIdError, UserError

Progress = Callable[[int, int], None]


class UnknownJob(UnknownIdError):
    """A job id this server has not started (or has forgotten)."""

    kind = "job"


@dataclass
class Job:
    id: str
    kind: str
    name: str
    status: str = "queued"  # queued, running, done, failed
    done: int = 0
    total: int = 0
    error: str | None = None
    result: Any = None
    created: float = field(default_factory=time.time)
    finished: float | None = None

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = int(done), int(total)

    def public(self, *, with_result: bool = True) -> dict[str, Any]:
        out = {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "fraction": (self.done / self.total) if self.total else None,
            "error": self.error,
        }
        if with_result:
            out["result"] = self.result
        return out


class Jobs:
    """A small queue of background jobs; keeps the last ``keep`` of them."""

    def __init__(self, *, workers: int = 1, keep: int = 50) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pb-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._keep = keep

    def submit(self, kind: str, name: str, work: Callable[[Progress], Any]) -> Job:
        job = Job(id=secrets.token_hex(8), kind=kind, name=name)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self._keep:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job, work)
        return job

    @staticmethod
    def _run(job: Job, work: Callable[[Progress], Any]) -> None:
        job.status = "running"
        try:
            job.result = work(job.progress)
            job.status = "done"
        except UserError as exc:
            job.error = str(exc)
            job.status = "failed"
        except Exception as exc:  # a bug in a job must be reported on its page, not lost
            job.error = f"{type(exc).__name__}: {exc}"
            job.status = "failed"
            traceback.print_exc()
        finally:
            job.finished = time.time()

    def get(self, job_id: str) -> Job:
        job = self._jobs.get(job_id)
        if job is None:
            raise UnknownJob(job_id, list(self._jobs))
        return job

    def all(self) -> list[Job]:
        return list(reversed(self._jobs.values()))

    def wait(self, job_id: str, timeout: float = 60.0) -> Job:
        """Block until the job has finished (for tests and the report)."""
        deadline = time.monotonic() + timeout
        job = self.get(job_id)
        while job.status in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.02)
        return job

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
