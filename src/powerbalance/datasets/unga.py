"""UN General Assembly resolutions from the UN's own data, sessions 74-80, ES-11 and 2025.

Two kinds of file, each registered under its own dataset id (one file per id,
as every registration):

- the UN's resolution data (UNxml/GAresolutions ``data_extract``): one JSON
  object a line, one line a resolution, with its symbol, title, adoption date,
  the kind of adoption and, for a recorded vote, the member states in favour,
  against and abstaining (``MS_in_favour``, ``MS_against``, ``MS_abstaining``).
  A file is a session: ``74.json`` ... ``80.json`` (ids ``unga-74`` ...
  ``unga-80``) and ``ES-11.json``, the emergency special session on Ukraine
  (``unga-es-11``). See :func:`read_unga_session`.
- a table of the 2025 votes derived from the UN Digital Library
  (``unga_2025_resolutions.csv``, id ``unga-2025``): one row a resolution,
  one column a member state (ISO3) holding YES, NO, ABSTAIN or a blank for no
  vote. See :func:`read_unga_2025`.

Every reader returns one row per member state and recorded vote:
``symbol, session, date, year, title, ccode, vote`` with ``vote`` 1 yes,
2 abstain, 3 no (absences are not votes), as the unvotes readers do.
Resolutions adopted without a vote have no per-state votes and are left out.

:func:`combine_un_votes` joins them with unvotes (which ends on 2020-01-14)
into one ``rcid, ccode, year, vote`` table for 1946 to the last file's year;
:func:`load_un_votes` does it from the registered datasets. The rules of the
join are in ``docs/datasets/unga.md``.

Member states are named as the UN names them ("BOLIVIA (PLURINATIONAL STATE
OF)"); a name is looked up in the project's code table
(:mod:`powerbalance.datasets.codes`) and then in :data:`UN_MEMBER_NAMES`, the
explicit table of UN official names the code table spells otherwise. An
unknown name is refused with the file, its line and the name.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from powerbalance.datasets import _io
from powerbalance.datasets.cards import UNGA_SESSIONS, get_card, unga_session_id, year_range
from powerbalance.datasets.codes import map_to_cow, to_cow
from powerbalance.errors import DatasetFormatError

if TYPE_CHECKING:
    from powerbalance.datasets.registry import DataSources

__all__ = [
    "UNGA_DATASETS",
    "UNGA_READERS",
    "UN_MEMBER_NAMES",
    "combine_un_votes",
    "load_un_votes",
    "member_cow",
    "merge_unga",
    "normalize_symbol",
    "read_unga_2025",
    "read_unga_session",
]

#: UN official names of member states that the code table spells otherwise, to ISO3.
UN_MEMBER_NAMES: dict[str, str] = {
    "BOLIVIA (PLURINATIONAL STATE OF)": "BOL",
    "BRUNEI DARUSSALAM": "BRN",
    "DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA": "PRK",
    "IRAN (ISLAMIC REPUBLIC OF)": "IRN",
    "LAO PEOPLE'S DEMOCRATIC REPUBLIC": "LAO",
    "NETHERLANDS (KINGDOM OF THE)": "NLD",
    "REPUBLIC OF KOREA": "KOR",
    "REPUBLIC OF MOLDOVA": "MDA",
    "SAINT LUCIA": "LCA",
    "SAINT KITTS AND NEVIS": "KNA",
    "SAINT VINCENT AND THE GRENADINES": "VCT",
    "SYRIAN ARAB REPUBLIC": "SYR",
    "UNITED REPUBLIC OF TANZANIA": "TZA",
    "VENEZUELA (BOLIVARIAN REPUBLIC OF)": "VEN",
    # Türkiye as the files spell it (a dotted capital I, or a Y with an acute accent)
    "TÜRKİYE": "TUR",
    "TÜRKÝYE": "TUR",
}

#: The dataset ids of the UN resolution data, in the order the join prefers them:
#: the UN's own session files first, then the 2025 table derived from the Digital Library.
UNGA_DATASETS: tuple[str, ...] = (*(unga_session_id(s) for s in UNGA_SESSIONS), "unga-2025")

_LISTS = (("MS_in_favour", 1), ("MS_abstaining", 2), ("MS_against", 3))
_REQUIRED = ("symbol", "adoption_date", "adoption_type", *(k for k, _ in _LISTS))
_CSV_VOTES = {"yes": 1, "y": 1, "abstain": 2, "a": 2, "no": 3, "n": 3}
_CSV_FIXED = ("Resolution", "Date", "Title")
#: first rcid given to a roll call of the UN resolution data (unvotes' rcids stay below)
RCID_BASE = 1_000_000


def _clean_name(name: str) -> str:
    text = unicodedata.normalize("NFC", str(name)).replace("\xa0", " ").replace("’", "'")
    return " ".join(text.split()).upper()


def member_cow(name: str) -> int | None:
    """The COW code of a member state named as the UN names it, or ``None``.

    Examples
    --------
    >>> member_cow("RUSSIAN FEDERATION"), member_cow("BOLIVIA (PLURINATIONAL STATE OF)")
    (365, 145)
    >>> member_cow("ATLANTIS") is None
    True
    """
    clean = _clean_name(name)
    found = int(map_to_cow([clean], scheme="name")[0])
    if found > 0:
        return found
    iso3 = UN_MEMBER_NAMES.get(clean)
    return to_cow(iso3, scheme="iso3") if iso3 else None


def normalize_symbol(symbol: object) -> str:
    """A resolution symbol in one spelling: upper case, single spaces (``A/RES/74/17``).

    Examples
    --------
    >>> normalize_symbol(" a/res/ES-11/1 ")
    'A/RES/ES-11/1'
    """
    return " ".join(str(symbol).replace("\xa0", " ").split()).upper()


_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y")


def _parse_date(text: str) -> datetime | None:
    clean = " ".join(str(text).replace("\xa0", " ").split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(clean, fmt)
        except ValueError:
            continue
    return None


def _check_year(path: Path, when: datetime, record: str, field: str, raw: object) -> None:
    first, last = year_range()
    if not first <= when.year <= last:
        raise DatasetFormatError(
            str(path), f"'{raw}' is not a date from {first} to {last}", record=record, field=field
        )


def _empty_votes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "symbol": pd.Series(dtype=str),
            "session": pd.Series(dtype=str),
            "date": pd.Series(dtype="datetime64[us]"),
            "year": pd.Series(dtype="int64"),
            "title": pd.Series(dtype=str),
            "ccode": pd.Series(dtype="int64"),
            "vote": pd.Series(dtype="int8"),
        }
    )


def _finish(rows: dict[str, list[Any]], dataset_id: str, path: Path, **attrs: Any) -> pd.DataFrame:
    if rows["symbol"]:
        frame = pd.DataFrame(rows)
        frame["date"] = frame["date"].astype("datetime64[us]")
        frame = frame.astype({"year": "int64", "ccode": "int64", "vote": "int8"})
    else:
        frame = _empty_votes()
    years = frame["year"]
    meta: dict[Any, Any] = {
        "dataset": dataset_id,
        "path": str(path),
        "coverage": (int(years.min()), int(years.max())) if len(years) else None,
    }
    meta.update(attrs)
    frame.attrs = meta
    return frame


def _count(value: object) -> int:
    """A printed vote count: a number, or 0 for a blank or 'N.A.' (none listed)."""
    text = str(value if value is not None else "").strip().replace(",", "")
    return int(text) if text.isdigit() else 0


def _session_of(symbol: str) -> str:
    match = re.match(r"A/RES/([^/]+)/", symbol)
    return match.group(1) if match else ""


def read_unga_session(path: Path, *, dataset_id: str = "unga-74") -> pd.DataFrame:
    """One session file of the UN's resolution data (JSON lines): the recorded votes.

    Returns ``symbol, session, date, year, title, ccode, vote`` (1 yes, 2 abstain,
    3 no), one row per member state and recorded vote. ``attrs`` also hold
    ``roll_calls`` (recorded votes read), ``without_vote`` (resolutions adopted
    without a vote), ``no_lists`` (recorded votes whose file gives counts but no
    member lists: left out), ``count_mismatches`` (symbols whose lists and
    printed counts differ: the lists are used), ``repeated`` (symbols whose
    lists name a state twice under the same vote: counted once) and
    ``duplicate_lines`` (a resolution given twice with the same votes: read once).

    A line that is not a JSON object, lacks a field, has a date that cannot
    be read, names an unknown member state, gives one state two different
    votes, or repeats a resolution with other votes is refused with the file,
    the line and the field.
    """
    card = get_card(dataset_id)
    text = _io.decode(path)
    lines = [(i + 1, ln) for i, ln in enumerate(text.splitlines()) if ln.strip()]
    if not lines:
        raise DatasetFormatError(str(path), "the file has no data rows (no resolution lines)")
    rows: dict[str, list[Any]] = {
        k: [] for k in ("symbol", "session", "date", "year", "title", "ccode", "vote")
    }
    stats: dict[str, list[str]] = {
        "no_lists": [],
        "count_mismatches": [],
        "repeated": [],
        "duplicate_lines": [],
    }
    done: dict[str, tuple[int, object]] = {}
    roll_calls = without_vote = 0
    names: dict[str, int | None] = {}
    for number, line in lines:
        record = f"line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetFormatError(
                str(path),
                f"the line is not a whole JSON object ({exc.msg} at character {exc.pos + 1})",
                record=record,
                hint="the UN resolution data hold one JSON object a line; is the file cut short? "
                "download it again",
            ) from None
        if not isinstance(obj, dict):
            raise DatasetFormatError(
                str(path), "the line is not a JSON object (one resolution)", record=record
            )
        if number == lines[0][0]:
            _io.match_layout(path, card, list(obj), fmt="json")
        missing = next((k for k in _REQUIRED if k not in obj), None)
        if missing is not None:
            raise DatasetFormatError(
                str(path), "the resolution lacks this field", record=record, field=missing
            )
        symbol = normalize_symbol(obj["symbol"])
        lists = {}
        for key, _ in _LISTS:
            value = obj[key] or []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise DatasetFormatError(
                    str(path),
                    "the field is not a list of member states' names",
                    record=record,
                    field=key,
                )
            lists[key] = value
        kind = str(obj.get("adoption_type") or obj.get("voting_type") or "").lower()
        recorded = "recorded" in kind
        if not recorded:
            if any(lists.values()):
                raise DatasetFormatError(
                    str(path),
                    f"resolution {symbol} lists votes but its adoption_type is "
                    f"'{obj.get('adoption_type')}', not 'By a recorded vote'",
                    record=record,
                    field="adoption_type",
                )
            without_vote += 1
            continue
        if not any(lists.values()):
            stats["no_lists"].append(symbol)
            continue
        raw_date = obj["adoption_date"]
        when = _parse_date(raw_date)
        if when is None:
            raise DatasetFormatError(
                str(path),
                f"'{raw_date}' is not a date (such as '2 March 2022' or 2022-03-02)",
                record=record,
                field="adoption_date",
            )
        _check_year(path, when, record, "adoption_date", raw_date)
        seen: dict[int, tuple[int, str]] = {}
        repeated = False
        for key, code in _LISTS:
            for name in lists[key]:
                if name not in names:
                    names[name] = member_cow(name)
                cow = names[name]
                if cow is None:
                    raise DatasetFormatError(
                        str(path),
                        f"'{name}' is not a member state known to the code table",
                        record=record,
                        field=key,
                        hint="member states are named as in UN documents; see UN_MEMBER_NAMES "
                        "in powerbalance.datasets.unga for the names read",
                    )
                if cow in seen:
                    if seen[cow][0] != code:
                        raise DatasetFormatError(
                            str(path),
                            f"'{name}' is listed under {seen[cow][1]} and {key} on {symbol}",
                            record=record,
                            field=key,
                        )
                    repeated = True
                    continue
                seen[cow] = (code, key)
                rows["ccode"].append(cow)
                rows["vote"].append(code)
        signature = (when, tuple(sorted((c, v) for c, (v, _) in seen.items())))
        if symbol in done:
            first_line, first_signature = done[symbol]
            if first_signature != signature:
                raise DatasetFormatError(
                    str(path),
                    f"resolution {symbol} appears again with other votes or another date "
                    f"(first on line {first_line})",
                    record=record,
                    field="symbol",
                )
            stats["duplicate_lines"].append(symbol)
            for _ in seen:  # the same record twice: read once
                rows["ccode"].pop()
                rows["vote"].pop()
            continue
        done[symbol] = (number, signature)
        count = len(seen)
        rows["symbol"].extend([symbol] * count)
        rows["session"].extend([_session_of(symbol)] * count)
        rows["date"].extend([when] * count)
        rows["year"].extend([when.year] * count)
        rows["title"].extend([" ".join(str(obj.get("title") or "").split())] * count)
        roll_calls += 1
        if repeated:
            stats["repeated"].append(symbol)
        for key, _ in _LISTS:
            listed = sum(1 for _, k in seen.values() if k == key)
            if _count(obj.get(f"{key}_count")) != listed:
                stats["count_mismatches"].append(symbol)
                break
    return _finish(
        rows, dataset_id, path, roll_calls=roll_calls, without_vote=without_vote, **stats
    )


def _is_member_column(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]{3}", name))


def read_unga_2025(path: Path) -> pd.DataFrame:
    """The 2025 votes table (``unga_2025_resolutions.csv``): the recorded votes, as the session files.

    Columns ``Resolution, Date, Title`` and one ISO3 column a member state
    (YES, NO, ABSTAIN, or blank for no vote; Y, N, A are read too). A row
    without a resolution symbol (the file's second row, the members' names)
    is not a resolution and is skipped. An ISO3 code the code table does not
    know, or a vote other than those, is refused with the line and the column.
    """
    dataset_id = "unga-2025"
    card = get_card(dataset_id)
    raw = _io.read_delimited(path)
    _io.match_layout(path, card, raw.columns)
    members = [c for c in raw.columns if _is_member_column(str(c))]
    if not members:
        raise DatasetFormatError(
            str(path),
            "no member-state columns (three-letter ISO3 codes such as USA, CHN) in the header",
            record="line 1",
        )
    cows = map_to_cow(members, scheme="iso3")
    unknown = [m for m, c in zip(members, cows, strict=True) if c < 0]
    if unknown:
        raise DatasetFormatError(
            str(path),
            f"the column '{unknown[0]}' is not an ISO3 code the code table knows",
            record="line 1",
            field=unknown[0],
            hint="member columns are ISO3 codes (USA, CHN, RUS)",
        )
    symbols = raw["Resolution"].astype(str).map(normalize_symbol)
    keep = (symbols != "").to_numpy()
    body = raw[keep]
    symbols = symbols[keep]
    text_dates = body["Date"].astype(str).str.strip()
    dates = pd.to_datetime(text_dates, errors="coerce", format="ISO8601")
    _io.refuse_rows(
        body,
        body["Date"],
        dates.isna(),
        path,
        "Date",
        lambda v: f"'{v}' is not a date (YYYY-MM-DD)",
    )
    first, last = year_range()
    _io.refuse_rows(
        body,
        body["Date"],
        (dates.dt.year < first) | (dates.dt.year > last),
        path,
        "Date",
        lambda v: f"'{v}' is not a date from {first} to {last}",
    )
    cells = body[members].apply(lambda s: s.astype(str).str.strip().str.lower())
    codes = cells.apply(lambda s: s.map(_CSV_VOTES))
    blank = cells.isin(_io.MISSING_TEXT) | cells.isin({"no vote", "non-voting", "x"})
    bad = codes.isna() & ~blank
    if bad.to_numpy().any():
        row, col = np.argwhere(bad.to_numpy())[0]
        raise DatasetFormatError(
            str(path),
            f"'{body[members[col]].iloc[row]}' is not a vote; the votes are YES, NO and ABSTAIN "
            "(blank: no vote)",
            record=_io.location(raw, body.index[row]),
            field=members[col],
        )
    long = codes.set_axis(np.arange(len(body))).stack().dropna()
    rows_at = long.index.get_level_values(0).to_numpy()
    col_at = pd.Index(members).get_indexer(long.index.get_level_values(1))
    titles = body["Title"].astype(str).str.strip().to_numpy()
    sym = symbols.to_numpy()
    frame = pd.DataFrame(
        {
            "symbol": sym[rows_at],
            "session": [_session_of(s) for s in sym[rows_at]],
            "date": dates.to_numpy().astype("datetime64[us]")[rows_at],
            "year": dates.dt.year.to_numpy()[rows_at],
            "title": titles[rows_at],
            "ccode": cows[col_at],
            "vote": long.to_numpy(),
        }
    )
    frame = frame.astype({"year": "int64", "ccode": "int64", "vote": "int8"})
    years = frame["year"]
    frame.attrs = {
        "dataset": dataset_id,
        "path": str(path),
        "coverage": (int(years.min()), int(years.max())) if len(years) else None,
        "roll_calls": int(frame["symbol"].nunique()),
        "members": len(members),
    }
    return frame


def _session_reader(dataset_id: str) -> Callable[[Path], pd.DataFrame]:
    def read(path: Path) -> pd.DataFrame:
        return read_unga_session(path, dataset_id=dataset_id)

    read.__doc__ = f"Read a {dataset_id} file (:func:`read_unga_session`)."
    return read


#: The readers of this module by dataset id (merged into ``readers.READERS``).
UNGA_READERS: dict[str, Callable[..., pd.DataFrame]] = {
    **{unga_session_id(s): _session_reader(unga_session_id(s)) for s in UNGA_SESSIONS},
    "unga-2025": read_unga_2025,
}


# --- the join with unvotes ---------------------------------------------------------------


def _roll_call_table(votes: pd.DataFrame) -> pd.DataFrame:
    return (
        votes.groupby("symbol", sort=False)
        .agg(date=("date", "first"), year=("year", "first"), n=("vote", "size"))
        .reset_index()
    )


def merge_unga(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The UN resolution frames as one, each symbol from the first frame that has it.

    Pass the UN's own session files before the 2025 table (as :data:`UNGA_DATASETS`
    orders them): where both hold a roll call, the UN's own record wins.
    """
    taken: set[str] = set()
    parts = []
    for frame in frames:
        if frame is None or frame.empty:
            continue
        fresh = ~frame["symbol"].isin(taken)
        parts.append(frame[fresh].assign(source=str(frame.attrs.get("dataset", "unga"))))
        taken.update(frame.loc[fresh, "symbol"].unique())
    if not parts:
        return _empty_votes().assign(source=pd.Series(dtype=str))
    return pd.concat(parts, ignore_index=True)


