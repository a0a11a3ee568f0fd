"""The import contract (``.importlinter``): layers import only downwards.

``lint-imports`` (import-linter) checks the layer order of the design and the
independence of the interfaces; the ignored imports are listed, one by one, in
``.importlinter``. The test skips when import-linter is not installed.
"""

from __future__ import annotations

import configparser
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".importlinter"
SRC = ROOT / "src"

# The design's order, bottom to top (docs/architecture.md).
DESIGN_ORDER = [
    "powerbalance.evidence",
    "powerbalance.datasets",
    "powerbalance.engines",
    "powerbalance.indicators",
    "powerbalance.frames",
    "powerbalance.relations",
    "powerbalance.theory",
    "powerbalance.scenarios",
    "powerbalance.app",
    "powerbalance.interfaces",
]


def _lint(config: Path) -> subprocess.CompletedProcess[str]:
    # The console script `lint-imports` is importlinter.cli:lint_imports_command; calling it
    # through this interpreter works whether or not the venv's bin is on PATH.
    code = "import sys; from importlinter.cli import lint_imports_command; lint_imports_command()"
    return subprocess.run(
        [sys.executable, "-c", code, str(config), "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _contracts() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    return parser


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def test_import_contract_is_kept() -> None:
    result = _lint(CONFIG)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_layers_follow_the_design_order() -> None:
    layers = _lines(_contracts()["importlinter:contract:layers"]["layers"])
    assert [layer for layer in reversed(layers) if "|" not in layer] == DESIGN_ORDER
    # the foundation sits below everything: limits and i18n, under them errors and actors
    assert {m.strip() for m in layers[-1].split("|")} == {
        "powerbalance.errors",
        "powerbalance.actors",
    }
    assert {m.strip() for m in layers[-2].split("|")} == {
        "powerbalance.limits",
        "powerbalance.i18n",
    }


def test_every_top_level_package_is_in_a_layer() -> None:
    """A new top-level module or package must be placed in the contract, not escape it."""
    layers = _contracts()["importlinter:contract:layers"]["layers"]
    named = {m.strip() for line in _lines(layers) for m in line.split("|")}
    pkg = SRC / "powerbalance"
    present = {
        f"powerbalance.{p.stem}"
        for p in pkg.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    }
    assert present <= named, f"not placed in .importlinter's layers: {sorted(present - named)}"


def test_every_ignored_import_names_its_file_and_line() -> None:
    """Each ignore follows a comment `# src/...py:LINE  the import statement` naming its source.

    The line number may drift as the file changes; the statement must still be in the file.
    """
    text = CONFIG.read_text(encoding="utf-8")
    block = text.split("ignore_imports =", 1)[1]
    source: tuple[str, str] | None = None
    ignores = 0
    for raw in block.splitlines():
        line = raw.strip()
        match = re.match(r"# (src/\S+\.py):\d+\s+(.+)$", line)
        if match:
            source = (match.group(1), match.group(2).strip())
        elif line and not line.startswith("#"):
            ignores += 1
            assert source, f"ignored import without its file and line: {line}"
            file, statement = source
            importer = line.split("->")[0].strip()
            assert file == "src/" + importer.replace(".", "/") + ".py", line
            assert statement in (ROOT / file).read_text(encoding="utf-8"), (file, statement)
    assert ignores > 0


def test_the_contract_catches_an_upward_import(tmp_path: Path) -> None:
    """With theory and scenarios swapped, scenarios' real imports of theory break the contract."""
    text = CONFIG.read_text(encoding="utf-8")
    swapped = (
        text.replace("    powerbalance.scenarios\n", "    @@\n")
        .replace("    powerbalance.theory\n", "    powerbalance.scenarios\n")
        .replace("    @@\n", "    powerbalance.theory\n")
    )
    assert swapped != text
    config = tmp_path / "swapped.ini"
    config.write_text(swapped, encoding="utf-8")
    result = _lint(config)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "powerbalance.scenarios is not allowed to import powerbalance.theory" in result.stdout
