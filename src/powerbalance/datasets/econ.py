"""Readers of the economic datasets: Russia–China trade, world trade totals, energy, FDI, the Factbook.

Each reader turns one file into a tidy frame (see the cards in
:mod:`powerbalance.datasets.cards` and ``docs/datasets/``) and records the
years it covers in ``frame.attrs["coverage"]``; a malformed file is refused
with a :class:`~powerbalance.errors.DatasetFormatError` naming the file, the
line (or sheet and row) and the field. They are registered in
:data:`powerbalance.datasets.readers.READERS`.

- ``rus-chn-monthly-trade``: a derived monthly series of Russia–China trade (USD);
  its ``yuan_share`` column is a placeholder and is never read;
- ``comtrade-chn-imports-rus``: UN Comtrade API output (any reporter and partner);
- ``atlas-country-year``: the Atlas of Economic Complexity's country totals;
- ``baci-rus-chn``: CEPII BACI flows by HS6 product (thousand USD in the file);
- ``worldbank-rus-chn``: a World Bank API pull (GDP, trade in percent of GDP, ...);
- ``eurostat-eu-russia``: a Eurostat Comext DS-045409 workbook (EUR, monthly);
- ``cia-factbook``: one country's CIA World Factbook JSON (text values parsed);
- ``imf-cdis-china``: an extract of IMF CDIS inward positions from China (USD million).
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from powerbalance.datasets import _io
from powerbalance.datasets.cards import get_card, year_range
from powerbalance.datasets.codes import map_to_cow
from powerbalance.errors import DatasetFormatError

# UN M49 numeric codes of the countries these files concern (Comtrade, BACI, the Atlas).
M49_ISO3 = {
    156: "CHN",
    643: "RUS",
    398: "KAZ",
    842: "USA",
    840: "USA",
    699: "IND",
    356: "IND",
    112: "BLR",
    804: "UKR",
    276: "DEU",
    392: "JPN",
    410: "KOR",
    792: "TUR",
}


def _finish(frame: pd.DataFrame, dataset_id: str, path: Path, year: str = "year") -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    years = frame[year].dropna() if year in frame else pd.Series(dtype=float)
    frame.attrs = {
        "dataset": dataset_id,
        "path": str(path),
        "coverage": (int(years.min()), int(years.max())) if len(years) else None,
    }
    return frame


def _m49_to_cow(codes: pd.Series) -> np.ndarray:
    iso3 = codes.map(lambda c: M49_ISO3.get(int(c), "") if pd.notna(c) else "")
    return map_to_cow(iso3.astype(object).where(iso3 != "", None), scheme="iso3")


def _text_table(path: Path, dataset_id: str) -> tuple[pd.DataFrame, Any]:
    raw = _io.read_delimited(path)
    layout = _io.match_layout(path, get_card(dataset_id), raw.columns, fmt="csv")
    return raw, layout


# --- Russia–China monthly trade (derived table) -------------------------------------------

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")


def read_monthly_trade(path: Path) -> pd.DataFrame:
    """A monthly series of Russia–China total trade: ``date, year, month, value_usd``.

    ``date`` is ``YYYY-MM-DD`` (or ``YYYY-MM``); the value is in US dollars. The
    file's ``yuan_share`` column is a constant placeholder, not data, and is never
    read. A month given twice is refused.
    """
    raw, _ = _text_table(path, "rus-chn-monthly-trade")
    text = raw["date"].astype(str).str.strip()
    parts = text.str.extract(_MONTH)
    month = pd.to_numeric(parts[1], errors="coerce")
    bad = parts[0].isna() | (month < 1) | (month > 12)
    _io.refuse_rows(
        raw, raw["date"], bad, path, "date", lambda v: f"'{v}' is not a month (YYYY-MM-DD)"
    )
    year = pd.to_numeric(parts[0]).astype("int64")
    first, last = year_range()
    _io.refuse_rows(
        raw,
        raw["date"],
        (year < first) | (year > last),
        path,
        "date",
        lambda v: f"'{v}' is not in the years {first} to {last}",
    )
    value = _io.number_column(raw, "value", path, minimum=0)
    key = year * 100 + month
    _io.refuse_rows(
        raw,
        raw["date"],
        key.duplicated().to_numpy(),
        path,
        "date",
        lambda v: f"the month {v} appears twice",
    )
    out = pd.DataFrame(
        {
            "date": pd.to_datetime(
                {"year": year, "month": month.astype("int64"), "day": 1}
            ).to_numpy(),
            "year": year.to_numpy(),
            "month": month.astype("int64").to_numpy(),
            "value_usd": value.to_numpy(),
        }
    )
    return _finish(out, "rus-chn-monthly-trade", path)


# --- UN Comtrade ------------------------------------------------------------------------


def read_comtrade(path: Path) -> pd.DataFrame:
    """UN Comtrade API output: ``year, month, reporter_m49, reporter_cow, partner_m49, partner_cow, flow, cmd, value_usd``.

    ``month`` is 0 for annual records; ``flow`` is Comtrade's ``flowCode``
    (``M`` imports, ``X`` exports); ``value_usd`` is ``primaryValue``.
    """
    raw, _ = _text_table(path, "comtrade-chn-imports-rus")
    year = _io.year_column(raw, "refYear", path)
    if "refMonth" in raw:
        month = _io.number_column(raw, "refMonth", path, whole=True, minimum=0, maximum=12)
        month = month.fillna(0)
    else:
        month = pd.Series(0.0, index=raw.index)
    reporter = _io.number_column(raw, "reporterCode", path, whole=True, missing=False, minimum=0)
    partner = _io.number_column(raw, "partnerCode", path, whole=True, missing=False, minimum=0)
    value = _io.number_column(raw, "primaryValue", path, minimum=0)
    flow = raw["flowCode"].astype(str).str.strip()
    _io.refuse_rows(
        raw,
        raw["flowCode"],
        flow == "",
        path,
        "flowCode",
        lambda v: "the flow is missing (M imports, X exports)",
    )
    out = pd.DataFrame(
        {
            "year": year.astype("int64").to_numpy(),
            "month": month.astype("int64").to_numpy(),
            "reporter_m49": reporter.astype("int64").to_numpy(),
            "reporter_cow": _m49_to_cow(reporter),
            "partner_m49": partner.astype("int64").to_numpy(),
            "partner_cow": _m49_to_cow(partner),
            "flow": flow.to_numpy(),
            "cmd": raw["cmdCode"].astype(str).str.strip().to_numpy(),
            "value_usd": value.to_numpy(),
        }
    )
    return _finish(out, "comtrade-chn-imports-rus", path)


# --- Atlas of Economic Complexity --------------------------------------------------------


def read_atlas_country_year(path: Path) -> pd.DataFrame:
    """Atlas country-year totals: ``iso3, ccode, year, exports_usd, imports_usd``.

    The Atlas reconciles each country's reports with its partners' (mirror
    data), so its totals differ from national customs figures. The few negative
    totals of the Atlas's estimates (small territories) are missing, not values.
    """
    raw, _ = _text_table(path, "atlas-country-year")
    iso3 = raw["country_iso3_code"].astype(str).str.strip().str.upper()
    _io.refuse_rows(
        raw,
        raw["country_iso3_code"],
        ~iso3.str.fullmatch(r"[A-Z]{3}"),
        path,
        "country_iso3_code",
        lambda v: f"'{v}' is not an ISO3 country code",
    )
    out = pd.DataFrame(
        {
            "iso3": iso3.to_numpy(),
            "ccode": map_to_cow(iso3, scheme="iso3"),
            "year": _io.year_column(raw, "year", path).astype("int64").to_numpy(),
            "exports_usd": _io.number_column(
                raw, "export_value", path, negative_missing=True
            ).to_numpy(),
            "imports_usd": _io.number_column(
                raw, "import_value", path, negative_missing=True
            ).to_numpy(),
        }
    )
    return _finish(out, "atlas-country-year", path)


# --- CEPII BACI ---------------------------------------------------------------------------


def read_baci(path: Path) -> pd.DataFrame:
    """CEPII BACI flows: ``year, exporter_m49, exporter_cow, importer_m49, importer_cow, hs6, hs2, value_usd``.

    ``v`` (thousand US dollars) is converted to dollars; the HS6 code ``k`` is
    zero-padded to six digits (``10620`` is ``010620``).
    """
    raw, _ = _text_table(path, "baci-rus-chn")
    exporter = _io.number_column(raw, "i", path, whole=True, missing=False, minimum=0)
    importer = _io.number_column(raw, "j", path, whole=True, missing=False, minimum=0)
    k = raw["k"].astype(str).str.strip()
    _io.refuse_rows(
        raw,
        raw["k"],
        ~k.str.fullmatch(r"\d{5,6}"),
        path,
        "k",
        lambda v: f"'{v}' is not an HS6 product code (five or six digits)",
    )
    hs6 = k.str.zfill(6)
    value = _io.number_column(raw, "v", path, minimum=0)
    out = pd.DataFrame(
        {
            "year": _io.year_column(raw, "t", path).astype("int64").to_numpy(),
            "exporter_m49": exporter.astype("int64").to_numpy(),
            "exporter_cow": _m49_to_cow(exporter),
            "importer_m49": importer.astype("int64").to_numpy(),
            "importer_cow": _m49_to_cow(importer),
            "hs6": hs6.to_numpy(),
            "hs2": hs6.str[:2].to_numpy(),
            "value_usd": (value * 1000.0).to_numpy(),
        }
    )
    return _finish(out, "baci-rus-chn", path)


# --- World Bank --------------------------------------------------------------------------

_WB_COLUMNS = {
    "GDP_current_USD": "gdp_usd",
    "Exports_percent_GDP": "exports_pct_gdp",
    "Imports_percent_GDP": "imports_pct_gdp",
    "FDI_net_inflows_USD": "fdi_net_inflows_usd",
    "GDP_growth_annual_percent": "gdp_growth_pct",
    "Exchange_rate_LCU_per_USD": "lcu_per_usd",
}


def read_worldbank(path: Path) -> pd.DataFrame:
    """A World Bank API pull by country and year: ``country, ccode, year, gdp_usd`` and the indicators present.

    ``exports_pct_gdp`` and ``imports_pct_gdp`` are exports and imports of goods
    *and services* in percent of GDP.
    """
    raw, _ = _text_table(path, "worldbank-rus-chn")
    country = raw["country"].astype(str).str.strip()
    out = pd.DataFrame(
        {
            "country": country.to_numpy(),
            "ccode": map_to_cow(country, scheme="name"),
            "year": _io.year_column(raw, "date", path).astype("int64").to_numpy(),
        }
    )
    for src, dst in _WB_COLUMNS.items():
        if src in raw:
            minimum = 0 if src in {"GDP_current_USD", "Exports_percent_GDP"} else None
            out[dst] = _io.number_column(raw, src, path, minimum=minimum).to_numpy()
    return _finish(out, "worldbank-rus-chn", path)


# --- Excel workbooks ------------------------------------------------------------------


def _workbook(path: Path, dataset_id: str) -> dict[str, pd.DataFrame]:
    """Every sheet of an .xlsx workbook as a frame of raw cells (no header)."""
    import warnings

    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "no default style"
            sheets = pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, EOFError):
        raise DatasetFormatError(
            str(path),
            "not a readable Excel workbook (.xlsx)",
            hint=f"a {dataset_id} file is an .xlsx workbook; download it again",
        ) from None
    return {str(name): frame for name, frame in sheets.items()}


def _cell_number(
    value: object, path: Path, where: str, field: str, missing: frozenset[str]
) -> float:
    """A workbook cell as a number; blank or a missing mark (``:``) is NaN, text is refused."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return float("nan")
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "")
        if text.lower() in missing or text.lower() in _io.MISSING_TEXT:
            return float("nan")
        try:
            number = float(text)
        except ValueError:
            raise DatasetFormatError(
                str(path), f"'{value}' is not a number", record=where, field=field
            ) from None
    if not np.isfinite(number) or number < 0:
        raise DatasetFormatError(
            str(path),
            f"'{value}' is not a value (a finite number, 0 or more)",
            record=where,
            field=field,
        )
    return number


