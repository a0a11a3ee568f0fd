"""`powerbalance ingest FILE` and `powerbalance ingest review`: both forms, --json, exit codes,
the interactive review (injected answers and a real pseudo-terminal), bad input."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from powerbalance.app import ingest as app
from powerbalance.evidence.candidates import Candidate
from powerbalance.evidence.store import open_store
from powerbalance.interfaces.cli import ingest as ingest_cli
from powerbalance.interfaces.cli.main import main

from ..ingest_samples import SampleDoc, trade_candidate

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "000_0a8f0db03f4da82e.txt"
SHA = "cd" * 32
SENTENCE = "Handeln mellan Ryssland och Kina uppgick till 240 miljarder dollar under 2023."
OWN = "Russia–China goods trade came to about 240 billion US dollars in 2023."
ENGLISH = (
    "Trade between Russia and China reached 245 billion dollars in 2024, up 66 percent "
    "from 2021. On May 9 2025 Xi Jinping watched the parade in Moscow with Vladimir Putin. "
    "China's share of Russia's trade was 34 percent in 2024."
)


DOC = SampleDoc("dn.txt", SHA, title="Handeln")


def _candidate(year: int, value: float, source: str) -> Candidate:
    return trade_candidate(
        DOC, SENTENCE, record_id=f"ingest.dn.trade_{year}", source=source, year=year, value=value
    )


@pytest.fixture
def staged(fresh_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A store with two pending candidates (made by hand), set as $POWERBALANCE_STORE."""
    monkeypatch.setenv("POWERBALANCE_STORE", str(fresh_store))
    monkeypatch.setenv("POWERBALANCE_STORE_TIMEOUT", "0.5")
    source, _ = app.source_for(DOC, {"publication": "Dagens Nyheter"})
    cands = [_candidate(2023, 240, source.id), _candidate(2022, 190, source.id)]
    with open_store(fresh_store) as s:
        app.stage(s, DOC, source, cands, review_file=tmp_path / "dn.candidates.yaml")
    return fresh_store, cands


def _evidence(path: Path) -> list[tuple[str, str, str]]:
    with open_store(path, read_only=True) as s:
        return s.evidence_rows()


# --- the help and the two forms ---------------------------------------------------------------


