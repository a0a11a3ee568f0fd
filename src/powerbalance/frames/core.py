"""The units of analysis: state-year and dyad-year frames (peacesciencer's ``create_*`` verbs).

A frame is a :class:`pandas.DataFrame` keyed by integer COW codes and the
year (``ccode, year`` or ``ccode1, ccode2, year``) whose ``attrs`` record its
unit (``"state-year"`` or ``"dyad-year"``), whether dyads are directed, and
the datasets joined so far. The ``add_*`` verbs in :mod:`powerbalance.frames.verbs`
check the unit before they join and never change the number of rows.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from powerbalance.datasets.codes import to_cow
from powerbalance.datasets.errors import CoverageWarning, DatasetNotRegistered
from powerbalance.datasets.registry import DataSources
from powerbalance.errors import FrameUnitError, UserError

STATE_YEAR = "state-year"
DYAD_YEAR = "dyad-year"


def frame_unit(frame: pd.DataFrame) -> str:
    """``"state-year"`` or ``"dyad-year"``, from ``attrs`` or, failing that, the key columns.

    Examples
    --------
    >>> frame_unit(pd.DataFrame({"ccode1": [2], "ccode2": [710], "year": [2000]}))
    'dyad-year'
    """
    unit = frame.attrs.get("unit")
    if unit in (STATE_YEAR, DYAD_YEAR):
        return unit
    cols = set(frame.columns)
    if {"ccode1", "ccode2", "year"} <= cols:
        return DYAD_YEAR
    if {"ccode", "year"} <= cols:
        return STATE_YEAR
    raise FrameUnitError(
        "the frame has neither ccode, year (state-year) nor ccode1, ccode2, year (dyad-year) "
        "columns; build one with create_state_years() or create_dyad_years()"
    )


def require_unit(frame: pd.DataFrame, *units: str, verb: str) -> str:
    unit = frame_unit(frame)
    if unit not in units:
        raise FrameUnitError(
            f"{verb} works on {' or '.join(units)} frames, not a {unit} frame; "
            + (
                "build one with create_dyad_years()"
                if DYAD_YEAR in units
                else "build one with create_state_years()"
            )
        )
    return unit


def _as_cow_codes(states: Iterable[str | int] | None) -> list[int] | None:
    if states is None:
        return None
    return sorted({to_cow(s) for s in states})


def _system(data: DataSources) -> tuple[pd.DataFrame, str, tuple[int, int]]:
    """State-years of the interstate system from COW states, else from COW NMC's state-years."""
    if data.available("cow-states"):
        spells = data.load("cow-states", purpose="the state system")
        lengths = (spells["endyear"] - spells["styear"] + 1).to_numpy()
        ccode = np.repeat(spells["ccode"].to_numpy(), lengths)
        offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        year = np.repeat(spells["styear"].to_numpy(), lengths) + offsets
        sy = pd.DataFrame({"ccode": ccode, "year": year})
        # the days of each year a state was a member (1..372 on a 12 x 31 calendar)
        if {"stmonth", "stday", "endmonth", "endday"} <= set(spells.columns):
            st = np.repeat(((spells.stmonth - 1) * 31 + spells.stday).to_numpy(), lengths)
            en = np.repeat(((spells.endmonth - 1) * 31 + spells.endday).to_numpy(), lengths)
            sty = np.repeat(spells["styear"].to_numpy(), lengths)
            eny = np.repeat(spells["endyear"].to_numpy(), lengths)
            sy["first_day"] = np.where(year == sty, st, 1)
            sy["last_day"] = np.where(year == eny, en, 372)
        return sy, "cow-states", spells.attrs.get("coverage") or (int(year.min()), int(year.max()))
    if data.available("cow-nmc"):
        nmc = data.load("cow-nmc", purpose="the state system")
        sy = nmc[["ccode", "year"]].copy()
        return sy, "cow-nmc", (int(sy.year.min()), int(sy.year.max()))
    raise DatasetNotRegistered("cow-states", purpose="the state system (or register cow-nmc)")


def _state_years(
    data: DataSources,
    *,
    start: int | None,
    end: int | None,
    states: Iterable[str | int] | None,
    carry_forward: bool,
) -> pd.DataFrame:
    sy, source, (first, last) = _system(data)
    start = first if start is None else int(start)
    end = last if end is None else int(end)
    if start > end:
        raise UserError(f"the first year ({start}) is after the last ({end})")
    if start < first:
        warnings.warn(
            f"{source} starts in {first}; no state-years before it", CoverageWarning, stacklevel=2
        )
    if end > last:
        if carry_forward:
            warnings.warn(
                f"{source} ends in {last}; states in the system in {last} are carried forward "
                f"to {end}",
                CoverageWarning,
                stacklevel=2,
            )
            alive = sy.loc[sy.year == last, "ccode"].to_numpy()
            extra_years = np.arange(last + 1, end + 1)
            extra = pd.DataFrame(
                {
                    "ccode": np.tile(alive, len(extra_years)),
                    "year": np.repeat(extra_years, len(alive)),
                }
            )
            if "first_day" in sy:
                extra["first_day"], extra["last_day"] = 1, 372
            sy = pd.concat([sy, extra], ignore_index=True)
        else:
            warnings.warn(
                f"{source} ends in {last}; no state-years after it", CoverageWarning, stacklevel=2
            )
    sy = sy[(sy.year >= start) & (sy.year <= end)]
    codes = _as_cow_codes(states)
    if codes is not None:
        sy = sy[sy.ccode.isin(codes)]
    if "first_day" in sy:
        # a state with two spells in one year (it left and came back) keeps one row
        sy = sy.groupby(["ccode", "year"], as_index=False).agg(
            first_day=("first_day", "min"), last_day=("last_day", "max")
        )
    sy = (
        sy.drop_duplicates(["ccode", "year"])
        .sort_values(["ccode", "year"])
        .reset_index(drop=True)
        .astype({"ccode": "int64", "year": "int64"})
    )
    sy.attrs = {"unit": STATE_YEAR, "sources": [source], "system": source}
    return sy


