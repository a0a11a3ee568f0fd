"""The data use cases: ``powerbalance data add/list/info/remove``, ``dyads`` and ``verify``.

One typed function per action; the command line (and the dashboard and the
report) call these and only format what they return:

- :func:`add_dataset`, :func:`list_datasets`, :func:`dataset_info`,
  :func:`remove_dataset`: the user's registered dataset files
  (:mod:`powerbalance.datasets.registry`);
- :func:`dyad_query` then :func:`dyads`: a dyad-year frame with the chosen
  sources joined (:func:`powerbalance.frames.verbs.dyad_frame`);
- :func:`verify_query` then :func:`verify`: every claim checked against the
  registered datasets (:mod:`powerbalance.indicators.verification`);
  :func:`claim_statuses` gives the same checks keyed by claim id.

The ``*_query`` functions check what the user asked for before any store is
opened or file read; the work itself takes the store's registrations
(:func:`registrations`, read in a short read of the store) so that the
datasets are read with the store closed.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from powerbalance.errors import UserError

if TYPE_CHECKING:
    import pandas as pd

    from powerbalance.datasets.cards import DatasetCard
    from powerbalance.evidence import Evidence
    from powerbalance.evidence.store import Store
    from powerbalance.indicators.verification import VerificationResult

__all__ = [
    "CoverageRow",
    "DatasetEntry",
    "DatasetInfo",
    "DyadFrame",
    "DyadQuery",
    "Figure",
    "Registration",
    "Removal",
    "Verification",
    "VerifyQuery",
    "add_dataset",
    "claim_statuses",
    "coverage_row",
    "dataset_info",
    "dyad_query",
    "dyads",
    "list_datasets",
    "registrations",
    "remove_dataset",
    "rule_text",
    "verify",
    "verify_query",
]

#: Registered files by dataset id, as :func:`registrations` returns them.
Registered = Mapping[str, Mapping[str, Any]]

#: The keys of each claim's entry in :func:`claim_statuses` (a row of the coverage table).
STATUS_KEYS = (
    "status",
    "dataset",
    "computation",
    "computed",
    "difference",
    "reason",
    "settle_with",
    "claimed",
    "unit",
    "scale",
    "currency",
    "qualifier",
    "period",
    "tolerance",
    "rule",
    "definition",
    "agrees",
    "alternatives",
)


@contextmanager
def _collect_warnings(into: list[str]) -> Iterator[None]:
    """Record the warnings of a block as their messages, each once, in order."""
    with warnings.catch_warnings(record=True) as caught:
        yield
    for w in caught:
        text = str(w.message)
        if text not in into:
            into.append(text)


# --- registrations -------------------------------------------------------------------------


def registrations(store: Store) -> dict[str, dict[str, Any]]:
    """The store's registered files by dataset id: ``path, sha256, registered_at, info``."""
    from powerbalance.datasets.registry import registrations as read

    return read(store)


@dataclass(frozen=True)
class Registration:
    """A file checked against its card and registered (``powerbalance data add``)."""

    dataset: str
    path: str
    sha256: str
    card_version: str
    rows: int
    columns: tuple[str, ...]
    coverage: tuple[int, int] | None

    def to_dict(self) -> dict[str, Any]:
        """What ``data add --json`` prints."""
        return {
            "dataset": self.dataset,
            "path": self.path,
            "sha256": self.sha256,
            "card_version": self.card_version,
            "rows": self.rows,
            "columns": list(self.columns),
            "coverage": list(self.coverage) if self.coverage else None,
        }


def add_dataset(store: Store, dataset: str, path: str | Path) -> Registration:
    """Check a downloaded file against the dataset's card and register it in ``store``.

    Raises :class:`~powerbalance.datasets.errors.NoSuchDataset` for an id without a
    card, :class:`~powerbalance.errors.InputFileError` for a missing file and
    :class:`~powerbalance.errors.DatasetFormatError` for a file that is not the dataset.
    """
    from powerbalance.datasets import registry

    info = registry.add_dataset(store, dataset, path)
    coverage = info.get("coverage")
    return Registration(
        dataset=info["dataset"],
        path=info["path"],
        sha256=info["sha256"],
        card_version=info["card_version"],
        rows=int(info["rows"]),
        columns=tuple(info["columns"]),
        coverage=(int(coverage[0]), int(coverage[1])) if coverage else None,
    )


