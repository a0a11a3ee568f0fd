"""Readers of the datasets of the triangle through time: alliances, disputes, wars, rivalries.

Each reader turns one file (peacesciencer's ``.rda`` copy, or a CSV with the
same columns) into a tidy frame with COW codes, checks it against its card
(:mod:`powerbalance.datasets.cards`), makes COW's negative codes (``-9``)
missing, never 0, and records the years it covers in ``frame.attrs["coverage"]``.
A malformed file is refused with a :class:`~powerbalance.errors.DatasetFormatError`
naming the file, the record and the field.

- ``atop-alliance``: ATOP 5.1 dyad-years, one row per non-directed dyad-year
  (``ccode1 < ccode2``): ``defense, offense, neutral, nonagg, consul`` (0/1);
- ``cow-alliance``: COW Formal Alliances 4.1 dyad-years, non-directed:
  ``defense, neutral, nonagg, entente`` (0/1);
- ``cow-mid-dyadic`` and ``gml-mid-dyadic``: militarized disputes, one row per
  dispute and non-directed dyad-year: ``dispnum, ccode1, ccode2, year,
  hostlev, fatality`` (the higher of the two sides' levels);
- ``cow-war-inter``: inter-state wars, one row per war and non-directed
  dyad-year of states on opposite sides: ``warnum, ccode1, ccode2, year,
  batdeath`` (the two sides' battle deaths in the war, summed);
- ``tss-rivalries`` and ``td-rivalries``: strategic rivalry spells:
  ``rivalry, ccode1, ccode2, start, end``.

They are registered in :data:`powerbalance.datasets.readers.READERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from powerbalance.datasets import _io
from powerbalance.datasets.cards import get_card, year_range

__all__ = [
    "HISTORY_READERS",
    "read_atop_alliance",
    "read_cow_alliance",
    "read_gdelt_series",
    "read_mid_dyadic",
    "read_rivalries",
    "read_sipri_dyadic_tiv",
    "read_war_inter",
]

CCODE_RANGE = (1, 999)
#: The earliest year these files may hold (Thompson and Dreyer's rivalries begin in 1494).
FIRST_YEAR = 1400


def _raw(path: Path, dataset_id: str) -> pd.DataFrame:
    raw = _io.read_any(path)
    _io.match_layout(path, get_card(dataset_id), raw.columns)
    return raw


def _ccode(raw: pd.DataFrame, path: Path, name: str) -> np.ndarray:
    low, high = CCODE_RANGE
    values = _io.number_column(raw, name, path, whole=True, missing=False)
    _io.refuse_rows(
        raw,
        raw[name],
        (values < low) | (values > high),
        path,
        name,
        lambda v: f"{v} is not a COW country code (a whole number from {low} to {high})",
    )
    return values.to_numpy().astype("int64")


def _year(raw: pd.DataFrame, path: Path, name: str) -> np.ndarray:
    """Whole years from :data:`FIRST_YEAR` (rivalry spells reach back to 1494, ATOP to 1815)."""
    last = year_range()[1]
    values = _io.number_column(raw, name, path, whole=True, missing=False)
    _io.refuse_rows(
        raw,
        raw[name],
        (values < FIRST_YEAR) | (values > last),
        path,
        name,
        lambda v: f"{v} is not a year from {FIRST_YEAR} to {last}",
    )
    return values.to_numpy().astype("int64")


def _flag(raw: pd.DataFrame, path: Path, name: str) -> np.ndarray:
    """A 0/1 column (missing read as 0: the obligation is not recorded)."""
    if name not in raw:
        return np.zeros(len(raw), dtype="int64")
    values = _io.number_column(raw, name, path, whole=True, minimum=0, maximum=1)
    return values.fillna(0).to_numpy().astype("int64")


def _level(raw: pd.DataFrame, path: Path, name: str, top: int) -> np.ndarray:
    """A level code 0..top with COW's negative codes (-9, -8) made missing."""
    values = _io.number_column(raw, name, path, whole=True, maximum=top)
    _io.refuse_rows(
        raw,
        raw[name],
        values.notna() & (values < 0) & ~values.isin([-9, -8, -7]),
        path,
        name,
        lambda v: f"{v} is not a level from 0 to {top} (or -9 for missing)",
    )
    return values.where(values >= 0).to_numpy()


def _finish(frame: pd.DataFrame, dataset_id: str, path: Path, years: np.ndarray) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    frame.attrs = {
        "dataset": dataset_id,
        "path": str(path),
        "coverage": (int(years.min()), int(years.max())) if len(years) else None,
    }
    return frame


