"""Terminal tables: ids and numbers are never cut short, rows left out are counted.

On a narrow terminal rich used to shorten cells with "…": a run id became
``reverse-kiss…`` and 22,887 became ``2.289…``. The tables now keep ids and
numbers whole, wrap text, leave out the least important columns (and say so),
and listings with a row limit say how many rows they did not show.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from rich.console import Console

from powerbalance.interfaces.cli import assess, data, evidence, scenario
from powerbalance.interfaces.cli._tables import Col, fit_table, limit_rows, print_table
from powerbalance.interfaces.cli.main import app, main

BOX = "┃│┏┡└"  # a line of a table starts with one of these


# --- the helper --------------------------------------------------------------------------


def render(columns, rows, width: int, **kw) -> tuple[str, list[str]]:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    dropped = print_table(console, columns, rows, **kw)
    return console.file.getvalue(), dropped


def table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line[:1] in BOX]


RUN_IDS = ["reverse-kissinger-1a2b3c4d", "secondary-sanctions-9f8e7d6c"]
RUN_COLUMNS = [
    Col("id", "id"),
    Col("scenario", "id", required=False, priority=1),
    Col("created", "id", required=False, priority=5),
    Col("draws", "number", priority=4),
    Col("P(stable marriage)", "number", priority=3),
    Col("note", priority=0),
]
RUN_ROWS = [
    [RUN_IDS[0], "reverse-kissinger", "2025-06-01 12:00:00", "22,887", "33.7%", "a long note " * 5],
    [RUN_IDS[1], "secondary-sanctions", "2025-06-02 08:30:00", "100,000", "0.0%", "short"],
]


def cell_text(text: str, column: int = 0) -> str:
    """The cells of one column joined up, so that a folded value reads whole again."""
    return "".join(
        line.split("│")[column + 1].strip() for line in text.splitlines() if line.startswith("│")
    )


@pytest.mark.parametrize("width", [24, 30, 40, 50, 60, 80, 120, 200])
def test_ids_and_numbers_stay_whole_at_any_width(width):
    text, dropped = render(RUN_COLUMNS, RUN_ROWS, width)
    assert "…" not in text
    lines = table_lines(text)
    assert all(len(line) <= width for line in lines), text
    for run_id in RUN_IDS:
        if width >= 32:  # room for the id: on one line, whole
            assert any(f"│ {run_id} " in line for line in lines), (run_id, text)
        else:  # narrower than the id itself: folded over lines, never shortened
            assert run_id in cell_text(text), (run_id, text)
    numbers = {"draws": ("22,887", "100,000"), "P(stable marriage)": ("33.7%", "0.0%")}
    for name, values in numbers.items():
        if name not in dropped:
            words = {w for line in lines for w in line.split()}
            assert set(values) <= words, text


def test_least_important_columns_are_left_out_and_named():
    text, dropped = render(RUN_COLUMNS, RUN_ROWS, 50)
    assert dropped == ["scenario", "created", "P(stable marriage)", "note"]
    assert "(left out to fit 50 columns: scenario, created, P(stable marriage), note;" in text
    assert "--json shows all)" in text
    assert "22,887" in text and "100,000" in text


def test_wide_terminal_shows_every_column_and_no_note():
    text, dropped = render(RUN_COLUMNS, RUN_ROWS, 250)
    assert dropped == []
    assert "left out" not in text
    assert "2025-06-02 08:30:00" in text and "secondary-sanctions" in text


def test_text_wraps_by_words_and_numbers_never_split():
    cols = [Col("claim", "id"), Col("value", "number"), Col("statement", required=True)]
    rows = [["econ.trade.total_2024", "22,887", "Goods trade reached about 245 billion dollars"]]
    text, dropped = render(cols, rows, 50)
    assert dropped == []
    assert "22,887" in text and "econ.trade.total_2024" in text
    # the statement wrapped between words, never inside one
    words = {w for line in table_lines(text) for w in line.replace("│", " ").split()}
    assert {"Goods", "trade", "reached", "billion", "dollars"} <= words


def test_an_id_wider_than_the_terminal_folds_but_is_never_shortened():
    long_id = "econ.trade.rus_exports_eu_energy_share_prepivot"
    table, _ = fit_table(
        [Col("id", "id"), Col("status", required=True)], [[long_id, "ok"]], width=30
    )
    console = Console(width=30, file=io.StringIO(), color_system=None)
    console.print(table)
    out = console.file.getvalue()
    assert "…" not in out
    cells = "".join(line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│"))
    assert long_id in cells


def test_markup_in_cells_is_measured_as_shown():
    cols = [Col("tie", "id"), Col("sign", required=True)]
    text, _ = render(cols, [["USA-RUS", "[red]− enmity[/]"]], 30)
    assert "− enmity" in text and "[red]" not in text


def test_limit_rows():
    assert limit_rows([1, 2, 3], 0) == ([1, 2, 3], 0)
    assert limit_rows([1, 2, 3], 5) == ([1, 2, 3], 0)
    assert limit_rows([1, 2, 3], 2) == ([1, 2], 1)


def test_dyad_values_are_written_out_not_in_exponent_form():
    assert data._cell(22887.0) == "22,887"
    assert data._cell(0.1234567) == "0.1235"
    assert data._cell(float("nan")) == "–"


# --- the commands at a narrow width --------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """One store for the module (creating one fills it from the corpus) with two runs."""
    path = tmp_path_factory.mktemp("tables") / "s.duckdb"
    for seed in ("1", "2"):
        args = ["--store", str(path), "scenario", "run", "reverse-kissinger"]
        args += ["--draws", "200", "--model-draws", "2", "--seed", seed]
        assert main(args) == 0
    return path


@pytest.fixture
def narrow(monkeypatch):
    """A 60-column terminal: COLUMNS set and the consoles made anew, as at start-up."""

    def set_width(width: int) -> None:
        monkeypatch.setenv("COLUMNS", str(width))
        for module in (evidence, scenario, data, assess):
            monkeypatch.setattr(module, "console", Console())

    set_width(60)
    return set_width


def run(capsys, store: Path, *args: str) -> tuple[int, str, str]:
    rc = main(["--store", str(store), *args])
    out, err = capsys.readouterr()
    return rc, out, err


def json_of(capsys, store: Path, *args: str):
    rc, out, err = run(capsys, store, *args, "--json")
    assert rc == 0, err
    return json.loads(out)


def assert_fits(out: str, width: int = 60) -> list[str]:
    assert "…" not in out
    lines = table_lines(out)
    assert lines and all(len(line) <= width for line in lines), out
    return lines


def test_evidence_list_ids_whole_and_rows_counted(store, capsys, narrow):
    records = json_of(capsys, store, "evidence", "list")
    rc, out, err = run(capsys, store, "evidence", "list")
    assert rc == 0, err
    lines = assert_fits(out)
    shown = [r["id"] for r in records[:50]]
    for rid in shown:
        assert any(f"│ {rid} " in line for line in lines), rid
    assert f"{len(records) - 50} more rows not shown; use --limit 0 to show all" in out
    rc, out, _ = run(capsys, store, "evidence", "list", "--limit", "0")
    lines = assert_fits(out)
    assert all(any(f"│ {r['id']} " in line for line in lines) for r in records)
    assert "more rows not shown" not in out


def test_evidence_list_values_whole(store, capsys, narrow):
    narrow(80)
    rc, out, _ = run(capsys, store, "evidence", "list", "--kind", "claim", "--limit", "0")
    assert rc == 0
    assert_fits(out, 80)
    claims = json_of(capsys, store, "evidence", "list", "--kind", "claim")
    words = {w for line in table_lines(out) for w in line.split()}
    for c in claims:
        assert f"{c['value']:g}" in words, c["id"]


def test_evidence_list_bad_limit_is_a_user_error(store, capsys):
    rc, _, err = run(capsys, store, "evidence", "list", "--limit", "-3")
    assert rc == 2
    assert "--limit must be 0 (every row) or a positive number of rows, not -3" in err


def test_scenario_list_run_ids_and_numbers_whole(store, capsys, narrow):
    runs = json_of(capsys, store, "scenario", "list")
    assert len(runs) == 2
    for width in (40, 60, 100):
        narrow(width)
        rc, out, err = run(capsys, store, "scenario", "list")
        assert rc == 0, err
        lines = assert_fits(out, width)
        for r in runs:
            row = next(line for line in lines if f"│ {r['id']} " in line)
            if width >= 60:
                assert f" {r['draws']} " in row and f" {r['seed']} " in row
    rc, out, _ = run(capsys, store, "scenario", "list", "--limit", "1")
    assert "1 more row not shown; use --limit 0 to show all" in out
    assert runs[0]["id"] in out and runs[1]["id"] not in out


def test_scenario_list_bundled_names_whole(store, capsys, narrow):
    rows = json_of(capsys, store, "scenario", "list", "--bundled")
    _, out, _ = run(capsys, store, "scenario", "list", "--bundled")
    lines = assert_fits(out)
    for b in rows:
        assert any(f"│ {b['name']} " in line for line in lines), b["name"]


def test_data_list_ids_and_coverage_whole(store, capsys, narrow):
    rows = json_of(capsys, store, "data", "list")
    for width in (40, 60):
        narrow(width)
        rc, out, _ = run(capsys, store, "data", "list")
        assert rc == 0
        lines = assert_fits(out, width)
        for r in rows:
            assert any(f"│ {r['id']} " in line for line in lines), r["id"]
        if width == 60:
            for r in rows:
                assert f"{r['coverage'][0]}-{r['coverage'][1]}" in out


def test_assess_numbers_and_dates_whole(store, capsys, narrow):
    result = json_of(capsys, store, "assess")
    rc, out, err = run(capsys, store, "assess")
    assert rc == 0, err
    assert_fits(out)
    for d in result["dyads"]:
        assert f"{d['strength']:.2f}" in out
    for item in result["dependence"]:
        assert assess._fmt_value(item, "en") in out, item["key"]
    for e in result["events"]:
        if e["date"] >= "2024":
            assert e["date_label"] in out
    assert "147.6 bn USD" in out


def test_assess_claim_ids_whole_on_a_wide_terminal(store, capsys, narrow):
    narrow(120)
    result = json_of(capsys, store, "assess", "--full")
    _, out, _ = run(capsys, store, "assess", "--full")
    lines = assert_fits(out, 120)
    for c in result["claims"]:
        assert any(c["id"] in line for line in lines), c["id"]


def test_columns_environment_variable_end_to_end(store):
    """A real process on a 60-column terminal (COLUMNS), as a user would run it."""
    env = {**os.environ, "COLUMNS": "60", "POWERBALANCE_STORE_TIMEOUT": "5"}
    cmd = [sys.executable, "-m", "powerbalance.interfaces.cli.main", "--store", str(store)]
    out = subprocess.run(
        [*cmd, "scenario", "list"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert "…" not in out
    assert all(len(line) <= 60 for line in table_lines(out))
    assert out.count("│ reverse-kissinger-") == 2


# --- --help shows flags as flags ---------------------------------------------------------------


def _walk(cmd, path=()):
    yield path, cmd
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from _walk(sub, (*path, name))


COMMANDS = list(_walk(typer.main.get_command(app)))


@pytest.mark.parametrize(
    ("path", "cmd"), COMMANDS, ids=[" ".join(p) or "powerbalance" for p, _ in COMMANDS]
)
def test_boolean_options_are_flags_in_help(path, cmd, capsys):
    for param in cmd.params:
        if isinstance(param.default, bool):
            assert param.is_flag, f"{' '.join(path)} {param.opts} takes a value"
    assert main([*path, "--help"]) == 0
    out = capsys.readouterr().out
    assert "BOOLEAN" not in out.upper().replace("BOOLEANS", "")
    assert "<bool" not in out.lower()


def test_listing_commands_have_a_limit():
    for path in (("evidence", "list"), ("scenario", "list"), ("dyads",)):
        cmd = dict(COMMANDS)[path]
        assert any("--limit" in p.opts for p in cmd.params), path
