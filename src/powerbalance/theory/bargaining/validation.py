"""Out-of-sample validation of the bargaining models on issues with known outcomes.

Every model and baseline of the registry (:data:`~powerbalance.theory.bargaining.registry.MODELS`,
or a chosen subset) forecasts every issue; the forecasts are scored against the
outcomes actually adopted. Two protocols:

- :func:`cross_validate`: K-fold cross-validation grouped by proposal. The
  proposals (never single issues: the issues of one act are not independent)
  are shuffled by a seeded generator and dealt to ``folds`` folds, so the
  assignment depends only on the set of proposals, ``folds`` and ``seed``. A
  calibrated model (one with ``fit``) is fitted on the other folds' issues
  only, then forecasts the held-out fold; a model without ``fit`` has nothing
  to tune and forecasts every issue as it is.
- :func:`train_test`: fit on one set of issues (``--train FILE``), score on
  another.

Scores per model (:class:`ModelScore`): the mean absolute error (MAE), the
median absolute error, the correlation of forecasts with outcomes, the share of
issues on which the model's error is below the capability x salience weighted
mean's, its MAE relative to the weighted mean's, and the number of issues it
refused (a :class:`~powerbalance.errors.UserError` on that issue's table).

The bundled track record (:func:`track_record`, ``data/validation.json``) holds
these figures for the DEU III training issues (Thomson et al. 2012), as
``powerbalance bargain validate ... --record`` wrote them; every forecast shown
to a user carries its model's line (:meth:`TrackRecord.line`).

References
----------
Thomson, R., Arregui, J., Leuffen, D., Costello, R., Cross, J., Hertz, R., &
Jensen, T. (2012). A new dataset on decision-making in the European Union before
and after the 2004 and 2007 enlargements (DEUII). *Journal of European Public
Policy* 19(4), 604–622.

Achen, C. H. (2006). Evaluating political decision-making models. In Thomson,
Stokman, Achen & König (eds.), *The European Union Decides*, Cambridge University
Press, 264–298.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from powerbalance.datasets.bargaining_tables import IssueFile, Scale, read_issue_file
from powerbalance.errors import UserError
from powerbalance.theory.bargaining.errors import BargainingOptionError
from powerbalance.theory.bargaining.issues import Issue
from powerbalance.theory.bargaining.registry import MODELS, Engine, ModelSpec, get_model
from powerbalance.theory.bargaining.table import ActorTable

__all__ = [
    "BASELINE",
    "TRACK_RECORD_FILE",
    "IssueSet",
    "ModelRecord",
    "ModelScore",
    "TrackRecord",
    "Validation",
    "cross_validate",
    "fold_assignment",
    "load_issues",
    "score_errors",
    "track_record",
    "train_test",
]

#: the model every other is compared with: the capability x salience weighted mean
BASELINE = "mean"
#: the bundled track record (package data), written by ``bargain validate --record``
TRACK_RECORD_FILE = Path(__file__).parent / "data" / "validation.json"
#: how many refusals a score keeps the message of
_KEEP_REFUSALS = 5


@dataclass(frozen=True)
class IssueSet:
    """Issues read from a file, checked, with what the reader left out."""

    source: str
    format: str
    scale: Scale
    issues: tuple[Issue, ...]
    skipped: tuple[str, ...] = ()


def load_issues(path: str | Path, *, scale: Scale | None = None) -> IssueSet:
    """The issues with outcomes of a DEU or long CSV file, as checked :class:`Issue` objects.

    See :func:`powerbalance.datasets.bargaining_tables.read_issue_file` for the formats.

    Raises
    ------
    ActorTableError
        The file is missing or malformed (the message names the line and the column).
    """
    got: IssueFile = read_issue_file(path, scale=scale)
    issues = tuple(
        Issue(d.id, d.proposal, ActorTable.from_data(d.table), d.outcome, dict(d.info))
        for d in got.issues
    )
    return IssueSet(got.source, got.format, got.scale, issues, got.skipped)


def fold_assignment(proposals: Sequence[str], folds: int, seed: int) -> np.ndarray:
    """The fold (0 .. ``folds`` - 1) of each issue, given the proposal of each.

    The distinct proposals are sorted, shuffled by ``numpy.random.default_rng(seed)``
    and dealt in turn to the folds: one proposal's issues share a fold, and the
    assignment does not depend on the order of the issues.

    Raises
    ------
    BargainingOptionError
        Fewer than 2 folds, or more folds than proposals.

    Examples
    --------
    >>> fold_assignment(["a", "a", "b", "c", "d"], 2, 0).tolist()
    [1, 1, 0, 0, 1]
    """
    distinct = sorted(set(proposals))
    if folds < 2:
        raise BargainingOptionError(f"--folds must be at least 2, not {folds}")
    if folds > len(distinct):
        raise BargainingOptionError(
            f"--folds {folds} is more than the {len(distinct)} proposals the issues belong to; "
            f"give at most {len(distinct)}"
        )
    order = np.random.default_rng(seed).permutation(len(distinct))
    fold_of = {distinct[k]: pos % folds for pos, k in enumerate(order)}
    return np.array([fold_of[p] for p in proposals], dtype=int)


@dataclass
class ModelScore:
    """How one model did: its errors issue by issue and their summary.

    ``errors`` and ``forecasts`` follow the order of :attr:`Validation.issues`
    (NaN where the model refused the issue); an issue's error is the mean over
    its dimensions of the absolute difference between forecast and outcome.
    """

    name: str
    title: str
    kind: str
    fitted: bool
    errors: np.ndarray
    forecasts: np.ndarray
    refusals: list[tuple[str, str]] = field(default_factory=list)  # (issue, message)
    #: the options the model ran with (empty: none, or fitted fold by fold)
    options: dict[str, Any] = field(default_factory=dict)
    refused: int = 0
    #: issues on which the model stopped at its round limit without converging
    not_converged: int = 0
    mae: float = float("nan")
    median_error: float = float("nan")
    correlation: float = float("nan")
    beats_mean: float = float("nan")  # share of issues with an error below the mean's
    ratio_to_mean: float = float("nan")  # MAE / the weighted mean's MAE

    @property
    def scored(self) -> int:
        return int(np.isfinite(self.errors).sum())

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "kind": self.kind,
            "fitted": self.fitted,
            "scored": self.scored,
            "refused": self.refused,
            "not_converged": self.not_converged,
            "refusals": [{"issue": i, "message": m} for i, m in self.refusals],
            "mae": _num(self.mae),
            "median_error": _num(self.median_error),
            "correlation": _num(self.correlation),
            "beats_mean": _num(self.beats_mean),
            "ratio_to_mean": _num(self.ratio_to_mean),
            "options": dict(self.options),
        }


def _num(x: float) -> float | None:
    return None if not np.isfinite(x) else round(float(x), 6)


@dataclass
class Validation:
    """Scores of every model validated, with the protocol that produced them."""

    protocol: str  # "cross-validation" or "train-test"
    issues: list[str]
    proposals: list[str]
    outcomes: np.ndarray  # (n_issues, d) padded with NaN
    folds: int
    seed: int
    scores: dict[str, ModelScore]
    fold_of: np.ndarray | None = None
    train_issues: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def baseline(self) -> ModelScore:
        return self.scores[BASELINE]

    def ranked(self) -> list[ModelScore]:
        """Scores from the lowest MAE to the highest (models that refused everything last)."""
        return sorted(
            self.scores.values(),
            key=lambda s: (not np.isfinite(s.mae), s.mae if np.isfinite(s.mae) else 0.0),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": self.protocol,
            "issues": len(self.issues),
            "proposals": len(set(self.proposals)),
            "folds": self.folds,
            "seed": self.seed,
            "train_issues": self.train_issues,
            "baseline": BASELINE,
            "notes": list(self.notes),
            "models": [s.to_dict() for s in self.ranked()],
        }


def score_errors(score: ModelScore, outcomes: np.ndarray, mean_errors: np.ndarray) -> None:
    """Fill in a score's summary from its errors and forecasts (NaN errors: refused issues)."""
    ok = np.isfinite(score.errors)
    if not ok.any():
        return
    e = score.errors[ok]
    score.mae = float(e.mean())
    score.median_error = float(np.median(e))
    f = score.forecasts[ok].ravel()
    o = outcomes[ok].ravel()
    keep = np.isfinite(f) & np.isfinite(o)
    if keep.sum() > 2 and np.ptp(f[keep]) > 0 and np.ptp(o[keep]) > 0:
        score.correlation = float(np.corrcoef(f[keep], o[keep])[0, 1])
    both = ok & np.isfinite(mean_errors)
    if both.any():
        score.beats_mean = float((score.errors[both] < mean_errors[both] - 1e-9).mean())
        base = float(mean_errors[both].mean())
        if base > 0:
            score.ratio_to_mean = float(score.errors[both].mean()) / base


