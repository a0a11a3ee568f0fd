"""China's votes on the Ukraine resolutions (claim econ.un.chn_abstentions_ukraine)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powerbalance.datasets.registry import DataSources
from powerbalance.evidence import load_corpus
from powerbalance.evidence.models import Claim
from powerbalance.indicators.verification import verify_claim

CLAIM_ID = "econ.un.chn_abstentions_ukraine"


def claim() -> Claim:
    record = load_corpus().get(CLAIM_ID)
    assert isinstance(record, Claim)
    return record


def _res(symbol, date, china, title="Unrelated matter"):
    lists = {"yes": [], "no": [], "abstain": []}
    lists[china].append("CHINA")
    lists["yes"].append("UNITED STATES")
    return {
        "symbol": symbol,
        "title": title,
        "adoption_date": date,
        "adoption_type": "By a recorded vote",
        "MS_in_favour": lists["yes"],
        "MS_against": lists["no"],
        "MS_abstaining": lists["abstain"],
    }


def _write(path: Path, rows) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def small_files(tmp_path: Path, *, with_2025: bool = True) -> dict[str, Path]:
    """Test inputs (not the UN's figures): 2 ES-11 votes, Crimea/Ukraine titles, other votes."""
    files = {
        "unga-es-11": _write(
            tmp_path / "ES-11.json",
            [
                _res("A/RES/ES-11/1", "2 March 2022", "abstain", "Aggression against Ukraine"),
                _res("A/RES/ES-11/3", "7 April 2022", "no", "Suspension of rights in a council"),
            ],
        ),
        "unga-77": _write(
            tmp_path / "77.json",
            [
                _res("A/RES/77/229", "15 December 2022", "no", "Human rights in Crimea"),
                _res("A/RES/77/1", "1 November 2022", "abstain"),  # not on Ukraine
                _res("A/RES/77/300", "1 March 2023", "yes"),
            ],
        ),
        "unga-78": _write(
            tmp_path / "78.json",
            [
                _res("A/RES/78/316", "11 July 2024", "abstain", "Nuclear facilities of Ukraine"),
                _res("A/RES/78/1", "1 October 2023", "no"),
            ],
        ),
    }
    if with_2025:
        csv = tmp_path / "unga_2025_resolutions.csv"
        csv.write_text(
            "Resolution,Date,Title,CHN,USA\n"
            ",,,China,United States\n"
            "A/RES/ES-11/7,2025-02-24,A lasting peace,ABSTAIN,YES\n"
            "A/RES/79/300,2025-03-01,Another matter,NO,YES\n",
            encoding="utf-8",
        )
        files["unga-2025"] = csv
    return files


def test_small_files_share_and_lists(tmp_path):
    r = verify_claim(claim(), DataSources(small_files(tmp_path)))
    # on Ukraine: ES-11/1 (A), ES-11/3 (N), 77/229 (N), 78/316 (A), ES-11/7 (A): 3 of 5
    assert r.computed == pytest.approx(60.0)
    assert r.status == "verified"
    assert r.detail["abstained_on"] == ["A/RES/ES-11/1", "A/RES/78/316", "A/RES/ES-11/7"]
    assert r.detail["voted_against"] == ["A/RES/ES-11/3", "A/RES/77/229"]
    alts = {a["definition"]: a["computed"] for a in r.alternatives}
    assert alts == {
        "session ES-11 only": pytest.approx(200 / 3, abs=1e-3),
        # ES-11/1, 77/229, 78/316 (ES-11/7's title names no place): 2 of 3
        "titles naming Ukraine, Crimea or Sevastopol only": pytest.approx(200 / 3, abs=1e-3),
    }


def test_small_files_contradicted_when_china_votes_no(tmp_path):
    files = small_files(tmp_path)
    text = files["unga-2025"].read_text().replace("A lasting peace,ABSTAIN", "A lasting peace,NO")
    files["unga-2025"].write_text(text)
    _write(
        files["unga-78"],
        [_res("A/RES/78/316", "11 July 2024", "no", "Nuclear facilities of Ukraine")],
    )
    r = verify_claim(claim(), DataSources(files))
    assert r.computed == pytest.approx(20.0)  # 1 of 5: only ES-11/1
    assert r.status == "contradicted"
    assert r.detail["abstained_on"] == ["A/RES/ES-11/1"]


def test_without_the_2025_table_unverifiable_naming_it(tmp_path):
    r = verify_claim(claim(), DataSources(small_files(tmp_path, with_2025=False)))
    assert r.status == "unverifiable"
    assert "2025" in r.reason
    assert "unga-2025" in r.reason


def test_a_year_without_any_file_unverifiable(tmp_path):
    files = small_files(tmp_path)
    del files["unga-78"]  # nothing covers 2024
    r = verify_claim(claim(), DataSources(files))
    assert r.status == "unverifiable" and "2024" in r.reason


def test_without_the_es11_file_unverifiable():
    r = verify_claim(claim(), DataSources())
    assert r.status == "unverifiable" and r.settle_with == "unga-es-11"


@pytest.mark.shared_data
def test_real_files_china_abstained_on_most(shared_data):
    r = verify_claim(claim(), DataSources(data_dir=shared_data / "unga_resolutions"))
    assert r.status == "verified"
    assert r.computed == pytest.approx(800 / 14, abs=1e-3)  # 8 of 14
    assert r.detail["abstained_on"] == [
        "A/RES/ES-11/1",
        "A/RES/ES-11/2",
        "A/RES/ES-11/4",
        "A/RES/ES-11/6",
        "A/RES/78/316",
        "A/RES/ES-11/7",
        "A/RES/ES-11/8",
        "A/RES/ES-11/9",
    ]
    assert r.detail["voted_against"] == [
        "A/RES/ES-11/3",
        "A/RES/ES-11/5",
        "A/RES/77/229",
        "A/RES/78/221",
        "A/RES/79/184",
        "A/RES/80/223",
    ]
    alts = {a["definition"]: (a["computed"], a["agrees"]) for a in r.alternatives}
    assert alts["session ES-11 only"] == (pytest.approx(77.7778), True)
    assert alts["titles naming Ukraine, Crimea or Sevastopol only"] == (
        pytest.approx(58.3333),
        True,
    )
