"""Background jobs (scenario runs) with progress, so pages stay responsive meanwhile.

A job's orchestration runs in a thread; its heavy computation can be sent to
a separate process (:meth:`Jobs.in_process`), so a long Monte Carlo run does
not compete with the request handlers for the interpreter lock. Progress
comes back from the process through a queue.
"""

from __future__ import annotations

import secrets
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from powerbalance.errors import UnknownIdError, UserError

Progress = Callable[[int, int], None]

_CHILD_QUEUE: Any = None


def _child_init(queue: Any) -> None:
    global _CHILD_QUEUE
    _CHILD_QUEUE = queue


def _child_call(token: str, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    def progress(done: int, total: int) -> None:
        _CHILD_QUEUE.put((token, int(done), int(total)))

    return fn(*args, progress=progress)


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

    def __init__(self, *, workers: int = 1, keep: int = 50, processes: bool = True) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pb-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._keep = keep
        self._use_processes = processes
        self._workers = workers
        self._processes: ProcessPoolExecutor | None = None
        self._queue: Any = None
        self._listeners: dict[str, Progress] = {}

    def _process_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._processes is None:
                import multiprocessing

                # spawn, not fork: the server has threads, and a forked copy of them is unsafe
                context = multiprocessing.get_context("spawn")
                self._queue = context.Queue()
                self._processes = ProcessPoolExecutor(
                    max_workers=self._workers,
                    mp_context=context,
                    initializer=_child_init,
                    initargs=(self._queue,),
                )
                threading.Thread(target=self._relay, daemon=True, name="pb-progress").start()
            return self._processes

    def _relay(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            token, done, total = item
            listener = self._listeners.get(token)
            if listener is not None:
                listener(done, total)

    def in_process(
        self, fn: Callable[..., Any], *args: Any, progress: Progress | None = None
    ) -> Any:
        """Run ``fn(*args, progress=...)`` in a worker process and return its result.

        ``fn`` and its arguments must pickle (a module-level function, plain
        data). Without process support it runs in the calling thread.
        """
        if not self._use_processes:
            return fn(*args, progress=progress)
        pool = self._process_pool()
        token = secrets.token_hex(6)
        if progress is not None:
            self._listeners[token] = progress
        try:
            return pool.submit(_child_call, token, fn, args).result()
        finally:
            self._listeners.pop(token, None)

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
        if self._processes is not None:
            self._processes.shutdown(wait=False, cancel_futures=True)
            self._queue.put(None)