@dataclass(frozen=True)
class DatasetEntry:
    """One dataset card in the listing, with the file registered for it (if any)."""

    id: str
    title: str
    version: str
    coverage: tuple[int, int]
    registered: str | None

    def to_dict(self) -> dict[str, Any]:
        """One element of what ``data list --json`` prints."""
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "coverage": list(self.coverage),
            "registered": self.registered,
        }


def list_datasets(store: Store) -> list[DatasetEntry]:
    """Every dataset card, in the cards' order, and the file registered for it.

    Examples
    --------
    >>> import tempfile
    >>> from powerbalance.evidence.store import open_store
    >>> with tempfile.TemporaryDirectory() as d, open_store(Path(d) / "s.duckdb") as s:
    ...     rows = list_datasets(s)
    >>> rows[0].id, rows[0].registered
    ('cow-nmc', None)
    """
    from powerbalance.datasets import registry

    return [
        DatasetEntry(
            id=r["id"],
            title=r["title"],
            version=r["version"],
            coverage=(int(r["coverage"][0]), int(r["coverage"][1])),
            registered=r["registered"],
        )
        for r in registry.list_datasets(registry.registrations(store))
    ]


@dataclass(frozen=True)
class DatasetInfo:
    """A dataset's card and its registration (``powerbalance data info``)."""

    card: DatasetCard
    registration: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """What ``data info --json`` prints: the card, and ``registration`` (or ``None``)."""
        out = dict(self.card.to_dict())
        out["registration"] = dict(self.registration) if self.registration else None
        return out


def dataset_info(store: Store, dataset: str) -> DatasetInfo:
    """The card of ``dataset`` and the file registered for it.

    Raises :class:`~powerbalance.datasets.errors.NoSuchDataset` (a user error naming
    close ids) for an id without a card.
    """
    from powerbalance.datasets.cards import get_card
    from powerbalance.datasets.registry import registrations as read

    card = get_card(dataset)
    registration = read(store).get(dataset)
    return DatasetInfo(card=card, registration=dict(registration) if registration else None)


@dataclass(frozen=True)
class Removal:
    """The outcome of ``powerbalance data remove``."""

    dataset: str
    removed: int  # registrations forgotten: 0 or 1

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "removed": self.removed}


def remove_dataset(store: Store, dataset: str) -> Removal:
    """Forget the file registered for ``dataset`` (the file itself is not touched)."""
    from powerbalance.datasets import registry

    return Removal(dataset=dataset, removed=registry.remove_dataset(store, dataset))


# --- dyad-year frames ----------------------------------------------------------------------


@dataclass(frozen=True)
class DyadQuery:
    """A checked request for a dyad-year frame (make one with :func:`dyad_query`)."""

    states: tuple[str, ...] | None  # None: every state in the system
    start: int | None = None
    end: int | None = None
    verbs: tuple[str, ...] = ()
    directed: bool = True
    data_dir: Path | None = None


