"""Readers: each turns a dataset's file into one tidy, typed frame with COW codes.

Every reader checks the file against its card's layouts (a wrong file fails
naming the expected and the found columns), turns missing-value codes into
missing values (never 0), maps country names and ISO codes to COW codes with
:mod:`powerbalance.datasets.codes`, and records the years it covers in
``frame.attrs["coverage"]``.

Use :func:`read_dataset` (which caches parsed files) rather than the
individual readers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from powerbalance.datasets import _io
from powerbalance.datasets.cards import get_card, year_range
from powerbalance.datasets.codes import map_to_cow
from powerbalance.datasets.econ import ECON_READERS
from powerbalance.datasets.history_readers import HISTORY_READERS
from powerbalance.datasets.unga import UNGA_READERS
from powerbalance.errors import DatasetFormatError

READER_VERSION = "3"  # 3: strict numbers, years, dates, votes and row widths


def _finish(frame: pd.DataFrame, dataset_id: str, path: Path, year: str = "year") -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    years = frame[year].dropna() if year in frame else pd.Series(dtype=float)
    frame.attrs = {
        "dataset": dataset_id,
        "path": str(path),
        "coverage": (int(years.min()), int(years.max())) if len(years) else None,
    }
    return frame


# COW country codes run from 2 (USA) to 990 (Samoa); 999 leaves room for new states.
CCODE_RANGE = (1, 999)


def _int_col(raw: pd.DataFrame, path: Path, name: str) -> np.ndarray:
    """A column of whole numbers with no missing value (ids, counts)."""
    values = _io.number_column(raw, name, path, whole=True, missing=False)
    _io.refuse_rows(
        raw,
        raw[name],
        values.abs() > 2**53,
        path,
        name,
        lambda v: f"'{v}' is too large for an id",
    )
    return values.to_numpy().astype("int64")


def _ccode_col(raw: pd.DataFrame, path: Path, name: str, *, missing: bool = False) -> pd.Series:
    """A column of COW country codes (whole numbers from 1 to 999)."""
    low, high = CCODE_RANGE
    values = _io.number_column(raw, name, path, whole=True, missing=missing)
    _io.refuse_rows(
        raw,
        raw[name],
        values.notna() & ((values < low) | (values > high)),
        path,
        name,
        lambda v: f"{v} is not a COW country code (a whole number from {low} to {high})",
    )
    return values


def _year_col(raw: pd.DataFrame, path: Path, name: str, *, missing: bool = False) -> pd.Series:
    return _io.year_column(raw, name, path, missing=missing)


# --- COW ----------------------------------------------------------------------------------


def read_cow_nmc(path: Path) -> pd.DataFrame:
    """COW National Material Capabilities (v5/v6 CSV or peacesciencer's v7 ``cow_nmc.rda``).

    Returns ``ccode, year, milex, milper, irst, pec, tpop, upop, cinc``; COW's
    ``-9`` (and any negative code) becomes missing.
    """
    card = get_card("cow-nmc")
    raw = _io.read_any(path)
    _io.match_layout(path, card, raw.columns)
    out = pd.DataFrame(
        {
            "ccode": _ccode_col(raw, path, "ccode").to_numpy().astype("int64"),
            "year": _year_col(raw, path, "year").to_numpy().astype("int64"),
        }
    )
    for col in ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc"):
        out[col] = _io.number_column(raw, col, path, negative_missing=True).to_numpy()
    if "version" in raw:
        out.attrs["version"] = str(raw["version"].iloc[0])
    return _finish(out, "cow-nmc", path)


def read_cow_states(path: Path) -> pd.DataFrame:
    """COW state system membership spells: ``ccode, stateabb, statenme, styear, endyear``."""
    raw = _io.read_any(path)
    _io.match_layout(path, get_card("cow-states"), raw.columns)
    out = pd.DataFrame(
        {
            "ccode": _ccode_col(raw, path, "ccode").to_numpy().astype("int64"),
            "stateabb": raw["stateabb"].astype(str).to_numpy(),
            "statenme": raw["statenme"].astype(str).to_numpy(),
            "styear": _year_col(raw, path, "styear").to_numpy().astype("int64"),
            "endyear": _year_col(raw, path, "endyear").to_numpy().astype("int64"),
        }
    )
    # day-level spell bounds let dyads exclude states that never coexisted within a year
    for col, default, top in (
        ("stmonth", 1, 12),
        ("stday", 1, 31),
        ("endmonth", 12, 12),
        ("endday", 31, 31),
    ):
        if col in raw:
            values = _io.number_column(raw, col, path, whole=True, minimum=1, maximum=top)
            out[col] = values.fillna(default).astype("int64").to_numpy()
    _io.refuse_rows(
        raw,
        raw["endyear"],
        out["endyear"].to_numpy() < out["styear"].to_numpy(),
        path,
        "endyear",
        lambda v: f"the membership ends ({v}) before it starts (styear)",
    )
    out = _finish(out, "cow-states", path, year="endyear")
    out.attrs["coverage"] = (int(out.styear.min()), int(out.endyear.max()))
    return out


def read_cow_trade_national(path: Path) -> pd.DataFrame:
    """COW national trade totals: ``ccode, year, imports, exports`` (current million USD)."""
    raw = _io.read_any(path)
    _io.match_layout(path, get_card("cow-trade-national"), raw.columns)
    out = pd.DataFrame(
        {
            "ccode": _ccode_col(raw, path, "ccode").to_numpy().astype("int64"),
            "year": _year_col(raw, path, "year").to_numpy().astype("int64"),
            "imports": _io.number_column(raw, "imports", path, negative_missing=True).to_numpy(),
            "exports": _io.number_column(raw, "exports", path, negative_missing=True).to_numpy(),
        }
    )
    return _finish(out, "cow-trade-national", path)


def read_cow_trade_dyadic(path: Path) -> pd.DataFrame:
    """COW dyadic trade, one row per non-directed dyad-year with ``ccode1 < ccode2``.

    ``flow1`` is the imports of ``ccode1`` from ``ccode2`` and ``flow2`` the
    imports of ``ccode2`` from ``ccode1`` (current million USD); ``-9`` is missing.
    """
    raw = _io.read_any(path)
    _io.match_layout(path, get_card("cow-trade-dyadic"), raw.columns)
    c1 = _ccode_col(raw, path, "ccode1").to_numpy().astype("int64")
    c2 = _ccode_col(raw, path, "ccode2").to_numpy().astype("int64")
    f1 = _io.number_column(raw, "flow1", path, negative_missing=True).to_numpy()
    f2 = _io.number_column(raw, "flow2", path, negative_missing=True).to_numpy()
    swap = c1 > c2
    out = pd.DataFrame(
        {
            "ccode1": np.where(swap, c2, c1),
            "ccode2": np.where(swap, c1, c2),
            "year": _year_col(raw, path, "year").to_numpy().astype("int64"),
            "flow1": np.where(swap, f2, f1),
            "flow2": np.where(swap, f1, f2),
        }
    )
    return _finish(out, "cow-trade-dyadic", path)


# --- SIPRI --------------------------------------------------------------------------------

_REGISTER_ALIASES = {
    "supplier": ("Supplier", "Seller"),
    "recipient": ("Recipient", "Buyer"),
    "year": ("Delivery year", "Year of delivery", "Delivery Year"),
    "tiv": ("TIV delivery values", "SIPRI TIV of delivered weapons", "TIV delivery value"),
    "designation": ("Designation", "Weapon designation"),
    "category": ("Armament category",),
    "description": ("Description", "Weapon description"),
    "numbers_delivered": ("Numbers delivered", "Number delivered"),
    "order_year": ("Order date", "Year of order"),
    "status": ("Status",),
}


def _original(rename: dict[str, str], std: str) -> str:
    """The file's own name of a renamed column (for messages)."""
    return next((k for k, v in rename.items() if v == std), std)


def read_sipri_register(path: Path) -> pd.DataFrame:
    """SIPRI trade-register export: one row per deal and delivery year.

    Returns ``supplier, recipient, supplier_cow, recipient_cow, year, tiv`` and
    descriptive columns. The preamble before the header (its length varies
    between exports), a ``;`` ending every line, and UTF-8 or Windows-1252
    encodings are handled. Suppliers or recipients that are not states (rebel
    groups, NATO, 'unknown') keep their name and get ``-1`` as COW code.
    """
    card = get_card("sipri-register")

    def is_header(cells: list[str]) -> bool:
        return any(c in cells for c in _REGISTER_ALIASES["supplier"]) and any(
            c in cells for c in _REGISTER_ALIASES["recipient"]
        )

    raw = _io.read_delimited(
        path, is_header=is_header, what="the register's header (Supplier, Recipient, ...)"
    )
    rename = {}
    for std, names in _REGISTER_ALIASES.items():
        for n in names:
            if n in raw.columns:
                rename[n] = std
                break
    found = list(raw.columns)
    raw = raw.rename(columns=rename)
    missing = [c for c in ("supplier", "recipient", "year", "tiv") if c not in raw.columns]
    if missing:
        _io.match_layout(path, card, found)  # raises, naming expected and found columns
    out = pd.DataFrame(
        {
            "supplier": raw["supplier"].str.strip().to_numpy(),
            "recipient": raw["recipient"].str.strip().to_numpy(),
        }
    )
    out["supplier_cow"] = map_to_cow(out["supplier"], scheme="name")
    out["recipient_cow"] = map_to_cow(out["recipient"], scheme="name")
    year = _io.year_column(raw, "year", path, field=_original(rename, "year"), missing=True)
    if year.isna().all():
        raise DatasetFormatError(str(path), "no delivery year could be read", field="Delivery year")
    out["year"] = year.astype("Int64").to_numpy()
    out["tiv"] = _io.number_column(
        raw, "tiv", path, field=_original(rename, "tiv"), minimum=0
    ).to_numpy()
    for col in ("designation", "description", "category", "status"):
        if col in raw:
            out[col] = raw[col].astype(str).to_numpy()
    for col in ("numbers_delivered", "order_year"):
        if col in raw:
            out[col] = _io.numeric(raw[col]).to_numpy()
    out = out[out["year"].notna()].copy()
    out["year"] = out["year"].astype("int64")
    return _finish(out, "sipri-register", path)


def read_sipri_tiv_table(path: Path, *, dataset_id: str = "sipri-tiv-imports") -> pd.DataFrame:
    """SIPRI TIV table (imports by recipient or exports by supplier): ``country, ccode, year, tiv``.

    A blank cell inside the table's years means no deliveries that year (0);
    the ``Total`` row and column are dropped.
    """
    card = get_card(dataset_id)

    def is_header(cells: list[str]) -> bool:
        years = [c for c in cells[1:] if re.fullmatch(r"(19|20)\d\d", c)]
        return len(years) >= 3

    raw = _io.read_delimited(path, is_header=is_header, what="a header row of years")
    cols = list(raw.columns)
    year_cols = [c for c in cols if re.fullmatch(r"(19|20)\d\d", c)]
    if not year_cols:
        _io.match_layout(path, card, cols)
    name_col = cols[0]
    raw = raw[raw[name_col].astype(str).str.strip() != ""]
    raw = raw[~raw[name_col].astype(str).str.strip().str.lower().isin({"total", "totals"})]
    first, last = year_range()
    for col in year_cols:
        if not first <= int(col) <= last:
            raise DatasetFormatError(
                str(path),
                f"the column {col} is not a year from {first} to {last}",
                record="the header",
                field=col,
            )
        _io.number_column(raw, col, path, minimum=0)
    long = raw.melt(id_vars=[name_col], value_vars=year_cols, var_name="year", value_name="tiv")
    out = pd.DataFrame(
        {
            "country": long[name_col].astype(str).str.strip().to_numpy(),
            "year": long["year"].astype(int).to_numpy(),
            "tiv": _io.numeric(long["tiv"]).fillna(0.0).to_numpy(),
        }
    )
    out.insert(1, "ccode", map_to_cow(out["country"], scheme="name"))
    return _finish(out, dataset_id, path)


# --- UN General Assembly ----------------------------------------------------------------

_VOTE_CODES = {"yes": 1, "abstain": 2, "no": 3}


def read_un_roll_calls(path: Path) -> pd.DataFrame:
    """unvotes roll calls: ``rcid, session, date, year`` and ``unres, short, descr`` when present."""
    raw = _io.read_any(path)
    _io.match_layout(path, get_card("unvotes-roll-calls"), raw.columns)
    if pd.api.types.is_datetime64_any_dtype(raw["date"]):  # an R Date column, already decoded
        dates = pd.Series(raw["date"].to_numpy().astype("datetime64[us]"))
    else:
        text = raw["date"].astype(str).str.strip()
        dates = pd.to_datetime(text, errors="coerce", format="ISO8601")
        blank = raw["date"].isna() | text.str.lower().isin(_io.MISSING_TEXT)
        _io.refuse_rows(
            raw,
            raw["date"],
            dates.isna() & ~blank,
            path,
            "date",
            lambda v: f"'{v}' is not a date (YYYY-MM-DD)",
        )
    first, last = year_range()
    _io.refuse_rows(
        raw,
        raw["date"],
        dates.notna() & ((dates.dt.year < first) | (dates.dt.year > last)),
        path,
        "date",
        lambda v: f"'{v}' is not a date from {first} to {last}",
    )
    out = pd.DataFrame(
        {
            "rcid": _int_col(raw, path, "rcid"),
            "session": _io.number_column(raw, "session", path, whole=True).to_numpy(),
            "date": dates.to_numpy(),
            "year": dates.dt.year.astype("Int64").to_numpy(),
        }
    )
    for col in ("unres", "short", "descr", "importantvote"):
        if col in raw:
            out[col] = raw[col].astype(str).to_numpy()
    return _finish(out, "unvotes-roll-calls", path)


def _per_value(series: pd.Series, convert: Callable[[pd.Series], np.ndarray]) -> np.ndarray:
    """``convert`` applied to each distinct value once (a vote file repeats ~200 countries).

    Missing values are passed as ``None``; ``convert`` must return one result per value.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        values = pd.Series(series.cat.categories.to_numpy(dtype=object), dtype=object)
        mapped = np.asarray(convert(pd.concat([values, pd.Series([None], dtype=object)])))
        return mapped[series.cat.codes.to_numpy()]  # code -1 (missing) picks the None
    return np.asarray(convert(series.astype(object).where(series.notna(), None)))


def read_unvotes(path: Path, roll_calls: Path) -> pd.DataFrame:
    """unvotes' ``un_votes`` joined to the roll-call dates: ``rcid, ccode, year, vote``.

    ``vote`` is 1 yes, 2 abstain, 3 no. Countries are mapped from ISO2 (then
    from the English name where the ISO2 code is blank, as for Zanzibar or the
    Yemen Arab Republic).
    """
    raw = _io.read_any(path)
    _io.match_layout(path, get_card("unvotes"), raw.columns)
    rc = read_un_roll_calls(roll_calls)
    cow = _per_value(raw["country_code"], lambda v: map_to_cow(v, scheme="iso2"))
    by_name = _per_value(raw["country"], lambda v: map_to_cow(v, scheme="name"))
    cow = np.where(cow < 0, by_name, cow)
    vote = pd.Series(
        _per_value(
            raw["vote"],
            lambda v: pd.Series(v).astype(str).str.lower().map(_VOTE_CODES).to_numpy(float),
        )
    )
    known = raw["vote"].notna().to_numpy()
    _io.refuse_rows(
        raw,
        raw["vote"],
        known & vote.isna().to_numpy() & (raw["vote"].astype(str).str.strip() != "").to_numpy(),
        path,
        "vote",
        lambda v: f"'{v}' is not a vote; the votes are yes, no and abstain",
    )
    rcid = _int_col(raw, path, "rcid")
    year = pd.Series(rc["year"].to_numpy(), index=rc["rcid"].to_numpy())
    out = pd.DataFrame(
        {"rcid": rcid, "ccode": cow, "year": year.reindex(rcid).to_numpy(), "vote": vote.to_numpy()}
    )
    out = out[(out.ccode > 0) & out.vote.notna() & out.year.notna()]
    out = out.astype({"year": "int64", "vote": "int8"})
    return _finish(out, "unvotes", path)


def read_voeten_votes(path: Path) -> pd.DataFrame:
    """Voeten's raw UNGA votes: ``rcid, ccode, year, vote`` keeping yes (1), abstain (2), no (3).

    Absences (8) and non-membership (9) are not votes and are dropped.
    """
    raw = _io.read_any(path)
    _io.match_layout(path, get_card("voeten-unvotes"), raw.columns)
    vote = _io.number_column(raw, "vote", path, whole=True, minimum=0, maximum=9)
    out = pd.DataFrame(
        {
            "rcid": _int_col(raw, path, "rcid"),
            "ccode": _ccode_col(raw, path, "ccode", missing=True).to_numpy(),
            "year": _year_col(raw, path, "year", missing=True).to_numpy(),
            "vote": vote.to_numpy(),
        }
    )
    out = out[out.vote.isin([1, 2, 3]) & out.ccode.notna() & out.year.notna()]
    out = out.astype({"ccode": "int64", "year": "int64", "vote": "int8"})
    return _finish(out, "voeten-unvotes", path)


def read_ideal_points(path: Path) -> pd.DataFrame:
    """Bailey–Strezhnev–Voeten ideal points by state-year.

    Returns ``ccode, year`` and whichever of ``idealpoint_fp`` (final-passage
    votes), ``idealpoint_all`` and ``idealpoint_legacy`` and the vote counts
    the file has.
    """
    raw = _io.read_any(path)
    _io.match_layout(path, get_card("ideal-points"), raw.columns)
    out = pd.DataFrame(
        {
            "ccode": _ccode_col(raw, path, "ccode").to_numpy(),
            "year": _year_col(raw, path, "year").to_numpy(),
        }
    )
    for src, dst in (
        ("idealpointfp", "idealpoint_fp"),
        ("idealpointall", "idealpoint_all"),
        ("idealpointlegacy", "idealpoint_legacy"),
        ("nvotesfp", "nvotes_fp"),
        ("nvotesall", "nvotes_all"),
    ):
        if src in raw:
            minimum = 0 if src.startswith("nvotes") else None
            out[dst] = _io.number_column(raw, src, path, minimum=minimum).to_numpy()
    out = out[out.ccode.notna() & out.year.notna()].astype({"ccode": "int64", "year": "int64"})
    return _finish(out, "ideal-points", path)


# --- IMF Direction of Trade Statistics ----------------------------------------------------

DOTS_FLOWS = {
    "TXG_FOB_USD": "exports",
    "TMG_CIF_USD": "imports",
    "TMG_FOB_USD": "imports_fob",
    "TBG_USD": "balance",
}
_PERIOD = re.compile(r"^(\d{4})(?:([QM])(\d{1,2}))?$")
_SCALES = {"units": 1.0, "": 1.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}


def _check_scale(raw: pd.DataFrame, scale_col: str | None, path: Path) -> None:
    """Refuse a DOTS ``Scale`` that is not one of units, thousands, millions, billions."""
    if scale_col is None:
        return
    text = raw[scale_col].astype(str).str.strip().str.lower()
    _io.refuse_rows(
        raw,
        raw[scale_col],
        ~text.isin(set(_SCALES)) & raw[scale_col].notna(),
        path,
        scale_col,
        lambda v: f"'{v}' is not a scale; the scales are units, thousands, millions, billions",
    )


def read_imf_dots(path: Path) -> pd.DataFrame:
    """IMF DOTS bulk CSV (wide: one column per period; or long: ``Time Period``/``Value``).

    Returns one row per reporter, partner, flow and period: ``reporter,
    reporter_cow, partner, partner_cow, flow, freq, period, year, value`` with
    ``value`` in US dollars (a ``Scale`` column such as ``Millions`` is applied)
    and ``freq`` ``A``, ``Q`` or ``M``. Only the ``Value`` attribute rows are kept.
    """
    card = get_card("imf-dots")

    def is_header(cells: list[str]) -> bool:
        return "Country Name" in cells and "Counterpart Country Name" in cells

    raw = _io.read_delimited(path, is_header=is_header, what="a DOTS header (Country Name, ...)")
    layout = _io.match_layout(path, card, raw.columns)
    keys = ["Country Name", "Indicator Code", "Counterpart Country Name"]
    scale_col = next((c for c in ("Scale", "Unit Multiplier", "SCALE") if c in raw.columns), None)
    if layout.name == "bulk-wide-csv":
        raw = raw[raw["Attribute"].str.strip().str.lower() == "value"]
        periods = [c for c in raw.columns if _PERIOD.match(str(c))]
        if not periods:
            raise DatasetFormatError(
                str(path),
                "no period columns (2024, 2024Q1, 2024M1) found",
                hint="is this a DOTS export?",
            )
        first, last = year_range()
        for col in periods:
            if not first <= int(str(col)[:4]) <= last:
                raise DatasetFormatError(
                    str(path),
                    f"the period column {col} is not in the years {first} to {last}",
                    record="the header",
                    field=str(col),
                )
            _io.number_column(raw, col, path)
        _check_scale(raw, scale_col, path)
        id_vars = keys + ([scale_col] if scale_col else [])
        long = raw.melt(
            id_vars=id_vars, value_vars=periods, var_name="Time Period", value_name="Value"
        )
    else:
        _io.number_column(raw, "Value", path)
        _check_scale(raw, scale_col, path)
        text = raw["Time Period"].astype(str).str.strip()
        _io.refuse_rows(
            raw,
            raw["Time Period"],
            ~text.str.match(_PERIOD),
            path,
            "Time Period",
            lambda v: f"'{v}' is not a period (2024, 2024Q1 or 2024M01)",
        )
        years = pd.to_numeric(text.str[:4], errors="coerce")
        first, last = year_range()
        _io.refuse_rows(
            raw,
            raw["Time Period"],
            (years < first) | (years > last),
            path,
            "Time Period",
            lambda v: f"'{v}' is not in the years {first} to {last}",
        )
        long = raw
    value = _io.numeric(long["Value"])
    if scale_col:
        factor = long[scale_col].astype(str).str.strip().str.lower().map(_SCALES).fillna(1.0)
        value = value * factor.to_numpy()
    parts = long["Time Period"].astype(str).str.strip().str.extract(_PERIOD)
    freq = parts[1].fillna("A")
    out = pd.DataFrame(
        {
            "reporter": long["Country Name"].astype(str).str.strip().to_numpy(),
            "partner": long["Counterpart Country Name"].astype(str).str.strip().to_numpy(),
            "flow": long["Indicator Code"].astype(str).str.strip().map(DOTS_FLOWS).to_numpy(),
            "freq": freq.to_numpy(),
            "period": long["Time Period"].astype(str).to_numpy(),
            "year": pd.to_numeric(parts[0], errors="coerce").to_numpy(),
            "value": value.to_numpy(),
        }
    )
    out = out[out.flow.notna() & out.value.notna() & pd.notna(out.year)].copy()
    out["year"] = out["year"].astype("int64")
    out.insert(1, "reporter_cow", map_to_cow(out["reporter"], scheme="name"))
    out.insert(3, "partner_cow", map_to_cow(out["partner"], scheme="name"))
    return _finish(out, "imf-dots", path)


READERS: dict[str, Callable[..., pd.DataFrame]] = {
    **UNGA_READERS,
    "cow-nmc": read_cow_nmc,
    "cow-states": read_cow_states,
    "cow-trade-national": read_cow_trade_national,
    "cow-trade-dyadic": read_cow_trade_dyadic,
    "sipri-register": read_sipri_register,
    "sipri-tiv-imports": lambda p: read_sipri_tiv_table(p, dataset_id="sipri-tiv-imports"),
    "sipri-tiv-exports": lambda p: read_sipri_tiv_table(p, dataset_id="sipri-tiv-exports"),
    "unvotes": read_unvotes,
    "unvotes-roll-calls": read_un_roll_calls,
    "voeten-unvotes": read_voeten_votes,
    "ideal-points": read_ideal_points,
    "imf-dots": read_imf_dots,
    **ECON_READERS,
    **HISTORY_READERS,
}


def read_dataset(
    dataset_id: str,
    path: str | Path,
    *,
    companions: dict[str, Path] | None = None,
    cache: bool = True,
) -> pd.DataFrame:
    """Read a dataset file with its reader, reusing a cached parse when the file is unchanged.

    Parameters
    ----------
    dataset_id
        A card id (``cow-nmc``, ``sipri-register``, ...).
    path
        The file.
    companions
        Files of the datasets the card ``needs`` (``unvotes`` needs
        ``unvotes-roll-calls``); looked for beside ``path`` when not given.
    cache
        Reuse and keep a Parquet copy of the parse, in ``$POWERBALANCE_CACHE``
        or the user cache directory; ``POWERBALANCE_CACHE=off`` disables it.

    Returns
    -------
    pandas.DataFrame
        The tidy frame; ``attrs`` hold ``dataset``, ``path`` and ``coverage``.

    Raises
    ------
    InputFileError
        When the file does not exist.
    DatasetFormatError
        When the file is not the dataset (expected and found columns named).
    DatasetNotRegistered
        When a companion file (``un_roll_calls.rda``) cannot be found.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "National_COW_4.0.csv").write_text("ccode,year,imports,exports\\n2,1990,-9,2\\n")
    >>> read_dataset("cow-trade-national", folder / "National_COW_4.0.csv", cache=False)
       ccode  year  imports  exports
    0      2  1990      NaN      2.0
    """
    card = get_card(dataset_id)
    path = Path(path)
    if not path.is_file():
        from powerbalance.errors import InputFileError

        raise InputFileError(
            str(path), "no such file", hint=f"register a {dataset_id} file that exists"
        )
    reader = READERS[dataset_id]
    extra: list[Path] = []
    for need in card.needs:
        companion = (companions or {}).get(need)
        if companion is None:
            companion = _beside(path, need)
        extra.append(Path(companion))

    def build() -> pd.DataFrame:
        return reader(path, *extra)

    if not cache:
        return build()
    return _io.cached((dataset_id, READER_VERSION), [path, *extra], build)


def _beside(path: Path, dataset_id: str) -> Path:
    from powerbalance.datasets.errors import DatasetNotRegistered

    for pattern in get_card(dataset_id).filenames:
        found = sorted(path.parent.glob(pattern))
        if found:
            return found[0]
    raise DatasetNotRegistered(dataset_id, purpose=f"reading {path.name}")
