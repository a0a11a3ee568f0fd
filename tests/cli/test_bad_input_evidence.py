"""Bad evidence files: one line naming file, line and field, exit code 2, store unchanged.

Each case was a traceback, a raw pydantic message or a silent import before; the
import goes through the CLI entry point on a throwaway copy of a filled store.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import duckdb
import pytest
from pydantic import ValidationError

from powerbalance.evidence.models import Claim, Source, explain
from powerbalance.evidence.store import open_store
from powerbalance.interfaces.cli.main import main

SOURCE = """\
sources:
  - id: my.source
    publication: My notes
    title: Field notes
    date: 2025-06-01
    language: en
"""

# Raw pydantic wording that must never reach a user.
PYDANTIC_WORDS = (
    "should match pattern",
    "Value error,",
    "Input should",
    "String should",
    "validation error",
    "errors.pydantic.dev",
    "type=",
)


def claim_yaml(**fields: str | None) -> str:
    """A source and one claim (a share of trade), with fields replaced (None drops one)."""
    data = {
        "id": "my.claim",
        "indicator": "trade.share_of_total",
        "actor": "RUS",
        "partner": "CHN",
        "value": "16",
        "unit": "percent",
        "period": "2024",
        "source": "my.source",
        "section": "p. 3",
        "statement": "China took a sixth of Russian trade in 2024 by my count.",
    }
    data.update(fields)
    body = "\n    ".join(f"{k}: {v}" for k, v in data.items() if v is not None)
    return SOURCE + "claims:\n  - " + body + "\n"


def money_claim(value: str, scale: str = "1.0e9") -> str:
    return claim_yaml(
        indicator="trade.bilateral.total", unit="money", currency="USD", value=value, scale=scale
    )


CSV_HEAD = "type,id,indicator,actor,partner,value,unit,period,source,section,statement\n"
CSV_ROW = "claim,x.y,trade.share_of_total,RUS,CHN,{value},percent,2024,econ2025,p. 3,A statement long enough.\n"


@pytest.fixture
def store(fresh_store: Path) -> Path:
    """A copy of the filled store (the root conftest's)."""
    return fresh_store


def snapshot(path: Path) -> list[tuple]:
    with open_store(path, read_only=True) as s:
        return s.evidence_rows()


def import_fails(store: Path, file: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Import ``file``; assert exit 2, one line, no traceback, store unchanged; return it."""
    before = snapshot(store)
    capsys.readouterr()
    rc = main(["--store", str(store), "evidence", "import", str(file)])
    out = capsys.readouterr()
    assert rc == 2, out
    lines = out.err.strip().splitlines()
    assert len(lines) == 1, out.err
    line = lines[0]
    assert line.startswith("error: "), line
    assert str(file) in line
    assert "Traceback" not in out.err + out.out
    for words in PYDANTIC_WORDS:
        assert words not in line, line
    assert snapshot(store) == before
    return line


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("date", "words"),
    [
        ("2025-13-45", "month"),
        ("2025-02-30", "day"),
        ("0000-01-01", "year 0"),
    ],
)
def test_impossible_dates_name_line_and_field(store, tmp_path, capsys, date, words):
    f = write(tmp_path, "dates.yaml", SOURCE.replace("2025-06-01", date))
    line = import_fails(store, f, capsys)
    assert "line 5" in line and "field 'date'" in line
    assert f"'{date}' is not a date" in line and words in line


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("latin1.yaml", SOURCE.replace("Field", "Fält").encode("latin-1"), "line 4"),
        (
            "latin1.csv",
            (CSV_HEAD + CSV_ROW.format(value=16)).replace("A st", "Ä st").encode("cp1252"),
            "line 2",
        ),
        ("image.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "PNG image"),
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "PNG image"),
        ("sheet.csv", b"PK\x03\x04\x14\x00\x06\x00", "export the sheet as CSV"),
        ("random.yaml", bytes(range(128, 256)) * 3, "not UTF-8"),
        ("random.csv", bytes([0xC9, 0x00, 0xFF, 0x10]) * 50, "not UTF-8"),
        ("nul.csv", "type,id\nactor,a\x00b\n", "NUL"),
        ("utf16.yaml", SOURCE.encode("utf-16"), "UTF-16"),
        ("truncated.yaml", "sources:\n  - {id: my.source, title: 'Field no", "not valid YAML"),
        ("empty.yaml", b"", "holds no records"),
        ("empty.csv", b"", "holds no records"),
        ("header_only.csv", CSV_HEAD, "holds no records"),
        ("scalars.yaml", "- 1\n- 2\n", "line 1: a record must be a mapping"),
        ("scalar.yaml", "hello\n", "expected a list of records"),
        ("section_not_list.yaml", "sources: 5\n", "'sources' must hold a list"),
        ("record_is_list.yaml", "sources:\n  - [1, 2]\n", "line 2: a record must be a mapping"),
        ("unknown_section.yaml", "claimz:\n  - {id: a.b}\n", "unknown section 'claimz'"),
        ("deep.json", "[" * 50_000 + "]" * 50_000, "nested too deeply"),
        ("deep.yaml", "[" * 50_000 + "]" * 50_000, "not valid YAML"),
        ("bigint.yaml", SOURCE + "    note: " + "9" * 5000 + "\n", "line 7: a number is too long"),
        ("tag.yaml", "sources:\n  - !!python/object:os.system {}\n", "not valid YAML"),
    ],
)
def test_files_that_are_not_evidence(store, tmp_path, capsys, name, content, expected):
    line = import_fails(store, write(tmp_path, name, content), capsys)
    assert expected in line


def test_yaml_alias_bomb_and_self_reference_are_refused(store, tmp_path, capsys):
    names = "abcdefghi"
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in itertools.pairwise(names)
    )
    line = import_fails(store, write(tmp_path, "bomb.yaml", bomb), capsys)
    assert "limit 'evidence.yaml.values'" in line
    loop = "- &a\n  type: actor\n  id: x\n  members: [*a]\n"
    line = import_fails(store, write(tmp_path, "loop.yaml", loop), capsys)
    assert "line 1: a YAML alias refers to the value that contains it" in line


def test_file_over_the_size_limit_is_not_read(store, tmp_path, capsys, monkeypatch):
    from powerbalance.limits import LIMITS, Limit

    small = Limit("evidence.file.bytes", 0, 100, "bytes", "a test")
    monkeypatch.setitem(LIMITS, "evidence.file.bytes", small)
    line = import_fails(store, write(tmp_path, "big.yaml", SOURCE * 3), capsys)
    assert "the limit is 100 (limit 'evidence.file.bytes'" in line


def test_a_folder_is_refused(store, tmp_path, capsys):
    folder = tmp_path / "records.yaml"
    folder.mkdir()
    assert "is a folder" in import_fails(store, folder, capsys)


@pytest.mark.parametrize(
    ("text", "where", "field", "words"),
    [
        (
            SOURCE.replace("id: my.source", "id: my source!"),
            "line 2",
            "id",
            "an id may contain only letters, digits, '.', '_' and '-'",
        ),
        (SOURCE.replace("language: en", "language: EN"), "line 6", "language", "language code"),
        (claim_yaml(period="[1, 2]"), "line 14", "period", "a period is a year like 2024"),
        (claim_yaml(period="'twenty'"), "line 14", "period", "a range like 2021-2024"),
        (claim_yaml(period="0"), "line 14", "period", "a year must lie in 1..9999"),
        (
            claim_yaml(period="{start: 2024-05-01, end: 2023-01-01}"),
            "line 14",
            "period.end",
            "before it starts",
        ),
        (claim_yaml(value="sixteen"), "line 12", "value", "must be a number"),
        (claim_yaml(statement="[a, b]"), "line 17", "statement", "must be text"),
        (claim_yaml(vlaue="3"), "line 18", "vlaue", "did you mean 'value'"),
        (claim_yaml(unit=None), "line 8", "unit", "required field of a claim is missing"),
        (claim_yaml(qualifier="roughly"), "line 18", "qualifier", "must be one of"),
        (
            claim_yaml(indicator="trade.share_of_totl"),
            "line 9",
            "indicator",
            "did you mean 'trade.share_of_total'",
        ),
        (
            SOURCE.replace("    language: en\n", "    language: en\n    language: ru\n"),
            "line 7",
            "language",
            "given twice (lines 6 and 7)",
        ),
        (
            "- type: source\n  id: my.s\n  publication: p\n  title: t\n  date: 2025-02-30\n"
            "  language: en\n",
            "line 5",
            "date",
            "is not a date",
        ),
        (
            SOURCE + "events:\n  - id: my.ev\n    date: 2025-13\n    actors: [RUS]\n"
            "    kind: summit\n    summary: a summit was held\n    source: my.source\n"
            "    section: p\n",
            "line 9",
            "date",
            "month 13",
        ),
    ],
)
def test_pydantic_errors_in_plain_words(store, tmp_path, capsys, text, where, field, words):
    line = import_fails(store, write(tmp_path, "bad.yaml", text), capsys)
    assert re.search(rf", {where}\b", line), line
    assert f"field '{field}'" in line, line
    assert words in line, line


@pytest.mark.parametrize(
    ("text", "where", "field", "value"),
    [
        (claim_yaml(actor="RUSS"), "line 10", "actor", "RUSS"),
        (claim_yaml(partner="CHNN"), "line 11", "partner", "CHNN"),
        (claim_yaml(source="my.sourse"), "line 15", "source", "my.sourse"),
        (
            SOURCE + "events:\n  - id: my.ev\n    date: 2025-03\n    actors:\n      - RUS\n"
            "      - CHNN\n    kind: summit\n    summary: a summit was held\n"
            "    source: my.source\n    section: p\n",
            "line 12",
            "actors.1",
            "CHNN",
        ),
    ],
)
def test_unknown_actor_names_its_line(store, tmp_path, capsys, text, where, field, value):
    line = import_fails(store, write(tmp_path, "refs.yaml", text), capsys)
    assert f"{where} (id " in line and f"field '{field}'" in line and f"'{value}'" in line


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        (claim_yaml(value=".inf"), "value", "finite"),
        (claim_yaml(value=".nan"), "value", "finite"),
        (claim_yaml(value="-.inf"), "value", "finite"),
        (claim_yaml(reference="yes"), "reference", "put the text in quotes"),
        (money_claim("245", scale="inf"), "scale", "finite"),
        (money_claim("245", scale=".nan"), "scale", "finite"),
        (money_claim("-245"), "value", "at least 0"),
        (money_claim("1.0e300", scale="1.0e300"), "scale", "largest number"),
        (
            claim_yaml(indicator="fdi.investor_rank", unit="rank", value="-3.5"),
            "value",
            "whole number",
        ),
        (
            claim_yaml(indicator="fdi.investor_rank", unit="rank", value="2.5"),
            "value",
            "whole number",
        ),
        (claim_yaml(indicator="fdi.investor_rank", unit="rank", value="0"), "value", "at least 1"),
        (claim_yaml(value="134"), "value", "0..100"),
        (claim_yaml(value="-1"), "value", "0..100"),
        (
            claim_yaml(indicator="trade.bilateral.growth", value="-150", comparison_period="2023"),
            "value",
            "at least -100",
        ),
        (
            claim_yaml(indicator="border.length", unit="km", value="-4209"),
            "value",
            "at least 0",
        ),
        (
            claim_yaml(check="{dataset: sipri, computation: x, tolerance: .inf}"),
            "check.tolerance",
            "finite",
        ),
    ],
)
def test_values_out_of_range_are_refused(store, tmp_path, capsys, text, field, words):
    line = import_fails(store, write(tmp_path, "values.yaml", text), capsys)
    assert f"field '{field}'" in line and words in line
    assert "line " in line


@pytest.mark.parametrize(
    ("header", "row", "words"),
    [
        (
            "type,id,indicator,actor,partner,value,unit,period,period.start,period.end,source,section,statement\n",
            "claim,x.y,trade.share_of_total,RUS,CHN,16,percent,2024,2024-01-01,2024-12-31,econ2025,p. 3,A statement long enough.\n",
            "the columns 'period' and 'period.start' both give period",
        ),
        (
            "type,id,indicator,actor,partner,value,unit,period.start,period,source,section,statement\n",
            "claim,x.y,trade.share_of_total,RUS,CHN,16,percent,2024-01-01,2024,econ2025,p. 3,A statement long enough.\n",
            "the columns 'period' and 'period.start' both give period",
        ),
        ("type,id,id\n", "actor,a,b\n", "names the column 'id' twice"),
        (CSV_HEAD, CSV_ROW.format(value="inf"), "finite"),
        (CSV_HEAD, CSV_ROW.format(value="nan"), "finite"),
        (CSV_HEAD, CSV_ROW.format(value="1,5"), "more cells than the header"),
        ("type,id\n", ",abc\n", "the record has no type"),
    ],
)
def test_bad_csv(store, tmp_path, capsys, header, row, words):
    line = import_fails(store, write(tmp_path, "bad.csv", header + row), capsys)
    assert words in line
    assert "line " in line


def test_bad_record_anywhere_means_nothing_imported(store, tmp_path, capsys):
    """All or nothing: the good source before the bad claim is not kept either."""
    line = import_fails(store, write(tmp_path, "mixed.yaml", money_claim("-5")), capsys)
    assert "line 12" in line
    with open_store(store, read_only=True) as s:
        assert s.origin("my.source") is None


def test_duplicate_id_names_the_second_line(store, tmp_path, capsys):
    text = SOURCE + SOURCE.split("\n", 1)[1]  # the same source twice
    line = import_fails(store, write(tmp_path, "twice.yaml", text), capsys)
    assert "line 7 (id 'my.source'), field 'id': the id appears twice" in line


ALLOWED = (
    SOURCE
    + """claims:
  - {id: e.tariff, indicator: tariff.rate, actor: USA, partner: CHN, value: 145, unit: percent,
     period: 2025, source: my.source, section: p, statement: A tariff rate above one hundred.}
  - {id: e.growth, indicator: trade.bilateral.growth, actor: RUS, partner: CHN, value: -100,
     unit: percent, period: 2024, comparison_period: 2023, source: my.source, section: p,
     statement: All of the trade was lost that year.}
  - {id: e.zero, indicator: trade.bilateral.total, actor: RUS, partner: CHN, value: 0,
     unit: money, currency: USD, period: 2024, source: my.source, section: p,
     statement: No trade at all in this made-up year.}
  - {id: e.huge, indicator: trade.bilateral.total, actor: RUS, partner: CHN, value: 1.0e300,
     unit: money, currency: USD, scale: 1.0e8, period: 2024, source: my.source, section: p,
     statement: An absurd but finite amount of trade.}
  - {id: e.tiny, indicator: fdi.relative, actor: CHN, partner: RUS, value: 0, unit: ratio,
     scale: 1.0e-300, period: 2024, reference: KAZ, source: my.source, section: p,
     statement: No investment compared with a third country.}
  - {id: e.rank, indicator: fdi.investor_rank, actor: CHN, partner: RUS, value: 1, unit: rank,
     period: "2021-2024", source: my.source, section: p, statement: The largest investor over four years.}
  - {id: e.period, indicator: poll.share, actor: RUS, value: 100, unit: percent,
     period: {start: 2024-03, end: 2024-05}, reference: "yes", source: my.source, section: p,
     statement: Everyone answered yes in this made-up poll.}
"""
)


def test_edge_values_that_are_allowed_import_and_list_as_json(store, tmp_path, capsys):
    f = write(tmp_path, "edges.yaml", ALLOWED)
    assert main(["--store", str(store), "evidence", "import", str(f)]) == 0, capsys.readouterr()
    capsys.readouterr()
    assert main(["--store", str(store), "evidence", "list", "--json", "--kind", "claim"]) == 0
    records = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert records["e.tariff"]["value"] == 145
    assert records["e.growth"]["value"] == -100
    assert records["e.huge"]["value"] == 1e300
    assert records["e.period"]["period"] == {
        "start": "2024-03-01",
        "end": "2024-05-31",
        "approximate": False,
        "note": "",
    }
    assert main(["--store", str(store), "evidence", "list", "--kind", "claim"]) == 0
    assert main(["--store", str(store), "evidence", "show", "e.huge", "--json"]) == 0


def test_records_stored_before_the_value_rules_stay_readable(store, capsys):
    """A negative amount or an infinite scale imported by an older version still lists."""
    body = {
        "type": "claim",
        "id": "old.claim",
        "indicator": "trade.bilateral.total",
        "actor": "RUS",
        "partner": "CHN",
        "value": -5.0,
        "unit": "money",
        "currency": "USD",
        "scale": float("inf"),
        "period": {"start": "2024-01-01", "end": "2024-12-31"},
        "source": "econ2025",
        "section": "p",
        "statement": "Stored by an older version of powerbalance.",
    }
    # A row written by an older version: put in through a connection of the test's own.
    with open_store(store):
        pass
    con = duckdb.connect(str(store))
    try:
        con.execute(
            "INSERT INTO evidence (id, type, indicator, actors, start_date, end_date, source,"
            " origin, body) VALUES ('old.claim', 'claim', 'trade.bilateral.total',"
            " ['RUS', 'CHN'], DATE '2024-01-01', DATE '2024-12-31', 'econ2025',"
            " 'user:old.yaml', ?)",
            [json.dumps(body)],
        )
    finally:
        con.close()
    capsys.readouterr()
    assert main(["--store", str(store), "evidence", "list", "--json", "--kind", "claim"]) == 0
    old = [r for r in json.loads(capsys.readouterr().out) if r["id"] == "old.claim"]
    assert old and old[0]["value"] == -5.0 and old[0]["scale"] is None


def test_explain_never_shows_pydantic_text():
    cases = [
        (
            Source,
            {"id": "a b", "publication": 1, "title": [], "date": "2025-02-30", "language": "EN"},
        ),
        (Claim, {"id": "x", "value": "nan?", "period": {"start": 3.5}, "scale": -1, "extra": 1}),
        (Claim, []),
    ]
    for model, data in cases:
        with pytest.raises(ValidationError) as info:
            model.model_validate(data)
        for problem in explain(info.value, model.type_name()):
            for words in PYDANTIC_WORDS:
                assert words not in problem.message, problem


def test_web_api_refuses_the_same_values(monkeypatch, fresh_store):
    """POST /api/claims: overflow and nan are refused in the same words, 422, nothing stored."""
    from fastapi.testclient import TestClient

    from powerbalance.interfaces.web.app import create_app
    from powerbalance.interfaces.web.security import Settings

    store = fresh_store
    monkeypatch.setenv("POWERBALANCE_STORE_TIMEOUT", "0.5")
    token = "test-write-token-0123456789"
    claim = {
        "id": "user.big",
        "indicator": "trade.bilateral.total",
        "actor": "RUS",
        "partner": "CHN",
        "value": 1e300,
        "unit": "money",
        "currency": "USD",
        "scale": 1e300,
        "period": 2024,
        "source": "econ2025",
        "section": "p. 1",
        "statement": "An amount too large for any computer.",
    }
    before = snapshot(store)
    app = create_app(Settings(store_path=store, write_token=token))
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        r = client.post("/api/claims", json=claim, headers=auth)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "scale"
        assert "largest number" in r.json()["errors"][0]["problem"]
        nan = json.dumps({**claim, "scale": 1e9}).replace("1e+300", "NaN")
        r = client.post("/api/claims", content=nan, headers=auth)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0] == {
            "field": "value",
            "problem": "value must be a finite number, not nan",
        }
        r = client.post("/api/claims", json={**claim, "id": "bad id!"}, headers=auth)
        assert r.status_code == 422
        assert "an id may contain only letters" in r.json()["errors"][0]["problem"]
        r = client.post("/api/claims", content="[" * 50_000, headers=auth)
        assert r.status_code == 400
        r = client.post("/api/claims", json=[1, 2], headers=auth)
        assert r.status_code == 422
        assert "must be a mapping" in r.json()["errors"][0]["problem"]
    assert snapshot(store) == before
