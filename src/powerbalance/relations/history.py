"""The triangle through time: one relation per dyad, year and channel, from data (issue 18).

:func:`channel_relations` returns, for the three dyads of the triangle
(USA–RUS, USA–CHN, RUS–CHN; ``RUS`` stands for the Soviet Union before 1992,
by COW code 365, and ``CHN`` for the People's Republic from 1949), one
:class:`~powerbalance.relations.base.Relation` per year and channel **where the
channel has information**. A channel that has information saying "neutral"
gives sign 0; a year the channel's data do not cover gives no relation at all
(missing is not zero). Every relation names its rule with a version suffix.

The channels, in order (:data:`CHANNELS`), and their rules (``docs/history-channels.md``
gives the arithmetic and the choices):

- ``un_votes`` (``un-votes-kappa-v1``): Cohen's kappa of the pair's UN votes in the year;
- ``alliances`` (``alliances-atop-cow-v1``): ATOP 5.1 and COW alliance obligations;
- ``disputes`` (``disputes-mid-war-v1``): militarized disputes (COW MID 5.0, GML) and
  inter-state wars (COW);
- ``rivalries`` (``rivalries-thompson-v1``): strategic rivalries (Thompson et al.);
- ``arms`` (``arms-sipri-tiv-v1``): SIPRI TIV between the pair relative to the
  recipient's imports;
- ``trade`` (``trade-dependence-v1``): the pair's trade as a share of each side's trade;
- ``events`` (``events-kind-decay-v1``): dated events of the evidence store, signed by
  kind and decaying over the following years;
- ``gdelt`` (``gdelt-net-cooperation-v1``): yearly net cooperation of a registered
  GDELT event series.

A channel whose datasets are neither registered nor found under ``--data-dir``
(or whose registered file can no longer be read) is skipped and reported in
:class:`ChannelRun` (with the time each channel took).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from powerbalance.datasets.errors import DatasetNotRegistered
from powerbalance.datasets.registry import DataSources
from powerbalance.errors import InputFileError, UserError
from powerbalance.evidence import Evidence
from powerbalance.relations.base import Relation

__all__ = [
    "ACTOR_COW",
    "CHANNELS",
    "DYADS",
    "EVENT_RULES",
    "RULES",
    "ChannelRun",
    "alliance_relations",
    "arms_relations",
    "channel_relations",
    "dispute_relations",
    "event_relations",
    "gdelt_relations",
    "rivalry_relations",
    "trade_relations",
    "un_vote_relations",
]

#: The channels, in the order they are computed and shown.
CHANNELS: tuple[str, ...] = (
    "un_votes",
    "alliances",
    "disputes",
    "rivalries",
    "arms",
    "trade",
    "events",
    "gdelt",
)

#: The rule (with its version) of each channel.
RULES: dict[str, str] = {
    "un_votes": "un-votes-kappa-v1",
    "alliances": "alliances-atop-cow-v1",
    "disputes": "disputes-mid-war-v1",
    "rivalries": "rivalries-thompson-v1",
    "arms": "arms-sipri-tiv-v1",
    "trade": "trade-dependence-v1",
    "events": "events-kind-decay-v1",
    "gdelt": "gdelt-net-cooperation-v1",
}

#: COW codes of the evidence ids (Soviet succession: 365 is the USSR, then Russia).
ACTOR_COW: dict[str, int] = {"USA": 2, "RUS": 365, "CHN": 710}
#: The three dyads, in the order of :data:`powerbalance.actors.TRIANGLE` pairs.
DYADS: tuple[tuple[str, str], ...] = (("USA", "RUS"), ("USA", "CHN"), ("RUS", "CHN"))
#: The People's Republic of China is proclaimed on 1 October 1949; COW code 710 before is the Republic.
PRC_FIRST_YEAR = 1949
#: The PRC holds China's UN seat from 25 October 1971 (General Assembly resolution 2758).
UN_SEAT_FIRST_YEAR = 1971
#: Years a history may ask for: the COW state system's start to next year.
FIRST_YEAR = 1816

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ChannelRun:
    """Which channels ran, which were missing (and why), and what each took.

    Attributes
    ----------
    channels_run
        The channels computed, in :data:`CHANNELS` order.
    channels_missing
        Channel -> the reason it was skipped (the datasets it needs and how to register them).
    seconds
        Wall time of each channel that ran, in seconds.
    datasets
        Channel -> the dataset ids it read.
    coverage
        Channel -> (first, last) year its data cover within the request.
    """

    channels_run: tuple[str, ...]
    channels_missing: dict[str, str]
    seconds: dict[str, float] = field(default_factory=dict)
    datasets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    coverage: dict[str, tuple[int, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "channels_run": list(self.channels_run),
            "channels_missing": dict(self.channels_missing),
            "seconds": {k: round(v, 4) for k, v in self.seconds.items()},
            "datasets": {k: list(v) for k, v in self.datasets.items()},
            "coverage": {k: list(v) for k, v in self.coverage.items()},
            "rules": {c: RULES[c] for c in self.channels_run},
        }


class _Missing(Exception):
    """A channel cannot run: none of its datasets is available (internal)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Out:
    """What a channel function returns: relations, the datasets read and the years covered."""

    relations: list[Relation]
    datasets: tuple[str, ...]
    coverage: tuple[int, int] | None


# --- helpers --------------------------------------------------------------------------------


def _dyad_years(a: str, b: str, start: int, end: int, first: int | None = None) -> range:
    """The years of the request in which the dyad exists (the PRC from 1949)."""
    low = start
    if "CHN" in (a, b):
        low = max(low, PRC_FIRST_YEAR)
    if first is not None:
        low = max(low, first)
    return range(low, end + 1)


def _pair_codes(a: str, b: str) -> tuple[int, int]:
    x, y = ACTOR_COW[a], ACTOR_COW[b]
    return (x, y) if x < y else (y, x)


def _sign(value: float, dead_band: float) -> int:
    if abs(value) < dead_band:
        return 0
    return 1 if value > 0 else -1