# --- Eurostat Comext DS-045409 ------------------------------------------------------------

_PERIOD_CELL = re.compile(r"^(\d{4})-(\d{2})$")
_EUROSTAT_MISSING = frozenset({":", ": ", ":c", ":u"})


def _name_of(label: object) -> str:
    """A Eurostat country label without its notes: 'Russian Federation (Russia)' -> 'Russian Federation'."""
    return re.sub(r"\s*\(.*\)\s*$", "", str(label)).strip()


def _eurostat_sheet(name: str, cells: pd.DataFrame, path: Path) -> pd.DataFrame | None:
    """One data sheet of a Comext export as long rows, or None for the Summary/Structure sheets."""
    first = cells.iloc[:, 0].astype(str).str.strip()
    labels = {k: i for i, k in enumerate(first) if k in {"PRODUCT [PRODUCT]", "FLOW", "TIME"}}
    if "TIME" not in labels:
        return None
    for key in ("PRODUCT [PRODUCT]", "FLOW"):
        if key not in labels:
            raise DatasetFormatError(
                str(path),
                f"the sheet has a TIME row but no {key} row above it",
                record=f"sheet '{name}'",
                field=key,
            )
    product_text = str(cells.iat[labels["PRODUCT [PRODUCT]"], 2]).strip()
    flow = str(cells.iat[labels["FLOW"], 2]).strip().upper()
    if flow not in {"IMPORT", "EXPORT"}:
        raise DatasetFormatError(
            str(path),
            f"'{flow}' is not a flow (IMPORT or EXPORT)",
            record=f"sheet '{name}', row {labels['FLOW'] + 1}",
            field="FLOW",
        )
    if product_text.upper().startswith("TOTAL"):
        product = "TOTAL"
    elif product_text.upper().startswith("MINERAL FUELS"):
        product = "27"
    else:
        code = re.search(r"\[(\w+)\]\s*$", product_text)
        product = code.group(1) if code else product_text
    time_row = labels["TIME"]
    periods: dict[int, tuple[int, int]] = {}
    first_year, last_year = year_range()
    for col in range(2, cells.shape[1]):
        cell = str(cells.iat[time_row, col]).strip()
        match = _PERIOD_CELL.match(cell)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if not (first_year <= year <= last_year and 1 <= month <= 12):
                raise DatasetFormatError(
                    str(path),
                    f"'{cell}' is not a month from {first_year} to {last_year}",
                    record=f"sheet '{name}', row {time_row + 1}",
                    field="TIME",
                )
            periods[col] = (year, month)
    if not periods:
        raise DatasetFormatError(
            str(path),
            "the TIME row holds no months (YYYY-MM)",
            record=f"sheet '{name}', row {time_row + 1}",
            field="TIME",
        )
    rows: list[tuple[str, str, str, str, int, int, float]] = []
    for r in range(time_row + 1, cells.shape[0]):
        reporter: Any = cells.iat[r, 0]
        partner: Any = cells.iat[r, 1]
        if str(reporter).strip() == "Special value":  # the legend below the table
            break
        if pd.isna(reporter) or pd.isna(partner):
            continue
        if str(reporter).strip().endswith("(Labels)"):
            continue
        for col, (year, month) in periods.items():
            value = _cell_number(
                cells.iat[r, col],
                path,
                f"sheet '{name}', row {r + 1}",
                f"{year}-{month:02d}",
                _EUROSTAT_MISSING,
            )
            rows.append(
                (_name_of(reporter), _name_of(partner), product, flow.lower(), year, month, value)
            )
    return pd.DataFrame(
        rows, columns=["reporter", "partner", "product", "flow", "year", "month", "value_eur"]
    )


