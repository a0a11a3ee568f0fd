"""The history use case: ``powerbalance history``, the History page and the report's section.

The triangle of the USA, the USSR/Russia and the PRC year by year from data:
the channels' relations (:func:`powerbalance.relations.history.channel_relations`:
UN votes, alliances, disputes, rivalries, arms, trade, dated events, GDELT),
fused into three ties a year by a versioned rule the user can change
(:mod:`powerbalance.theory.history`), each year's configuration and roles
(Dittmer 1981) and the transitions with the channels that drove them.

:func:`history_query` checks a request before any work; :func:`history` runs it
on a :class:`~powerbalance.datasets.registry.DataSources` and the evidence;
:func:`store_history` does both from an open store. :func:`history_of_relations`
is the same reading of relations already made (tests, notebooks).
:func:`write_plot` draws the timeline with matplotlib (PNG or SVG).
Results are dataclasses with ``to_dict()`` (the JSON of ``--json``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from powerbalance.actors import TIE_POSITIONS, TRIANGLE
from powerbalance.errors import UserError, suggest

if TYPE_CHECKING:
    from powerbalance.datasets.registry import DataSources
    from powerbalance.evidence.collection import Evidence
    from powerbalance.evidence.store import Store
    from powerbalance.relations.base import Relation
    from powerbalance.theory.history import FusionRule, History
    from powerbalance.theory.triangle import TriangleReading

__all__ = [
    "FIRST_YEAR",
    "PLOT_FORMATS",
    "HistoryQuery",
    "HistoryResult",
    "YearDetail",
    "channel_names",
    "history",
    "history_of_relations",
    "history_query",
    "store_history",
    "write_plot",
    "year_detail",
]

#: The first year a history may start: the UN's first session (1946).
FIRST_YEAR = 1946
#: The formats ``--plot`` writes.
PLOT_FORMATS = ("png", "svg")

#: Called with (channels done, channels in all) while the channels are read.
Progress = Callable[[int, int], None]


def channel_names() -> tuple[str, ...]:
    """The channels of :data:`powerbalance.relations.history.CHANNELS`, in order."""
    from powerbalance.relations.history import CHANNELS

    return tuple(CHANNELS)


def last_year() -> int:
    """The last year a history may end: the current year."""
    return date.today().year


@dataclass(frozen=True)
class HistoryQuery:
    """A checked request for the history (make one with :func:`history_query`)."""

    start: int = FIRST_YEAR
    end: int = 2025
    channels: tuple[str, ...] = ()
    rule: FusionRule | None = None
    data_dir: Path | None = None
    plot: Path | None = None


def _split_channels(channels: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in channels:
        out.extend(p.strip() for p in str(item).split(",") if p.strip())
    return out


def history_query(
    *,
    start: int = FIRST_YEAR,
    end: int = 2025,
    channels: Sequence[str] | None = None,
    rule: str | Path | None = None,
    data_dir: str | Path | None = None,
    plot: str | Path | None = None,
) -> HistoryQuery:
    """Check a history request before any work: years, channels, the rule file, folder, plot.

    Parameters
    ----------
    start, end
        First and last year (``--from``, ``--to``), from 1946 to the current year.
    channels
        Channel names (``--channels``; comma-separated values are split); None or
        empty: every channel.
    rule
        A fusion-rule TOML file (``--rule``); None: the bundled rule.
    data_dir
        A folder searched for dataset files before the registered ones.
    plot
        A PNG or SVG file to draw the timeline into; its folder must exist.

    Raises
    ------
    UserError
        For years outside the range or in the wrong order, an unknown channel, a
        missing folder or a plot of another format; a bad rule file is a
        :class:`~powerbalance.theory.history.HistoryRuleError` naming its line and field.
    """
    from powerbalance.datasets.registry import check_data_dir
    from powerbalance.theory.history import load_rule

    last = last_year()
    for option, year in (("--from", start), ("--to", end)):
        if not FIRST_YEAR <= year <= last:
            raise UserError(
                f"{option} {year} is outside the history; give a year from {FIRST_YEAR} "
                f"(the UN's first session) to {last}"
            )
    if start > end:
        raise UserError(f"--from {start} is after --to {end}; give the earlier year first")
    known = channel_names()
    wanted = _split_channels(channels or [])
    for ch in wanted:
        if ch not in known:
            close = suggest(ch, known)
            raise UserError(
                f"--channels: unknown channel '{ch}'; "
                + (f"did you mean {', '.join(close)}? " if close else "")
                + f"the channels are {', '.join(known)}"
            )
    plot_path = None
    if plot is not None:
        plot_path = Path(plot).expanduser()
        fmt = plot_path.suffix.lstrip(".").lower()
        if fmt not in PLOT_FORMATS:
            raise UserError(
                f"--plot {plot}: a plot is written as .png or .svg; name the file so "
                "(e.g. --plot history.png)"
            )
        if not plot_path.parent.is_dir():
            raise UserError(
                f"--plot {plot}: the folder {plot_path.parent} does not exist; create it first"
            )
    return HistoryQuery(
        start=start,
        end=end,
        channels=tuple(dict.fromkeys(wanted)) or known,
        rule=load_rule(rule, known_channels=known),
        data_dir=check_data_dir(data_dir),
        plot=plot_path,
    )


@dataclass(frozen=True)
class HistoryResult:
    """The triangle through time, with which channels ran and how long each took."""

    history: History
    channels_run: tuple[str, ...]
    channels_missing: Mapping[str, str]
    seconds: Mapping[str, float] = field(default_factory=dict)
    events: tuple[Mapping[str, Any], ...] = ()
    datasets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    coverage: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def rule(self) -> str:
        return self.history.rule.id

    def timeline(self) -> list[dict[str, Any]]:
        """The runs of years with one configuration and the same roles."""
        return self.history.periods()

    def to_dict(self) -> dict[str, Any]:
        out = self.history.to_dict()
        return {
            "rule": out["rule"],
            "start": out["start"],
            "end": out["end"],
            "actors": out["actors"],
            "channels_run": list(self.channels_run),
            "channels_missing": dict(self.channels_missing),
            "seconds": {k: round(v, 4) for k, v in self.seconds.items()},
            "datasets": {k: list(v) for k, v in self.datasets.items()},
            "coverage": {k: list(v) for k, v in self.coverage.items()},
            "years": out["years"],
            "periods": out["periods"],
            "transitions": out["transitions"],
            "events": [dict(e) for e in self.events],
        }


def marked_events(
    evidence: Evidence | None, *, start: int, end: int, actors: Sequence[str] = TRIANGLE
) -> tuple[dict[str, Any], ...]:
    """The evidence's dated events between two or three of ``actors`` in ``start..end``
    (the figure's marks)."""
    if evidence is None:
        return ()
    out = []
    for e in evidence.events:
        between = [a for a in e.actors if a in actors]
        if len(between) >= 2 and start <= e.date.year <= end:
            out.append(
                {
                    "id": e.id,
                    "date": e.date.isoformat(),
                    "year": e.date.year,
                    "kind": e.kind,
                    "actors": between,
                    "text": e.summary,
                    "source": e.source,
                }
            )
    out.sort(key=lambda e: (e["date"], e["id"]))
    return tuple(out)


def history_of_relations(
    relations: Iterable[Relation],
    *,
    start: int,
    end: int,
    rule: FusionRule | None = None,
    channels_run: Sequence[str] = (),
    channels_missing: Mapping[str, str] | None = None,
    seconds: Mapping[str, float] | None = None,
    evidence: Evidence | None = None,
) -> HistoryResult:
    """Read the history of relations already made (``rule`` None: the bundled rule).

    Examples
    --------
    >>> from powerbalance.relations.base import Relation
    >>> rels = [Relation(a, b, s, 0.7, "disputes", "d-v1", "1969")
    ...         for a, b, s in (("USA", "RUS", -1), ("USA", "CHN", -1), ("RUS", "CHN", -1))]
    >>> result = history_of_relations(rels, start=1969, end=1969)
    >>> result.history.year(1969).configuration, result.rule
    ('unit veto', 'history-fusion-v1')
    """
    from powerbalance.theory.history import load_rule, read_history

    rule = rule or load_rule()
    history_ = read_history(relations, rule, start=start, end=end)
    run = tuple(channels_run) or tuple(
        dict.fromkeys(
            c.channel for y in history_.years for t in y.ties if t for c in t.contributions
        )
    )
    return HistoryResult(
        history=history_,
        channels_run=run,
        channels_missing=dict(channels_missing or {}),
        seconds=dict(seconds or {}),
        events=marked_events(evidence, start=start, end=end),
    )


def history(
    query: HistoryQuery,
    data: DataSources,
    evidence: Evidence,
    *,
    progress: Progress | None = None,
) -> HistoryResult:
    """The triangle through time from the datasets and the evidence (``powerbalance history``).

    The channels of ``query.channels`` are read by
    :func:`powerbalance.relations.history.channel_relations` (the time of each is
    kept in ``seconds``, with ``fusion`` for the rest); a channel whose datasets are
    not registered or found is left out and named in ``channels_missing`` with the
    reason.
    """
    from powerbalance.relations.history import channel_relations
    from powerbalance.theory.history import load_rule

    relations, run = channel_relations(
        data,
        evidence,
        start=query.start,
        end=query.end,
        channels=list(query.channels) or None,
        progress=progress,
    )
    t0 = time.perf_counter()
    result = history_of_relations(
        relations,
        start=query.start,
        end=query.end,
        rule=query.rule or load_rule(),
        channels_run=run.channels_run,
        channels_missing=run.channels_missing,
        evidence=evidence,
    )
    return replace(
        result,
        seconds={**run.seconds, "fusion": time.perf_counter() - t0},
        datasets={k: tuple(v) for k, v in run.datasets.items()},
        coverage={k: (int(v[0]), int(v[1])) for k, v in run.coverage.items()},
    )


def store_history(
    store: Store, query: HistoryQuery, *, progress: Progress | None = None
) -> HistoryResult:
    """:func:`history` with the store's registered datasets (and ``query.data_dir``) and evidence."""
    from powerbalance.datasets.registry import DataSources

    data = DataSources.from_store(store, data_dir=query.data_dir)
    return history(query, data, store.evidence(), progress=progress)


def registered_history(
    registered: Mapping[str, Mapping[str, Any]] | None,
    evidence: Evidence,
    query: HistoryQuery | None = None,
) -> HistoryResult:
    """:func:`history` from a store's registrations (already read) and its evidence:
    what the dashboard and the report show."""
    from powerbalance.datasets.registry import DataSources

    query = query or history_query()
    data = DataSources(data_dir=query.data_dir, registered=registered)
    return history(query, data, evidence)


# --- one year ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearDetail:
    """One year: its ties with every channel's contribution, and its full triangle reading."""

    year: int
    reading: dict[str, Any]
    triangle: TriangleReading | None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.reading,
            "triangle": self.triangle.to_dict() if self.triangle is not None else None,
            "problem": self.problem,
        }


