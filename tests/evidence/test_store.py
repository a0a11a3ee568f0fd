"""The DuckDB store: first use, import in one transaction, errors that name the place, busy store."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from powerbalance.errors import EvidenceFileError, StoreBusy, UnknownActor
from powerbalance.evidence.corpus import corpus_records
from powerbalance.evidence.store import open_store

GOOD_YAML = """\
sources:
  - id: my.source
    publication: My notes
    title: Field notes
    date: 2025-06-01
    language: en
claims:
  - id: my.claim.share
    indicator: trade.share_of_total
    actor: RUS
    partner: IND
    value: 16
    unit: percent
    period: 2024
    source: my.source
    section: p. 3
    statement: India took about a sixth of Russian trade in 2024 by my count.
actors:
  - id: IND
    kind: state
    name_en: India
    name_sv: Indien
    iso3: IND
"""


def snapshot(path: Path) -> list[tuple]:
    with open_store(path, read_only=True) as s:
        return s.evidence_rows()


def test_first_use_fills_from_corpus(store_path):
    with open_store(store_path) as s:
        assert sum(s.counts().values()) == len(corpus_records())
        assert s.meta("corpus_hash")
    # Reopening read-only does not rewrite anything.
    with open_store(store_path, read_only=True) as s:
        assert s.get("econ.trade.chn_share_of_rus_2024").value == 34


def test_import_yaml_adds_all_records(store_path, tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text(GOOD_YAML)
    with open_store(store_path) as s:
        assert s.import_file(f) == 3
        assert s.origin("my.claim.share") == "user:mine.yaml"
        ev = s.evidence()
    assert ev.claim("trade.share_of_total", actor="RUS", partner="IND").value == 16


@pytest.mark.parametrize(
    ("text", "suffix", "where", "field"),
    [
        (GOOD_YAML.replace("value: 16", "value: sixteen"), ".yaml", "line 12", "value"),
        (GOOD_YAML.replace("    unit: percent\n", ""), ".yaml", "line 8", "unit"),
        (
            '[{"type": "claim", "id": "x.y", "indicator": "trade.share_of_total"}]',
            ".json",
            "record 0",
            "actor",
        ),
        (
            "type,id,date,actors,kind,summary,source,section\n"
            "event,my.ev,2025-13-01,RUS,summit,A summit that never was.,econ2025.sv,x\n",
            ".csv",
            "line 2",
            "date",
        ),
    ],
)
def test_malformed_file_names_place_and_leaves_store_unchanged(
    store_path, tmp_path, text, suffix, where, field
):
    f = tmp_path / f"bad{suffix}"
    f.write_text(text)
    with open_store(store_path):
        pass
    before = snapshot(store_path)
    with open_store(store_path) as s, pytest.raises(EvidenceFileError) as info:
        s.import_file(f)
    message = str(info.value)
    assert str(f) in message and where in message and f"field '{field}'" in message
    assert snapshot(store_path) == before


def test_unknown_actor_suggests_close_match(store_path, tmp_path):
    f = tmp_path / "typo.yaml"
    f.write_text(GOOD_YAML.replace("partner: IND", "partner: CHNA"))
    with open_store(store_path) as s, pytest.raises(UnknownActor, match="did you mean 'CHN'"):
        s.import_file(f)


def test_duplicate_ids_refused_without_replace(store_path, tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text(GOOD_YAML)
    with open_store(store_path) as s:
        s.import_file(f)
        with pytest.raises(EvidenceFileError, match="already stored"):
            s.import_file(f)
        assert s.import_file(f, replace=True) == 3
        bundled = tmp_path / "clash.yaml"
        bundled.write_text(GOOD_YAML.replace("my.claim.share", "econ.trade.chn_share_of_rus_2024"))
        with pytest.raises(EvidenceFileError, match="bundled"):
            s.import_file(bundled, replace=True)


def test_interrupted_write_rolls_back(store_path, monkeypatch):
    from powerbalance.evidence import Claim
    from powerbalance.evidence import store as store_module

    insert = store_module._insert_table

    def insert_then_interrupt(con, table, *, replace):
        insert(con, table, replace=replace)  # the row is written, then the write is interrupted
        raise KeyboardInterrupt

    with open_store(store_path) as s:
        before = s.counts()
        good = Claim.model_validate(
            {**s.get("econ.trade.chn_share_of_rus_2024").model_dump(), "id": "x.one"}
        )
        monkeypatch.setattr(store_module, "_insert_table", insert_then_interrupt)
        with pytest.raises(KeyboardInterrupt):
            s.add_records([good], origin="user:x", file="x.yaml")
        assert s.counts() == before and s.origin("x.one") is None


def test_second_writer_gets_store_busy(store_path):
    with open_store(store_path):
        pass
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(store_path)!r})
            print("locked", flush=True)
            time.sleep(30)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        start = time.monotonic()
        with pytest.raises(StoreBusy, match="store busy"), open_store(store_path):
            pass
        assert time.monotonic() - start < 10
    finally:
        holder.kill()
        holder.wait()


def test_cli_busy_store_exits_2(store_path, capsys):
    from powerbalance.interfaces.cli.main import main

    with open_store(store_path):
        pass
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(store_path)!r}); print('x', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        holder.stdout.readline()
        assert main(["evidence", "list"]) == 2
        assert "store busy" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