def read_eurostat_comext(path: Path) -> pd.DataFrame:
    """A Eurostat Comext (DS-045409) workbook: one row per reporter, partner, product, flow and month.

    Returns ``reporter, reporter_cow, partner, partner_cow, product, flow, year,
    month, value_eur``; ``product`` is ``TOTAL`` or the HS chapter (``27``),
    ``flow`` ``import`` or ``export`` (as the EU reporter declares it). Eurostat's
    ``:`` (not available) is missing, never 0. Each data sheet must carry the
    PRODUCT, FLOW and TIME rows of Eurostat's "Download as xlsx".
    """
    sheets = _workbook(path, "eurostat-eu-russia")
    frames = [
        f for name, cells in sheets.items() if (f := _eurostat_sheet(name, cells, path)) is not None
    ]
    if not frames:
        card = get_card("eurostat-eu-russia")
        raise DatasetFormatError(
            str(path),
            f"this is not a {card.id} workbook: no sheet has Eurostat's PRODUCT, FLOW and TIME rows",
            hint=f"see `powerbalance data info {card.id}`",
        )
    out = pd.concat(frames, ignore_index=True)
    out.insert(1, "reporter_cow", map_to_cow(out["reporter"], scheme="name"))
    out.insert(3, "partner_cow", map_to_cow(out["partner"], scheme="name"))
    out = out.astype({"year": "int64", "month": "int64", "value_eur": "float64"})
    return _finish(out, "eurostat-eu-russia", path)