def _clip01(x: float) -> float:
    return float(min(1.0, max(0.0, x)))


def _triangle_rows(frame: pd.DataFrame, c1: str = "ccode1", c2: str = "ccode2") -> pd.DataFrame:
    codes = list(ACTOR_COW.values())
    return frame[frame[c1].isin(codes) & frame[c2].isin(codes) & (frame[c1] != frame[c2])]


def _need(data: DataSources, channel: str, ids: Sequence[str]) -> list[str]:
    """The available datasets among ``ids``, or :class:`_Missing` naming them all."""
    found = [d for d in ids if data.available(d)]
    if not found:
        listed = ", ".join(ids)
        raise _Missing(
            f"no dataset for the {channel} channel is registered ({listed}); "
            f"register one with `powerbalance data add ID PATH` or pass --data-dir FOLDER"
        )
    return found


def _records(
    frame: pd.DataFrame, keys: Sequence[str]
) -> dict[tuple[int, ...], list[dict[str, Any]]]:
    """The rows of ``frame`` as dicts, grouped by the whole-number values of ``keys``."""
    out: dict[tuple[int, ...], list[dict[str, Any]]] = {}
    for row in frame.to_dict("records"):
        record = {str(k): v for k, v in row.items()}
        out.setdefault(tuple(int(record[k]) for k in keys), []).append(record)
    return out


def _coverage(frame: pd.DataFrame, column: str = "year") -> tuple[int, int]:
    cov = frame.attrs.get("coverage")
    if cov:
        return int(cov[0]), int(cov[1])
    years = frame[column].dropna()
    return int(years.min()), int(years.max())


# --- un_votes -------------------------------------------------------------------------------

#: |kappa| at which the UN-vote tie reaches full strength ("moderate" agreement, Landis and Koch 1977).
KAPPA_FULL = 0.5
UN_DEAD_BAND = 0.05
UN_MIN_VOTES = 10


def un_vote_relations(
    votes: pd.DataFrame,
    *,
    start: int,
    end: int,
    ideal_points: pd.DataFrame | None = None,
    min_votes: int = UN_MIN_VOTES,
) -> list[Relation]:
    """The ``un_votes`` channel (rule ``un-votes-kappa-v1``) from ``rcid, ccode, year, vote``.

    For each dyad and calendar year with at least ``min_votes`` roll calls both
    voted on (yes, abstain or no), kappa is Cohen's kappa of the pair's votes;
    sign = sign(kappa) outside the dead band |kappa| < 0.05, strength =
    min(1, |kappa| / 0.5). A year with fewer common votes gives no relation.
    China's seat is the PRC's only from 1971: earlier years give no CHN relation.
    The components keep kappa, S, plain agreement, the number of common votes
    and, when ideal points are given, the distance of the pair's ideal points
    with the mean distance of all pairs of states that year.

    Examples
    --------
    >>> v = pd.DataFrame({"rcid": list(range(12)) * 2, "ccode": [2] * 12 + [365] * 12,
    ...                   "year": [1980] * 24, "vote": [1] * 12 + [1] * 6 + [3] * 6})
    >>> r = un_vote_relations(v, start=1980, end=1980)[0]
    >>> (r.a, r.b, r.sign, r.strength, r.components["agree"])
    ('USA', 'RUS', 0, 0.0, 0.5)
    """
    from powerbalance.indicators.alignment import dyadic_alignment

    codes = sorted(ACTOR_COW.values())
    window = votes[(votes["year"] >= start) & (votes["year"] <= end) & votes["ccode"].isin(codes)]
    if window.empty:
        return []
    measures = _records(dyadic_alignment(window, states=codes), ("ccode1", "ccode2", "year"))
    ideal = _ideal_distances(ideal_points, start, end) if ideal_points is not None else {}
    out: list[Relation] = []
    for a, b in DYADS:
        lo, hi = _pair_codes(a, b)
        first = UN_SEAT_FIRST_YEAR if "CHN" in (a, b) else None
        for year in _dyad_years(a, b, start, end, first):
            found = measures.get((lo, hi, year))
            if not found:
                continue
            row = found[0]
            n = float(row["votes_common"])
            kappa = float(row["kappa"])
            if n < min_votes or math.isnan(kappa):
                continue
            sign = _sign(kappa, UN_DEAD_BAND)
            comp = {
                "kappa": kappa,
                "s_score": float(row["s_score"]),
                "agree": float(row["agree"]),
                "votes_common": n,
                "kappa_full": KAPPA_FULL,
            }
            comp.update(ideal.get((lo, hi, year), {}))
            out.append(
                Relation(
                    a,
                    b,
                    sign,
                    _clip01(abs(kappa) / KAPPA_FULL) if sign else 0.0,
                    "un_votes",
                    RULES["un_votes"],
                    str(year),
                    comp,
                    (f"unvotes:{year}",),
                )
            )
    return out


def _ideal_distances(
    ideal: pd.DataFrame, start: int, end: int
) -> dict[tuple[int, int, int], dict[str, float]]:
    column = next(
        (c for c in ("idealpoint_fp", "idealpoint_all", "idealpoint_legacy") if c in ideal), None
    )
    if column is None:
        return {}
    frame = ideal[(ideal["year"] >= start) & (ideal["year"] <= end)].dropna(subset=[column])
    out: dict[tuple[int, int, int], dict[str, float]] = {}
    for key, group in frame.groupby("year"):
        year = int(str(key))
        x = np.sort(group[column].to_numpy(dtype=float))
        n = len(x)
        if n < 2:
            continue
        # mean |x_i - x_j| over pairs, from the sorted values: sum_j x_j (2j - n + 1)
        mean_pair = float((x * (2 * np.arange(n) - n + 1)).sum() / (n * (n - 1) / 2))
        points = dict(zip(group["ccode"].astype(int), group[column].astype(float), strict=False))
        for a, b in DYADS:
            lo, hi = _pair_codes(a, b)
            if "CHN" in (a, b) and year < UN_SEAT_FIRST_YEAR:
                continue
            if lo in points and hi in points:
                out[(lo, hi, year)] = {
                    "ideal_point_distance": abs(points[lo] - points[hi]),
                    "ideal_point_distance_mean_pair": mean_pair,
                }
    return out


