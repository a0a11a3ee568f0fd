"""One table mapping country codes: Correlates of War (numeric and letters), ISO3, ISO2, names.

Every reader and frame maps countries through this table, so a dataset keyed by
ISO2 (unvotes), ISO3 (ideal points, the evidence actors) or English names
(SIPRI, IMF) lines up with COW's numeric ``ccode``.

Notes
-----
- COW 365 is Russia and the Soviet Union; 345 is Yugoslavia and its successor
  Serbia; 255 is Germany (and Prussia) and 260 the German Federal Republic
  (1955-1990); both 255 and 260 map to ISO3 ``DEU``, and ``DEU`` maps back to 255.
- States of the nineteenth century (Bavaria, the Papal States, ...) have no ISO code.
- The ``EU`` bloc is resolved to its member states for a given year by
  :func:`bloc_members`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from powerbalance.datasets.errors import UnknownCountry

#: The folder of this module, where its package data lie.
_HERE = Path(__file__).parent

# ISO3 codes that several COW codes share: the one a lookup by ISO returns.
_PREFERRED_COW = {"DEU": 255}

# EU membership by COW code: (first year of membership, first year no longer a member).
# Croatia joined on 1 July 2013 and is counted for 2013; the UK left on 31 January 2020.
EU_MEMBERS: dict[int, tuple[int, int | None]] = {
    211: (1958, None),
    220: (1958, None),
    260: (1958, 1991),
    255: (1991, None),
    325: (1958, None),
    212: (1958, None),
    210: (1958, None),
    200: (1973, 2020),
    205: (1973, None),
    390: (1973, None),
    350: (1981, None),
    230: (1986, None),
    235: (1986, None),
    305: (1995, None),
    375: (1995, None),
    380: (1995, None),
    352: (2004, None),
    316: (2004, None),
    366: (2004, None),
    310: (2004, None),
    367: (2004, None),
    368: (2004, None),
    338: (2004, None),
    290: (2004, None),
    317: (2004, None),
    349: (2004, None),
    355: (2007, None),
    360: (2007, None),
    344: (2013, None),
}

BLOCS = {"EU": EU_MEMBERS}


def _norm(name: str) -> str:
    return " ".join(name.replace("’", "'").replace("&", "and").lower().split())


@lru_cache(maxsize=1)
def code_table() -> pd.DataFrame:
    """The bundled code table: ``cow``, ``cow_abb``, ``iso3``, ``iso2``, ``name``, ``aliases``.

    Examples
    --------
    >>> t = code_table()
    >>> t.loc[t.cow == 710, ["cow_abb", "iso3", "iso2"]].values.tolist()
    [['CHN', 'CHN', 'CN']]
    """
    text = (_HERE / "country_codes.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    table = pd.DataFrame(rows)
    table["cow"] = table["cow"].astype(int)
    return table


@lru_cache(maxsize=1)
def _lookups() -> dict[str, dict[str, int]]:
    table = code_table()
    by_iso3: dict[str, int] = {}
    by_iso2: dict[str, int] = {}
    by_abb: dict[str, int] = {}
    by_name: dict[str, int] = {}
    # the text columns come straight from the CSV, so they hold str ("" when blank)
    for cow, abb, iso3, iso2, name, aliases in zip(
        table["cow"].astype(int).tolist(),
        table["cow_abb"].astype(str).tolist(),
        table["iso3"].astype(str).tolist(),
        table["iso2"].astype(str).tolist(),
        table["name"].astype(str).tolist(),
        table["aliases"].astype(str).tolist(),
        strict=True,
    ):
        if iso3:
            by_iso3.setdefault(iso3, cow)
        if iso2:
            by_iso2.setdefault(iso2, cow)
        by_abb[abb] = cow
        by_name[_norm(name)] = cow
        for alias in filter(None, aliases.split("|")):
            by_name.setdefault(_norm(alias), cow)
    by_iso3.update(_PREFERRED_COW)
    # withdrawn ISO codes of states COW keeps under one code
    by_iso3.setdefault("SUN", 365)
    by_iso2.setdefault("SU", 365)
    by_iso3.setdefault("YUG", 345)
    by_iso2.setdefault("YU", 345)
    return {"iso3": by_iso3, "iso2": by_iso2, "cow_abb": by_abb, "name": by_name}


def to_cow(value: str | int, *, scheme: str = "auto") -> int:
    """The COW code of a country given as ISO3, ISO2, COW letters, COW number or name.

    Parameters
    ----------
    value
        ``"CHN"``, ``"CN"``, ``710``, ``"China"`` ...
    scheme
        ``"auto"`` (try ISO3, COW letters, ISO2, then names), or one of
        ``"iso3"``, ``"iso2"``, ``"cow_abb"``, ``"name"``, ``"cow"``.

    Raises
    ------
    UnknownCountry
        When no row of the table matches.

    Examples
    --------
    >>> to_cow("RUS"), to_cow("CN"), to_cow("United States"), to_cow(2)
    (365, 710, 2, 2)
    """
    found = _try_cow(value, scheme)
    if found is None:
        raise UnknownCountry(
            f"country '{value}' is not in the code table (COW, ISO3, ISO2 or English name); "
            "use a COW number or an ISO3 code such as USA, RUS, CHN"
        )
    return found


def _try_cow(value: str | int, scheme: str = "auto") -> int | None:
    if isinstance(value, (int, np.integer)) or (isinstance(value, str) and value.isdigit()):
        cow = int(value)
        return cow if cow in set(code_table().cow) else None
    look = _lookups()
    text = str(value).strip()
    if scheme == "auto":
        for key, probe in (
            ("iso3", text),
            ("cow_abb", text),
            ("iso2", text),
            ("name", _norm(text)),
        ):
            if probe in look[key]:
                return look[key][probe]
        return None
    if scheme == "name":
        return look["name"].get(_norm(text))
    return look[scheme].get(text)


def map_to_cow(values: Iterable[object], *, scheme: str = "auto") -> np.ndarray:
    """Map many codes or names to COW codes at once; unknown ones become -1.

    Examples
    --------
    >>> map_to_cow(["Russia", "China", "Atlantis"], scheme="name").tolist()
    [365, 710, -1]
    """
    if not isinstance(values, (pd.Series, np.ndarray)):
        values = pd.Series(list(values), dtype="object")
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([_try_cow(u, scheme) or -1 for u in uniques] + [-1], dtype="int64")
    return mapped[codes]  # the sentinel -1 of a missing value picks the trailing -1


def to_iso3(cow: int) -> str | None:
    """The ISO3 code of a COW state, or ``None`` for states that have none.

    Examples
    --------
    >>> to_iso3(365), to_iso3(260), to_iso3(245)
    ('RUS', 'DEU', None)
    """
    table = code_table()
    row = table.loc[table.cow == int(cow), "iso3"]
    return (row.iloc[0] or None) if len(row) else None


def cow_abb(cow: int) -> str | None:
    """COW's three-letter abbreviation (``UKG``, ``GMY``) of a COW code."""
    table = code_table()
    row = table.loc[table.cow == int(cow), "cow_abb"]
    return row.iloc[0] if len(row) else None


def bloc_members(bloc: str, year: int) -> list[int]:
    """COW codes of the members of a bloc (``EU``) in a year.

    Examples
    --------
    >>> len(bloc_members("EU", 2013)), 200 in bloc_members("EU", 2021)
    (28, False)
    """
    members = BLOCS.get(bloc)
    if members is None:
        raise UnknownCountry(f"bloc '{bloc}' has no membership list; known: {sorted(BLOCS)}")
    return sorted(
        cow
        for cow, (first, leave) in members.items()
        if first <= year and (leave is None or year < leave)
    )


def resolve_actor(actor: str, year: int) -> list[int]:
    """COW codes an evidence actor id stands for in a year: a state, or a bloc's members."""
    if actor in BLOCS:
        return bloc_members(actor, year)
    return [to_cow(actor)]