def _specs(models: Sequence[str] | None) -> list[ModelSpec]:
    names = list(MODELS) if not models else list(dict.fromkeys(models))
    specs = [get_model(n) for n in names]
    if BASELINE not in names:
        specs.insert(0, MODELS[BASELINE])
    return specs


def _error(forecast: np.ndarray, outcome: Sequence[float]) -> float:
    f = np.asarray(forecast, dtype=float).ravel()
    o = np.asarray(outcome, dtype=float)
    if f.shape != o.shape:
        raise BargainingOptionError(f"the forecast has {f.size} dimension(s), the outcome {o.size}")
    return float(np.abs(f - o).mean())


def _outcomes(issues: Sequence[Issue]) -> np.ndarray:
    d = max((len(i.outcome) for i in issues), default=1)
    out = np.full((len(issues), d), np.nan)
    for k, i in enumerate(issues):
        out[k, : len(i.outcome)] = i.outcome
    return out


def _run_all(
    specs: Sequence[ModelSpec],
    test: Sequence[Issue],
    fitted_params: Callable[[ModelSpec, int], Any],
    groups: np.ndarray,
    params: Mapping[str, Any],
    seed: int,
    engine: Engine,
    progress: Callable[[int, int], None] | None,
) -> dict[str, ModelScore]:
    """Forecast every test issue with every model; ``groups[k]``: the fold of issue k."""
    n = len(test)
    d = max((len(i.outcome) for i in test), default=1)
    total = n * len(specs)
    done = 0
    scores: dict[str, ModelScore] = {}
    for spec in specs:
        s = ModelScore(
            spec.name,
            spec.title,
            spec.kind,
            spec.fit is not None and spec.name not in params,
            np.full(n, np.nan),
            np.full((n, d), np.nan),
        )
        if not s.fitted:
            used = params.get(spec.name, spec.default_params())
            s.options = dict(vars(used)) if used is not None else {}
        chosen: dict[int, Any] = {}
        for k, issue in enumerate(test):
            g = int(groups[k])
            try:
                if s.fitted:
                    if g not in chosen:
                        chosen[g] = fitted_params(spec, g)
                    p = chosen[g]
                else:
                    p = params.get(spec.name)
                run = spec.run(issue.table, p, seed=seed, engine=engine)
                f = np.asarray(run.forecast, dtype=float).ravel()
                s.errors[k] = _error(f, issue.outcome)
                s.forecasts[k, : f.size] = f
                conv = getattr(run.detail, "converged", True)
                if not (all(conv) if isinstance(conv, list) else bool(conv)):
                    s.not_converged += 1
            except UserError as exc:
                s.refused += 1
                if len(s.refusals) < _KEEP_REFUSALS:
                    s.refusals.append((issue.id, str(exc)))
            done += 1
            if progress is not None:
                progress(done, total)
        scores[spec.name] = s
    outcomes = _outcomes(test)
    mean_errors = scores[BASELINE].errors
    for s in scores.values():
        score_errors(s, outcomes, mean_errors)
    return scores