def _un_votes(data: DataSources, evidence: Evidence, start: int, end: int) -> _Out:
    from powerbalance.datasets.unga import available_unga, load_un_votes

    bases = [d for d in ("unvotes", "voeten-unvotes") if data.available(d)]
    if not bases and not available_unga(data):
        raise _Missing(
            "no UN vote file is registered (unvotes with unvotes-roll-calls, voeten-unvotes, "
            "or the UN's resolution files unga-74 ... unga-2025); register them with "
            "`powerbalance data add ID PATH` or pass --data-dir FOLDER"
        )
    base = bases[0] if bases else None
    votes = load_un_votes(data, base=base)
    if votes is None:  # pragma: no cover - available() said otherwise
        raise _Missing("the UN vote files could not be read")
    used = ([base] if base else []) + available_unga(data)
    ideal = None
    if data.available("ideal-points"):
        ideal = data.load("ideal-points", purpose="the un_votes channel")
        used.append("ideal-points")
    rels = un_vote_relations(votes, start=start, end=end, ideal_points=ideal)
    cov = (int(votes["year"].min()), int(votes["year"].max()))
    return _Out(rels, tuple(used), cov)


# --- alliances ------------------------------------------------------------------------------

#: Strength of each alliance obligation (amity); the strongest obligation of the year counts.
ALLIANCE_WEIGHTS: dict[str, float] = {
    "defense": 1.0,
    "offense": 0.9,
    "neutral": 0.5,
    "nonagg": 0.3,
    "consul": 0.3,
    "entente": 0.3,
}


def alliance_relations(
    atop: pd.DataFrame | None,
    cow: pd.DataFrame | None,
    *,
    start: int,
    end: int,
) -> list[Relation]:
    """The ``alliances`` channel (rule ``alliances-atop-cow-v1``).

    ``atop`` (``ccode1 < ccode2, year, defense, offense, neutral, nonagg, consul``)
    and ``cow`` (``..., defense, neutral, nonagg, entente``) as their readers give
    them. For each dyad-year within the coverage of at least one of them, the
    strength is the largest :data:`ALLIANCE_WEIGHTS` of the obligations either
    source records (defence pact 1.0, offence 0.9, neutrality 0.5,
    non-aggression, consultation and entente 0.3) with sign +1; a covered year
    with no obligation has sign 0 (not allied). Years after both sources end
    give no relation.

    Examples
    --------
    >>> atop = pd.DataFrame({"ccode1": [365], "ccode2": [710], "year": [1950], "defense": [1],
    ...     "offense": [0], "neutral": [0], "nonagg": [1], "consul": [0]})
    >>> atop.attrs["coverage"] = (1815, 2018)
    >>> [(r.period, r.sign, r.strength) for r in alliance_relations(atop, None, start=1950,
    ...     end=1951) if r.b == "CHN" and r.a == "RUS"]
    [('1950', 1, 1.0), ('1951', 0, 0.0)]
    """
    sources: list[tuple[str, dict[tuple[int, ...], list[dict[str, Any]]], tuple[int, int]]] = []
    for name, frame in (("atop", atop), ("cow", cow)):
        if frame is not None:
            rows = _triangle_rows(frame)
            rows = rows[(rows["year"] >= start) & (rows["year"] <= end)]
            keyed = _records(rows, ("ccode1", "ccode2", "year"))
            sources.append((name, keyed, _coverage(frame)))
    out: list[Relation] = []
    for a, b in DYADS:
        lo, hi = _pair_codes(a, b)
        for year in _dyad_years(a, b, start, end):
            covering = [s for s in sources if s[2][0] <= year <= s[2][1]]
            if not covering:
                continue
            comp: dict[str, float] = {}
            best = 0.0
            evidence: list[str] = []
            for name, keyed_rows, _ in covering:
                comp[f"{name}_covered"] = 1.0
                found = keyed_rows.get((lo, hi, year))
                if not found:
                    continue
                for kind, weight in ALLIANCE_WEIGHTS.items():
                    if any(float(r.get(kind) or 0) > 0 for r in found):
                        comp[f"{name}_{kind}"] = 1.0
                        best = max(best, weight)
                evidence.append(f"{name}-alliance:{lo}-{hi}:{year}")
            comp["strongest_obligation"] = best
            out.append(
                Relation(
                    a,
                    b,
                    1 if best > 0 else 0,
                    best,
                    "alliances",
                    RULES["alliances"],
                    str(year),
                    comp,
                    tuple(evidence),
                )
            )
    return out


def _alliances(data: DataSources, evidence: Evidence, start: int, end: int) -> _Out:
    found = _need(data, "alliances", ("atop-alliance", "cow-alliance"))
    atop = data.load("atop-alliance") if "atop-alliance" in found else None
    cow = data.load("cow-alliance") if "cow-alliance" in found else None
    covs = [_coverage(f) for f in (atop, cow) if f is not None]
    rels = alliance_relations(atop, cow, start=start, end=end)
    return _Out(rels, tuple(found), (min(c[0] for c in covs), max(c[1] for c in covs)))


# --- disputes and wars ------------------------------------------------------------------------

#: Strength of the highest hostility level of the year's disputes (MID codes 1-5).
HOSTILITY_STRENGTH: dict[int, float] = {1: 0.1, 2: 0.2, 3: 0.4, 4: 0.6, 5: 0.8}
#: Added per fatality level (0 none ... 6 over 999 deaths): level 6 adds 0.3.
FATALITY_STEP = 0.05
#: The last year of COW's inter-state war data v4.0 (no war after 2003 is information to 2007).
WAR_DATA_END = 2007


