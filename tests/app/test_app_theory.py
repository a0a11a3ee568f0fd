"""The theory use cases (``powerbalance.app.theory``): balance and triangle.

Known values: the Gahuku-Gama tribes (Read 1954; signnet's ``tribes``), whose
frustration index is L = 7 with triangle index 0.8676471 (signnet vignette
"Structural Balance"); the command line prints exactly what the use cases return.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import powerbalance
from powerbalance.actors import TRIANGLE
from powerbalance.app import theory as use_case
from powerbalance.errors import UserError
from powerbalance.evidence import load_corpus
from powerbalance.interfaces.cli.main import main
from powerbalance.limits import LimitExceeded
from powerbalance.theory.triangle import evidence_triangle

DATA = Path(__file__).parents[1] / "theory" / "data"
SRC = Path(powerbalance.__file__).parent


def test_balance_gahuku_gama_known_values() -> None:
    calls: list[tuple[int, int]] = []
    reports = use_case.balance(
        DATA / "gahuku_gama.csv", progress=lambda done, total: calls.append((done, total))
    )
    assert len(reports) == 1
    r = reports[0]
    assert r.frustration.value == 7 and r.frustration.status == "optimal"
    assert (r.nodes, r.edges, r.negative_edges) == (16, 58, 29)
    assert r.triad_census == {"+++": 19, "++-": 2, "+--": 40, "---": 7}
    assert r.triangle_index == pytest.approx(0.8676471, abs=5e-8)
    assert r.normalised_frustration == pytest.approx(0.7586207, abs=5e-8)
    assert calls == [(1, 1)]


def test_balance_groups_in_file_order(tmp_path: Path) -> None:
    p = tmp_path / "edges.csv"
    p.write_text(
        "year,source,target,sign\n2000,a,b,+\n2000,b,c,+\n2000,a,c,-\n2001,a,b,-\n",
        encoding="utf-8",
    )
    reports = use_case.balance(p, group=["year"], time_limit=30)
    assert [r.group for r in reports] == [{"year": "2000"}, {"year": "2001"}]
    assert [r.frustration.value for r in reports] == [1, 0]


@pytest.mark.parametrize(
    ("seconds", "error", "text"),
    [
        (0, UserError, "--time-limit must be a positive number of seconds, got 0"),
        (float("nan"), UserError, "--time-limit must be a positive number of seconds, got nan"),
        (-5, UserError, "got -5"),
        (4_000, LimitExceeded, "--time-limit"),
    ],
)
def test_time_limit_is_checked_before_any_work(seconds, error, text, tmp_path: Path) -> None:
    missing = tmp_path / "never-read.csv"  # the limit fails first, the file is not opened
    with pytest.raises(error, match=text.replace("(", r"\(")):
        use_case.balance(missing, time_limit=seconds)


def test_the_default_time_limit_agrees_with_the_command() -> None:
    from powerbalance.interfaces.cli import theory as command

    assert command.DEFAULT_TIME_LIMIT == use_case.DEFAULT_TIME_LIMIT


def test_balance_command_prints_what_the_use_case_returns(capsys) -> None:
    path = DATA / "gahuku_gama.csv"
    assert main(["balance", str(path), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = [r.to_dict() for r in use_case.balance(path)]
    for got, want in zip(printed, expected, strict=True):
        assert {k: v for k, v in got.items() if k != "seconds"} == {
            k: v for k, v in json.loads(json.dumps(want)).items() if k != "seconds"
        }


def test_triangle_is_the_evidence_triangle() -> None:
    evidence = load_corpus()
    reading = use_case.triangle(evidence)
    assert reading.to_dict() == evidence_triangle(evidence).to_dict()
    assert reading.actors == TRIANGLE
    flipped = use_case.triangle(evidence, overrides=["USA-RUS=+"], weighted=True)
    assert flipped.overrides == {"USA-RUS": 1} and flipped.weighted


def test_triangle_command_prints_what_the_use_case_returns(fresh_store: Path, capsys) -> None:
    assert main(["--store", str(fresh_store), "triangle", "--json", "--set", "US-RU=+"]) == 0
    printed = json.loads(capsys.readouterr().out)
    reading = use_case.triangle(load_corpus(), overrides=["US-RU=+"])
    assert printed == json.loads(json.dumps(reading.to_dict()))


def test_bad_override_is_a_user_error(fresh_store: Path, capsys) -> None:
    assert main(["--store", str(fresh_store), "triangle", "--set", "USA-XYZ=+"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err


def _library_imports(path: Path) -> set[str]:
    """The powerbalance modules a file imports at run time (not under ``if TYPE_CHECKING``)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m.startswith("powerbalance")}


def test_the_theory_commands_call_only_the_app_layer() -> None:
    imports = _library_imports(SRC / "interfaces" / "cli" / "theory.py")
    below = {m for m in imports if not m.startswith(("powerbalance.app", "powerbalance.i18n"))}
    assert below <= {"powerbalance.interfaces.cli._common", "powerbalance.interfaces.cli._tables"}
    assert "powerbalance.app" in imports