def create_state_years(
    data: DataSources,
    *,
    start: int | None = None,
    end: int | None = None,
    states: Iterable[str | int] | None = None,
    carry_forward: bool = True,
) -> pd.DataFrame:
    """Every member of the interstate system in every year (peacesciencer's ``create_stateyears``).

    Parameters
    ----------
    data
        Where the COW state system (``cow-states``) is; COW NMC's state-years are
        used when only ``cow-nmc`` is available.
    start, end
        First and last year (default: the source's coverage).
    states
        Keep only these states (ISO3, COW letters or numbers).
    carry_forward
        Years after the state list ends keep the states alive in its last year
        (as peacesciencer extends the 2016 list), with a :class:`CoverageWarning`.

    Returns
    -------
    pandas.DataFrame
        ``ccode, year`` sorted by state and year; ``attrs["unit"] == "state-year"``.

    Raises
    ------
    DatasetNotRegistered
        When neither ``cow-states`` nor ``cow-nmc`` is available.
    UserError
        When ``start`` is after ``end``.
    """
    sy = _state_years(data, start=start, end=end, states=states, carry_forward=carry_forward)
    out = sy[["ccode", "year"]].copy()
    out.attrs = dict(sy.attrs)
    return out


def create_dyad_years(
    data: DataSources,
    *,
    directed: bool = True,
    start: int | None = None,
    end: int | None = None,
    states: Iterable[str | int] | None = None,
    carry_forward: bool = True,
) -> pd.DataFrame:
    """Every pair of system members in every year (peacesciencer's ``create_dyadyears``).

    Parameters
    ----------
    data, start, end, carry_forward
        As for :func:`create_state_years`.
    directed
        Both ``(a, b)`` and ``(b, a)`` (``True``), or only ``ccode1 < ccode2``.
    states
        Keep only dyads whose two members are among these states.

    Returns
    -------
    pandas.DataFrame
        ``ccode1, ccode2, year`` sorted by year then codes; ``attrs["unit"] == "dyad-year"``.

    Notes
    -----
    Built year by year from the state-years: with ``n`` members in a year there
    are ``n (n - 1)`` directed dyads (``n (n - 1) / 2`` non-directed), less the
    pairs that were never members on the same day of that year (South Vietnam,
    gone in April 1975, and Suriname, independent in November 1975), as in
    peacesciencer.
    """
    sy = _state_years(data, start=start, end=end, states=states, carry_forward=carry_forward)
    sy = sy.sort_values(["year", "ccode"], kind="stable")
    years = sy["year"].to_numpy()
    codes = sy["ccode"].to_numpy()
    days = "first_day" in sy
    first_day = sy["first_day"].to_numpy() if days else None
    last_day = sy["last_day"].to_numpy() if days else None
    cuts = np.flatnonzero(np.diff(years)) + 1
    starts, ends = np.r_[0, cuts], np.r_[cuts, len(years)]
    c1_parts, c2_parts, y_parts = [], [], []
    for s0, e0 in zip(starts, ends, strict=True):
        n = e0 - s0
        if n < 2:
            continue
        i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
        mask = i != j if directed else i < j
        if first_day is not None and last_day is not None:
            # both states were members on at least one common day of the year
            f, la = first_day[s0:e0], last_day[s0:e0]
            mask &= np.maximum(f[i], f[j]) <= np.minimum(la[i], la[j])
        block = codes[s0:e0]
        c1_parts.append(block[i[mask]])
        c2_parts.append(block[j[mask]])
        y_parts.append(np.full(int(mask.sum()), years[s0], dtype=np.int64))
    cat = (
        (lambda parts: np.concatenate(parts))
        if c1_parts
        else (lambda parts: np.array([], dtype=np.int64))
    )
    dy = pd.DataFrame({"ccode1": cat(c1_parts), "ccode2": cat(c2_parts), "year": cat(y_parts)})
    dy = dy.astype("int64")
    dy.attrs = {"unit": DYAD_YEAR, "directed": directed, "sources": list(sy.attrs["sources"])}
    return dy


def label_states(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ISO3 labels (``iso3`` or ``iso3_1``/``iso3_2``) after the COW codes, for reading.

    Examples
    --------
    >>> df = pd.DataFrame({"ccode1": [2], "ccode2": [365], "year": [2000]})
    >>> label_states(df).columns.tolist()
    ['ccode1', 'ccode2', 'iso3_1', 'iso3_2', 'year']
    """
    from powerbalance.datasets.codes import code_table

    table = code_table()
    iso = pd.Series(
        [i or a for i, a in zip(table.iso3, table.cow_abb, strict=True)], index=table.cow
    )
    iso = iso[~iso.index.duplicated()]
    out = frame.copy()
    if frame_unit(frame) == DYAD_YEAR:
        pos = list(out.columns).index("ccode2") + 1
        out.insert(pos, "iso3_1", iso.reindex(out["ccode1"].to_numpy()).to_numpy())
        out.insert(pos + 1, "iso3_2", iso.reindex(out["ccode2"].to_numpy()).to_numpy())
    else:
        pos = list(out.columns).index("ccode") + 1
        out.insert(pos, "iso3", iso.reindex(out["ccode"].to_numpy()).to_numpy())
    out.attrs = dict(frame.attrs)
    return out
