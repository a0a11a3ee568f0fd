"""The data use cases (``powerbalance.app.data``): registrations, dyad-year frames, verification.

The command line prints exactly what the use cases return; with the public
SIPRI register (``../shared/data``, skipped when absent) the two checked
claims on China's arms imports are verified, as ``powerbalance verify`` reports.
"""

from __future__ import annotations

import ast
import json
import math
from pathlib import Path

import pytest

import powerbalance
from powerbalance.app import data as use_case
from powerbalance.datasets import registry
from powerbalance.datasets.errors import NoSuchDataset
from powerbalance.errors import DatasetFormatError, UserError
from powerbalance.evidence import load_corpus
from powerbalance.evidence.store import open_store
from powerbalance.indicators import verification
from powerbalance.interfaces.cli.main import main

SRC = Path(powerbalance.__file__).parent

NMC = (
    "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\n"
    '"USA",2,2000,300,1.4,100,2000,280,220,0.6,2021\n'
    '"RUS",365,2000,50,1.0,60,600,146,106,0.4,2021\n'
    '"USA",2,2001,310,1.4,100,2000,282,222,0.6,2021\n'
    '"RUS",365,2001,52,1.0,60,600,145,105,0.4,2021\n'
)

SIPRI_VERIFIED = {"econ.arms.chn_imports_change", "econ.arms.chn_top_supplier"}


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def nmc(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    path = d / "NMC-60-abridged.csv"
    path.write_text(NMC, encoding="utf-8")
    return path


# --- registrations -------------------------------------------------------------------------


def test_add_list_info_remove(tmp_path: Path, nmc: Path) -> None:
    with open_store(tmp_path / "s.duckdb") as s:
        reg = use_case.add_dataset(s, "cow-nmc", nmc)
        assert (reg.dataset, reg.path, reg.rows, reg.coverage) == (
            "cow-nmc",
            str(nmc.resolve()),
            4,
            (2000, 2001),
        )
        assert len(reg.sha256) == 64 and "cinc" in reg.columns
        listed = {e.id: e for e in use_case.list_datasets(s)}
        assert listed["cow-nmc"].registered == str(nmc.resolve())
        assert listed["sipri-register"].registered is None
        # the same rows as the registry's listing, card order kept
        assert [e.to_dict() for e in use_case.list_datasets(s)] == registry.list_datasets(
            registry.registrations(s)
        )
        info = use_case.dataset_info(s, "cow-nmc")
        assert info.card.id == "cow-nmc" and info.registration is not None
        assert info.to_dict() == registry.dataset_info("cow-nmc", registry.registrations(s))
        assert use_case.dataset_info(s, "sipri-register").registration is None
        assert use_case.remove_dataset(s, "cow-nmc").removed == 1
        assert use_case.remove_dataset(s, "cow-nmc").removed == 0
        assert use_case.registrations(s) == {}


def test_registration_errors_are_user_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("ccode,year,imports,exports\n2,2000,1,1\n", encoding="utf-8")
    with open_store(tmp_path / "s.duckdb") as s:
        with pytest.raises(DatasetFormatError, match="expected columns"):
            use_case.add_dataset(s, "cow-nmc", bad)
        with pytest.raises(NoSuchDataset, match="data list"):
            use_case.dataset_info(s, "no-such-set")
        with pytest.raises(NoSuchDataset):
            use_case.remove_dataset(s, "no-such-set")
        assert use_case.registrations(s) == {}


def test_data_commands_print_what_the_use_cases_return(capsys, tmp_path: Path, nmc: Path) -> None:
    store = str(tmp_path / "s.duckdb")
    rc, out, _ = run(capsys, "--store", store, "data", "add", "cow-nmc", str(nmc), "--json")
    assert rc == 0
    added = json.loads(out)
    assert list(added) == [
        "dataset",
        "path",
        "sha256",
        "card_version",
        "rows",
        "columns",
        "coverage",
    ]
    assert added["coverage"] == [2000, 2001] and added["rows"] == 4
    rc, out, _ = run(capsys, "--store", store, "data", "add", "cow-nmc", str(nmc))
    assert rc == 0 and "registered cow-nmc" in out and "(4 rows, 2000-2001)" in out
    rc, out, _ = run(capsys, "--store", store, "data", "list", "--json")
    with open_store(Path(store), read_only=True) as s:
        assert json.loads(out) == [e.to_dict() for e in use_case.list_datasets(s)]
        info = use_case.dataset_info(s, "cow-nmc").to_dict()
    rc, out, _ = run(capsys, "--store", store, "data", "info", "cow-nmc", "--json")
    assert json.loads(out) == info
    rc, out, _ = run(capsys, "--store", store, "data", "info", "cow-nmc")
    assert rc == 0 and "registered: " + str(nmc.resolve()) in out.replace("\n", "")
    rc, out, _ = run(capsys, "--store", store, "data", "remove", "cow-nmc")
    assert rc == 0 and "removed cow-nmc" in out
    rc, out, _ = run(capsys, "--store", store, "data", "remove", "cow-nmc")
    assert rc == 0 and "nothing registered for cow-nmc" in out


# --- dyad-year frames ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": 1700}, "--from 1700 is outside the years any dataset can cover"),
        ({"end": 9999}, "--to 9999 is outside the years any dataset can cover"),
        ({"start": 2001, "end": 2000}, "--from 2001 is after --to 2000"),
        ({"verbs": ["trade", "gdp"]}, "--add: unknown verb 'gdp'; choose from capabilities"),
        ({"data_dir": "/no/such/folder"}, "--data-dir /no/such/folder: no such folder"),
    ],
)
def test_dyad_query_refuses_what_cannot_be_built(kwargs, message) -> None:
    with pytest.raises(UserError, match=message):
        use_case.dyad_query(**kwargs)