def combine_un_votes(
    unvotes: pd.DataFrame | None,
    roll_calls: pd.DataFrame | None,
    unga: Sequence[pd.DataFrame],
) -> pd.DataFrame:
    """One table of UN votes, ``rcid, ccode, year, vote``, from unvotes and the UN's data.

    Rules (``docs/datasets/unga.md``):

    1. unvotes wins for every roll call it holds (to 2020-01-14 in its last
       release). A roll call of the UN data with the same resolution symbol
       and adoption date as an unvotes roll call is the same roll call and is
       dropped; one dated on or before unvotes' last date that unvotes lacks
       is dropped too (unvotes is taken as complete for its years, so a
       calendar year is never read from two sources at once).
    2. Among the UN's files, the first in ``unga`` wins for a symbol (pass
       the UN's own session files before the 2025 table derived from the
       Digital Library); the others add the roll calls it lacks.
    3. The UN data's roll calls get rcids from :data:`RCID_BASE` up, in
       order of date and symbol.

    ``attrs`` hold ``coverage``, ``sources`` (dataset ids used), and
    ``reconciliation``: how many UN roll calls matched unvotes, were dropped
    as before its end, came from each file.
    """
    parts: list[pd.DataFrame] = []
    sources: list[str] = []
    cutoff: pd.Timestamp | None = None
    unvotes_keys: set[tuple[str, object]] = set()
    if unvotes is not None:
        parts.append(unvotes[["rcid", "ccode", "year", "vote"]])
        sources.append(str(unvotes.attrs.get("dataset", "unvotes")))
        if roll_calls is not None and len(roll_calls):
            used = roll_calls[roll_calls["rcid"].isin(unvotes["rcid"].unique())]
            cutoff = pd.Timestamp(used["date"].max())
            if "unres" in used:
                unvotes_keys = {
                    (normalize_symbol(u), pd.Timestamp(d).normalize())
                    for u, d in zip(used["unres"], used["date"], strict=True)
                }
    taken: set[str] = set()
    chosen: list[pd.DataFrame] = []
    matched = before_end = 0
    per_source: dict[str, int] = {}
    for frame in unga:
        if frame is None or frame.empty:
            continue
        table = _roll_call_table(frame)
        fresh = ~table["symbol"].isin(taken)
        table = table[fresh]
        taken.update(table["symbol"])
        keep = np.ones(len(table), dtype=bool)
        if cutoff is not None:
            same = np.array(
                [
                    (s, pd.Timestamp(d).normalize()) in unvotes_keys
                    for s, d in zip(table["symbol"], table["date"], strict=True)
                ],
                dtype=bool,
            )
            early = (table["date"] <= cutoff).to_numpy()
            matched += int(same.sum())
            before_end += int((early & ~same).sum())
            keep &= ~(same | early)
        kept = set(table.loc[keep, "symbol"])
        name = str(frame.attrs.get("dataset", "unga"))
        per_source[name] = len(kept)
        if kept:
            chosen.append(frame[frame["symbol"].isin(kept)])
            sources.append(name)
    if chosen:
        un = pd.concat(chosen, ignore_index=True)
        order = un.drop_duplicates("symbol").sort_values(["date", "symbol"], kind="stable")
        rcids = pd.Series(
            RCID_BASE + np.arange(len(order), dtype=np.int64), index=order["symbol"].to_numpy()
        )
        parts.append(
            pd.DataFrame(
                {
                    "rcid": rcids.reindex(un["symbol"].to_numpy()).to_numpy(),
                    "ccode": un["ccode"].to_numpy(),
                    "year": un["year"].to_numpy(),
                    "vote": un["vote"].to_numpy(),
                }
            )
        )
    if not parts:
        out = pd.DataFrame(
            {
                "rcid": pd.Series(dtype="int64"),
                "ccode": pd.Series(dtype="int64"),
                "year": pd.Series(dtype="int64"),
                "vote": pd.Series(dtype="int8"),
            }
        )
    else:
        out = pd.concat(parts, ignore_index=True).astype(
            {"rcid": "int64", "ccode": "int64", "year": "int64", "vote": "int8"}
        )
    out.attrs = {
        "dataset": "+".join(sources) if sources else "unvotes",
        "sources": sources,
        "coverage": (int(out["year"].min()), int(out["year"].max())) if len(out) else None,
        "reconciliation": {
            "unvotes_last_date": str(cutoff.date()) if cutoff is not None else None,
            "matched_unvotes": matched,
            "dropped_before_unvotes_end": before_end,
            "roll_calls_by_source": per_source,
        },
    }
    return out