def dispute_relations(
    mids: Sequence[tuple[str, pd.DataFrame]],
    wars: pd.DataFrame | None,
    *,
    start: int,
    end: int,
    war_end: int = WAR_DATA_END,
) -> list[Relation]:
    """The ``disputes`` channel (rule ``disputes-mid-war-v1``).

    ``mids`` are (name, frame) pairs of dispute-dyad-years (``dispnum, ccode1 <
    ccode2, year, hostlev, fatality``); ``wars`` the war-dyad-years of states on
    opposite sides (``warnum, ccode1, ccode2, year, batdeath``). For each
    dyad-year covered by a source: a year of inter-state war between the two
    has sign -1 and strength 1; otherwise the highest hostility level ``h`` of
    the year's disputes in any source gives strength
    ``HOSTILITY_STRENGTH[h] + 0.05 * f`` (``f`` the highest fatality level,
    0-6; a missing level adds nothing), capped at 1, sign -1; a covered year
    without dispute or war has sign 0.

    Examples
    --------
    >>> mid = pd.DataFrame({"dispnum": [1], "ccode1": [365], "ccode2": [710], "year": [1969],
    ...                     "hostlev": [4.0], "fatality": [3.0]})
    >>> mid.attrs["coverage"] = (1816, 2014)
    >>> r = [r for r in dispute_relations([("cow", mid)], None, start=1969, end=1969)
    ...      if r.b == "CHN" and r.a == "RUS"][0]
    >>> r.sign, round(r.strength, 2)
    (-1, 0.75)
    """
    sources = []
    for name, frame in mids:
        rows = _triangle_rows(frame)
        rows = rows[(rows["year"] >= start) & (rows["year"] <= end)]
        sources.append((name, _records(rows, ("ccode1", "ccode2", "year")), _coverage(frame)))
    war_rows: dict[tuple[int, ...], list[dict[str, Any]]] | None = None
    war_cov: tuple[int, int] | None = None
    if wars is not None:
        war_rows = _records(_triangle_rows(wars), ("ccode1", "ccode2", "year"))
        war_cov = (_coverage(wars)[0], max(_coverage(wars)[1], war_end))
    out: list[Relation] = []
    for a, b in DYADS:
        lo, hi = _pair_codes(a, b)
        for year in _dyad_years(a, b, start, end):
            covered = [s for s in sources if s[2][0] <= year <= s[2][1]]
            war_covered = war_cov is not None and war_cov[0] <= year <= war_cov[1]
            if not covered and not war_covered:
                continue
            comp: dict[str, float] = {}
            evidence: list[str] = []
            hostlev = 0.0
            fatality = 0.0
            disputes: set[str] = set()
            for name, keyed_rows, _ in covered:
                comp[f"{name}_covered"] = 1.0
                for row in keyed_rows.get((lo, hi, year), []):
                    disputes.add(f"{name}-mid:{int(row['dispnum'])}")
                    if not pd.isna(row["hostlev"]):
                        hostlev = max(hostlev, float(row["hostlev"]))
                    if not pd.isna(row["fatality"]):
                        fatality = max(fatality, float(row["fatality"]))
            evidence.extend(sorted(disputes))
            at_war = False
            if war_rows is not None and war_covered:
                comp["war_covered"] = 1.0
                hit = war_rows.get((lo, hi, year), [])
                if hit:
                    at_war = True
                    comp["war"] = 1.0
                    deaths = [float(w["batdeath"]) for w in hit if not pd.isna(w["batdeath"])]
                    if deaths:
                        comp["battle_deaths"] = max(deaths)
                    evidence.extend(f"cow-war:{n}" for n in sorted({int(w["warnum"]) for w in hit}))
            comp["disputes"] = float(len(disputes))
            if hostlev:
                comp["hostility_level"] = hostlev
                comp["fatality_level"] = fatality
            if at_war:
                strength = 1.0
            elif hostlev:
                strength = _clip01(
                    HOSTILITY_STRENGTH.get(int(hostlev), 0.1) + FATALITY_STEP * fatality
                )
            else:
                strength = 0.0
            out.append(
                Relation(
                    a,
                    b,
                    -1 if strength > 0 else 0,
                    strength,
                    "disputes",
                    RULES["disputes"],
                    str(year),
                    comp,
                    tuple(evidence),
                )
            )
    return out


def _disputes(data: DataSources, evidence: Evidence, start: int, end: int) -> _Out:
    found = _need(data, "disputes", ("cow-mid-dyadic", "gml-mid-dyadic", "cow-war-inter"))
    mids = [(d.split("-")[0], data.load(d)) for d in found if d != "cow-war-inter"]
    wars = data.load("cow-war-inter") if "cow-war-inter" in found else None
    covs = [_coverage(f) for _, f in mids]
    if wars is not None:
        covs.append((_coverage(wars)[0], max(_coverage(wars)[1], WAR_DATA_END)))
    rels = dispute_relations(mids, wars, start=start, end=end)
    return _Out(rels, tuple(found), (min(c[0] for c in covs), max(c[1] for c in covs)))


# --- rivalries ------------------------------------------------------------------------------

#: Strength of a rivalry-year when every source covering the year codes the rivalry.
RIVALRY_STRENGTH = 0.6