# --- IMF CDIS extract -----------------------------------------------------------------

# The extract's headers are Turkish: Yıl = year, DYY = doğrudan yabancı yatırım (FDI),
# Çin = China, Rusya = Russia. English headers are accepted too.
_CDIS_ALIASES = {
    "host": ("Country/Territory", "country", "host"),
    "year": ("Yıl", "Year", "year"),
    "CHN": ("DYY_Çin", "fdi_china", "FDI_China"),
    "RUS": ("DYY_Rusya", "fdi_russia", "FDI_Russia"),
}


def read_cdis_extract(path: Path) -> pd.DataFrame:
    """An extract of IMF CDIS inward direct-investment positions: ``host, host_cow, year, investor, position_musd``.

    One row per host economy, year and investor (``CHN``, and ``RUS`` when the
    file has its column); positions in US dollars million. A blank cell is
    missing (CDIS publishes no figure), never 0. Other columns are not read.
    """
    card = get_card("imf-cdis-china")
    sheets = _workbook(path, card.id)
    for name, cells in sheets.items():
        if cells.empty:
            continue
        header = [str(c).strip() for c in cells.iloc[0]]
        found = {
            std: next((header.index(a) for a in names if a in header), None)
            for std, names in _CDIS_ALIASES.items()
        }
        if found["host"] is None or found["year"] is None or found["CHN"] is None:
            continue
        first, last = year_range()
        rows: list[tuple[str, int, str, float]] = []
        for r in range(1, cells.shape[0]):
            where = f"sheet '{name}', row {r + 1}"
            host: Any = cells.iat[r, found["host"]]
            if pd.isna(host) or not str(host).strip():
                continue
            year_cell: Any = cells.iat[r, found["year"]]
            try:
                year = int(float(str(year_cell).strip()))
            except ValueError:
                year = -1
            if not first <= year <= last or float(str(year_cell).strip()) != year:
                raise DatasetFormatError(
                    str(path),
                    f"'{year_cell}' is not a year from {first} to {last}",
                    record=where,
                    field=header[found["year"]],
                )
            for investor in ("CHN", "RUS"):
                col = found[investor]
                if col is None:
                    continue
                value = _cell_number(
                    cells.iat[r, col], path, where, header[col], frozenset({"c", "..."})
                )
                rows.append((str(host).strip(), year, investor, value))
        out = pd.DataFrame(rows, columns=["host", "year", "investor", "position_musd"])
        out.insert(1, "host_cow", map_to_cow(out["host"], scheme="name"))
        out = out.astype({"year": "int64", "position_musd": "float64"})
        return _finish(out, card.id, path)
    expected = ", ".join(c for c in card.layouts[0].columns)
    raise DatasetFormatError(
        str(path),
        f"this is not a {card.id} file: no sheet has the columns {expected} in its first row",
        hint=f"see `powerbalance data info {card.id}`",
    )