def _undirected(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows with ``ccode1 < ccode2`` (swapping the others), one per ``keys``."""
    swap = frame["ccode1"].to_numpy() > frame["ccode2"].to_numpy()
    c1 = np.where(swap, frame["ccode2"], frame["ccode1"])
    c2 = np.where(swap, frame["ccode1"], frame["ccode2"])
    frame = frame.assign(ccode1=c1, ccode2=c2)
    frame = frame[frame["ccode1"] != frame["ccode2"]]
    return frame.sort_values(keys, kind="stable").drop_duplicates(keys).reset_index(drop=True)


# --- alliances ----------------------------------------------------------------------------


def _alliance(path: Path, dataset_id: str, prefix: str, kinds: tuple[str, ...]) -> pd.DataFrame:
    raw = _raw(path, dataset_id)
    years = _year(raw, path, "year")
    out = pd.DataFrame(
        {
            "ccode1": _ccode(raw, path, "ccode1"),
            "ccode2": _ccode(raw, path, "ccode2"),
            "year": years,
        }
    )
    for kind in kinds:
        out[kind] = _flag(raw, path, f"{prefix}_{kind}")
    out = _undirected(out, ["ccode1", "ccode2", "year"])
    return _finish(out, dataset_id, path, years)


def read_atop_alliance(path: Path) -> pd.DataFrame:
    """ATOP 5.1 dyad-years: ``ccode1 < ccode2, year, defense, offense, neutral, nonagg, consul``."""
    return _alliance(
        path, "atop-alliance", "atop", ("defense", "offense", "neutral", "nonagg", "consul")
    )


def read_cow_alliance(path: Path) -> pd.DataFrame:
    """COW Formal Alliances 4.1 dyad-years: ``ccode1 < ccode2, year, defense, neutral, nonagg, entente``."""
    return _alliance(path, "cow-alliance", "cow", ("defense", "neutral", "nonagg", "entente"))


# --- disputes and wars --------------------------------------------------------------------


def read_mid_dyadic(path: Path, *, dataset_id: str = "cow-mid-dyadic") -> pd.DataFrame:
    """Militarized disputes by dispute and non-directed dyad-year.

    ``hostlev`` (1-5) and ``fatality`` (0-6) are the higher of the two sides'
    levels in the dispute; a missing fatality level (``-9``) stays missing.
    """
    raw = _raw(path, dataset_id)
    years = _year(raw, path, "year")
    h1, h2 = _level(raw, path, "hostlev1", 5), _level(raw, path, "hostlev2", 5)
    f1, f2 = _level(raw, path, "fatality1", 6), _level(raw, path, "fatality2", 6)
    with np.errstate(invalid="ignore"):
        out = pd.DataFrame(
            {
                "dispnum": _io.number_column(raw, "dispnum", path, whole=True, missing=False)
                .to_numpy()
                .astype("int64"),
                "ccode1": _ccode(raw, path, "ccode1"),
                "ccode2": _ccode(raw, path, "ccode2"),
                "year": years,
                "hostlev": np.fmax(h1, h2),
                "fatality": np.fmax(f1, f2),
            }
        )
    out = _undirected(out, ["dispnum", "ccode1", "ccode2", "year"])
    return _finish(out, dataset_id, path, years)


def read_war_inter(path: Path) -> pd.DataFrame:
    """COW inter-state wars: ``warnum, ccode1 < ccode2, year, batdeath`` for states on opposite sides."""
    raw = _raw(path, "cow-war-inter")
    years = _year(raw, path, "year")
    s1 = _io.number_column(raw, "sidea1", path, whole=True).to_numpy()
    s2 = _io.number_column(raw, "sidea2", path, whole=True).to_numpy()
    d1 = _io.number_column(raw, "batdeath1", path, negative_missing=True).to_numpy()
    d2 = _io.number_column(raw, "batdeath2", path, negative_missing=True).to_numpy()
    out = pd.DataFrame(
        {
            "warnum": _io.number_column(raw, "warnum", path, whole=True, missing=False)
            .to_numpy()
            .astype("int64"),
            "ccode1": _ccode(raw, path, "ccode1"),
            "ccode2": _ccode(raw, path, "ccode2"),
            "year": years,
            "batdeath": np.where(np.isnan(d1) & np.isnan(d2), np.nan, np.nansum([d1, d2], axis=0)),
        }
    )
    out = out[(s1 != s2)]
    out = _undirected(out, ["warnum", "ccode1", "ccode2", "year"])
    return _finish(out, "cow-war-inter", path, years)


# --- rivalries ----------------------------------------------------------------------------


def read_rivalries(path: Path, *, dataset_id: str = "tss-rivalries") -> pd.DataFrame:
    """Strategic rivalry spells: ``rivalry, ccode1 < ccode2, start, end`` (years, inclusive)."""
    raw = _raw(path, dataset_id)
    name, start, end = (
        ("rivalry", "start", "end")
        if dataset_id == "tss-rivalries"
        else ("rivalryname", "styear", "endyear")
    )
    out = pd.DataFrame(
        {
            "rivalry": raw[name].astype(str).to_numpy(),
            "ccode1": _ccode(raw, path, "ccode1"),
            "ccode2": _ccode(raw, path, "ccode2"),
            "start": _year(raw, path, start),
            "end": _year(raw, path, end),
        }
    )
    _io.refuse_rows(
        raw,
        raw[end],
        out["end"].to_numpy() < out["start"].to_numpy(),
        path,
        end,
        lambda v: f"the rivalry ends ({v}) before it starts",
    )
    out = _undirected(out, ["ccode1", "ccode2", "start"])
    out = _finish(out, dataset_id, path, np.concatenate([out["start"], out["end"]]))
    return out


# --- arms transfers and event series -------------------------------------------------------


def read_sipri_dyadic_tiv(path: Path) -> pd.DataFrame:
    """SIPRI TIV by supplier, recipient and year: ``supplier_cow, recipient_cow, year, tiv``.

    Rows whose supplier or recipient has no COW code (rebel groups, the UN, unknown
    suppliers; blank or negative codes) keep the code -1: they still count in the
    recipient's (or supplier's) totals.
    """
    raw = _raw(path, "sipri-dyadic-tiv")
    years = _year(raw, path, "year")
    codes = {}
    for col in ("supplier_cown", "recipient_cown"):
        values = _io.number_column(raw, col, path, whole=True, maximum=CCODE_RANGE[1])
        codes[col] = values.where(values >= CCODE_RANGE[0]).fillna(-1).to_numpy().astype("int64")
    out = pd.DataFrame(
        {
            "supplier": raw["supplier"].astype(str).to_numpy(),
            "recipient": raw["recipient"].astype(str).to_numpy(),
            "supplier_cow": codes["supplier_cown"],
            "recipient_cow": codes["recipient_cown"],
            "year": years,
            "tiv": _io.number_column(raw, "value", path, minimum=0).to_numpy(),
        }
    )
    return _finish(out, "sipri-dyadic-tiv", path, years)


_SERIES_COLUMNS = ("period", "actor1", "actor2", "events", "quad1", "quad2", "quad3", "quad4")


def read_gdelt_series(path: Path) -> pd.DataFrame:
    """An event series written by ``events aggregate --out`` (Parquet), checked and typed."""
    from pyarrow.lib import ArrowException

    from powerbalance.errors import DatasetFormatError

    try:
        raw = pd.read_parquet(path)
    except (ArrowException, OSError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DatasetFormatError(
            str(path),
            f"not a readable Parquet file ({first})",
            hint="write one with `powerbalance events aggregate FILES --out FILE`",
        ) from None
    _io.match_layout(path, get_card("gdelt-series"), raw.columns, fmt="parquet")
    out = pd.DataFrame(
        {
            "actor1": raw["actor1"].astype(str).to_numpy(),
            "actor2": raw["actor2"].astype(str).to_numpy(),
        }
    )
    try:
        out.insert(0, "period", pd.to_datetime(raw["period"], format="mixed").to_numpy())
    except (ValueError, TypeError, OverflowError):
        raise DatasetFormatError(str(path), "the periods are not dates", field="period") from None
    for col in _SERIES_COLUMNS[3:]:
        out[col] = _io.number_column(
            raw, col, path, whole=True, minimum=0, missing=False
        ).to_numpy()
    years = out["period"].dt.year.to_numpy()
    _io.refuse_rows(
        raw,
        raw["period"],
        (years < FIRST_YEAR) | (years > year_range()[1]),
        path,
        "period",
        lambda v: f"{v} is not a date from {FIRST_YEAR} to next year",
    )
    return _finish(out, "gdelt-series", path, years)


HISTORY_READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "atop-alliance": read_atop_alliance,
    "cow-alliance": read_cow_alliance,
    "cow-mid-dyadic": lambda p: read_mid_dyadic(p, dataset_id="cow-mid-dyadic"),
    "gml-mid-dyadic": lambda p: read_mid_dyadic(p, dataset_id="gml-mid-dyadic"),
    "cow-war-inter": read_war_inter,
    "tss-rivalries": lambda p: read_rivalries(p, dataset_id="tss-rivalries"),
    "td-rivalries": lambda p: read_rivalries(p, dataset_id="td-rivalries"),
    "sipri-dyadic-tiv": read_sipri_dyadic_tiv,
    "gdelt-series": read_gdelt_series,
}