def rivalry_relations(
    sources: Sequence[tuple[str, pd.DataFrame]], *, start: int, end: int
) -> list[Relation]:
    """The ``rivalries`` channel (rule ``rivalries-thompson-v1``).

    ``sources`` are (name, frame) pairs of rivalry spells (``rivalry, ccode1,
    ccode2, start, end``, years inclusive; the frame's ``attrs["coverage"]``
    ends where the source ends). For each dyad-year covered by at least one
    source: sign -1 and strength ``0.6 * k / m`` when ``k`` of the ``m``
    covering sources code a rivalry that year; sign 0 when none does.

    Examples
    --------
    >>> tss = pd.DataFrame({"rivalry": ["China-USSR"], "ccode1": [365], "ccode2": [710],
    ...                     "start": [1958], "end": [1989]})
    >>> tss.attrs["coverage"] = (1494, 2020)
    >>> [(r.period, r.sign, r.strength) for r in rivalry_relations([("tss", tss)],
    ...  start=1989, end=1990) if r.a == "RUS" and r.b == "CHN"]
    [('1989', -1, 0.6), ('1990', 0, 0.0)]
    """
    prepared = [
        (n, _records(_triangle_rows(f), ("ccode1", "ccode2")), _coverage(f, "end"))
        for n, f in sources
    ]
    out: list[Relation] = []
    for a, b in DYADS:
        lo, hi = _pair_codes(a, b)
        for year in _dyad_years(a, b, start, end):
            covering = [p for p in prepared if p[2][0] <= year <= p[2][1]]
            if not covering:
                continue
            comp: dict[str, float] = {"sources": float(len(covering))}
            names: list[str] = []
            hits = 0
            for name, rows, _ in covering:
                spell = [
                    r for r in rows.get((lo, hi), []) if int(r["start"]) <= year <= int(r["end"])
                ]
                comp[f"{name}_rivalry"] = 1.0 if spell else 0.0
                if spell:
                    hits += 1
                    names.extend(f"{name}:{r['rivalry']}" for r in spell)
            comp["sources_coding_rivalry"] = float(hits)
            strength = RIVALRY_STRENGTH * hits / len(covering)
            out.append(
                Relation(
                    a,
                    b,
                    -1 if hits else 0,
                    strength,
                    "rivalries",
                    RULES["rivalries"],
                    str(year),
                    comp,
                    tuple(names),
                )
            )
    return out


def _rivalries(data: DataSources, evidence: Evidence, start: int, end: int) -> _Out:
    found = _need(data, "rivalries", ("tss-rivalries", "td-rivalries"))
    frames = [(d.split("-")[0], data.load(d)) for d in found]
    covs = [_coverage(f, "end") for _, f in frames]
    rels = rivalry_relations(frames, start=start, end=end)
    return _Out(rels, tuple(found), (min(c[0] for c in covs), max(c[1] for c in covs)))


# --- arms -----------------------------------------------------------------------------------

#: Shares of the recipient's arms imports below this are read as no transfer (sign 0).
ARMS_DEAD_BAND = 0.01
#: The smallest denominator of a share, in million TIV: a state importing less than this in
#: a year is not dependent on anyone, and a single small delivery to it must not read as 100%.
ARMS_MIN_IMPORTS = 100.0


def arms_relations(
    transfers: pd.DataFrame, *, start: int, end: int, source: str = "sipri"
) -> list[Relation]:
    """The ``arms`` channel (rule ``arms-sipri-tiv-v1``) from dyadic TIV by year.

    ``transfers`` has ``supplier_cow, recipient_cow, year, tiv`` for **every**
    supplier and recipient (the recipient's total imports are summed from it),
    with ``attrs["coverage"]`` the years it covers. For each dyad-year covered:
    ``share_ab`` is the TIV ``a`` delivered to ``b`` over all TIV ``b`` received
    that year (at least 100 million TIV, :data:`ARMS_MIN_IMPORTS`), ``share_ba``
    likewise; strength = max(share_ab, share_ba) and sign +1 when it reaches
    0.01, else 0 (no transfer, or a negligible one).

    Examples
    --------
    >>> t = pd.DataFrame({"supplier_cow": [365, 2], "recipient_cow": [710, 710],
    ...                   "year": [1955, 1955], "tiv": [300.0, 100.0]})
    >>> t.attrs["coverage"] = (1950, 2021)
    >>> [(r.sign, r.strength) for r in arms_relations(t, start=1955, end=1955)
    ...  if (r.a, r.b) == ("RUS", "CHN")]
    [(1, 0.75)]
    """
    cov = _coverage(transfers)
    frame = transfers[(transfers["year"] >= start) & (transfers["year"] <= end)]
    frame = frame[frame["tiv"].notna()]
    totals = frame.groupby(["recipient_cow", "year"])["tiv"].sum()
    codes = list(ACTOR_COW.values())
    pair = frame[frame["supplier_cow"].isin(codes) & frame["recipient_cow"].isin(codes)]
    flows = pair.groupby(["supplier_cow", "recipient_cow", "year"])["tiv"].sum()
    out: list[Relation] = []
    for a, b in DYADS:
        ca, cb = ACTOR_COW[a], ACTOR_COW[b]
        for year in _dyad_years(a, b, max(start, cov[0]), min(end, cov[1])):
            comp: dict[str, float] = {}
            shares = []
            for x, y, label in ((ca, cb, f"{a}_to_{b}"), (cb, ca, f"{b}_to_{a}")):
                tiv = float(flows.get((x, y, year), 0.0))
                total = float(totals.get((y, year), 0.0))
                comp[f"tiv_{label}"] = tiv
                comp[f"imports_total_{label.split('_to_')[1]}"] = total
                share = tiv / max(total, ARMS_MIN_IMPORTS)
                comp[f"share_{label}"] = share
                shares.append(share)
            strength = max(shares)
            sign = 1 if strength >= ARMS_DEAD_BAND else 0
            out.append(
                Relation(
                    a,
                    b,
                    sign,
                    _clip01(strength) if sign else 0.0,
                    "arms",
                    RULES["arms"],
                    str(year),
                    comp,
                    (f"{source}:{year}",),
                )
            )
    return out


def _arms(data: DataSources, evidence: Evidence, start: int, end: int) -> _Out:
    found = _need(data, "arms", ("sipri-register", "sipri-dyadic-tiv"))
    rels: list[Relation] = []
    covs: list[tuple[int, int]] = []
    # the register (deal level, to the latest year) first; the dyadic table for earlier years
    if "sipri-register" in found:
        reg = data.load("sipri-register")
        cov = _coverage(reg)
        rels += arms_relations(reg, start=start, end=end, source="sipri-register")
        covs.append(cov)
        reg_first = cov[0]
    else:
        reg_first = end + 1
    if "sipri-dyadic-tiv" in found:
        dy = data.load("sipri-dyadic-tiv")
        cov = _coverage(dy)
        last = min(end, reg_first - 1) if "sipri-register" in found else end
        if last >= start:
            rels += arms_relations(dy, start=start, end=last, source="sipri-dyadic-tiv")
        covs.append(cov)
    rels.sort(key=lambda r: (DYADS.index((r.a, r.b)), int(r.period or 0)))
    return _Out(rels, tuple(found), (min(c[0] for c in covs), max(c[1] for c in covs)))


