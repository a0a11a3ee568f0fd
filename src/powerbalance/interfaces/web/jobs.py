"""Background jobs (scenario runs) with progress, so pages stay responsive meanwhile.

A job's orchestration runs in a thread; its heavy computation can be sent to
a separate process (:meth:`Jobs.in_process`), so a long Monte Carlo run does
not compete with the request handlers for the interpreter lock. Progress
comes back from the process through a queue.

A failed job fails alone: its error (every powerbalance error pickles intact)
is shown on its page, and a worker process that dies or sends back what cannot
be read is replaced for the next job. Workers end with the server.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from queue import Empty
from typing import Any

from powerbalance.errors import LimitExceeded, UnknownIdError, UserError
from powerbalance.limits import LIMITS

Progress = Callable[[int, int], None]

_CHILD_QUEUE: Any = None


def _child_init(queue: Any) -> None:
    global _CHILD_QUEUE
    _CHILD_QUEUE = queue
    queue.put(("pid", os.getpid(), 0))  # so the server can end its workers


#: The last message of a call: after it, the call sends no more progress.
_END = -1


def _child_call(token: str, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    def progress(done: int, total: int) -> None:
        _CHILD_QUEUE.put((token, int(done), int(total)))

    try:
        return fn(*args, progress=progress)
    finally:
        _CHILD_QUEUE.put((token, _END, _END))


class UnknownJob(UnknownIdError):
    """A job id this server has not started (or has forgotten)."""

    kind = "job"


class WorkerFailed(UserError):
    """A job's worker process died or sent back a result that could not be read."""


class JobQueueFull(LimitExceeded):
    """The server already has as many jobs waiting or running as the limit allows."""

    #: The dashboard answers with 429 Too Many Requests: try again later.
    http_status = 429


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
    """A small queue of background jobs; keeps the last ``keep`` of them.

    At most ``LIMITS["web.jobs.queued"].maximum`` jobs wait or run at once
    (``max_waiting`` lowers it); :meth:`submit` refuses more with
    :class:`JobQueueFull`.
    """

    def __init__(
        self,
        *,
        workers: int = 1,
        keep: int = 50,
        processes: bool = True,
        max_waiting: int | None = None,
    ) -> None:
        limit = LIMITS["web.jobs.queued"]
        self._max_waiting = limit.maximum if max_waiting is None else limit.check(max_waiting)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pb-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._keep = keep
        self._use_processes = processes
        self._workers = workers
        self._processes: ProcessPoolExecutor | None = None
        self._queue: Any = None
        self._listeners: dict[str, Progress] = {}
        self._worker_pids: set[int] = set()
        self._ended: dict[str, threading.Event] = {}
        self._stop_relay = threading.Event()

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
                self._stop_relay = threading.Event()
                threading.Thread(
                    target=self._relay,
                    args=(self._queue, self._stop_relay),
                    daemon=True,
                    name="pb-progress",
                ).start()
            return self._processes

    def _relay(self, queue: Any, stop: threading.Event) -> None:
        """Pass the workers' progress on to the jobs' listeners until ``stop`` is set.

        The server never writes to the workers' queue (a worker ended mid-write
        may hold its lock), so the relay is stopped by an event, not a sentinel.
        """
        while not stop.is_set():
            try:
                token, done, total = queue.get(timeout=0.25)
            except Empty:
                continue
            except (EOFError, OSError):
                return
            if token == "pid":
                self._worker_pids.add(done)
                continue
            if done == _END:
                ended = self._ended.get(token)
                if ended is not None:
                    ended.set()
                continue
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
        ended = self._ended[token] = threading.Event()
        if progress is not None:
            self._listeners[token] = progress
        try:
            result = pool.submit(_child_call, token, fn, args).result()
            # The result and the progress travel apart: pass on the last progress first.
            ended.wait(timeout=10)
            return result
        except BrokenProcessPool:
            self._replace_pool(pool)
            raise WorkerFailed(
                "the worker process of this job failed (it died, or its answer could not be "
                "read); the next job gets a new worker"
            ) from None
        finally:
            self._listeners.pop(token, None)
            self._ended.pop(token, None)

    def _replace_pool(self, broken: ProcessPoolExecutor) -> None:
        """Forget a broken pool (once), so the next job starts a new one."""
        with self._lock:
            if self._processes is broken:
                self._processes = None
                self._stop_relay.set()
        broken.shutdown(wait=False, cancel_futures=True)

    def waiting(self) -> int:
        """How many jobs are queued or running."""
        return sum(1 for j in self._jobs.values() if j.status in ("queued", "running"))

    def submit(self, kind: str, name: str, work: Callable[[Progress], Any]) -> Job:
        """Queue ``work``; refuse it when the limit of waiting-or-running jobs is reached.

        Raises
        ------
        JobQueueFull
            With the limit ``web.jobs.queued`` named (HTTP 429 on the dashboard).
        """
        job = Job(id=secrets.token_hex(8), kind=kind, name=name)
        with self._lock:
            waiting = self.waiting()
            if waiting >= self._max_waiting:
                limit = LIMITS["web.jobs.queued"]
                raise JobQueueFull(
                    f"{waiting} jobs are already waiting or running on this server; the "
                    f"limit is {self._max_waiting} (limit '{limit.key}': {limit.why}); "
                    "try again when one has finished"
                )
            self._jobs[job.id] = job
            # Forget the oldest finished jobs beyond ``keep``; never a waiting or running one.
            finished = [j.id for j in self._jobs.values() if j.status in ("done", "failed")]
            for old_id in finished[: max(len(self._jobs) - self._keep, 0)]:
                del self._jobs[old_id]
        future = self._pool.submit(self._run, job, work)
        future.add_done_callback(lambda f: self._finish(job, f))
        return job

    @staticmethod
    def _run(job: Job, work: Callable[[Progress], Any]) -> Any:
        job.status = "running"
        return work(job.progress)

    @staticmethod
    def _finish(job: Job, future: Future[Any]) -> None:
        """Record a job's result or its error (a bug in a job is reported on its page too)."""
        job.finished = time.time()
        if future.cancelled():
            job.error, job.status = "cancelled: the server stopped", "failed"
            return
        error = future.exception()
        if error is None:
            job.result, job.status = future.result(), "done"
        elif isinstance(error, UserError):
            job.error, job.status = str(error), "failed"
        else:
            job.error, job.status = f"{type(error).__name__}: {error}", "failed"
            traceback.print_exception(error)

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
        """Cancel waiting jobs and end the worker processes, running jobs included."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._processes is not None:
            for pid in self._worker_pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
            self._processes.shutdown(wait=False, cancel_futures=True)
            self._stop_relay.set()
            self._processes = None