def year_detail(result: HistoryResult, year: int) -> YearDetail:
    """A year of ``result`` with its triangle (roles, arithmetic, moves); a year outside the
    history is a :class:`~powerbalance.errors.UserError`."""
    from powerbalance.theory.history import year_triangle
    from powerbalance.theory.triangle import TriangleError

    h = result.history
    if not h.start <= year <= h.end:
        raise UserError(
            f"year {year} is outside the history; give a year from {h.start} to {h.end}"
        )
    reading = h.year(year)
    try:
        triangle = year_triangle(h, year)
        problem = None
    except TriangleError:
        triangle = None
        missing = reading.to_dict(h.actors)["ties_missing"]
        problem = f"no channel has information on {', '.join(missing)} in {year}"
    return YearDetail(year, reading.to_dict(h.actors), triangle, problem)


# --- the figure (matplotlib) ------------------------------------------------------------------

#: The colour of each configuration's span (prose names of the triangle module).
CONFIGURATION_COLOURS = {
    "unit veto": "#cf222e",
    "stable marriage": "#9a6700",
    "romantic triangle": "#0969da",
    "menage a trois": "#1a7f37",
}
#: The colour of each channel's band.
CHANNEL_COLOURS = {
    "un_votes": "#0969da",
    "alliances": "#1a7f37",
    "disputes": "#cf222e",
    "rivalries": "#8250df",
    "arms": "#bc4c00",
    "trade": "#9a6700",
    "events": "#57606a",
    "gdelt": "#1b7c83",
}