# --- trade ----------------------------------------------------------------------------------

#: Trade shares below this are read as negligible trade (sign 0).
TRADE_DEAD_BAND = 0.01
#: Interdependence is weak amity: the strength is the larger share, capped here.
TRADE_MAX_STRENGTH = 0.5


def _trade_relation(
    a: str, b: str, year: int, bilateral: float, total_a: float, total_b: float, source: str
) -> Relation | None:
    """One trade relation from the pair's two-way trade and each side's total trade."""
    comp: dict[str, float] = {"bilateral_trade": bilateral}
    shares = []
    for side, total in ((a, total_a), (b, total_b)):
        if total and total > 0 and not math.isnan(total):
            comp[f"total_trade_{side}"] = total
            comp[f"share_of_{side}"] = bilateral / total
            shares.append(bilateral / total)
    if not shares or math.isnan(bilateral):
        return None
    strength = min(TRADE_MAX_STRENGTH, max(shares))
    sign = 1 if max(shares) >= TRADE_DEAD_BAND else 0
    return Relation(
        a,
        b,
        sign,
        _clip01(strength) if sign else 0.0,
        "trade",
        RULES["trade"],
        str(year),
        comp,
        (f"{source}:{year}",),
    )


def trade_relations(
    dyadic: pd.DataFrame | None,
    national: pd.DataFrame | None,
    *,
    start: int,
    end: int,
    rus_chn_monthly: pd.DataFrame | None = None,
    atlas: pd.DataFrame | None = None,
) -> list[Relation]:
    """The ``trade`` channel (rule ``trade-dependence-v1``).

    To 2014: COW dyadic flows (``flow1 + flow2``, both directions, million USD)
    over each side's total trade (``imports + exports`` of COW's national
    totals). After: Russia–China two-way trade summed from the monthly series
    (USD) over each side's Atlas totals (``exports_usd + imports_usd``).
    strength = min(0.5, the larger share), sign +1 when the larger share
    reaches 1%, else 0; missing flows or totals give no relation.

    Examples
    --------
    >>> dy = pd.DataFrame({"ccode1": [2], "ccode2": [710], "year": [2000],
    ...                    "flow1": [100.0], "flow2": [16.0]})
    >>> nat = pd.DataFrame({"ccode": [2, 710], "year": [2000, 2000],
    ...                     "imports": [1200.0, 225.0], "exports": [800.0, 250.0]})
    >>> r = trade_relations(dy, nat, start=2000, end=2000)[0]
    >>> r.a, r.b, r.sign, round(r.components["share_of_USA"], 3), round(r.strength, 3)
    ('USA', 'CHN', 1, 0.058, 0.244)
    """
    out: list[Relation] = []
    done: set[tuple[str, str, int]] = set()
    if dyadic is not None and national is not None:
        tri = _triangle_rows(dyadic)
        by_key = _records(
            tri[(tri["year"] >= start) & (tri["year"] <= end)], ("ccode1", "ccode2", "year")
        )
        nat = national[
            (national["year"] >= start)
            & (national["year"] <= end)
            & national["ccode"].isin(list(ACTOR_COW.values()))
        ]
        totals: dict[tuple[int, int], float] = {}
        for rec in nat.to_dict("records"):
            value = float(rec["imports"]) + float(rec["exports"])
            if not math.isnan(value):
                key = (int(rec["ccode"]), int(rec["year"]))
                totals[key] = totals.get(key, 0.0) + value
        for a, b in DYADS:
            lo, hi = _pair_codes(a, b)
            for year in _dyad_years(a, b, start, end):
                found = by_key.get((lo, hi, year))
                if not found:
                    continue
                row = found[0]
                flows = [float(row["flow1"]), float(row["flow2"])]
                if all(math.isnan(f) for f in flows):
                    continue
                bilateral = float(np.nansum(flows))
                rel = _trade_relation(
                    a,
                    b,
                    year,
                    bilateral,
                    float(totals.get((ACTOR_COW[a], year), float("nan"))),
                    float(totals.get((ACTOR_COW[b], year), float("nan"))),
                    "cow-trade",
                )
                if rel is not None:
                    out.append(rel)
                    done.add((a, b, year))
    if rus_chn_monthly is not None and atlas is not None:
        monthly = rus_chn_monthly[
            (rus_chn_monthly["year"] >= start) & (rus_chn_monthly["year"] <= end)
        ]
        by_year: dict[int, list[float]] = {}
        for rec in monthly.to_dict("records"):
            by_year.setdefault(int(rec["year"]), []).append(float(rec["value_usd"]))
        at = {
            (int(r["ccode"]), int(r["year"])): float(r["exports_usd"]) + float(r["imports_usd"])
            for r in atlas[atlas["ccode"].isin(list(ACTOR_COW.values()))].to_dict("records")
        }
        for y, values in sorted(by_year.items()):
            value = float(np.sum(values))
            if ("RUS", "CHN", y) in done or len(values) < 12 or math.isnan(value):
                continue  # a year with months missing is not a year's trade

            def total(code: int, y: int = y) -> float:
                return at.get((code, y), float("nan"))

            rel = _trade_relation(
                "RUS", "CHN", y, float(value), total(365), total(710), "rus-chn-monthly-trade"
            )
            if rel is not None:
                out.append(rel)
    out.sort(key=lambda r: (DYADS.index((r.a, r.b)), int(r.period or 0)))
    return out