def test_dyads_from_a_data_dir(nmc: Path) -> None:
    steps: list[str] = []
    query = use_case.dyad_query(states=["USA", "RUS"], verbs=["capabilities"], data_dir=nmc.parent)
    assert query.data_dir == nmc.parent and query.states == ("USA", "RUS")
    result = use_case.dyads(query, {}, on_step=steps.append)
    assert steps == ["dyads", "capabilities"]
    frame = result.frame
    assert len(frame) == 4  # 2 directed dyads x 2 years
    row = frame[(frame.iso3_1 == "USA") & (frame.year == 2000)].iloc[0]
    assert (row.iso3_2, row.cinc1, row.cinc2) == ("RUS", 0.6, 0.4)
    out = result.to_dict()
    assert out["unit"] == "dyad-year" and out["directed"] is True
    assert out["sources"] == result.sources and "cow-nmc" in result.sources
    undirected = use_case.dyads(
        use_case.dyad_query(states=["USA", "RUS"], directed=False, data_dir=nmc.parent), {}
    )
    assert len(undirected.frame) == 2


def test_dyads_from_the_registrations(tmp_path: Path, nmc: Path) -> None:
    with open_store(tmp_path / "s.duckdb") as s:
        use_case.add_dataset(s, "cow-nmc", nmc)
        registered = use_case.registrations(s)
    result = use_case.dyads(
        use_case.dyad_query(states=["USA", "RUS"], start=2001, verbs=["capabilities"]), registered
    )
    assert sorted(set(result.frame.year)) == [2001]


def test_dyads_command_prints_what_the_use_case_returns(capsys, tmp_path: Path, nmc: Path) -> None:
    store = str(tmp_path / "s.duckdb")
    args = ["--store", store, "dyads", "--states", "USA,RUS", "--add", "capabilities"]
    rc, out, _ = run(capsys, *args, "--data-dir", str(nmc.parent), "--json")
    assert rc == 0
    query = use_case.dyad_query(states=["USA", "RUS"], verbs=["capabilities"], data_dir=nmc.parent)
    expected = json.loads(json.dumps(use_case.dyads(query, {}).to_dict(), default=str))
    assert json.loads(out) == expected
    rc, _, err = run(capsys, *args, "--from", "2001", "--to", "2000")
    assert rc == 2 and err.strip() == (
        "error: --from 2001 is after --to 2000; give the earlier year first"
    )


