"""Checks of the economic claims (issue 16): each on a small file, and the real files' verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from powerbalance.datasets.registry import DataSources
from powerbalance.evidence import load_corpus
from powerbalance.evidence.models import Claim
from powerbalance.indicators.verification import verify_claim

CORPUS = load_corpus()


def claim(claim_id: str) -> Claim:
    record = CORPUS.get(claim_id)
    assert isinstance(record, Claim)
    return record


def _monthly(path: Path, totals_bn: dict[int, float]) -> Path:
    lines = ["date,value,yuan_share"]
    for year, total in totals_bn.items():
        lines += [f"{year}-{m:02d}-01,{total * 1e9 / 12},0.3" for m in range(1, 13)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _atlas(path: Path, rows: dict[tuple[str, int], tuple[float, float]]) -> Path:
    lines = ["country_id,country_iso3_code,year,export_value,import_value"]
    lines += [f"0,{iso},{y},{x * 1e9},{m * 1e9}" for (iso, y), (x, m) in rows.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def _wb(path: Path, rows: dict[tuple[str, int], tuple[float, float, float]]) -> Path:
    lines = ["country,date,GDP_current_USD,Exports_percent_GDP,Imports_percent_GDP"]
    lines += [f"{c},{y},{g * 1e9},{x},{m}" for (c, y), (g, x, m) in rows.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_trade_total_and_growth(tmp_path):
    data = DataSources(
        {"rus-chn-monthly-trade": _monthly(tmp_path / "m.csv", {2021: 147.0, 2024: 245.2})}
    )
    total = verify_claim(claim("econ.trade.rus_chn_total_2024"), data)
    assert total.status == "verified" and total.computed == pytest.approx(245.2)
    growth = verify_claim(claim("econ.trade.rus_chn_growth_2021_2024"), data)
    assert growth.computed == pytest.approx(100 * (245.2 / 147.0 - 1), abs=1e-3)  # 66.8
    assert growth.status == "contradicted"  # 66 printed: 65.5 to 66.5
    on_the_edge = DataSources(
        {"rus-chn-monthly-trade": _monthly(tmp_path / "n.csv", {2021: 147.6, 2024: 245.0})}
    )
    assert (
        verify_claim(claim("econ.trade.rus_chn_growth_2021_2024"), on_the_edge).status == "verified"
    )


def test_trade_year_missing_is_unverifiable_naming_the_nearest_year(tmp_path):
    data = DataSources({"rus-chn-monthly-trade": _monthly(tmp_path / "m.csv", {2023: 240.0})})
    r = verify_claim(claim("econ.trade.rus_chn_total_2024"), data)
    assert r.status == "unverifiable"
    assert "no twelve months of 2024" in r.reason and "2023, gives 240.0 bn" in r.reason


def test_trade_shares_report_both_denominators(tmp_path):
    data = DataSources(
        {
            "rus-chn-monthly-trade": _monthly(tmp_path / "m.csv", {2024: 245.0}),
            "atlas-country-year": _atlas(
                tmp_path / "a.csv", {("RUS", 2024): (340.0, 200.0), ("CHN", 2024): (3500.0, 2100.0)}
            ),
            "worldbank-rus-chn": _wb(
                tmp_path / "w.csv",
                {
                    ("Russian Federation", 2024): (2000.0, 22.0, 14.0),
                    ("China", 2024): (18000.0, 20.0, 17.0),
                },
            ),
        }
    )
    rus = verify_claim(claim("econ.trade.chn_share_of_rus_2024"), data)
    assert rus.computed == pytest.approx(100 * 245 / 540, abs=1e-3)  # 45.4 (Atlas)
    assert rus.alternatives[0]["computed"] == pytest.approx(100 * 245 / 720, abs=1e-3)  # 34.0
    assert rus.status == "depends_on_definition"
    chn = verify_claim(claim("econ.trade.rus_share_of_chn_2024"), data)
    assert chn.computed == pytest.approx(100 * 245 / 5600, abs=1e-3)  # 4.4
    assert chn.alternatives[0]["computed"] == pytest.approx(100 * 245 / 6660, abs=1e-3)  # 3.7
    assert chn.status == "verified"
    # without the World Bank file: the Atlas figure alone
    only_atlas = DataSources({k: v for k, v in data.files.items() if k != "worldbank-rus-chn"})
    r = verify_claim(claim("econ.trade.chn_share_of_rus_2024"), only_atlas)
    assert r.status == "contradicted" and r.alternatives == []
    # without the Atlas: unverifiable, naming it
    r = verify_claim(
        claim("econ.trade.chn_share_of_rus_2024"),
        DataSources({"rus-chn-monthly-trade": data.files["rus-chn-monthly-trade"]}),
    )
    assert r.status == "unverifiable" and "atlas-country-year" in r.reason


def _eurostat(tmp_path: Path, total: float, hs27: float, exports: float) -> Path:
    from tests.datasets.test_econ_readers import eurostat_workbook

    return eurostat_workbook(
        tmp_path / "eu.xlsx",
        {
            ("TOTAL", "IMPORT"): [total / 24 * 1e9] * 12,  # two reporters in the workbook
            ("27", "IMPORT"): [hs27 / 24 * 1e9] * 12,
            ("TOTAL", "EXPORT"): [exports / 24 * 1e9] * 12,
        },
    )


def test_eu_checks(tmp_path):
    data = DataSources(
        {
            "eurostat-eu-russia": _eurostat(tmp_path, 160.0, 99.2, 90.0),
            "atlas-country-year": _atlas(tmp_path / "a.csv", {("RUS", 2021): (480.0, 260.0)}),
        }
    )
    energy = verify_claim(claim("econ.trade.rus_exports_eu_energy_share_prepivot"), data)
    assert energy.computed == pytest.approx(62.0) and energy.status == "verified"
    share = verify_claim(claim("econ.trade.eu_share_of_rus_prepivot"), data)
    assert share.computed == pytest.approx(100 * 250 * 1.1827 / 740, abs=1e-3)  # 39.96
    assert share.status == "contradicted" and share.detail["usd_per_eur"] == 1.1827


def test_eu_year_incomplete_is_unverifiable(tmp_path):
    from tests.datasets.test_econ_readers import eurostat_workbook

    path = eurostat_workbook(
        tmp_path / "eu.xlsx", {("TOTAL", "IMPORT"): [1] * 11 + [":"], ("27", "IMPORT"): [1] * 12}
    )
    r = verify_claim(
        claim("econ.trade.rus_exports_eu_energy_share_prepivot"),
        DataSources({"eurostat-eu-russia": path}),
    )
    assert r.status == "unverifiable" and "no twelve months of 2021" in r.reason


def test_energy_share_to_china_both_definitions(tmp_path):
    path = tmp_path / "baci.csv"
    path.write_text(
        "t,i,j,k,v,q\n2024,643,156,270900,78,1\n2024,643,156,260300,4,1\n2024,643,156,440700,18,1\n"
        "2024,156,643,870300,500,1\n"
    )
    r = verify_claim(
        claim("econ.trade.rus_exports_chn_energy_share"), DataSources({"baci-rus-chn": path})
    )
    assert r.computed == pytest.approx(78.0)
    assert r.alternatives[0]["computed"] == pytest.approx(82.0)
    assert r.status == "verified"  # four-fifths: within half a fifth either way
    path.write_text(path.read_text().replace("2024,", "2023,"))
    r = verify_claim(
        claim("econ.trade.rus_exports_chn_energy_share"), DataSources({"baci-rus-chn": path})
    )
    assert r.status == "unverifiable"
    assert "not 2024; 2023 gives HS 27 78.0% (HS 25-27 82.0%)" in r.reason


def test_fdi_checks(tmp_path):
    from tests.datasets.test_econ_readers import cdis_workbook

    cdis = cdis_workbook(
        tmp_path / "cdis.xlsx",
        [["Russia", 2024, 18000, None, 0], ["Kazakhstan", 2024, 8000, 100, 0]],
    )
    wb = _wb(tmp_path / "w.csv", {("Russian Federation", 2024): (2170.0, 20.0, 15.0)})
    data = DataSources({"imf-cdis-china": cdis, "worldbank-rus-chn": wb})
    stock = verify_claim(claim("econ.fdi.chn_in_rus_2024"), data)
    assert stock.status == "verified" and stock.computed == pytest.approx(18.0)
    share = verify_claim(claim("econ.fdi.chn_in_rus_share_gdp_2024"), data)
    assert share.computed == pytest.approx(100 * 18 / 2170, abs=1e-3) and share.status == "verified"
    ratio = verify_claim(claim("econ.fdi.chn_rus_vs_kaz_2024"), data)
    assert ratio.computed == pytest.approx(2.25) and ratio.status == "verified"
    # a file without Russia (as the staged extract): unverifiable, saying what it has
    kaz_only = cdis_workbook(tmp_path / "k.xlsx", [["Kazakhstan", 2023, 6754.7, None, 0]])
    r = verify_claim(
        claim("econ.fdi.chn_rus_vs_kaz_2024"), DataSources({"imf-cdis-china": kaz_only})
    )
    assert r.status == "unverifiable"
    assert "no position of CHN in COW 365" in r.reason and "2023 gives 6.75 bn USD" in r.reason


def test_border_from_either_country_file(tmp_path):
    from tests.datasets.test_econ_readers import _factbook

    path = tmp_path / "rs.json"
    path.write_text(_factbook())
    r = verify_claim(claim("econ.border.rus_chn_length"), DataSources({"cia-factbook": path}))
    assert r.computed == 4179.0 and r.status == "verified"  # about 4,300: within 5%
    assert r.detail["segments_km"] == {"China (southeast)": 4133.0, "China (south)": 46.0}
    path.write_text(_factbook("China 3,900 km"))
    r = verify_claim(claim("econ.border.rus_chn_length"), DataSources({"cia-factbook": path}))
    assert r.status == "contradicted" and r.computed == 3900.0


# --- the real files ---------------------------------------------------------------------


@pytest.mark.shared_data
def test_verdicts_on_the_real_files(shared_file):
    data = DataSources(
        {
            "rus-chn-monthly-trade": shared_file("trade_rus_chn/monthly_trade_2017_2024.csv"),
            "atlas-country-year": shared_file("trade_rus_chn/atlas_hs92_country_year.csv"),
            "worldbank-rus-chn": shared_file("trade_rus_chn/worldbank_russia_china_raw.csv"),
            "baci-rus-chn": shared_file("trade_rus_chn/baci_russia_china_2017_2023.csv"),
            "eurostat-eu-russia": shared_file("eurostat/eu_trade_russia_2020_2022_ds045409.xlsx"),
            "cia-factbook": shared_file("factbook/rs.json"),
            "imf-cdis-china": shared_file("fdi/imf_cdis_china_fdi_russia_kazakhstan.xlsx"),
        }
    )
    got = {
        c: verify_claim(claim(c), data)
        for c in (
            "econ.trade.rus_chn_total_2024",
            "econ.trade.rus_chn_growth_2021_2024",
            "econ.trade.rus_share_of_chn_2024",
            "econ.trade.chn_share_of_rus_2024",
            "econ.trade.eu_share_of_rus_prepivot",
            "econ.trade.rus_exports_chn_energy_share",
            "econ.trade.rus_exports_eu_energy_share_prepivot",
            "econ.fdi.chn_in_rus_share_gdp_2024",
            "econ.fdi.chn_rus_vs_kaz_2024",
            "econ.border.rus_chn_length",
        )
    }
    status = {c: r.status for c, r in got.items()}
    assert status == {
        "econ.trade.rus_chn_total_2024": "verified",
        "econ.trade.rus_chn_growth_2021_2024": "contradicted",
        "econ.trade.rus_share_of_chn_2024": "verified",
        "econ.trade.chn_share_of_rus_2024": "contradicted",
        "econ.trade.eu_share_of_rus_prepivot": "contradicted",
        "econ.trade.rus_exports_chn_energy_share": "unverifiable",
        "econ.trade.rus_exports_eu_energy_share_prepivot": "contradicted",
        "econ.fdi.chn_in_rus_share_gdp_2024": "unverifiable",
        "econ.fdi.chn_rus_vs_kaz_2024": "unverifiable",
        "econ.border.rus_chn_length": "verified",
    }
    assert got["econ.trade.rus_chn_total_2024"].computed == pytest.approx(245.157, abs=1e-3)
    assert got["econ.trade.rus_chn_growth_2021_2024"].computed == pytest.approx(67.01, abs=0.01)
    assert got["econ.trade.rus_share_of_chn_2024"].computed == pytest.approx(4.42, abs=0.01)
    rus = got["econ.trade.chn_share_of_rus_2024"]
    assert rus.computed == pytest.approx(45.27, abs=0.01)
    assert rus.alternatives[0]["computed"] == pytest.approx(28.55, abs=0.01)
    eu = got["econ.trade.eu_share_of_rus_prepivot"]
    assert eu.detail["eu_bn_eur"] == pytest.approx(252.83, abs=0.01)
    assert eu.computed == pytest.approx(40.46, abs=0.01)
    assert eu.alternatives[0]["computed"] == pytest.approx(32.32, abs=0.01)
    assert got["econ.trade.rus_exports_eu_energy_share_prepivot"].computed == pytest.approx(
        63.56, abs=0.01
    )
    assert (
        "2023 gives HS 27 73.5% (HS 25-27 77.0%)"
        in got["econ.trade.rus_exports_chn_energy_share"].reason
    )
    assert "2023 gives 6.75 bn USD" in got["econ.fdi.chn_rus_vs_kaz_2024"].reason
    assert got["econ.border.rus_chn_length"].computed == 4179.0