def dyad_query(
    *,
    states: Sequence[str] | None = ("USA", "CHN", "RUS"),
    start: int | None = None,
    end: int | None = None,
    verbs: Sequence[str] = (),
    directed: bool = True,
    data_dir: str | Path | None = None,
) -> DyadQuery:
    """Check a dyad-year request: years any dataset can cover, known verbs, an existing folder.

    Parameters
    ----------
    states
        States (ISO3, COW letters or numbers); ``None`` for every state in the system.
    start, end
        First and last year (``--from``, ``--to``).
    verbs
        Sources to join, names of :data:`powerbalance.frames.verbs.VERBS`.
    directed
        Directed dyads (a,b and b,a).
    data_dir
        A folder searched for dataset files before the registered ones.

    Examples
    --------
    >>> dyad_query(start=2000, end=2001, verbs=["trade"]).verbs
    ('trade',)
    >>> dyad_query(start=2001, end=2000)
    Traceback (most recent call last):
    ...
    powerbalance.errors.UserError: --from 2001 is after --to 2000; give the earlier year first
    """
    from powerbalance.datasets.registry import check_data_dir, year_range
    from powerbalance.frames.verbs import VERBS

    first, last = year_range()
    for option, year in (("--from", start), ("--to", end)):
        if year is not None and not first <= year <= last:
            raise UserError(
                f"{option} {year} is outside the years any dataset can cover; "
                f"give a year from {first} to {last}"
            )
    if start is not None and end is not None and start > end:
        raise UserError(f"--from {start} is after --to {end}; give the earlier year first")
    unknown = [v for v in verbs if v not in VERBS]
    if unknown:
        raise UserError(f"--add: unknown verb '{unknown[0]}'; choose from {', '.join(VERBS)}")
    return DyadQuery(
        states=None if states is None else tuple(states),
        start=start,
        end=end,
        verbs=tuple(verbs),
        directed=directed,
        data_dir=check_data_dir(data_dir),
    )


@dataclass(frozen=True)
class DyadFrame:
    """A dyad-year frame (ISO3 labels) with the sources joined and the warnings raised."""

    frame: pd.DataFrame
    directed: bool
    warnings: tuple[str, ...] = ()

    @property
    def sources(self) -> list[str]:
        """The datasets the frame was built from (citations in each card)."""
        return list(self.frame.attrs.get("sources", []))

    def to_dict(self) -> dict[str, Any]:
        """What ``dyads --json`` prints (missing values as ``None``)."""
        frame = self.frame
        return {
            "unit": "dyad-year",
            "directed": self.directed,
            "sources": frame.attrs.get("sources", []),
            "rows": frame.astype(object).where(frame.notna(), None).to_dict(orient="records"),
        }


def dyads(
    query: DyadQuery,
    registered: Registered | None = None,
    *,
    on_step: Callable[[str], None] | None = None,
) -> DyadFrame:
    """Build the dyad-year frame of ``query`` from the registered datasets (``powerbalance dyads``).

    Parameters
    ----------
    query
        What to build (:func:`dyad_query`).
    registered
        The store's registrations (:func:`registrations`); ``query.data_dir`` is searched first.
    on_step
        Called with the name of each step before it starts (``dyads``, then each verb).
    """
    from powerbalance.datasets.registry import DataSources
    from powerbalance.frames.verbs import dyad_frame

    data = DataSources(data_dir=query.data_dir, registered=registered)
    caught: list[str] = []
    with _collect_warnings(caught):
        frame = dyad_frame(
            data,
            states=None if query.states is None else list(query.states),
            start=query.start,
            end=query.end,
            add_verbs=list(query.verbs),
            directed=query.directed,
            on_step=on_step,
        )
    return DyadFrame(frame=frame, directed=query.directed, warnings=tuple(caught))


# --- verification --------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyQuery:
    """A checked request to verify the claims (make one with :func:`verify_query`)."""

    status: str | None = None  # show only this status
    data_dir: Path | None = None


def verify_query(*, status: str | None = None, data_dir: str | Path | None = None) -> VerifyQuery:
    """Check a verification request: a known status, an existing folder.

    Examples
    --------
    >>> verify_query(status="depends_on_definition").status
    'depends_on_definition'
    >>> verify_query(status="true")
    Traceback (most recent call last):
    ...
    powerbalance.errors.UserError: --status 'true' is not a status; choose one of verified, depends_on_definition, contradicted, unverifiable
    """
    from powerbalance.datasets.registry import check_data_dir
    from powerbalance.indicators.verification import STATUSES

    if status is not None and status not in STATUSES:
        raise UserError(f"--status '{status}' is not a status; choose one of {', '.join(STATUSES)}")
    return VerifyQuery(status=status, data_dir=check_data_dir(data_dir))


