"""Stored runs: every scenario run goes into the store's ``runs`` table and can be replayed.

A row holds the scenario text, the seed, the number of draws, the code
version, the effective parameters and the anchors read from the evidence, the
summary, a digest of every output array and the arrays themselves (a
compressed ``.npz``, with the bargaining models' forecasts on their subsample
of draws and the indices of those draws). The row is written in one transaction: an interrupted
run leaves nothing behind. Replaying re-runs the stored text with the stored
seed, draws and model draws and checks the digest.
"""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from powerbalance.evidence import Evidence
from powerbalance.evidence.store import Store
from powerbalance.scenarios.errors import ReplayMismatch, UnknownRun
from powerbalance.scenarios.montecarlo import (
    RunResult,
    comparison_rows,
    parameter_spec,
    run_scenario,
)
from powerbalance.scenarios.schema import Distribution, parse_scenario

KIND = "scenario"


@dataclass(frozen=True)
class StoredRun:
    """A run as stored: its text, seed, parameters, summary and (lazily) its arrays."""

    id: str
    name: str
    created_at: datetime
    code_version: str
    seed: int
    spec: str
    params: dict[str, Any]
    summary: dict[str, Any]
    _blob: bytes | None = None

    @property
    def draws(self) -> int:
        return int(self.params["draws"])

    @property
    def model_draws(self) -> int:
        """On how many draws the bargaining module's models ran (0: none)."""
        return int(self.params.get("model_draws") or 0)

    def arrays(self) -> dict[str, np.ndarray]:
        """Every draw's outputs, as saved."""
        if self._blob is None:
            return {}
        with np.load(io.BytesIO(self._blob)) as z:
            return {k: z[k] for k in z.files}

    def to_dict(self, *, with_spec: bool = True) -> dict[str, Any]:
        out = {
            "id": self.id,
            "name": self.name,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "code_version": self.code_version,
            "seed": self.seed,
            "draws": self.draws,
            "model_draws": self.model_draws,
            "engine": self.params.get("engine"),
            "digest": self.params.get("digest"),
            "summary": self.summary,
        }
        if with_spec:
            out["scenario"] = self.spec
            out["parameters"] = self.params.get("parameters")
            out["anchors"] = self.params.get("anchors")
        return out


def _param_json(v: Any) -> Any:
    return v.model_dump(exclude_none=True) if isinstance(v, Distribution) else v


def _verify(store: Store, run_id: str, digest: str) -> None:
    row = store.con.execute("SELECT params FROM runs WHERE id = ?", [run_id]).fetchone()
    if row is None or json.loads(row[0])["digest"] != digest:
        raise RuntimeError(f"run {run_id} was not written as expected")


def save_run(store: Store, result: RunResult) -> str:
    """Write a run to the store in one transaction; return its id."""
    run_id = f"{result.scenario.name}-{uuid.uuid4().hex[:8]}"
    digest = result.digest()
    params = {
        "draws": result.draws,
        "engine": result.engine,
        "digest": digest,
        "parameters": {k: _param_json(v) for k, v in parameter_spec(result.scenario).items()},
        "anchors": result.anchors.to_dict(),
        "bargaining_actors": list(result.bargaining_actors),
        "model_draws": result.model_draws,
    }
    blob = result.arrays_blob()
    with store.transaction() as con:
        con.execute(
            "INSERT INTO runs (id, kind, name, code_version, seed, spec, params, summary, results)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                KIND,
                result.scenario.name,
                result.code_version,
                result.seed,
                result.scenario.text,
                json.dumps(params, allow_nan=False),
                json.dumps(_finite(result.summary), allow_nan=False),
                blob,
            ],
        )
        _verify(store, run_id, digest)
    result.id = run_id
    return run_id


def _finite(o: Any) -> Any:
    if isinstance(o, float) and not np.isfinite(o):
        return None
    if isinstance(o, dict):
        return {k: _finite(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_finite(v) for v in o]
    return o


def list_runs(store: Store, *, name: str | None = None) -> list[StoredRun]:
    """Stored scenario runs, newest first (without their arrays)."""
    sql = (
        "SELECT id, name, created_at, code_version, seed, spec, params, summary FROM runs "
        "WHERE kind = ?" + (" AND name = ?" if name else "") + " ORDER BY created_at DESC, id"
    )
    args = [KIND, name] if name else [KIND]
    return [
        StoredRun(r[0], r[1], r[2], r[3], int(r[4]), r[5], json.loads(r[6]), json.loads(r[7]))
        for r in store.con.execute(sql, args).fetchall()
    ]


def get_run(store: Store, run_id: str) -> StoredRun:
    """One stored run by id (a unique prefix is enough), with its arrays."""
    rows = store.con.execute(
        "SELECT id, name, created_at, code_version, seed, spec, params, summary, results FROM runs "
        "WHERE kind = ? AND starts_with(id, ?) ORDER BY id",
        [KIND, run_id],
    ).fetchall()
    exact = [r for r in rows if r[0] == run_id]
    if exact:
        rows = exact
    if len(rows) != 1:
        known = [
            r[0] for r in store.con.execute("SELECT id FROM runs WHERE kind = ?", [KIND]).fetchall()
        ]
        if len(rows) > 1:
            from powerbalance.errors import UserError

            raise UserError(f"run id '{run_id}' is ambiguous: {', '.join(r[0] for r in rows)}")
        raise UnknownRun(run_id, known)
    r = rows[0]
    return StoredRun(
        r[0],
        r[1],
        r[2],
        r[3],
        int(r[4]),
        r[5],
        json.loads(r[6]),
        json.loads(r[7]),
        bytes(r[8]) if r[8] else None,
    )


def replay_run(stored: StoredRun, evidence: Evidence) -> RunResult:
    """Re-run a stored run from its text, seed and draws; raise if the outputs differ.

    Raises
    ------
    ReplayMismatch
        When the digest differs (the evidence or the model changed since the run).
    """
    scenario = parse_scenario(stored.spec, file=f"run {stored.id}")
    # A run stored before the bargaining models ran on a subsample has no model_draws:
    # it then replays with the file's value (and reports the model change if outputs differ).
    model_draws = stored.params.get("model_draws") or None
    result = run_scenario(
        scenario,
        evidence,
        draws=stored.draws,
        seed=stored.seed,
        model_draws=model_draws,
        check_cited=False,
    )
    digest = result.digest()
    if digest != stored.params.get("digest"):
        then = stored.params.get("anchors", {})
        now = result.anchors.to_dict()
        changed = sorted(k for k in set(then) | set(now) if then.get(k) != now.get(k))
        why = (
            f"the evidence anchors changed ({', '.join(changed)})"
            if changed
            else (
                f"the model changed (stored with {stored.code_version}, now {result.code_version})"
            )
        )
        raise ReplayMismatch(f"run {stored.id} did not reproduce: {why}")
    result.id = stored.id
    return result


def compare_runs(a: StoredRun, b: StoredRun) -> dict[str, Any]:
    """A comparison table of two runs' summaries: one row per metric with both values."""
    return {
        "a": {"id": a.id, "name": a.name, "draws": a.draws, "seed": a.seed},
        "b": {"id": b.id, "name": b.name, "draws": b.draws, "seed": b.seed},
        "rows": comparison_rows(a.summary, b.summary),
    }
