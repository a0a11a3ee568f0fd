"""`powerbalance assess` and `powerbalance evidence` end to end."""

from __future__ import annotations

import json

import pytest

from powerbalance.interfaces.cli.main import main


def run(capsys, *args):
    rc = main(list(args))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_assess_json_has_computed_figures_with_sources(store_path, capsys):
    rc, out, _ = run(capsys, "assess", "--json")
    assert rc == 0
    data = json.loads(out)
    by_key = {d["key"]: d for d in data["dependence"]}
    assert by_key["trade.share_asymmetry.ratio"]["value"] == pytest.approx(8.5)
    assert by_key["trade.bilateral.total.implied"]["value"] == pytest.approx(245e9 / 1.66)
    assert by_key["trade.partner_shift"]["inputs"] == {"old_share": 37, "new_share": 34}
    for item in by_key.values():
        assert item["sources"] and all(s["publication"] for s in item["sources"])
    assert [d["sign"] for d in data["dyads"]] == [-1, -1, 1]
    verdicts = {r["issue"]: r["verdict"] for r in data["leaders"]}
    assert verdicts["wokeism"] == verdicts["liberal_democracy"] == verdicts["eu"] == "shared"
    for issue in ("multipolarity", "free_trade", "israel", "iran", "arctic_expansion"):
        assert verdicts[issue] == "divergent", issue


def test_assess_terminal_report_in_swedish(store_path, capsys):
    rc, out, _ = run(capsys, "assess", "--lang", "sv")
    assert rc == 0
    assert "Vem är beroende av vem" in out and "Ryssland – Kina" in out
    assert "8,5" in out and "147,6 mdr USD" in out


def test_assess_unknown_language_is_a_user_error(store_path, capsys):
    rc, _, err = run(capsys, "assess", "--lang", "fi")
    assert rc == 2 and "en (English) or sv (Swedish)" in err


def test_evidence_list_json_has_values_and_dates(store_path, capsys):
    rc, out, _ = run(capsys, "evidence", "list", "--json")
    assert rc == 0
    records = json.loads(out)
    claims = [r for r in records if r["type"] == "claim"]
    events = [r for r in records if r["type"] == "event"]
    assert all(isinstance(c["value"], float) for c in claims)
    assert {"2025-05-09", "2024-02-08", "2025-04-02"} <= {e["date"] for e in events}
    assert len(claims) >= 28 and len(events) >= 26


def test_evidence_filters(store_path, capsys):
    rc, out, _ = run(
        capsys,
        "evidence",
        "list",
        "--actor",
        "RUS",
        "--indicator",
        "trade.*",
        "--kind",
        "claim",
        "--json",
    )
    assert rc == 0
    recs = json.loads(out)
    assert recs and all(r["indicator"].startswith("trade.") for r in recs)
    assert all("RUS" in (r["actor"], r.get("partner")) for r in recs)


def test_evidence_show_and_unknown(store_path, capsys):
    rc, out, _ = run(capsys, "evidence", "show", "econ.arms.chn_imports_change", "--json")
    assert rc == 0 and json.loads(out)["authority"] == "sipri"
    rc, _, err = run(capsys, "evidence", "show", "econ.arms.chn_import_change")
    assert rc == 2 and "did you mean" in err


def test_evidence_import_then_list(store_path, tmp_path, capsys):
    f = tmp_path / "mine.csv"
    f.write_text(
        "type,id,date,date_precision,actors,kind,summary,source,section\n"
        "event,my.summit,2025-06,month,RUS;CHN,summit,A summit I noted in my diary.,econ2025.sv,own notes\n"
    )
    rc, _, _ = run(capsys, "evidence", "import", str(f))
    assert rc == 0
    rc, out, _ = run(capsys, "evidence", "list", "--kind", "event", "--json")
    assert "my.summit" in {r["id"] for r in json.loads(out)}
    bad = tmp_path / "bad.csv"
    bad.write_text("type,id\nclaim,my.bad\n")
    rc, _, err = run(capsys, "evidence", "import", str(bad))
    assert rc == 2 and "bad.csv, line 2" in err