def rule_text(
    computation: str | None,
    qualifier: str,
    claimed: float,
    tolerance: float | None,
    lang: str = "en",
) -> str | None:
    """The rule of a check in one line: the computation, and the computed figures that agree.

    The range is the one :func:`powerbalance.indicators.verification.verify_claim`
    applies: ``exact`` and ``about`` agree within the tolerance either way;
    ``at_least`` and ``more_than`` agree from the claimed figure less the
    tolerance up; ``at_most`` and ``less_than`` up to the claimed figure plus
    the tolerance. The numbers and the qualifier are written as ``lang``
    writes them. A claim without a check has no rule (``None``).

    Examples
    --------
    >>> rule_text("arms_imports_change", "about", -64.0, 1.0)
    'arms_imports_change: -64 ± 1 (about)'
    >>> rule_text("supplier_rank", "exact", 1.0, 0.0)
    'supplier_rank: = 1 (exact)'
    >>> rule_text("energy_share", "more_than", 80.0, 2.5)
    'energy_share: ≥ 80 − 2.5 (more than)'
    >>> rule_text("x", "at_most", 10.0, 0.5, lang="sv")
    'x: ≤ 10 + 0,5 (högst)'
    >>> rule_text(None, "about", 1.0, None) is None
    True
    """
    from powerbalance.i18n import format_general, label

    if computation is None:
        return None
    tol = float(tolerance or 0.0)

    def num(x: float) -> str:
        return format_general(float(x), lang, 6)

    if qualifier in ("at_least", "more_than"):
        test = f"≥ {num(claimed)}" + (f" − {num(tol)}" if tol else "")
    elif qualifier in ("at_most", "less_than"):
        test = f"≤ {num(claimed)}" + (f" + {num(tol)}" if tol else "")
    else:  # exact, about
        test = f"{num(claimed)} ± {num(tol)}" if tol else f"= {num(claimed)}"
    return f"{computation}: {test} ({label('qualifier_' + qualifier, lang)})"


@dataclass(frozen=True)
class Figure:
    """A claim's figure computed from the data under one definition."""

    definition: str | None  # None: the check names no definition
    computed: float | None
    difference: float | None  # computed - claimed
    agrees: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "definition": self.definition,
            "computed": _plain(self.computed),
            "difference": _plain(self.difference),
            "agrees": self.agrees,
        }