def cross_validate(
    issues: Sequence[Issue],
    *,
    models: Sequence[str] | None = None,
    folds: int = 5,
    seed: int = 0,
    params: Mapping[str, Any] | None = None,
    engine: Engine = "auto",
    progress: Callable[[int, int], None] | None = None,
) -> Validation:
    """K-fold cross-validation grouped by proposal of the registry's models on ``issues``.

    Parameters
    ----------
    issues
        Issues with outcomes (:func:`load_issues`).
    models
        Names of :data:`MODELS` (default: every one); the weighted mean is always
        scored, as every model is compared with it.
    folds, seed
        The number of folds and the seed of their assignment
        (:func:`fold_assignment`); ``seed`` is also the seed of every model run.
    params
        Options per model name (for example an ``EUParams`` variant); a model
        given options here is run with them and not fitted.
    engine
        The kernels of the models that have several.
    progress
        ``progress(done, total)`` over issues x models.

    Raises
    ------
    BargainingOptionError
        An unknown model, no issues, or ``folds`` out of range.

    Examples
    --------
    >>> from powerbalance.theory.bargaining.table import ActorTable, Dimension
    >>> def issue(k, out):
    ...     t = ActorTable(("a", "b"), [1, 1], [[0], [100]], [[50], [50]], (Dimension("x", "x"),))
    ...     return Issue(f"i{k}", f"p{k}", t, (out,))
    >>> v = cross_validate([issue(k, 40.0) for k in range(4)], models=["mean", "median"], folds=2)
    >>> round(v.scores["mean"].mae, 1), v.scores["median"].beats_mean
    (10.0, 0.0)
    """
    if not issues:
        raise BargainingOptionError("no issues with an outcome to validate on")
    specs = _specs(models)
    params = dict(params or {})
    fold_of = fold_assignment([i.proposal for i in issues], folds, seed)

    def fitted(spec: ModelSpec, g: int) -> Any:
        assert spec.fit is not None
        return spec.fit([i for i, f in zip(issues, fold_of, strict=True) if f != g])

    scores = _run_all(specs, issues, fitted, fold_of, params, seed, engine, progress)
    return Validation(
        "cross-validation",
        [i.id for i in issues],
        [i.proposal for i in issues],
        _outcomes(issues),
        folds,
        seed,
        scores,
        fold_of,
    )


