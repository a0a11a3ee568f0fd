"""``powerbalance history``: the triangle through time, year by year, from data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from powerbalance.interfaces.cli._common import (
    JsonOption,
    ProgressReporter,
    console,
    emit_json,
    err_console,
    store,
)
from powerbalance.interfaces.cli._tables import Col, print_table

if TYPE_CHECKING:
    from powerbalance.app.history import HistoryResult

#: The channels of powerbalance.relations.history.CHANNELS (a test checks they agree; the
#: app layer is not imported for ``--help``).
CHANNEL_NAMES = (
    "un_votes",
    "alliances",
    "disputes",
    "rivalries",
    "arms",
    "trade",
    "events",
    "gdelt",
)


def _roles(roles: dict[str, str]) -> str:
    """The roles that single an actor out (pivot, outcast), or every role when none does."""
    marked = {a: r for a, r in roles.items() if r in ("pivot", "outcast")}
    shown = marked or roles
    return ", ".join(f"{a} {r}" for a, r in shown.items())


def _sign(s: int) -> str:
    return "+" if s > 0 else "-" if s < 0 else "0"


def _print(result: HistoryResult) -> None:
    data = result.to_dict()
    rule = data["rule"]
    console.print(
        f"[bold]The triangle {data['start']}–{data['end']}[/] · rule "
        f"{escape(rule['id'])} ({escape(str(rule['file']))}) · channels: "
        f"{escape(', '.join(data['channels_run']) or 'none')}",
        highlight=False,
        soft_wrap=True,
    )
    for channel, why in data["channels_missing"].items():
        console.print(f"[yellow]missing[/] {escape(channel)}: {escape(why)}", soft_wrap=True)
    contested: dict[int, list[str]] = {y["year"]: y["contested"] for y in data["years"]}
    rows = []
    for p in data["periods"]:
        years = range(p["start"], p["end"] + 1)
        disputed = sorted({tie for y in years for tie in contested.get(y, [])})
        rows.append(
            [
                f"{p['start']}" if p["start"] == p["end"] else f"{p['start']}–{p['end']}",
                escape(p["configuration"] or "no triangle (a tie has no information)"),
                escape(_roles(p["roles"])),
                escape(", ".join(disputed)),
            ]
        )
    print_table(
        console,
        [
            Col("years", "id"),
            Col("configuration", required=True),
            Col("roles", "ids", priority=3),
            Col("contested ties", "ids", priority=1),
        ],
        rows,
        title="Timeline",
    )
    rows = []
    for t in data["transitions"]:
        flips = ", ".join(
            f"{f['tie']} {_sign(f['sign_before'])}→{_sign(f['sign_after'])}" for f in t["flipped"]
        )
        drivers = "; ".join(
            f"{f['tie']}: "
            + (
                ", ".join(f"{d['channel']} {d['change']:+.2f}" for d in f["drivers"][:3])
                or "no channel moved (carried sign)"
            )
            for f in t["flipped"]
        )
        rows.append(
            [
                str(t["year"]),
                escape(f"{t['configuration_before']} → {t['configuration_after']}"),
                escape(flips),
                escape(drivers),
            ]
        )
    if rows:
        print_table(
            console,
            [
                Col("year", "id"),
                Col("configuration", required=True),
                Col("ties flipped", "ids", required=True),
                Col("channels that moved them (change of contribution)", "ids", priority=2),
            ],
            rows,
            title="Transitions",
        )
    else:
        console.print("No transitions: the configuration held through the years with three ties.")


def history(
    start: int = typer.Option(1946, "--from", help="First year (1946 or later)."),
    end: int = typer.Option(2025, "--to", help="Last year."),
    channels: list[str] = typer.Option(
        [],
        "--channels",
        help=f"Channels to read, comma-separated or repeated: {', '.join(CHANNEL_NAMES)} "
        "(default: all).",
    ),
    rule: Path | None = typer.Option(
        None,
        "--rule",
        help="A fusion-rule TOML file (weights per channel; see docs/history.md). "
        "Default: the bundled rule.",
    ),
    data_dir: Path | None = typer.Option(
        None,
        "--data-dir",
        help="A folder searched for dataset files by name before the registered ones.",
    ),
    plot: Path | None = typer.Option(
        None, "--plot", help="Draw the timeline into this PNG or SVG file."
    ),
    as_json: bool = JsonOption,
) -> None:
    """The USA–Russia–China triangle year by year from data, with every channel shown.

    For each year, the three ties (USA–USSR/Russia, USA–PRC, USSR/Russia–PRC) fused
    from the channels (UN votes, alliances, disputes and wars, rivalries, arms
    transfers, trade, dated events, GDELT) by a versioned rule with each
    channel's contribution and an uncertainty; Dittmer's configuration and roles;
    and the transitions, with the tie that flipped and the channels that moved
    it. Channels whose datasets are not registered (`powerbalance data add`) or
    found under --data-dir are left out and named.
    """
    from powerbalance.app import history as use_case

    query = use_case.history_query(
        start=start, end=end, channels=channels, rule=rule, data_dir=data_dir, plot=plot
    )
    with store(read_only=True) as s, ProgressReporter("channels read") as reporter:
        result = use_case.store_history(s, query, progress=reporter.update)
    if query.plot is not None:
        written = use_case.write_plot(result, query.plot)
        err_console.print(f"plot written to {escape(str(written))}", highlight=False)
    if as_json:
        emit_json(result.to_dict())
        return
    _print(result)


def register(app: typer.Typer) -> None:
    app.command("history")(history)