@dataclass(frozen=True)
class CoverageRow:
    """One claim of the coverage table: its status, the claimed and computed figures
    (under every definition the check reports), the dataset and the rule."""

    claim: str
    status: str
    period: str
    claimed: float
    qualifier: str
    unit: str
    scale: float
    currency: str | None
    dataset: str | None
    computation: str | None
    tolerance: float | None
    rule: str | None
    computed: float | None
    difference: float | None
    definition: str | None
    agrees: bool | None
    alternatives: tuple[Figure, ...]
    reason: str
    settle_with: str | None

    @property
    def figures(self) -> list[Figure]:
        """The main figure then each alternative; empty when nothing was computed."""
        if self.computed is None:
            return []
        main = Figure(self.definition, self.computed, self.difference, self.agrees)
        return [main, *self.alternatives]

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-ready data (a missing number is ``None``)."""
        out: dict[str, Any] = {"claim": self.claim}
        for key in STATUS_KEYS:
            value = getattr(self, key)
            if key == "alternatives":
                value = [a.to_dict() for a in value]
            out[key] = _plain(value)
        return out


def coverage_row(result: VerificationResult) -> CoverageRow:
    """The coverage-table row of one verification result."""
    alternatives = tuple(
        Figure(
            definition=a.get("definition"),
            computed=a.get("computed"),
            difference=a.get("difference"),
            agrees=a.get("agrees"),
        )
        for a in result.alternatives
    )
    return CoverageRow(
        claim=result.claim,
        status=result.status,
        period=result.period,
        claimed=result.claimed,
        qualifier=result.qualifier,
        unit=result.unit,
        scale=result.scale,
        currency=result.currency,
        dataset=result.dataset,
        computation=result.computation,
        tolerance=result.tolerance,
        rule=rule_text(result.computation, result.qualifier, result.claimed, result.tolerance),
        computed=result.computed,
        difference=result.difference,
        definition=result.definition,
        agrees=result.agrees,
        alternatives=alternatives,
        reason=result.reason,
        settle_with=result.settle_with,
    )


@dataclass(frozen=True)
class Verification:
    """The claims checked against the datasets (``powerbalance verify``)."""

    results: list[VerificationResult]
    summary: dict[str, int]  # claims by status, among ``results``
    warnings: tuple[str, ...] = field(default=())

    @property
    def coverage(self) -> list[CoverageRow]:
        """The coverage table: one row per claim, in the order of ``results``."""
        return [coverage_row(r) for r in self.results]

    def to_dict(self) -> dict[str, Any]:
        """What ``verify --json`` prints: ``summary`` and ``results`` (every field of each
        check) and ``coverage`` (the table: ``claims``, ``totals`` by status, ``rows``)."""
        return {
            "summary": dict(self.summary),
            "results": [r.to_dict() for r in self.results],
            "coverage": {
                "claims": len(self.results),
                "totals": dict(self.summary),
                "rows": [row.to_dict() for row in self.coverage],
            },
        }


def verify(
    evidence: Evidence, registered: Registered | None = None, query: VerifyQuery | None = None
) -> Verification:
    """Check every claim of ``evidence`` against the registered datasets.

    Verified, depends on the definition (every figure with its definition),
    contradicted (with both numbers) or unverifiable (and the dataset that
    would settle it); with ``query.status`` only the claims of that status
    (and the summary counts only them).

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> v = verify(load_corpus())
    >>> v.summary["verified"], v.summary["unverifiable"] == len(v.results)
    (0, True)
    >>> row = v.coverage[0]
    >>> row.status, row.figures
    ('unverifiable', [])
    """
    from powerbalance.datasets.registry import DataSources
    from powerbalance.indicators.verification import summary
    from powerbalance.indicators.verification import verify as check

    query = query or VerifyQuery()
    caught: list[str] = []
    with _collect_warnings(caught):
        data = DataSources(data_dir=query.data_dir, registered=registered)
        results = check(evidence.claims(), data)
    if query.status:
        results = [r for r in results if r.status == query.status]
    return Verification(results=results, summary=summary(results), warnings=tuple(caught))


def _plain(value: Any) -> Any:
    """NaN and infinity as ``None`` (missing is not zero)."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def claim_statuses(evidence: Evidence, registered: Registered) -> dict[str, dict[str, Any]]:
    """Every claim checked against the registered datasets, by claim id.

    Each entry is the claim's row of the coverage table (:class:`CoverageRow`,
    the keys of :data:`STATUS_KEYS`): ``status`` (``verified``,
    ``depends_on_definition``, ``contradicted``, ``unverifiable``), ``dataset``,
    ``computation``, ``computed``, ``difference``, ``reason``, ``settle_with``
    (the dataset that would settle an unverifiable claim), the claimed figure
    (``claimed``, ``unit``, ``scale``, ``currency``, ``qualifier``, ``period``),
    the rule (``tolerance``, ``rule``) and the definitions (``definition`` and
    ``agrees`` of the main figure, ``alternatives``: each other definition's
    ``definition``, ``computed``, ``difference`` and ``agrees``); a missing
    number is ``None``.

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> statuses = claim_statuses(load_corpus(), {})
    >>> entry = next(iter(statuses.values()))
    >>> list(entry) == list(STATUS_KEYS), entry["status"], entry["alternatives"]
    (True, 'unverifiable', [])
    """
    from powerbalance.datasets.registry import DataSources
    from powerbalance.indicators.verification import verify as check

    out: dict[str, dict[str, Any]] = {}
    for r in check(evidence.claims(), DataSources(registered=registered)):
        row = coverage_row(r).to_dict()
        out[r.claim] = {k: row[k] for k in STATUS_KEYS}
    return out
