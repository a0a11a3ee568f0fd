"""Readers of the economic datasets (issue 16): known values from the real files, small files, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from powerbalance.datasets.readers import read_dataset
from powerbalance.interfaces.cli.main import main

MONTHLY = "date,value,yuan_share\n" + "".join(
    f"2024-{m:02d}-01,{1e9 * m},0.3\n" for m in range(1, 13)
)
COMTRADE = (
    "typeCode,freqCode,refYear,refMonth,reporterCode,flowCode,partnerCode,cmdCode,primaryValue\n"
    "C,M,2024,1,156,M,643,TOTAL,1000\nC,M,2024,2,156,M,643,TOTAL,2000\n"
)
ATLAS = (
    "country_id,country_iso3_code,year,export_value,import_value\n"
    "643,RUS,2024,300,200\n156,CHN,2024,3000,2000\n"
)
BACI = "t,i,j,k,v,q\n2023,643,156,270900,70,1\n2023,643,156,10620,30,1\n"
WB = (
    "country,date,GDP_current_USD,Exports_percent_GDP,Imports_percent_GDP\n"
    "Russian Federation,2024,2000,20,15\nChina,2024,18000,20,17\n"
)


def _factbook(
    border: str = "China (southeast) 4,133 km and China (south) 46 km; Mongolia 3,452 km",
) -> str:
    return json.dumps(
        {
            "Government": {"Country name": {"conventional short form": {"text": "Russia"}}},
            "Geography": {
                "Land boundaries": {
                    "total": {"text": "22,407 km"},
                    "border countries": {"text": border},
                }
            },
            "Economy": {
                "GDP (official exchange rate)": {"text": "$2.174 trillion (2024 est.)"},
                "Exports": {"Exports 2024": {"text": "$475.277 billion (2024 est.)"}},
                "Exports - partners": {"text": "China 33%, India 17% (2023)"},
            },
        },
        indent=1,
    )


def eurostat_workbook(path: Path, values: dict[tuple[str, str], list[object]]) -> Path:
    """A workbook in Comext's 'Download as xlsx' layout: one sheet per (product, flow)."""
    months = [f"{y}-{m:02d}" for y in (2021,) for m in range(1, 13)]
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for n, ((product, flow), cells) in enumerate(values.items(), start=1):
            label = "Total [TOTAL]" if product == "TOTAL" else "MINERAL FUELS, MINERAL OILS ..."
            rows = [
                ["Data extracted on ...", None, *[None] * 12],
                ["PRODUCT [PRODUCT]", None, label, *[None] * 11],
                ["FLOW", None, flow, *[None] * 11],
                ["INDICATORS", None, "VALUE_IN_EUROS", *[None] * 11],
                ["TIME", "TIME", *months],
                ["REPORTER (Labels)", "PARTNER (Labels)", *[None] * 12],
                ["Austria", "Russian Federation (Russia)", *cells],
                [
                    "Germany (incl. German Democratic Republic 'DD' from 1991)",
                    "Russian Federation (Russia)",
                    *cells,
                ],
                ["Special value", None, *[None] * 12],
                [":", "not available", *[None] * 12],
            ]
            pd.DataFrame(rows).to_excel(writer, sheet_name=f"Sheet {n}", header=False, index=False)
    return path


def cdis_workbook(path: Path, rows: list[list[object]]) -> Path:
    header = ["Country/Territory", "Yıl", "DYY_Çin", "DYY_Rusya", "Çin ile oy uyumu"]
    pd.DataFrame([header, *rows]).to_excel(path, header=False, index=False, engine="openpyxl")
    return path


