"""The coverage table (issue 16): every claim's status, figures, dataset and rule.

The status rule of :func:`~powerbalance.indicators.verification.verify_claim`
with alternative definitions is tested on claims the tests build and a tiny
fake computation registered for the test (monkeypatch of ``COMPUTATIONS``):
the computation returns the figures named in the check's parameters, so the
verdicts follow from the rule alone. The command line's table and ``--json``
and the report run on a store with a small IMF DOTS file the test writes (the
fake computation does not read it: a check runs only when its dataset is
registered). The dashboard's Evidence page is tested in
``tests/web/test_verification_page.py``.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from powerbalance.app import data as use_case
from powerbalance.app import pages
from powerbalance.app.report import report_data
from powerbalance.datasets.registry import DataSources
from powerbalance.evidence import load_corpus
from powerbalance.evidence.models import Check, Claim
from powerbalance.evidence.store import open_store
from powerbalance.indicators import verification
from powerbalance.indicators.checks_base import Alternative, Computed, NotCovered
from powerbalance.interfaces.cli.main import main
from powerbalance.interfaces.report import build

FAKE = "test_two_definitions"
BASE_CLAIM = "econ.trade.chn_share_of_rus_2024"  # a percentage, as printed: 34


def two_definitions(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """A fake check: the figures of the parameters, under two named definitions."""
    if params.get("not_covered"):
        raise NotCovered("the registered test file covers 2017-2023, not 2024; 2023 gives 33.9")
    alternatives = (
        [Alternative(str(params["alt_definition"]), float(params["alt"]), {"n": 2})]
        if "alt" in params
        else []
    )
    main = math.nan if params.get("main_missing") else float(params["main"])
    return Computed(
        main,
        {"n": 1},
        definition=str(params["main_definition"]),
        alternatives=alternatives,
    )


@pytest.fixture
def fake_check(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(verification.COMPUTATIONS, FAKE, two_definitions)
    return FAKE


def make_claim(
    claim_id: str,
    *,
    value: float = 34.0,
    qualifier: str = "about",
    tolerance: float = 3.0,
    **params: Any,
) -> Claim:
    base = load_corpus().get(BASE_CLAIM)
    assert isinstance(base, Claim)
    params = {
        "main_definition": "Atlas of Economic Complexity mirror totals",
        "alt_definition": "Russian customs totals",
        **params,
    }
    check = Check(
        dataset="imf-dots",
        computation=FAKE,
        params=params,
        tolerance=tolerance,
        note="a test check with two definitions of the denominator",
    )
    return Claim.model_validate(
        {
            **base.model_dump(),
            "id": claim_id,
            "value": value,
            "qualifier": qualifier,
            "check": check.model_dump(),
        }
    )


DATA = DataSources({"imf-dots": "a-file-the-fake-check-never-reads.csv"})


# --- the status rule with alternatives -------------------------------------------------------


def test_depends_on_definition_when_one_definition_agrees_and_another_does_not(fake_check):
    r = verification.verify_claim(make_claim("test.cov_depends", main=45.1, alt=34.2), DATA)
    assert r.status == "depends_on_definition"
    assert (r.computed, r.difference, r.agrees) == (45.1, pytest.approx(11.1), False)
    assert r.definition == "Atlas of Economic Complexity mirror totals"
    assert r.alternatives == [
        {
            "definition": "Russian customs totals",
            "computed": 34.2,
            "difference": pytest.approx(0.2),
            "agrees": True,
            "detail": {"n": 2},
        }
    ]


def test_depends_on_definition_whichever_definition_is_the_main_one(fake_check):
    r = verification.verify_claim(make_claim("test.cov_swapped", main=34.2, alt=45.1), DATA)
    assert r.status == "depends_on_definition"
    assert r.agrees is True and r.alternatives[0]["agrees"] is False


def test_verified_only_when_every_definition_agrees(fake_check):
    r = verification.verify_claim(make_claim("test.cov_verified", main=33.5, alt=36.9), DATA)
    assert r.status == "verified"
    assert r.agrees is True and r.alternatives[0]["agrees"] is True


def test_contradicted_when_no_definition_agrees(fake_check):
    r = verification.verify_claim(make_claim("test.cov_contradicted", main=45.1, alt=44.0), DATA)
    assert r.status == "contradicted"
    assert r.computed == 45.1 and r.alternatives[0]["computed"] == 44.0
    assert r.agrees is False and r.alternatives[0]["agrees"] is False


def test_the_tolerance_bounds_are_inclusive_and_the_qualifier_decides(fake_check):
    # about 34 within 3: 37 agrees, 37.01 does not
    edge = verification.verify_claim(make_claim("test.cov_edge", main=37.0, alt=37.01), DATA)
    assert edge.status == "depends_on_definition" and edge.agrees is True
    # more than 80 (tolerance 0): HS 27 alone 77.0 does not agree, HS 25-27 81.0 does
    energy = make_claim(
        "test.cov_more_than",
        value=80.0,
        qualifier="more_than",
        tolerance=0.0,
        main=77.0,
        alt=81.0,
        main_definition="HS chapter 27",
        alt_definition="HS chapters 25-27",
    )
    r = verification.verify_claim(energy, DATA)
    assert r.status == "depends_on_definition" and r.agrees is False
    # at most 10 (tolerance 0.5): 10.5 agrees, 10.6 does not
    at_most = make_claim(
        "test.cov_at_most", value=10.0, qualifier="at_most", tolerance=0.5, main=10.5, alt=10.6
    )
    assert verification.verify_claim(at_most, DATA).status == "depends_on_definition"


def test_a_missing_figure_never_agrees(fake_check):
    r = verification.verify_claim(
        make_claim("test.cov_nan", main=0, main_missing=True, alt=34.0), DATA
    )
    assert r.status == "depends_on_definition" and r.agrees is False


def test_without_alternatives_the_status_is_verified_or_contradicted(fake_check):
    ok = verification.verify_claim(make_claim("test.cov_one", main=35.0), DATA)
    bad = verification.verify_claim(make_claim("test.cov_one_bad", main=40.0), DATA)
    assert (ok.status, ok.alternatives, ok.agrees) == ("verified", [], True)
    assert (bad.status, bad.alternatives, bad.agrees) == ("contradicted", [], False)


def test_not_covered_is_unverifiable_and_says_why(fake_check):
    r = verification.verify_claim(make_claim("test.cov_gap", main=1, not_covered=True), DATA)
    assert r.status == "unverifiable" and r.computed is None
    assert "2023 gives 33.9" in r.reason and "imf-dots" in (r.settle_with or "")


# --- the coverage rows of the app layer ------------------------------------------------------


def test_coverage_row_carries_every_figure_the_dataset_and_the_rule(fake_check):
    result = verification.verify_claim(make_claim("test.cov_depends", main=45.1, alt=34.2), DATA)
    row = use_case.coverage_row(result)
    assert row.rule == f"{FAKE}: 34 ± 3 (about)"
    assert row.dataset == "imf-dots" and row.computation == FAKE and row.tolerance == 3.0
    assert [(f.definition, f.computed, f.agrees) for f in row.figures] == [
        ("Atlas of Economic Complexity mirror totals", 45.1, False),
        ("Russian customs totals", 34.2, True),
    ]
    d = row.to_dict()
    assert list(d) == ["claim", *use_case.STATUS_KEYS]
    assert d["alternatives"] == [
        {
            "definition": "Russian customs totals",
            "computed": 34.2,
            "difference": pytest.approx(0.2),
            "agrees": True,
        }
    ]


def test_nan_is_none_in_the_coverage_row(fake_check):
    result = verification.verify_claim(
        make_claim("test.cov_nan", main=0, main_missing=True, alt=1.0), DATA
    )
    d = use_case.coverage_row(result).to_dict()
    assert d["computed"] is None and d["difference"] is None
    json.dumps(d, allow_nan=False)  # JSON-ready


def test_verify_query_accepts_every_status():
    for status in verification.STATUSES:
        assert use_case.verify_query(status=status).status == status


# --- the command line: the table and --json --------------------------------------------------


def _dots_file(path: Path) -> Path:
    """A small file in the IMF DOTS bulk layout; its values are test inputs, not IMF figures."""
    header = (
        '"Country Name","Country Code","Indicator Name","Indicator Code",'
        '"Counterpart Country Name","Counterpart Country Code","Attribute","Scale","2021","2024"'
    )
    rows = [
        ("China, P.R.: Mainland", "TXG_FOB_USD", "Russian Federation", 67000, 115000),
        ("China, P.R.: Mainland", "TMG_CIF_USD", "Russian Federation", 80000, 130000),
    ]
    lines = [header] + [
        f'"{r}","924","x","{ind}","{p}","1","Value","Millions","{a}","{b}"'
        for r, ind, p, a, b in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


TEST_CLAIMS = (
    ("test.cov_depends", {"main": 45.1, "alt": 34.2}),
    ("test.cov_verified", {"main": 33.5, "alt": 36.9}),
    ("test.cov_contradicted", {"main": 45.1, "alt": 44.0}),
)


@pytest.fixture
def coverage_store(tmp_path: Path, fresh_store: Path, fake_check: str) -> Path:
    """A store with a small DOTS file registered and three claims checked by the fake check."""
    with open_store(fresh_store) as s:
        use_case.add_dataset(s, "imf-dots", _dots_file(tmp_path / "dots.csv"))
        s.add_records(
            [make_claim(cid, **params) for cid, params in TEST_CLAIMS],
            origin="test",
            file="test_verification_coverage.py",
        )
    return fresh_store


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def test_verify_json_has_the_coverage_table(capsys, coverage_store: Path):
    rc, out, err = run(capsys, "--store", str(coverage_store), "verify", "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert set(data) >= {"summary", "results", "coverage"}  # the old keys stay
    rows = {r["claim"]: r for r in data["coverage"]["rows"]}
    assert rows["test.cov_depends"]["status"] == "depends_on_definition"
    assert rows["test.cov_verified"]["status"] == "verified"
    assert rows["test.cov_contradicted"]["status"] == "contradicted"
    depends = rows["test.cov_depends"]
    assert depends["computed"] == 45.1 and depends["agrees"] is False
    assert depends["definition"] == "Atlas of Economic Complexity mirror totals"
    assert depends["alternatives"][0]["definition"] == "Russian customs totals"
    assert depends["alternatives"][0]["computed"] == 34.2
    assert depends["rule"] == f"{FAKE}: 34 ± 3 (about)"
    assert depends["dataset"] == "imf-dots" and depends["tolerance"] == 3.0
    coverage = data["coverage"]
    assert coverage["totals"] == data["summary"]
    assert coverage["claims"] == len(coverage["rows"]) == len(data["results"])
    assert sum(coverage["totals"].values()) == coverage["claims"]
    assert coverage["totals"]["depends_on_definition"] >= 1
    results = {r["claim"]: r for r in data["results"]}
    assert results["test.cov_depends"]["alternatives"][0]["computed"] == 34.2

    rc, out, _ = run(
        capsys,
        "--store",
        str(coverage_store),
        "verify",
        "--json",
        "--status",
        "depends_on_definition",
    )
    assert rc == 0
    only = json.loads(out)
    assert {r["claim"] for r in only["coverage"]["rows"]} >= {"test.cov_depends"}
    assert {r["status"] for r in only["coverage"]["rows"]} == {"depends_on_definition"}
    assert only["summary"]["depends_on_definition"] == len(only["results"])


def test_verify_table_shows_both_figures_with_their_definitions(
    capsys, coverage_store: Path, monkeypatch: pytest.MonkeyPatch
):
    from powerbalance.interfaces.cli import _common

    monkeypatch.setattr(_common.console, "width", 400)  # one line a row
    rc, out, err = run(
        capsys, "--store", str(coverage_store), "verify", "--status", "depends_on_definition"
    )
    assert rc == 0, err
    text = re.sub(r"\s+", " ", re.sub(r"[│┃┏┓┗┛━─┡┩╇┼├┤┳┻╋┯┷]", " ", out))
    assert "depends_on_definition" in text
    assert "45.1 percent (Atlas of Economic Complexity mirror totals): disagrees" in text
    assert "34.2 percent (Russian customs totals): agrees" in text
    assert f"{FAKE}: 34 ± 3 (about)" in text
    assert "about 34 percent" in text and "imf-dots" in text
    assert "0 verified, 1 depends_on_definition, 0 contradicted, 0 unverifiable" in text

    rc, out, _ = run(capsys, "--store", str(coverage_store), "verify")
    assert rc == 0
    title = out.splitlines()[0]
    assert re.match(
        r"\s*\d+ verified, \d+ depends_on_definition, \d+ contradicted, \d+ unverifiable "
        r"\(\d+ claims\)",
        title,
    ), title


def test_verify_refuses_an_unknown_status_in_one_line(capsys, coverage_store: Path):
    rc, _, err = run(capsys, "--store", str(coverage_store), "verify", "--status", "depends")
    assert rc == 2
    assert err.strip() == (
        "error: --status 'depends' is not a status; choose one of verified, "
        "depends_on_definition, contradicted, unverifiable"
    )


# --- the report: the coverage table and the claims' verification -----------------------------


def test_report_shows_the_coverage_table_and_both_figures(tmp_path: Path, coverage_store: Path):
    with open_store(coverage_store, read_only=True) as s:
        evidence = s.evidence()
        registered = use_case.registrations(s)
    data = report_data(evidence, registered=registered)
    coverage = data["coverage"]
    assert coverage["status"] == "ok"
    rows = {r["claim"]: r for r in coverage["rows"]}
    assert [(f["definition"], f["computed"]) for f in rows["test.cov_depends"]["figures"]] == [
        ("Atlas of Economic Complexity mirror totals", 45.1),
        ("Russian customs totals", 34.2),
    ]
    page = build.write_report(tmp_path / "r.html", data).read_text(encoding="utf-8")
    m = re.search(r'<tr data-claim="test.cov_depends".*?</tr>', page, re.S)
    assert m, "the claim is not in the coverage table"
    row = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(0)))
    assert "depends on definition" in row
    assert "45.1% ( Atlas of Economic Complexity mirror totals ): disagrees" in row
    assert "34.2% ( Russian customs totals ): agrees" in row
    assert f"{FAKE}: 34 ± 3 (about)" in row and "imf-dots" in row
    totals = re.search(r'<p id="coverage-totals">(.*?)</p>', page, re.S)
    assert totals and 'data-status="depends_on_definition"' in totals.group(1)
    # the evidence table's verification column names both figures too
    claim_row = re.search(r"<tr><td>test.cov_depends</td>.*?</tr>", page, re.S)
    assert claim_row
    assert (
        "depends on definition (imf-dots): 45.1% (Atlas of Economic Complexity mirror totals): "
        "disagrees; 34.2% (Russian customs totals): agrees"
    ) in claim_row.group(0)


def test_swedish_report_writes_the_figures_the_swedish_way(tmp_path: Path, coverage_store: Path):
    with open_store(coverage_store, read_only=True) as s:
        evidence = s.evidence()
        registered = use_case.registrations(s)
    page = build.write_report(
        tmp_path / "r.html", report_data(evidence, lang="sv", registered=registered)
    ).read_text(encoding="utf-8")
    m = re.search(r'<tr data-claim="test.cov_depends".*?</tr>', page, re.S)
    assert m
    row = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(0)))
    assert "beror på definitionen" in row
    assert "45,1 % ( Atlas of Economic Complexity mirror totals ): stämmer inte" in row
    assert f"{FAKE}: 34 ± 3 (cirka)" in row


def test_report_without_registrations_has_no_coverage_table(tmp_path: Path):
    data = report_data(load_corpus())
    assert data["coverage"] == {"status": "not_checked", "claims": 0, "totals": {}, "rows": []}
    page = build.write_report(tmp_path / "r.html", data).read_text(encoding="utf-8")
    assert 'id="coverage-table"' not in page


def test_coverage_of_partial_entries_fills_the_missing_keys():
    """An entry with only a status and a dataset (an older caller) still makes a row."""
    table = pages.verification_coverage({"c": {"status": "verified", "dataset": "d"}})
    row = table["rows"][0]
    assert row["figures"] == [] and row["alternatives"] == [] and row["rule"] is None
    assert table["totals"]["verified"] == 1 and table["claims"] == 1