def test_help_lists_both_forms(capsys):
    assert main(["ingest", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "powerbalance ingest FILE" in out and "powerbalance ingest review" in out
    assert "./review" in out


def test_an_unknown_first_word_is_the_file(store_path, tmp_path, capsys):
    missing = tmp_path / "nosuch.txt"
    assert main(["ingest", str(missing)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert str(missing) in err and "does not exist" in err
    assert main(["ingest", "--lang", "sv", str(missing)]) == 2  # options before the file
    assert "does not exist" in capsys.readouterr().err


# --- review through options ---------------------------------------------------------------------


def test_list_json(staged, capsys):
    _, cands = staged
    assert main(["ingest", "review", "--list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {c["id"] for c in listed} == {c.id for c in cands}
    first = listed[0]
    assert first["pieces"] and any(marked for _, marked in first["pieces"])
    assert "statement" not in first["record"] and first["template"].startswith("Trade between")


def test_list_table(staged, capsys):
    assert main(["ingest", "review", "--list"]) == 0
    out = capsys.readouterr().out
    assert "2 candidate(s) wait for review" in out and "240 miljarder dollar" in out


def test_accept_json_and_reject(staged, capsys):
    path, (first, second) = staged
    rc = main(
        [
            "ingest", "review", "--accept", first.id, "--statement", OWN,
            "--set", "qualifier=about", "--reviewer", "anna", "--json",
        ]
    )  # fmt: skip
    assert rc == 0
    done = json.loads(capsys.readouterr().out)
    assert done["record"]["qualifier"] == "about"
    assert done["record"]["provenance"]["accepted_by"] == "anna"
    assert done["verification"]["status"] in {"unverifiable", "verified"}
    before = _evidence(path)
    assert main(["ingest", "review", "--reject", second.id, "--reviewer", "anna"]) == 0
    assert f"rejected {second.id}" in capsys.readouterr().out
    assert _evidence(path) == before
    assert main(["ingest", "review", "--list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_accept_prints_the_verification(staged, capsys):
    _, (first, _) = staged
    assert main(["ingest", "review", "--accept", first.id, "--statement", OWN]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"accepted {first.id} as ingest.dn.trade_2023; verification: unverifiable" in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--accept", "cand-000000000000", "--statement", OWN], "unknown candidate"),
        (["--accept", "FIRST"], "own words"),
        (["--accept", "FIRST", "--statement", SENTENCE], "own words"),
        (["--accept", "FIRST", "--statement", OWN, "--set", "value=abc"], "field 'value'"),
        (["--accept", "FIRST", "--statement", OWN, "--set", "novalue"], "FIELD=VALUE"),
        (["--accept", "FIRST", "--statement", OWN, "--set", "provenance=x"], "cannot be edited"),
        (["--accept", "FIRST", "--reject", "FIRST"], "one of"),
        (["--statement", OWN], "go with --accept"),
        ([], "not on a terminal"),
        (["--json"], "not on a terminal"),
    ],
)
def test_refusals_exit_2_and_change_nothing(staged, capsys, argv, words):
    path, (first, _) = staged
    before = _evidence(path)
    argv = [first.id if a == "FIRST" else a for a in argv]
    assert main(["ingest", "review", *argv]) == 2
    err = capsys.readouterr().err
    assert words in " ".join(err.split())
    assert len(err.strip().splitlines()) == 1
    assert _evidence(path) == before
    with open_store(path, read_only=True) as s:
        assert {c.status for c in s.candidates()} == {"pending"}


# --- the interactive review ----------------------------------------------------------------------


def test_interactive_review_with_injected_answers(staged, capsys):
    path, cands = staged
    first, second = sorted(cands, key=lambda c: c.id)  # the order of review: same place, by id
    answers = iter(["x", "e", "value=241", "", "a", SENTENCE, "a", OWN, "r"])
    with open_store(path) as s:
        tally = ingest_cli.interactive_review(s, reviewer="anna", ask=lambda _p: next(answers))
    assert tally == {"accepted": 1, "rejected": 1, "skipped": 0}
    captured = capsys.readouterr()
    assert "answer a, e, r, s or q" in captured.err
    assert "own words" in captured.err  # the copied sentence was refused, then asked again
    assert f"accepted {first.id}" in captured.out and f"rejected {second.id}" in captured.out
    with open_store(path, read_only=True) as s:
        record = s.get(first.record["id"])
        assert getattr(record, "value", None) == 241.0


def test_interactive_review_quits_on_end_of_input(staged, capsys):
    path, _ = staged

    def ask(_prompt: str) -> str:
        raise EOFError

    with open_store(path) as s:
        assert ingest_cli.interactive_review(s, reviewer="anna", ask=ask) == {
            "accepted": 0,
            "rejected": 0,
            "skipped": 0,
        }
        assert len(s.candidates("pending")) == 2


def _read_until(fd: int, needle: bytes, timeout: float = 30.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{needle!r} not seen; got {seen[-800:]!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_interactive_review_on_a_pseudo_terminal(staged):
    """The real command on a terminal: skip the first candidate, accept the second with the
    template (Enter), and see the summary."""
    path, (first, second) = staged
    order = sorted([first, second], key=lambda c: (c.document, c.start, c.id))
    master, slave = pty.openpty()
    env = {**os.environ, "POWERBALANCE_STORE": str(path), "COLUMNS": "200", "TERM": "dumb"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "powerbalance.interfaces.cli.main", "ingest", "review",
         "--reviewer", "pty"],
        stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
    )  # fmt: skip
    os.close(slave)
    try:
        out = _read_until(master, b"[q]uit?")
        assert order[0].id.encode() in out and b"240 miljarder dollar" in out
        os.write(master, b"s\n")
        _read_until(master, b"[q]uit?")
        os.write(master, b"a\n")
        _read_until(master, b"> ")
        os.write(master, b"Russia and China traded goods worth 190 billion dollars in 2022.\n")
        out = _read_until(master, b"skipped.")
        assert f"accepted {order[1].id}".encode() in out
        assert b"1 accepted, 0 rejected, 1 skipped." in out
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


# --- ingest FILE (through the extractor) ---------------------------------------------------------


def test_ingest_an_english_article_end_to_end(store_path, tmp_path, capsys):
    article = tmp_path / "economist.txt"
    article.write_text(ENGLISH, encoding="utf-8")
    argv = ["ingest", str(article), "--source-meta", "publication=The Economist", "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    review = Path(data["review_file"])
    assert review == tmp_path / "economist.txt.candidates.yaml" and review.exists()
    assert data["document"]["language"] == "en"
    assert data["counts"]["claim"] >= 1
    assert data["source"]["publication"] == "The Economist"
    # the same article again adds nothing new
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["new"] == 0
    # its figure of 2024 repeats the corpus's claim
    flagged = [c for c in data["candidates"] if c.get("duplicate_of")]
    assert any(c["duplicate_of"] == "econ.trade.rus_chn_total_2024" for c in flagged)
    # accept one claim through the CLI, and it is in `evidence list`
    claim = next(c for c in data["candidates"] if c["kind"] == "claim")
    rc = main(
        ["ingest", "review", "--accept", claim["id"], "--statement",
         "A figure of the article, in the reviewer's words, for the test.", "--json"]
    )  # fmt: skip
    assert rc == 0
    accepted = json.loads(capsys.readouterr().out)
    assert main(["evidence", "list", "--json"]) == 0
    listed = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert accepted["record"]["id"] in listed
    assert listed[accepted["record"]["id"]]["provenance"]["candidate"] == claim["id"]


def test_ingest_the_seed_article_summary(store_path, tmp_path, capsys):
    if not SEED.exists():
        pytest.skip("../shared/seeds is absent")
    review = tmp_path / "seed.yaml"
    argv = ["ingest", str(SEED), "--review-file", str(review)]
    assert main(argv) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "(sv)" in out and "claim(s)" in out and str(review) in out
    assert review.read_text(encoding="utf-8").startswith(app.REVIEW_MARKER)


def test_a_file_named_review_is_given_with_its_folder(store_path, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("review").write_text(ENGLISH, encoding="utf-8")
    assert main(["ingest", "./review", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["document"]["name"] == "review"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("blank.txt", b"  \n\n "),
        ("binary.txt", bytes(range(256)) * 8),
        ("unknown.txt", "Это статья на русском языке о торговле между странами. ".encode() * 20),
        ("empty.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    ],
    ids=["empty", "blank", "binary", "unknown-language", "pdf-without-text"],
)
def test_bad_input_is_one_line_and_exit_2(store_path, tmp_path, capsys, name, content):
    bad = tmp_path / name
    bad.write_bytes(content)
    assert main(["ingest", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / f"{name}.candidates.yaml").exists()


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--source-meta", "paper=DN"], "unknown key 'paper'"),
        (["--source-meta", "nokey"], "KEY=VALUE"),
        (["--lang", "ru"], "auto, sv or en"),
        (["--review-file", "/dev/null"], "not a candidates file"),
    ],
)
def test_bad_options_exit_2(store_path, tmp_path, capsys, argv, words):
    article = tmp_path / "a.txt"
    article.write_text(ENGLISH, encoding="utf-8")
    assert main(["ingest", str(article), *argv]) == 2
    assert words in " ".join(capsys.readouterr().err.split())
