"""Load benchmark of the dashboard: 200 concurrent clients on loopback.

Starts ``powerbalance serve`` on a fresh store, then runs phases of
closed-loop load (each client sends its next request when the previous
answer arrives, after an optional think time), alternating the Overview
page (``/``) and the JSON API (``/api/overview``):

1. saturation: no think time, for ``--duration`` seconds (the throughput
   ceiling; latency is then queueing, about clients / throughput);
2. paced: each client waits about ``--think`` seconds between requests, as
   a person reading the page would;
3. paced while a scenario runs in the background (``POST
   /api/scenarios/run``), to show the server stays responsive;
4. saturation while the scenario still runs (10 s at most).

Prints throughput, latency percentiles and errors for each phase, and the
ratio of the p95 latency to the issue's goal (p95 under 200 ms). The load
generator is a minimal HTTP/1.1 keep-alive client on asyncio streams, spread
over ``--processes`` processes, so the client costs little CPU next to the
server on the same machine.

    python benchmarks/bench_web.py            # 200 clients, 30 s per phase
    python benchmarks/bench_web.py --quick    # 50 clients, 5 s per phase
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

GOAL_P95_MS = 200.0
PATHS = ("/", "/api/overview")
TOKEN = "benchmark-token-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _read_response(reader: asyncio.StreamReader) -> int:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    length = 0
    chunked = False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readline()).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    return status


async def _client(port: int, offset: int, deadline: float, think: float, out: dict) -> None:
    rng = random.Random(offset)
    if think:
        await asyncio.sleep(rng.uniform(0, think))  # clients arrive spread over one think time
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = offset
    while time.perf_counter() < deadline:
        path = PATHS[i % len(PATHS)]
        i += 1
        request = (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Encoding: gzip\r\n"
            "Connection: keep-alive\r\n\r\n"
        ).encode()
        t0 = time.perf_counter()
        try:
            writer.write(request)
            status = await _read_response(reader)
        except (ConnectionError, asyncio.IncompleteReadError, OSError, ValueError):
            out["errors"] += 1
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            continue
        elapsed = time.perf_counter() - t0
        out["latency"][path].append(elapsed)
        if status != 200:
            out["errors"] += 1
        if think:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
    writer.close()


def _worker(args: tuple[int, int, float, int, float]) -> dict:
    port, clients, duration, first, think = args

    async def run() -> dict:
        out: dict = {"errors": 0, "latency": {p: [] for p in PATHS}}
        deadline = time.perf_counter() + duration
        await asyncio.gather(
            *(_client(port, first + k, deadline, think, out) for k in range(clients))
        )
        return out

    return asyncio.run(run())


def load(port: int, clients: int, duration: float, processes: int, think: float = 0.0) -> dict:
    """Closed-loop load from ``clients`` connections in ``processes`` processes.

    Each client waits ``think`` seconds (uniformly 0.5x to 1.5x) between an
    answer and its next request; 0 is a saturation test.
    """
    per = [clients // processes + (1 if k < clients % processes else 0) for k in range(processes)]
    jobs = [(port, n, duration, sum(per[:k]), think) for k, n in enumerate(per)]
    t0 = time.perf_counter()
    with mp.get_context("spawn").Pool(processes) as pool:
        parts = pool.map(_worker, jobs)
    wall = time.perf_counter() - t0
    latency = {p: [x for part in parts for x in part["latency"][p]] for p in PATHS}
    every = [x for v in latency.values() for x in v]
    return {
        "requests": len(every),
        "errors": sum(p["errors"] for p in parts),
        "seconds": duration,
        "wall": wall,
        "latency": latency,
        "all": every,
    }


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 10) - 1] * 1000


def request(port: int, method: str, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"{method} {path}: {exc.code} {exc.read().decode()}") from None


def start_server(store: Path, port: int) -> subprocess.Popen:
    cmd = [
        sys.executable, "-m", "powerbalance.interfaces.cli.main",
        "--store", str(store), "serve", "--port", str(port), "--write-token", TOKEN,
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            request(port, "GET", "/api/health")
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "died") from None
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start within 120 s")


def row(name: str, r: dict) -> str:
    every = r["all"]
    return (
        f"{name:<34} {r['requests']:>9,} {r['requests'] / r['seconds']:>9.0f} "
        f"{pct(every, 50):>8.1f} {pct(every, 95):>8.1f} {pct(every, 99):>8.1f} {r['errors']:>7}"
        f" {pct(every, 95) / GOAL_P95_MS:>10.2f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="50 clients, 5 s per phase")
    ap.add_argument("--clients", type=int, default=None)
    ap.add_argument("--duration", type=float, default=None, help="seconds per phase")
    ap.add_argument("--processes", type=int, default=2, help="load-generator processes")
    ap.add_argument("--draws", type=int, default=200_000, help="draws of the background scenario")
    ap.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds between a client's requests (paced phases)",
    )
    args = ap.parse_args()
    clients = args.clients or (50 if args.quick else 200)
    duration = args.duration or (5.0 if args.quick else 30.0)

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "bench.duckdb"
        port = free_port()
        os.environ.setdefault("POWERBALANCE_STORE_TIMEOUT", "10")
        proc = start_server(store, port)
        try:
            for path in PATHS:  # compute once, as any first visitor would
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120).read()
            saturated = load(port, clients, duration, args.processes)
            paced = load(port, clients, duration, args.processes, args.think)

            job = request(
                port, "POST", "/api/scenarios/run",
                {"name": "reverse-kissinger", "draws": args.draws, "seed": 1},
            )  # fmt: skip
            t_job = time.perf_counter()
            busy = load(port, clients, duration, args.processes, args.think)
            busy_saturated = load(port, clients, min(duration, 10.0), args.processes)
            status = request(port, "GET", f"/api/jobs/{job['id']}?result=0")
            while status["status"] in ("queued", "running"):
                time.sleep(0.2)
                status = request(port, "GET", f"/api/jobs/{job['id']}?result=0")
            job_seconds = time.perf_counter() - t_job
        finally:
            proc.terminate()
            proc.wait(timeout=20)

    cpu = os.cpu_count()
    print(
        f"powerbalance serve on loopback; {clients} concurrent clients, {duration:g} s per phase,"
    )
    print(f"{args.processes} load-generator processes on the same {cpu}-core machine;")
    print(
        f"requests alternate {' and '.join(PATHS)} (gzip accepted, as browsers do). Goal: p95 < {GOAL_P95_MS:.0f} ms, no errors.\n"
    )
    head = f"{'phase':<34} {'requests':>9} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'p95/goal':>10}"
    print(head)
    print("-" * len(head))
    phases = [
        ("saturation (no think time)", saturated),
        (f"paced ({args.think:g} s think time)", paced),
        ("paced, scenario running", busy),
        ("saturation, scenario running", busy_saturated),
    ]
    for name, result in phases:
        print(row(name, result))
        for path in PATHS:
            sub = {
                **result,
                "all": result["latency"][path],
                "requests": len(result["latency"][path]),
                "errors": 0,
            }
            print(row(f"  {path}", sub))
    print(
        f"\nbackground scenario: {status['status']}, {status['done']:,}/{status['total']:,} draws, "
        f"finished {job_seconds:.1f} s after it was started"
        + (f" ({status['error']})" if status.get("error") else "")
    )


if __name__ == "__main__":
    main()