def available_unga(data: DataSources) -> list[str]:
    """The UN resolution datasets registered (or found under ``--data-dir``), in join order."""
    return [d for d in UNGA_DATASETS if data.available(d)]


def load_unga(data: DataSources, ids: Iterable[str] | None = None) -> list[pd.DataFrame]:
    """The parsed frames of the available UN resolution datasets, in join order."""
    chosen = available_unga(data) if ids is None else list(ids)
    return [data.load(d, purpose="UN votes after unvotes") for d in chosen]


def load_un_votes(data: DataSources, *, base: str | None = "unvotes") -> pd.DataFrame | None:
    """UN votes 1946 to the last registered year: ``base`` (unvotes) joined with the UN's data.

    ``base`` is ``unvotes`` (with its roll calls, needed to match roll calls
    by date and symbol), ``voeten-unvotes`` or ``None`` (the UN data alone).
    Returns ``None`` when neither the base nor any UN resolution file is available.
    """
    unga = load_unga(data)
    frame = roll_calls = None
    if base is not None and data.available(base):
        frame = data.load(base, purpose="UN alignment")
        if base == "unvotes" and data.available("unvotes-roll-calls"):
            roll_calls = data.load("unvotes-roll-calls", purpose="UN alignment")
        elif "year" in frame:
            # without dates, unvotes' last year is its end: the UN data start the year after
            last = int(frame["year"].max())
            roll_calls = pd.DataFrame(
                {"rcid": frame["rcid"].unique()[:1], "date": [pd.Timestamp(last, 12, 31)]}
            )
    if frame is None and not unga:
        return None
    return combine_un_votes(frame, roll_calls, unga)