def write_plot(result: HistoryResult, path: str | Path) -> Path:
    """Draw the timeline into ``path`` (PNG or SVG): each tie's fused signed strength with its
    uncertainty and the channels' contributions as stacked bands, the configurations as
    coloured spans, and the evidence's dated events as marks."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    out = Path(path)
    fmt = out.suffix.lstrip(".").lower()
    if fmt not in PLOT_FORMATS:
        raise UserError(f"--plot {path}: a plot is written as .png or .svg")
    h = result.history
    fig = Figure(figsize=(12, 9), layout="constrained")
    axes = fig.subplots(4, 1, sharex=True, height_ratios=[1, 3, 3, 3])
    span_ax = axes[0]
    for p in h.periods():
        if p["configuration"] is None:
            continue
        colour = CONFIGURATION_COLOURS.get(p["configuration"], "#cccccc")
        span_ax.axvspan(p["start"] - 0.5, p["end"] + 0.5, color=colour, alpha=0.75, lw=0)
    span_ax.set_yticks([])
    span_ax.set_title(f"The triangle through time ({h.rule.id})", loc="left")
    span_ax.legend(
        handles=[Patch(color=c, label=k) for k, c in CONFIGURATION_COLOURS.items()],
        loc="upper left",
        ncols=4,
        fontsize=8,
        bbox_to_anchor=(0, -0.05),
        frameon=False,
    )
    for e in result.events:
        span_ax.axvline(e["year"], color="black", lw=0.6, alpha=0.5)
    channels = list(dict.fromkeys([*result.channels_run, *h.rule.channels]))
    years = [y.year for y in h.years]
    for k, ax in enumerate(axes[1:]):
        ties = [y.ties[k] for y in h.years]
        i, j = TIE_POSITIONS[k]
        label = f"{h.actors[i]}–{h.actors[j]}"
        pos = [0.0] * len(years)
        neg = [0.0] * len(years)
        for ch in channels:
            values = [t.contribution(ch) if t is not None else 0.0 for t in ties]
            if not any(values):
                continue
            up = [max(v, 0.0) for v in values]
            down = [min(v, 0.0) for v in values]
            colour = CHANNEL_COLOURS.get(ch, "#999999")
            ax.bar(years, up, bottom=pos, color=colour, alpha=0.45, width=1.0, label=ch)
            ax.bar(years, down, bottom=neg, color=colour, alpha=0.45, width=1.0)
            pos = [a + b for a, b in zip(pos, up, strict=True)]
            neg = [a + b for a, b in zip(neg, down, strict=True)]
        # NaN where the tie has no information: the line and the band break there
        xs = years
        vs = [t.value if t is not None else float("nan") for t in ties]
        us = [t.uncertainty if t is not None else float("nan") for t in ties]
        ax.fill_between(
            xs,
            [v - u for v, u in zip(vs, us, strict=True)],
            [v + u for v, u in zip(vs, us, strict=True)],
            color="black",
            alpha=0.08,
            lw=0,
        )
        ax.plot(xs, vs, color="black", lw=1.6, label="fused tie")
        ax.axhline(0, color="black", lw=0.5)
        ax.set_ylim(-1.05, 1.05)
        ax.set_ylabel(f"{label}\nsigned strength")
        for e in result.events:
            if {h.actors[i], h.actors[j]} <= set(e["actors"]):
                ax.axvline(e["year"], color="black", lw=0.6, ls=":", alpha=0.6)
        if k == 0:
            ax.legend(loc="upper left", ncols=5, fontsize=7, frameon=False)
    axes[-1].set_xlabel("year")
    fig.savefig(out, format=fmt, dpi=110 if fmt == "png" else None)
    return out


# --- what the History page and the report show ------------------------------------------------


def history_view(result: HistoryResult, *, year: int | None = None) -> dict[str, Any]:
    """The history as plain data for the History page and the report.

    Every year with its ties (sign, value, strength, uncertainty, contested, each
    channel's contribution) but without the evidence ids, which only the chosen
    ``year``'s detail carries (with its full triangle reading); the periods, the
    transitions, the marked events, the channels run and missing, and the rule.
    A ``year`` outside the history gets no detail but ``year_problem`` saying so.
    """
    data = result.to_dict()
    in_range = year is not None and data["start"] <= year <= data["end"]
    years = []
    for y in data["years"]:
        years.append(
            {
                "year": y["year"],
                "configuration": y["configuration"],
                "roles": y["roles"],
                "contested": y["contested"],
                "ties_missing": y["ties_missing"],
                "ties": [
                    {
                        k: t[k]
                        for k in (
                            "tie",
                            "a",
                            "b",
                            "sign",
                            "strength",
                            "value",
                            "uncertainty",
                            "triangle_sign",
                            "basis",
                            "contested",
                        )
                    }
                    | {
                        "contributions": {
                            c["channel"]: c["contribution"] for c in t["contributions"]
                        }
                    }
                    for t in y["ties"]
                ],
            }
        )
    channels = list(
        dict.fromkeys(
            [
                *data["channels_run"],
                *(c for y in years for t in y["ties"] for c in t["contributions"]),
            ]
        )
    )
    return {
        "rule": data["rule"],
        "start": data["start"],
        "end": data["end"],
        "actors": data["actors"],
        "channels": channels,
        "channels_run": data["channels_run"],
        "channels_missing": data["channels_missing"],
        "years": years,
        "periods": data["periods"],
        "transitions": data["transitions"],
        "events": data["events"],
        "complete_years": sum(1 for y in years if y["configuration"]),
        "year": year_detail(result, year).to_dict() if year is not None and in_range else None,
        "year_problem": None
        if year is None or in_range
        else f"year {year} is outside the history; choose a year from {data['start']} to {data['end']}",
    }