def train_test(
    train: Sequence[Issue],
    test: Sequence[Issue],
    *,
    models: Sequence[str] | None = None,
    seed: int = 0,
    params: Mapping[str, Any] | None = None,
    engine: Engine = "auto",
    progress: Callable[[int, int], None] | None = None,
) -> Validation:
    """Fit the calibrated models on ``train``, score every model on ``test``.

    Raises
    ------
    BargainingOptionError
        An unknown model, or no issues in ``train`` or ``test``.
    """
    if not train:
        raise BargainingOptionError("the training file holds no issue with an outcome")
    if not test:
        raise BargainingOptionError("no issues with an outcome to validate on")
    specs = _specs(models)
    params = dict(params or {})
    fits: dict[str, Any] = {}

    def fitted(spec: ModelSpec, g: int) -> Any:
        if spec.name not in fits:
            assert spec.fit is not None
            fits[spec.name] = spec.fit(list(train))
        return fits[spec.name]

    groups = np.zeros(len(test), dtype=int)
    scores = _run_all(specs, test, fitted, groups, params, seed, engine, progress)
    shared = {i.proposal for i in train} & {i.proposal for i in test}
    notes = []
    if shared:
        notes.append(
            f"{len(shared)} proposal(s) appear in both the training and the test file: "
            "their issues are not independent, so the test is not fully out of sample"
        )
    return Validation(
        "train-test",
        [i.id for i in test],
        [i.proposal for i in test],
        _outcomes(test),
        1,
        seed,
        scores,
        None,
        len(train),
        notes,
    )


# --------------------------------------------------------------------------- the track record


@dataclass(frozen=True)
class ModelRecord:
    """One model's validated error on the bundled benchmark."""

    name: str
    mae: float
    ratio_to_mean: float
    beats_mean: float
    refused: int

    @property
    def worse_than_mean(self) -> bool:
        return self.ratio_to_mean > 1.0