def _trade(data: DataSources, evidence: Evidence, start: int, end: int) -> _Out:
    ids = ("cow-trade-dyadic", "cow-trade-national", "rus-chn-monthly-trade", "atlas-country-year")
    found = _need(data, "trade", ids)
    cow = {"cow-trade-dyadic", "cow-trade-national"} <= set(found)
    rc = {"rus-chn-monthly-trade", "atlas-country-year"} <= set(found)
    if not cow and not rc:
        raise _Missing(
            "the trade channel needs cow-trade-dyadic with cow-trade-national, or "
            "rus-chn-monthly-trade with atlas-country-year; register them with "
            "`powerbalance data add ID PATH` or pass --data-dir FOLDER"
        )
    used: list[str] = []
    covs: list[tuple[int, int]] = []
    dyadic = national = monthly = atlas = None
    if cow:
        dyadic, national = data.load("cow-trade-dyadic"), data.load("cow-trade-national")
        used += ["cow-trade-dyadic", "cow-trade-national"]
        covs.append(_coverage(dyadic))
    if rc:
        monthly, atlas = data.load("rus-chn-monthly-trade"), data.load("atlas-country-year")
        used += ["rus-chn-monthly-trade", "atlas-country-year"]
        covs.append(_coverage(monthly))
    rels = trade_relations(
        dyadic, national, start=start, end=end, rus_chn_monthly=monthly, atlas=atlas
    )
    return _Out(rels, tuple(used), (min(c[0] for c in covs), max(c[1] for c in covs)))


# --- events ---------------------------------------------------------------------------------

#: Event kind -> (sign, strength in the event's year). Kinds not listed carry no sign.
EVENT_RULES: dict[str, tuple[int, float]] = {
    "agreement": (1, 0.6),
    "normalisation": (1, 0.8),
    "summit": (1, 0.5),
    "visit": (1, 0.4),
    "parade": (1, 0.3),
    "war": (-1, 1.0),
    "border_clash": (-1, 0.8),
    "rupture": (-1, 0.7),
    "sanctions": (-1, 0.6),
    "annexation": (-1, 0.6),
    "tariff": (-1, 0.4),
    "dispute": (-1, 0.3),
}
#: Half-life of an event's effect, in years.
EVENT_HALF_LIFE = 3.0
#: An event counts in its year and this many years after it, then not at all.
EVENT_HORIZON = 10
EVENT_DEAD_BAND = 0.05


def event_relations(evidence: Evidence, *, start: int, end: int) -> list[Relation]:
    """The ``events`` channel (rule ``events-kind-decay-v1``) from the evidence's dated events.

    An event counts for every pair of triangle states it names (a state, or
    an official who speaks for it) when its kind has a sign in
    :data:`EVENT_RULES`. In year ``t`` an event of year ``y`` (``0 <= t - y <=
    10``) contributes ``sign * strength * 0.5 ** ((t - y) / 3)``; the
    relation's weight is the sum of the contributions, clipped to [-1, 1]
    (sign 0 inside |w| < 0.05). A dyad-year with no signed event in the ten
    years before gives no relation.

    Examples
    --------
    >>> from powerbalance.evidence import Evidence
    >>> from powerbalance.evidence.models import Actor, Event, Source
    >>> src = Source(id="src", publication="p", title="t", date="2000-01-01", language="en")
    >>> acts = [Actor(id=i, kind="state", name_en=i, name_sv=i, iso3=i) for i in ("RUS", "CHN")]
    >>> ev = Event(id="ev.1", date="1950-02-14", actors=["RUS", "CHN"], kind="agreement",
    ...            summary="A treaty of friendship.", source="src", section="x")
    >>> [(r.period, r.sign, round(r.strength, 3)) for r in
    ...  event_relations(Evidence([src, *acts, ev]), start=1950, end=1953)]
    [('1950', 1, 0.6), ('1951', 1, 0.476), ('1952', 1, 0.378), ('1953', 1, 0.3)]
    """
    speakers = {s: evidence.speaks_for(s) for s in ACTOR_COW}
    per_dyad: dict[tuple[str, str], list[tuple[int, int, float, str]]] = {d: [] for d in DYADS}
    for event in evidence.events:
        rule = EVENT_RULES.get(event.kind)
        if rule is None:
            continue
        named = {s for s, ids in speakers.items() if ids & set(event.actors)}
        for a, b in DYADS:
            if a in named and b in named:
                per_dyad[(a, b)].append((event.date.year, rule[0], rule[1], event.id))
    out: list[Relation] = []
    for (a, b), events in per_dyad.items():
        if not events:
            continue
        for year in _dyad_years(a, b, start, end):
            weight = 0.0
            used: list[str] = []
            comp: dict[str, float] = {"half_life": EVENT_HALF_LIFE}
            for y, sign, strength, eid in sorted(events):
                age = year - y
                if 0 <= age <= EVENT_HORIZON:
                    part = sign * strength * 0.5 ** (age / EVENT_HALF_LIFE)
                    weight += part
                    comp[f"event:{eid}"] = part
                    used.append(eid)
            if not used:
                continue
            weight = max(-1.0, min(1.0, weight))
            comp["weight"] = weight
            comp["events"] = float(len(used))
            sign = _sign(weight, EVENT_DEAD_BAND)
            out.append(
                Relation(
                    a,
                    b,
                    sign,
                    abs(weight) if sign else 0.0,
                    "events",
                    RULES["events"],
                    str(year),
                    comp,
                    tuple(used),
                )
            )
    return out


def _events(data: DataSources, evidence: Evidence, start: int, end: int) -> _Out:
    signed = [e for e in evidence.events if e.kind in EVENT_RULES]
    if not signed:
        raise _Missing(
            "the evidence holds no dated event of a signed kind "
            f"({', '.join(sorted(EVENT_RULES))}); the bundled corpus has them: "
            "`powerbalance evidence import` adds more"
        )
    rels = event_relations(evidence, start=start, end=end)
    years = [e.date.year for e in signed]
    return _Out(rels, ("evidence",), (min(years), max(years) + EVENT_HORIZON))


# --- gdelt ----------------------------------------------------------------------------------

GDELT_MIN_EVENTS = 30
GDELT_DEAD_BAND = 0.05


