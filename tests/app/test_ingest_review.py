"""Candidates in the store, their review and verification on arrival (issue 19).

The candidates are made by hand here (the extractor has its own tests); the
store, the app layer's accept and reject, the flags and the check on arrival
are what is tested. The end-to-end run through the extractor is in
tests/cli/test_ingest_cli.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from powerbalance.app import ingest as app
from powerbalance.errors import InputFileError, UserError
from powerbalance.evidence import store as store_module
from powerbalance.evidence.candidates import Candidate
from powerbalance.evidence.models import Claim, Source
from powerbalance.evidence.store import open_store
from powerbalance.interfaces.cli._common import console
from powerbalance.interfaces.cli.main import main

from ..ingest_samples import MATCH, SampleDoc, trade_candidate

SHA = "ab" * 32
SENTENCE = (
    "Handeln mellan Ryssland och Kina uppgick till 240 miljarder dollar under 2023, "
    "enligt den kinesiska tullen."
)
OWN_WORDS = "Russia–China goods trade came to about 240 billion US dollars in 2023."


DOC = SampleDoc("dn-2025-05-14.txt", SHA, text=SENTENCE)


def _source(doc: SampleDoc = DOC) -> Source:
    source, _ = app.source_for(doc, {"publication": "Dagens Nyheter"})
    return source


def claim_candidate(
    *,
    year: int = 2023,
    value: float = 240,
    source: str | None = None,
    match: str = MATCH,
    indicator: str = "trade.bilateral.total",
) -> Candidate:
    return trade_candidate(
        DOC,
        SENTENCE,
        record_id=f"ingest.dn.trade_{year}_{int(value)}",
        source=source or _source().id,
        year=year,
        value=value,
        match=match,
        indicator=indicator,
        confidence=0.8,
        notes=("the period is read from '2023'",),
    )


def event_candidate(source: str | None = None) -> Candidate:
    sentence = "Xi och Putin möttes i Moskva den 8 maj 2025."
    return Candidate(
        id=Candidate.make_id(SHA, "event", 200, 200 + len(sentence), "8 maj 2025"),
        kind="event",
        record={
            "id": "ingest.dn.summit_2025_05_08",
            "date": "2025-05-08",
            "actors": ["CHN", "RUS"],
            "kind": "summit",
            "summary": "A summit of CHN and RUS on 2025-05-08.",
            "source": source or _source().id,
            "section": "ingested",
        },
        document=DOC.name,
        document_sha256=SHA,
        language="sv",
        sentence=sentence,
        start=200,
        end=200 + len(sentence),
        match="8 maj 2025",
        confidence=0.6,
    )


def _stage(store, candidates, tmp_path: Path) -> app.IngestResult:
    return app.stage(store, DOC, _source(), candidates, review_file=tmp_path / "dn.candidates.yaml")


# --- the store ------------------------------------------------------------------------------


def test_ingest_is_idempotent(fresh_store, tmp_path):
    with open_store(fresh_store) as s:
        first = _stage(s, [claim_candidate(), event_candidate()], tmp_path)
        again = _stage(s, [claim_candidate(), event_candidate()], tmp_path)
        held = s.candidates()
    assert first.new == 2 and again.new == 0
    assert len(held) == 2 and {c.status for c in held} == {"pending"}
    text = (tmp_path / "dn.candidates.yaml").read_text(encoding="utf-8")
    assert text.startswith(app.REVIEW_MARKER)
    assert first.counts() == {
        "claim": 1,
        "event": 1,
        "stance": 0,
        "duplicates": 0,
        "contradictions": 0,
    }


def test_review_file_that_is_not_one_is_never_overwritten(fresh_store, tmp_path):
    mine = tmp_path / "dn.candidates.yaml"
    mine.write_text("my notes\n", encoding="utf-8")
    with open_store(fresh_store) as s:
        with pytest.raises(UserError, match="not a candidates file"):
            _stage(s, [claim_candidate()], tmp_path)
        assert s.candidates() == []  # refused before the store was written
    assert mine.read_text(encoding="utf-8") == "my notes\n"


def test_accept_stores_the_record_with_provenance(fresh_store, tmp_path, capsys, monkeypatch):
    cand = claim_candidate()
    with open_store(fresh_store) as s:
        _stage(s, [cand], tmp_path)
        before = s.counts()
        done = app.accept(s, cand.id, reviewer="anna", statement=OWN_WORDS)
        after = s.counts()
        stored = s.get(done.record.id)
        status = s.candidate(cand.id)
    assert isinstance(stored, Claim) and stored.statement == OWN_WORDS
    p = stored.provenance
    assert p is not None
    assert (p.document, p.document_sha256, p.start, p.end) == (DOC.name, SHA, 0, len(SENTENCE))
    assert p.candidate == cand.id and p.accepted_by == "anna" and p.confidence == 0.8
    assert done.source_added and after["source"] == before["source"] + 1
    assert after["claim"] == before["claim"] + 1
    assert status is not None and status.status == "accepted" and status.reviewed_by == "anna"
    # `evidence list` shows it like any other record, with its offsets and source
    assert main(["--store", str(fresh_store), "evidence", "list", "--kind", "claim", "--json"]) == 0
    listed = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    row = listed[done.record.id]
    assert row["source"] == _source().id and row["origin"] == f"ingest:{DOC.name}"
    assert (row["provenance"]["start"], row["provenance"]["end"]) == (0, len(SENTENCE))
    monkeypatch.setattr(console, "width", 240)  # one line per row: the words are not folded
    assert main(["--store", str(fresh_store), "evidence", "list", "--indicator", "trade.*"]) == 0
    table = " ".join(capsys.readouterr().out.replace("│", " ").split())
    assert done.record.id in table
    assert f"characters 0-{len(SENTENCE)}" in table and _source().id in table
    # `evidence show` prints the provenance, and its JSON carries it
    assert main(["--store", str(fresh_store), "evidence", "show", done.record.id]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"characters 0-{len(SENTENCE)}" in out and "accepted by anna" in out
    assert DOC.name in out
    assert main(["--store", str(fresh_store), "evidence", "show", done.record.id, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["provenance"]["candidate"] == cand.id
    assert shown["source_record"]["publication"] == "Dagens Nyheter"


def test_the_source_is_added_once(fresh_store, tmp_path):
    first, second = claim_candidate(), event_candidate()
    with open_store(fresh_store) as s:
        _stage(s, [first, second], tmp_path)
        a = app.accept(s, first.id, reviewer="anna", statement=OWN_WORDS)
        b = app.accept(s, second.id, reviewer="anna", statement="Xi visited Moscow in May 2025.")
    assert a.source_added and not b.source_added
    assert b.verification is None  # an event has no dataset check


def test_reject_leaves_the_evidence_unchanged(fresh_store, tmp_path):
    cand = claim_candidate()
    with open_store(fresh_store) as s:
        _stage(s, [cand], tmp_path)
        before = s.evidence_rows()
        rejected = app.reject(s, cand.id, reviewer="anna")
        assert s.evidence_rows() == before
        assert rejected.status == "rejected" and rejected.reviewed_by == "anna"
        assert app.pending(s) == []
        with pytest.raises(app.ReviewError, match="rejected already"):
            app.accept(s, cand.id, reviewer="anna", statement=OWN_WORDS)


@pytest.mark.parametrize(
    ("edits", "field"),
    [
        ({"value": "abc"}, "value"),
        ({"period": "sometime"}, "period"),
        ({"indicator": "trade.bilateral.totl"}, "indicator"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_failed_accept_leaves_everything_unchanged(fresh_store, tmp_path, edits, field):
    cand = claim_candidate()
    with open_store(fresh_store) as s:
        _stage(s, [cand], tmp_path)
        before = s.evidence_rows()
        with pytest.raises(InputFileError) as caught:
            app.accept(s, cand.id, reviewer="anna", statement=OWN_WORDS, edits=edits)
        assert caught.value.field == field
        assert f"field '{field}'" in str(caught.value) and "\n" not in str(caught.value)
        assert s.evidence_rows() == before
        held = s.candidate(cand.id)
        assert held is not None and held.status == "pending"


def test_an_edit_is_applied(fresh_store, tmp_path):
    cand = claim_candidate()
    with open_store(fresh_store) as s:
        _stage(s, [cand], tmp_path)
        done = app.accept(
            s,
            cand.id,
            reviewer="anna",
            statement=OWN_WORDS,
            edits=app.parse_edits(["value=241", "qualifier=about"]),
        )
    assert isinstance(done.record, Claim)
    assert (done.record.value, done.record.qualifier) == (241.0, "about")


@pytest.mark.parametrize(
    "statement",
    [
        SENTENCE,
        "  " + SENTENCE.upper() + "  ",
        "As reported: mellan Ryssland och Kina uppgick till 240 miljarder dollar, said DN.",
        "",
        None,
    ],
)
def test_the_statement_is_the_reviewers_own(fresh_store, tmp_path, statement):
    cand = claim_candidate()
    with open_store(fresh_store) as s:
        _stage(s, [cand], tmp_path)
        before = s.evidence_rows()
        with pytest.raises(app.ReviewError) as caught:
            app.accept(s, cand.id, reviewer="anna", statement=statement)
        assert s.evidence_rows() == before
    message = str(caught.value)
    assert "own words" in message
    if statement is None:
        assert cand.record["statement"] in message  # the neutral template is offered


def test_unknown_candidate_names_close_ids(fresh_store, tmp_path):
    cand = claim_candidate()
    with open_store(fresh_store) as s:
        _stage(s, [cand], tmp_path)
        with pytest.raises(app.UnknownCandidate, match=cand.id):
            app.accept(s, cand.id[:-1] + "x", reviewer="anna", statement=OWN_WORDS)


# --- duplicates and contradictions ------------------------------------------------------------


def test_duplicates_and_contradictions_are_flagged(fresh_store, tmp_path):
    same = claim_candidate(year=2024, value=245.9)  # 0.37% from the corpus's 245: the same
    other = claim_candidate(year=2024, value=300)
    new = claim_candidate(year=2023, value=240)
    with open_store(fresh_store) as s:
        result = _stage(s, [same, other, new, event_candidate()], tmp_path)
    by_id = {c.id: c for c in result.candidates}
    assert by_id[same.id].duplicate_of == "econ.trade.rus_chn_total_2024"
    assert by_id[same.id].contradicts is None
    assert by_id[other.id].contradicts == "econ.trade.rus_chn_total_2024"
    assert by_id[other.id].duplicate_of is None
    assert by_id[new.id].duplicate_of is None and by_id[new.id].contradicts is None
    assert result.counts()["duplicates"] == 1 and result.counts()["contradictions"] == 1
    text = (tmp_path / "dn.candidates.yaml").read_text(encoding="utf-8")
    assert "contradicts: econ.trade.rus_chn_total_2024" in text


def test_a_bilateral_pair_is_the_same_either_way_round(fresh_store, tmp_path):
    cand = claim_candidate(year=2024, value=245)
    swapped = cand.model_copy(update={"record": {**cand.record, "actor": "CHN", "partner": "RUS"}})
    with open_store(fresh_store) as s:
        result = _stage(s, [swapped], tmp_path)
    assert result.candidates[0].duplicate_of == "econ.trade.rus_chn_total_2024"


def test_a_repeated_event_is_flagged(fresh_store, tmp_path):
    with open_store(fresh_store) as s:
        stored = next(e for e in s.evidence().events if len(e.actors) >= 2)
        cand = event_candidate().model_copy(
            update={
                "record": {
                    **event_candidate().record,
                    "date": stored.date.isoformat(),
                    "kind": stored.kind,
                    "actors": list(reversed(stored.actors)),
                }
            }
        )
        result = _stage(s, [cand], tmp_path)
    assert result.candidates[0].duplicate_of == stored.id


# --- verification on arrival ------------------------------------------------------------------


def test_check_borrowed_from_the_corpus(fresh_store):
    with open_store(fresh_store, read_only=True) as s:
        evidence = s.evidence()
    claim = Claim.model_validate({**claim_candidate().record})
    check = app.check_for(claim, evidence)
    assert check is not None
    assert (check.dataset, check.computation) == ("rus-chn-monthly-trade", "bilateral_trade_total")
    assert check.tolerance == 0.5 and "econ.trade.rus_chn_total_2024" in check.note
    # a year-bound check (an exchange rate of 2021) is not lent to another year
    eu = Claim.model_validate(
        {
            **claim_candidate().record,
            "indicator": "trade.share_of_total",
            "actor": "RUS",
            "partner": "EU",
            "unit": "percent",
            "value": 37,
            "period": 2023,
        }
        | {"currency": None, "scale": 1.0}
    )
    assert app.check_for(eu, evidence) is None


def test_unverifiable_until_the_dataset_is_registered(fresh_store, tmp_path):
    cand = claim_candidate()
    with open_store(fresh_store) as s:
        _stage(s, [cand], tmp_path)
        done = app.accept(s, cand.id, reviewer="anna", statement=OWN_WORDS)
    assert done.status == "unverifiable"
    assert done.verification is not None
    assert done.verification["dataset"] == "rus-chn-monthly-trade"
    assert "not registered" in done.verification["reason"]


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("value", "status"), [(240, "verified"), (300, "contradicted")], ids=["agrees", "disagrees"]
)
def test_verified_on_arrival(fresh_store, tmp_path, shared_file, value, status):
    """An accepted RUS–CHN trade total for 2023 is checked at once against the registered
    Russia–China monthly trade file (twelve months of 2023 sum to 240.01 bn USD)."""
    from powerbalance.app.data import add_dataset

    monthly = shared_file("trade_rus_chn/monthly_trade_2017_2024.csv")
    cand = claim_candidate(value=value)
    with open_store(fresh_store) as s:
        add_dataset(s, "rus-chn-monthly-trade", monthly)
        _stage(s, [cand], tmp_path)
        done = app.accept(
            s, cand.id, reviewer="anna", statement=OWN_WORDS.replace("240", str(value))
        )
    assert done.status == status
    assert done.verification is not None
    assert done.verification["computed"] == pytest.approx(240.01, abs=0.01)


# --- the schema ---------------------------------------------------------------------------------


def test_a_version_1_store_gains_the_candidates_table(tmp_path, monkeypatch):
    """A store written by this code as it was at schema version 1 opens and is migrated."""
    path = tmp_path / "v1.duckdb"
    with monkeypatch.context() as m:
        m.setattr(store_module, "SCHEMA_VERSION", 1)
        m.setattr(store_module, "SCHEMA", store_module.SCHEMA[:4])
        with open_store(path) as s:
            assert s.meta("schema_version") == "1"
            rows_v1 = s.evidence_rows()
    db = duckdb.connect(str(path), read_only=True)
    try:
        tables = {r[0] for r in db.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        db.close()
    assert "candidates" not in tables and {"evidence", "runs", "datasets"} <= tables
    copy = tmp_path / "v1-copy.duckdb"
    shutil.copyfile(path, copy)
    # a reader finds the old version, and the store is migrated before it reads
    with open_store(copy, read_only=True) as s:
        assert s.meta("schema_version") == str(store_module.SCHEMA_VERSION) == "2"
        assert s.row_count("candidates") == 0
        assert s.evidence_rows() == rows_v1
    with open_store(path) as s:
        assert s.add_candidates([claim_candidate()], source=_source()) == 1
        assert [c.id for c in s.candidates()] == [claim_candidate().id]
