"""The interfaces reach the library through the application layer (powerbalance.app).

Every import in ``powerbalance.interfaces`` (at module level, inside functions
and under ``TYPE_CHECKING``) names the app layer, another interface module or
a foundation module (errors, limits, i18n, actors). The few exceptions are
listed with their reason: opening the store is the interfaces' job (the app
layer's use cases take an open store), and the evidence schema's classes
parse the dashboard's form and are formatted by the CLI.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INTERFACES = ROOT / "src" / "powerbalance" / "interfaces"

ALLOWED_PREFIXES = (
    "powerbalance.app",
    "powerbalance.interfaces",
    "powerbalance.errors",
    "powerbalance.limits",
    "powerbalance.i18n",
    "powerbalance.actors",
)
# module -> why an interface may import it directly
EXCEPTIONS = {
    "powerbalance.evidence.store": "the CLI and the dashboard open the store the use cases take",
    "powerbalance.evidence.models": "the form's claim is parsed, and records are formatted",
    "powerbalance.evidence.collection": "the gateway caches the store's Evidence object",
    "powerbalance.evidence.vocabulary": "the form's choices of indicator and unit",
    "powerbalance.scenarios.montecarlo": "a type only (RunResult), under TYPE_CHECKING",
    "powerbalance.theory.balance": "a type only (BalanceReport), under TYPE_CHECKING",
}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out.extend((node.lineno, a.name) for a in node.names)
    return [(n, m) for n, m in out if m == "powerbalance" or m.startswith("powerbalance.")]


def test_interfaces_call_the_app_layer():
    stray = []
    for path in sorted(INTERFACES.rglob("*.py")):
        for line, module in _imports(path):
            if module == "powerbalance" or module.startswith(ALLOWED_PREFIXES):
                continue
            if module in EXCEPTIONS:
                continue
            stray.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert stray == []


def test_every_exception_is_still_needed():
    used = {m for p in INTERFACES.rglob("*.py") for _, m in _imports(p)}
    assert sorted(set(EXCEPTIONS) - used) == []