@dataclass(frozen=True)
class TrackRecord:
    """The bundled validation results (``data/validation.json``)."""

    data: str
    sha256: str
    issues: int
    folds: int
    seed: int
    date: str
    command: str
    mean_mae: float
    models: Mapping[str, ModelRecord]

    def get(self, name: str) -> ModelRecord | None:
        return self.models.get(name)

    def best(self, candidates: Sequence[str] | None = None) -> str:
        """The model with the lowest cross-validated MAE that refused no issue."""
        names = [
            n
            for n, r in self.models.items()
            if r.refused == 0 and (candidates is None or n in candidates)
        ]
        if not names:
            return BASELINE
        return min(names, key=lambda n: (self.models[n].mae, n))

    def line(self, name: str) -> str:
        """The model's track record in plain words, one line.

        Examples
        --------
        >>> track_record().line("mean").startswith("validated on")
        True
        >>> track_record().line("pce").startswith(("beats", "does WORSE"))
        True
        """
        where = (
            f"on {self.issues} EU legislative issues (DEU III training part, "
            f"{self.folds}-fold cross-validation)"
        )
        r = self.models.get(name)
        if r is None:
            return f"not validated: no out-of-sample error {where}"
        if name == BASELINE:
            return f"validated {where}: mean absolute error {r.mae:.1f} points of 100"
        errors = (
            f"mean absolute error {r.mae:.1f} against the weighted mean's {self.mean_mae:.1f}, "
            f"{r.ratio_to_mean:.2f} times"
        )
        if r.worse_than_mean:
            return (
                f"does WORSE than the weighted mean {where} ({errors}): "
                "trust the weighted mean more"
            )
        return f"beats the weighted mean {where} ({errors})"

    def to_dict(self, name: str | None = None) -> dict[str, Any]:
        """The record as JSON-ready data: one model's (with ``name``) or every model's."""
        about = {
            "data": self.data,
            "issues": self.issues,
            "folds": self.folds,
            "seed": self.seed,
            "date": self.date,
            "mean_mae": self.mean_mae,
        }
        if name is not None:
            r = self.models.get(name)
            return {
                **about,
                "model": name,
                "validated": r is not None,
                "mae": r.mae if r else None,
                "ratio_to_mean": r.ratio_to_mean if r else None,
                "beats_mean": r.beats_mean if r else None,
                "worse_than_mean": r.worse_than_mean if r else None,
                "line": self.line(name),
            }
        return {
            **about,
            "models": {
                n: {
                    "mae": r.mae,
                    "ratio_to_mean": r.ratio_to_mean,
                    "beats_mean": r.beats_mean,
                    "worse_than_mean": r.worse_than_mean,
                    "line": self.line(n),
                }
                for n, r in self.models.items()
            },
        }


def record_document(
    v: Validation, *, data: str, sha256: str, command: str, date: str
) -> dict[str, Any]:
    """The track record of a cross-validation, as written to ``data/validation.json``."""
    base = v.baseline.mae
    return {
        "about": (
            "Cross-validated errors of the bargaining models, computed from data by "
            "`powerbalance bargain validate` (see docs/bargaining.md). mae: mean absolute "
            "error on the 0-100 scale; ratio_to_mean: mae / the weighted mean's mae; "
            "beats_mean: share of issues with an error below the weighted mean's."
        ),
        "data": data,
        "sha256": sha256,
        "issues": len(v.issues),
        "proposals": len(set(v.proposals)),
        "protocol": v.protocol,
        "folds": v.folds,
        "seed": v.seed,
        "command": command,
        "date": date,
        "baseline": BASELINE,
        "mean_mae": round(base, 6),
        "models": {
            s.name: {
                "mae": round(s.mae, 6),
                "ratio_to_mean": round(s.ratio_to_mean, 6),
                "beats_mean": round(s.beats_mean, 6),
                "median_error": round(s.median_error, 6),
                "correlation": _num(s.correlation),
                "refused": s.refused,
                "not_converged": s.not_converged,
                "fitted": s.fitted,
                "options": dict(s.options),
            }
            for s in v.ranked()
            if np.isfinite(s.mae)
        },
    }


def parse_record(doc: Mapping[str, Any]) -> TrackRecord:
    """A :class:`TrackRecord` from the document :func:`record_document` writes."""
    models = {
        n: ModelRecord(
            n, float(m["mae"]), float(m["ratio_to_mean"]), float(m["beats_mean"]), int(m["refused"])
        )
        for n, m in doc["models"].items()
    }
    return TrackRecord(
        str(doc["data"]),
        str(doc["sha256"]),
        int(doc["issues"]),
        int(doc["folds"]),
        int(doc["seed"]),
        str(doc["date"]),
        str(doc["command"]),
        float(doc["mean_mae"]),
        models,
    )


@lru_cache(maxsize=1)
def track_record() -> TrackRecord:
    """The bundled track record (``data/validation.json``), read once.

    Examples
    --------
    >>> r = track_record()
    >>> r.folds, r.get("mean").ratio_to_mean
    (5, 1.0)
    """
    return parse_record(json.loads(TRACK_RECORD_FILE.read_text(encoding="utf-8")))