def gdelt_relations(
    series: pd.DataFrame, *, start: int, end: int, min_events: int = GDELT_MIN_EVENTS
) -> list[Relation]:
    """The ``gdelt`` channel (rule ``gdelt-net-cooperation-v1``) from a dyad-period event series.

    ``series`` as ``events aggregate`` writes it (``period, actor1, actor2,
    events, quad1..quad4``; both directions pooled). For each dyad and
    calendar year with at least ``min_events`` events, the weight is the net
    cooperation ``((q1 + q2) - (q3 + q4)) / n``; sign outside |w| < 0.05,
    strength |w|. Years with fewer events give no relation.

    Examples
    --------
    >>> s = pd.DataFrame({"period": pd.to_datetime(["2019-10-01"]), "actor1": ["USA"],
    ...     "actor2": ["CHN"], "events": [40], "quad1": [10], "quad2": [2], "quad3": [20],
    ...     "quad4": [8]})
    >>> [(r.a, r.b, r.period, r.sign, r.strength) for r in gdelt_relations(s, start=2019,
    ...  end=2019)]
    [('USA', 'CHN', '2019', -1, 0.4)]
    """
    frame = series.copy()
    frame["year"] = pd.to_datetime(frame["period"]).dt.year
    frame = frame[(frame["year"] >= start) & (frame["year"] <= end)]
    out: list[Relation] = []
    quads = ["events", "quad1", "quad2", "quad3", "quad4"]
    for a, b in DYADS:
        pair = frame[
            ((frame["actor1"] == a) & (frame["actor2"] == b))
            | ((frame["actor1"] == b) & (frame["actor2"] == a))
        ]
        if pair.empty:
            continue
        sums = pair.groupby("year")[quads].sum()
        for key, row in sums.iterrows():
            y = int(str(key))
            if "CHN" in (a, b) and y < PRC_FIRST_YEAR:
                continue
            n = float(row["events"])
            if n < min_events:
                continue
            net = float((row["quad1"] + row["quad2"] - row["quad3"] - row["quad4"]) / n)
            sign = _sign(net, GDELT_DEAD_BAND)
            comp = {"events": n, **{q: float(row[q]) for q in quads[1:]}, "net_cooperation": net}
            out.append(
                Relation(
                    a,
                    b,
                    sign,
                    _clip01(abs(net)) if sign else 0.0,
                    "gdelt",
                    RULES["gdelt"],
                    str(y),
                    comp,
                    (f"gdelt:{a}-{b}:{y}",),
                )
            )
    return out


def _gdelt(data: DataSources, evidence: Evidence, start: int, end: int) -> _Out:
    _need(data, "gdelt", ("gdelt-series",))
    series = data.load("gdelt-series")
    rels = gdelt_relations(series, start=start, end=end)
    return _Out(rels, ("gdelt-series",), _coverage(series))


# --- the whole history --------------------------------------------------------------------

_CHANNEL_FUNCS: dict[str, Callable[[DataSources, Evidence, int, int], _Out]] = {
    "un_votes": _un_votes,
    "alliances": _alliances,
    "disputes": _disputes,
    "rivalries": _rivalries,
    "arms": _arms,
    "trade": _trade,
    "events": _events,
    "gdelt": _gdelt,
}


def _check_request(start: int, end: int, channels: Iterable[str] | None) -> tuple[str, ...]:
    from powerbalance.datasets.cards import year_range

    last = year_range()[1]
    for name, value in (("--from", start), ("--to", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise UserError(f"{name} must be a year (a whole number), got '{value}'")
        if not FIRST_YEAR <= value <= last:
            raise UserError(f"{name} must be a year from {FIRST_YEAR} to {last}, got {value}")
    if end < start:
        raise UserError(f"--to ({end}) is before --from ({start}); give --from <= --to")
    if channels is None:
        return CHANNELS
    asked = [c.strip() for c in channels if c.strip()]
    unknown = [c for c in asked if c not in CHANNELS]
    if unknown:
        raise UserError(
            f"unknown channel {', '.join(repr(c) for c in unknown)}; "
            f"the channels are {', '.join(CHANNELS)}"
        )
    if not asked:
        raise UserError(f"give at least one channel: {', '.join(CHANNELS)}")
    return tuple(c for c in CHANNELS if c in asked)


def channel_relations(
    data: DataSources,
    evidence: Evidence,
    *,
    start: int,
    end: int,
    channels: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> tuple[list[Relation], ChannelRun]:
    """Relations by dyad, year and channel for ``start..end`` (see the module's rules).

    Parameters
    ----------
    data
        Where the datasets are (registrations, ``--data-dir``).
    evidence
        The evidence (its dated events feed the ``events`` channel).
    start, end
        The years, inclusive.
    channels
        A subset of :data:`CHANNELS` (default: all).
    progress
        Called as ``progress(done, total)`` after each channel (e.g. a
        ``ProgressReporter``'s ``update``).

    Returns
    -------
    (list of Relation, ChannelRun)
        The relations, ordered by channel, dyad and year; and which channels
        ran, which were missing and why, the time and datasets of each.

    Raises
    ------
    UserError
        For years outside 1816 to next year, ``end < start`` or an unknown channel.
    """
    wanted = _check_request(start, end, channels)
    relations: list[Relation] = []
    ran: list[str] = []
    missing: dict[str, str] = {}
    seconds: dict[str, float] = {}
    datasets: dict[str, tuple[str, ...]] = {}
    coverage: dict[str, tuple[int, int]] = {}
    for i, channel in enumerate(wanted):
        t0 = time.perf_counter()
        try:
            result = _CHANNEL_FUNCS[channel](data, evidence, start, end)
        except _Missing as gap:
            missing[channel] = gap.reason
        except (InputFileError, DatasetNotRegistered) as exc:
            # a registered file that was moved, deleted or replaced by another file: the
            # channel has no information this time, and the reason is reported
            missing[channel] = f"a file of the {channel} channel cannot be read: {exc}"
        else:
            relations.extend(result.relations)
            ran.append(channel)
            datasets[channel] = result.datasets
            if result.coverage is not None:
                coverage[channel] = (
                    max(start, result.coverage[0]),
                    min(end, result.coverage[1]),
                )
            seconds[channel] = time.perf_counter() - t0
        if progress is not None:
            progress(i + 1, len(wanted))
    return relations, ChannelRun(tuple(ran), missing, seconds, datasets, coverage)