# --- CIA World Factbook ---------------------------------------------------------------

_AMOUNT = re.compile(
    r"^\$?(?P<number>-?[\d,]+(?:\.\d+)?)\s*(?P<scale>trillion|billion|million)?"
    r"(?:\s+km)?(?:\s*\((?P<year>\d{4})(?:\s+est\.)?\))?"
)
_SCALES = {None: 1.0, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SEGMENT = re.compile(r"^(?P<name>.+?)\s+(?P<km>[\d,]+(?:\.\d+)?)\s*km\b")
_SHARE = re.compile(r"^(?P<name>.+?)\s+(?P<pct>\d+(?:\.\d+)?)%$")


def _factbook_error(path: Path, problem: str, field: str) -> DatasetFormatError:
    return DatasetFormatError(str(path), problem, field=field)


def _amount(text: str, path: Path, field: str) -> tuple[float, int | None]:
    match = _AMOUNT.match(text.strip())
    if not match:
        raise _factbook_error(
            path, f"'{text}' is not an amount such as '$2.174 trillion (2024 est.)'", field
        )
    value = float(match.group("number").replace(",", "")) * _SCALES[match.group("scale")]
    year = match.group("year")
    return value, int(year) if year else None


def _boundaries(
    text: str, path: Path, field: str
) -> list[tuple[str, str, float]]:  # (partner, segment label, km)
    out = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        # "China (southeast) 4,133 km and China (south) 46 km": two segments of one border
        for piece in re.split(r"\s+and\s+(?=[A-Z])", part):
            match = _SEGMENT.match(piece.strip())
            if not match:
                raise _factbook_error(
                    path,
                    f"'{piece.strip()}' is not a border segment such as 'Mongolia 3,452 km'",
                    field,
                )
            label = match.group("name").strip()
            out.append((_name_of(label), label, float(match.group("km").replace(",", ""))))
    return out


def read_factbook(path: Path) -> pd.DataFrame:
    """One country's CIA World Factbook JSON as rows: ``country, ccode, field, item, partner_cow, year, value, unit``.

    Read from the text values (units inside, such as ``"4,133 km"`` or
    ``"$2.174 trillion (2024 est.)"``): the land boundaries (``border``, one row
    per segment, km; ``border_total``), GDP at the official exchange rate
    (``gdp``, USD), exports and imports of goods and services by year (USD), and
    the export and import partners (``exports_partner``, percent).
    """
    card = get_card("cia-factbook")
    text = _io.decode(path)
    if not text.strip():
        raise DatasetFormatError(str(path), "the file has no data rows (it is empty)")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DatasetFormatError(
            str(path),
            f"not valid JSON ({exc.msg}); is the file cut short?",
            record=f"line {exc.lineno}",
            field=f"column {exc.colno}",
        ) from None
    if not isinstance(doc, dict) or "Geography" not in doc or "Economy" not in doc:
        found = ", ".join(list(doc)[:10]) if isinstance(doc, dict) else type(doc).__name__
        raise DatasetFormatError(
            str(path),
            f"this is not a {card.id} file: expected the sections Geography, Economy, Government; "
            f"found {found or 'none'}",
            hint=f"see `powerbalance data info {card.id}`",
        )

    def text_at(*keys: str) -> str | None:
        node: Any = doc
        for k in keys:
            if not isinstance(node, dict) or k not in node:
                return None
            node = node[k]
        if isinstance(node, dict):
            node = node.get("text")
        return node if isinstance(node, str) else None

    name = text_at("Government", "Country name", "conventional short form")
    if not name:
        raise _factbook_error(
            path, "the country's name is missing", "Government.Country name.conventional short form"
        )
    rows: list[dict[str, Any]] = []

    def add(field: str, item: str, value: float, unit: str, year: int | None, partner: str = ""):
        rows.append(
            {
                "field": field,
                "item": item,
                "partner": partner,
                "year": year,
                "value": value,
                "unit": unit,
            }
        )

    total = text_at("Geography", "Land boundaries", "total")
    if total:
        add("border_total", "total", _amount(total, path, "Land boundaries.total")[0], "km", None)
    borders = text_at("Geography", "Land boundaries", "border countries")
    if borders:
        for partner, label, km in _boundaries(borders, path, "Land boundaries.border countries"):
            add("border", label, km, "km", None, partner)
    gdp = text_at("Economy", "GDP (official exchange rate)")
    if gdp:
        value, year = _amount(gdp, path, "GDP (official exchange rate)")
        add("gdp", "official exchange rate", value, "USD", year)
    for flow in ("Exports", "Imports"):
        section = doc["Economy"].get(flow)
        if isinstance(section, dict):
            for key, node in section.items():
                match = re.fullmatch(rf"{flow} (\d{{4}})", key)
                if match and isinstance(node, dict) and isinstance(node.get("text"), str):
                    value, year = _amount(node["text"], path, f"{flow}.{key}")
                    add(flow.lower(), "goods and services", value, "USD", year or int(match[1]))
        partners = text_at("Economy", f"{flow} - partners")
        if partners:
            year_match = re.search(r"\((\d{4})\)\s*$", partners)
            year = int(year_match.group(1)) if year_match else None
            body = re.sub(r"\(\d{4}\)\s*$", "", partners).strip()
            for part in body.split(","):
                match = _SHARE.match(part.strip())
                if not match:
                    raise _factbook_error(
                        path,
                        f"'{part.strip()}' is not a partner share such as 'China 33%'",
                        f"{flow} - partners",
                    )
                add(
                    f"{flow.lower()}_partner",
                    match.group("name"),
                    float(match.group("pct")),
                    "percent",
                    year,
                    match.group("name"),
                )
    if not rows:
        raise DatasetFormatError(
            str(path),
            "no usable field: none of land boundaries, GDP, exports, imports was found",
            hint=f"see `powerbalance data info {card.id}`",
        )
    out = pd.DataFrame(rows)
    out.insert(0, "country", name)
    out.insert(1, "ccode", int(map_to_cow([name], scheme="name")[0]))
    partner_cow = map_to_cow(out["partner"].where(out["partner"] != "", None), scheme="name")
    out.insert(5, "partner_cow", partner_cow)
    out["year"] = out["year"].astype("Int64")
    out = out.drop(columns=["partner"])
    return _finish(out, card.id, path)


#: The readers of this module by dataset id (merged into ``readers.READERS``).
ECON_READERS = {
    "rus-chn-monthly-trade": read_monthly_trade,
    "comtrade-chn-imports-rus": read_comtrade,
    "atlas-country-year": read_atlas_country_year,
    "baci-rus-chn": read_baci,
    "worldbank-rus-chn": read_worldbank,
    "eurostat-eu-russia": read_eurostat_comext,
    "cia-factbook": read_factbook,
    "imf-cdis-china": read_cdis_extract,
}