# --- verification --------------------------------------------------------------------------


def test_verify_query_refuses_unknown_statuses() -> None:
    with pytest.raises(UserError, match="--status 'ok' is not a status; choose one of verified"):
        use_case.verify_query(status="ok")
    assert use_case.verify_query().status is None


def test_verify_without_data_leaves_every_claim_unverifiable() -> None:
    evidence = load_corpus()
    result = use_case.verify(evidence, {})
    assert len(result.results) == len(evidence.claims())
    assert result.summary == {
        "verified": 0,
        "depends_on_definition": 0,
        "contradicted": 0,
        "unverifiable": len(evidence.claims()),
    }
    assert result.to_dict()["summary"] == result.summary
    only = use_case.verify(evidence, {}, use_case.verify_query(status="verified"))
    assert only.results == [] and only.summary["unverifiable"] == 0


def test_claim_statuses_without_data() -> None:
    evidence = load_corpus()
    statuses = use_case.claim_statuses(evidence, {})
    assert set(statuses) == {c.id for c in evidence.claims()}
    for entry in statuses.values():
        assert list(entry) == list(use_case.STATUS_KEYS)
        assert entry["status"] == "unverifiable" and entry["settle_with"]
        assert entry["computed"] is None and entry["difference"] is None


def test_verify_command_prints_what_the_use_case_returns(capsys, fresh_store: Path) -> None:
    rc, out, _ = run(capsys, "--store", str(fresh_store), "verify", "--json")
    assert rc == 0
    with open_store(fresh_store, read_only=True) as s:
        expected = use_case.verify(s.evidence(), use_case.registrations(s)).to_dict()
    assert json.loads(out) == json.loads(json.dumps(expected))
    rc, _, err = run(capsys, "--store", str(fresh_store), "verify", "--status", "ok")
    assert rc == 2 and err.startswith("error: --status 'ok' is not a status")


@pytest.mark.shared_data
def test_sipri_register_verifies_chinas_arms_claims(tmp_path: Path, shared_file) -> None:
    register = shared_file("sipri/sipri_trade_register_deliveries_1995_2025.csv")
    with open_store(tmp_path / "s.duckdb") as s:
        use_case.add_dataset(s, "sipri-register", register)
        evidence = s.evidence()
        registered = use_case.registrations(s)
    result = use_case.verify(evidence, registered, use_case.verify_query(status="verified"))
    assert {r.claim for r in result.results} == SIPRI_VERIFIED
    assert result.summary["verified"] == 2
    statuses = use_case.claim_statuses(evidence, registered)
    assert {k for k, v in statuses.items() if v["status"] == "verified"} == SIPRI_VERIFIED
    # the same checks as the verification module, NaN as None
    for r in verification.verify(evidence.claims(), registry.DataSources(registered=registered)):
        entry = statuses[r.claim]
        assert entry["status"] == r.status and entry["dataset"] == r.dataset
        if r.computed is not None and not math.isnan(r.computed):
            assert entry["computed"] == r.computed
    checked = statuses["econ.arms.chn_top_supplier"]
    assert checked["dataset"] == "sipri-register" and checked["computation"]


# --- the commands call only the app layer --------------------------------------------------


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


def test_the_data_commands_call_only_the_app_layer() -> None:
    imports = _library_imports(SRC / "interfaces" / "cli" / "data.py")
    assert imports == {
        "powerbalance.app",
        "powerbalance.interfaces.cli._common",
        "powerbalance.interfaces.cli._tables",
    }