def run(capsys, *args: str) -> tuple[int, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out + err


# --- small files ------------------------------------------------------------------------


def test_monthly_trade_never_reads_the_yuan_placeholder(tmp_path):
    path = tmp_path / "monthly_trade_2024.csv"
    path.write_text(MONTHLY)
    frame = read_dataset("rus-chn-monthly-trade", path, cache=False)
    assert list(frame.columns) == ["date", "year", "month", "value_usd"]
    assert frame.value_usd.sum() == pytest.approx(78e9)
    assert frame.attrs["coverage"] == (2024, 2024)


def test_small_csv_files(tmp_path):
    for dataset, text, name in (
        ("comtrade-chn-imports-rus", COMTRADE, "comtrade.csv"),
        ("atlas-country-year", ATLAS, "hs92_country_year.csv"),
        ("baci-rus-chn", BACI, "baci.csv"),
        ("worldbank-rus-chn", WB, "worldbank.csv"),
    ):
        path = tmp_path / name
        path.write_text(text)
        frame = read_dataset(dataset, path, cache=False)
        assert len(frame) == 2, dataset
    baci = read_dataset("baci-rus-chn", tmp_path / "baci.csv", cache=False)
    assert baci.hs6.tolist() == ["270900", "010620"]  # five digits padded
    assert baci.value_usd.tolist() == [70000.0, 30000.0]  # thousand USD -> USD
    assert baci.exporter_cow.tolist() == [365, 365] and baci.importer_cow.tolist() == [710, 710]
    comtrade = read_dataset("comtrade-chn-imports-rus", tmp_path / "comtrade.csv", cache=False)
    assert comtrade.reporter_cow.tolist() == [710, 710]


def test_eurostat_and_cdis_workbooks(tmp_path):
    path = eurostat_workbook(
        tmp_path / "eu.xlsx", {("TOTAL", "IMPORT"): [10] * 11 + [":"], ("27", "IMPORT"): [6] * 12}
    )
    frame = read_dataset("eurostat-eu-russia", path, cache=False)
    assert set(frame["product"]) == {"TOTAL", "27"} and set(frame.flow) == {"import"}
    assert frame.value_eur.isna().sum() == 2  # ':' is missing, never 0
    assert set(frame.reporter_cow) == {305, 255} and set(frame.partner_cow) == {365}
    cdis = read_dataset(
        "imf-cdis-china",
        cdis_workbook(tmp_path / "cdis.xlsx", [["Kazakhstan", 2023, 6754.7, None, 0.7]]),
        cache=False,
    )
    assert cdis.position_musd.tolist()[0] == pytest.approx(6754.7)
    assert cdis.host_cow.tolist() == [705, 705]


def test_factbook_text_values_are_parsed(tmp_path):
    path = tmp_path / "rs.json"
    path.write_text(_factbook())
    frame = read_dataset("cia-factbook", path, cache=False)
    border = frame[(frame.field == "border") & (frame.partner_cow == 710)]
    assert border.value.tolist() == [4133.0, 46.0]
    gdp = frame[frame.field == "gdp"].iloc[0]
    assert (gdp.value, gdp.year) == (2.174e12, 2024)
    assert frame[frame.field == "exports_partner"].value.tolist() == [33.0, 17.0]


# --- data add on each card, and one-line refusals naming file, line and field ------------


def _valid_files(tmp_path: Path) -> dict[str, Path]:
    files = {}
    for dataset, text, name in (
        ("rus-chn-monthly-trade", MONTHLY, "monthly_trade.csv"),
        ("comtrade-chn-imports-rus", COMTRADE, "comtrade.csv"),
        ("atlas-country-year", ATLAS, "hs92_country_year.csv"),
        ("baci-rus-chn", BACI, "baci.csv"),
        ("worldbank-rus-chn", WB, "worldbank.csv"),
        ("cia-factbook", _factbook(), "rs.json"),
    ):
        files[dataset] = tmp_path / name
        files[dataset].write_text(text)
    files["eurostat-eu-russia"] = eurostat_workbook(
        tmp_path / "eu.xlsx", {("TOTAL", "IMPORT"): [10] * 12}
    )
    files["imf-cdis-china"] = cdis_workbook(tmp_path / "cdis.xlsx", [["Kazakhstan", 2023, 1, 2, 0]])
    return files


def test_data_add_registers_each_card(tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    for dataset, path in _valid_files(tmp_path).items():
        rc, out = run(capsys, "--store", str(store), "data", "add", dataset, str(path))
        assert rc == 0, (dataset, out)


BAD = [
    # dataset, file name, text, what the message names
    ("rus-chn-monthly-trade", "m.csv", "date,value\n2024-13-01,5\n", ("line 2", "field 'date'")),
    (
        "rus-chn-monthly-trade",
        "m.csv",
        "date,value\n2024-01-01,5\n2024-01-01,6\n",
        ("line 3", "twice"),
    ),
    (
        "rus-chn-monthly-trade",
        "m.csv",
        "date,value\n2024-01-01,lots\n",
        ("line 2", "field 'value'"),
    ),
    (
        "comtrade-chn-imports-rus",
        "c.csv",
        COMTRADE.replace(",2000\n", ",-5\n"),
        ("line 3", "field 'primaryValue'"),
    ),
    (
        "atlas-country-year",
        "a.csv",
        ATLAS.replace("2024,300", "20x4,300"),
        ("line 2", "field 'year'"),
    ),
    ("baci-rus-chn", "b.csv", BACI.replace("270900", "27AB00"), ("line 2", "field 'k'")),
    (
        "worldbank-rus-chn",
        "w.csv",
        WB.replace(",2000,", ",big,"),
        ("line 2", "field 'GDP_current_USD'"),
    ),
    ("baci-rus-chn", "b.csv", "alpha,beta\n1,2\n", ("expected columns t, i, j, k, v",)),
    ("cia-factbook", "rs.json", _factbook()[:200], ("line ", "cut short")),
    (
        "cia-factbook",
        "rs.json",
        _factbook("China about four thousand"),
        ("border countries", "not a border segment"),
    ),
    ("cia-factbook", "rs.json", '{"a": 1}', ("expected the sections Geography",)),
    ("eurostat-eu-russia", "e.xlsx", "not a workbook", ("not a readable Excel workbook",)),
    ("imf-cdis-china", "f.xlsx", "PK\x03\x04 broken", ("not a readable Excel workbook",)),
]


@pytest.mark.parametrize(("dataset", "name", "text", "says"), BAD)
def test_bad_files_refused_in_one_line(dataset, name, text, says, tmp_path, capsys):
    path = tmp_path / name
    path.write_text(text)
    rc, out = run(capsys, "--store", str(tmp_path / "s.duckdb"), "data", "add", dataset, str(path))
    assert rc == 2, out
    assert "Traceback" not in out and str(path) in out
    assert len(out.strip().splitlines()) == 1, out
    for s in says:
        assert s in out, out


def test_bad_workbook_cells_name_sheet_row_and_field(tmp_path, capsys):
    eu = eurostat_workbook(
        tmp_path / "eu.xlsx", {("TOTAL", "IMPORT"): [10] * 5 + ["ten"] + [10] * 6}
    )
    cdis = cdis_workbook(tmp_path / "cdis.xlsx", [["Kazakhstan", "20x3", 1, 2, 0]])
    store = str(tmp_path / "s.duckdb")
    rc, out = run(capsys, "--store", store, "data", "add", "eurostat-eu-russia", str(eu))
    assert rc == 2 and "sheet 'Sheet 1', row 7" in out and "field '2021-06'" in out, out
    rc, out = run(capsys, "--store", store, "data", "add", "imf-cdis-china", str(cdis))
    assert rc == 2 and "row 2" in out and "field 'Yıl'" in out, out


# --- known values from the real files (skip without ../shared) ---------------------------


@pytest.mark.shared_data
def test_monthly_trade_known_sums(shared_file):
    frame = read_dataset(
        "rus-chn-monthly-trade", shared_file("trade_rus_chn/monthly_trade_2017_2024.csv")
    )
    sums = frame.groupby("year").value_usd.sum() / 1e9
    assert sums[2021] == pytest.approx(146.79, abs=0.01)
    assert sums[2024] == pytest.approx(245.16, abs=0.01)


@pytest.mark.shared_data
def test_comtrade_known_sums(shared_file):
    frame = read_dataset(
        "comtrade-chn-imports-rus",
        shared_file("trade_rus_chn/comtrade_imports_chn_from_rus_2017_2024.csv"),
    )
    sums = frame.groupby("year").value_usd.sum() / 1e9
    assert sums[2021] == pytest.approx(79.59, abs=0.01)
    assert sums[2024] == pytest.approx(129.88, abs=0.01)


@pytest.mark.shared_data
def test_baci_hs27_share_2023(shared_file):
    frame = read_dataset(
        "baci-rus-chn", shared_file("trade_rus_chn/baci_russia_china_2017_2023.csv")
    )
    rows = frame[(frame.year == 2023) & (frame.exporter_cow == 365) & (frame.importer_cow == 710)]
    share = 100 * rows.loc[rows.hs2 == "27", "value_usd"].sum() / rows.value_usd.sum()
    assert share == pytest.approx(73.47, abs=0.01)


@pytest.mark.shared_data
def test_eurostat_hs27_share_2021(shared_file):
    frame = read_dataset(
        "eurostat-eu-russia", shared_file("eurostat/eu_trade_russia_2020_2022_ds045409.xlsx")
    )
    rus = frame[(frame.partner_cow == 365) & (frame.year == 2021) & (frame.flow == "import")]
    hs27 = rus.loc[rus["product"] == "27", "value_eur"].sum()
    total = rus.loc[rus["product"] == "TOTAL", "value_eur"].sum()
    assert 100 * hs27 / total == pytest.approx(63.56, abs=0.01)
    assert set(frame.reporter_cow) >= {255, 220, 325} and -1 not in set(frame.reporter_cow)


@pytest.mark.shared_data
def test_factbook_border_and_cdis_kazakhstan(shared_file):
    fb = read_dataset("cia-factbook", shared_file("factbook/rs.json"))
    assert fb[(fb.field == "border") & (fb.partner_cow == 710)].value.sum() == 4179.0
    cdis = read_dataset(
        "imf-cdis-china", shared_file("fdi/imf_cdis_china_fdi_russia_kazakhstan.xlsx")
    )
    kaz = cdis[(cdis.host_cow == 705) & (cdis.investor == "CHN") & (cdis.year == 2023)]
    assert kaz.position_musd.iloc[0] == pytest.approx(6754.75, abs=0.01)


@pytest.mark.shared_data
def test_atlas_and_worldbank_totals(shared_file):
    atlas = read_dataset(
        "atlas-country-year", shared_file("trade_rus_chn/atlas_hs92_country_year.csv")
    )
    rus = atlas[(atlas.ccode == 365) & (atlas.year == 2024)].iloc[0]
    assert (rus.exports_usd + rus.imports_usd) / 1e9 == pytest.approx(541.53, abs=0.01)
    wb = read_dataset(
        "worldbank-rus-chn", shared_file("trade_rus_chn/worldbank_russia_china_raw.csv")
    )
    gdp = wb[(wb.ccode == 365) & (wb.year == 2024)].gdp_usd.iloc[0]
    assert gdp / 1e12 == pytest.approx(2.174, abs=0.001)
