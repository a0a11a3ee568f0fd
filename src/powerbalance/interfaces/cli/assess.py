"""``powerbalance assess``: the main job, the triangle as the evidence describes it."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from powerbalance.i18n import label
from powerbalance.interfaces.cli._common import JsonOption, console, emit_json, store


def _short(publication: str) -> str:
    """'The Economist (Swedish translation)' -> 'The Economist'."""
    return publication.split(" (")[0]


def _fmt_value(item: dict) -> str:
    v = item["value"]
    if item["unit"] in ("USD", "EUR"):
        return (
            f"{v / 1e9:,.1f} bn {item['unit']}"
            if abs(v) < 1e12
            else f"{v / 1e12:,.2f} tn {item['unit']}"
        )
    if item["unit"] == "percentage points":
        return f"{v:+.0f} pp"
    if item["unit"] == "percent":
        return f"{v:g}%"
    return f"{v:.3g}"


def assess(
    lang: str = typer.Option("en", "--lang", help="Labels in English (en) or Swedish (sv)."),
    as_json: bool = JsonOption,
    full: bool = typer.Option(
        False, "--full", help="List every claim and event, not only the key ones."
    ),
) -> None:
    """Assess the Moscow–Beijing–Washington triangle from the evidence in the store.

    Shows the three ties with sign and strength, who depends on whom and through
    which channels (computed, with the claims and sources used), the key
    evidence, the factions in brief, and what Putin and Trump share and where
    they diverge.
    """
    from powerbalance.assessment import assess as run_assessment

    with store(read_only=True) as s:
        evidence = s.evidence()
    result = run_assessment(evidence, lang=lang)
    if as_json:
        emit_json(result)
        return
    console.print(Panel.fit(result["title"], style="bold"))

    t = Table(title=label("dyads", lang))
    for col in ("dyad", "sign", "strength", "basis"):
        t.add_column(label(col, lang), overflow="fold")
    for d in result["dyads"]:
        comps = ", ".join(f"{k}={v:.2f}" for k, v in d["components"].items())
        colour = {1: "green", -1: "red", 0: "yellow"}[d["sign"]]
        t.add_row(
            d["label"],
            f"[{colour}]{'+' if d['sign'] > 0 else '−' if d['sign'] < 0 else '0'} {d['sign_label']}[/]",
            f"{d['strength']:.2f}",
            f"{comps}; {len(d['evidence'])} records ({d['rule']})",
        )
    console.print(t)

    if "triangle" in result:
        tri = result["triangle"]
        roles = ", ".join(
            f"{result['actors'].get(a, a)} {role} ({tri['scores'][a]:+g})"
            for a, role in tri["roles"].items()
        )
        console.print(
            f"[bold]{label('triangle', lang)}:[/] {escape(tri['configuration'])}: {escape(roles)}"
        )
        for line in tri.get("arithmetic", {}).values():
            console.print(f"  {escape(line)}")

    t = Table(title=label("dependence", lang))
    for col in ("indicator", "value", "computation", "sources"):
        t.add_column(label(col, lang), overflow="fold")
    for item in result["dependence"]:
        srcs = "; ".join(
            dict.fromkeys(
                f"{_short(s['publication'])} {s['date'][:7]}, “{s['section']}”"
                + (f" ({label('authority', lang)}: {s['authority']})" if "authority" in s else "")
                for s in item["sources"]
            )
        )
        srcs = escape(srcs + "\n" + ", ".join(s["claim"] for s in item["sources"]))
        t.add_row(
            item["label"],
            _fmt_value(item),
            escape(item["formula"] + (f"\n{item['note']}" if item["note"] else "")),
            srcs,
        )
    console.print(t)
    for m in result["dependence_missing"]:
        console.print(f"[yellow]not computed:[/] {m}")

    claims = (
        result["claims"]
        if full
        else [c for c in result["claims"] if c["unit"] in ("money", "percent")]
    )
    t = Table(title=label("key_evidence", lang))
    for col in ("claim", "period", "source"):
        t.add_column(label(col, lang), overflow="fold")
    for c in claims:
        src = c["source"]
        t.add_row(
            escape(c["statement"]),
            c["period"],
            escape(f"{_short(src['publication'])} {src['date'][:7]}\n{c['id']}"),
        )
    console.print(t)

    events = result["events"] if full else [e for e in result["events"] if e["date"] >= "2024"]
    t = Table(title=label("events", lang))
    t.add_column(label("date", lang))
    t.add_column(label("event", lang), overflow="fold")
    for e in events:
        t.add_row(e["date_label"], escape(e["summary"]))
    console.print(t)

    t = Table(title=label("leaders", lang))
    for col in ("issue", "Putin", "Trump", ""):
        t.add_column(label(col, lang) if col else "")
    for row in result["leaders"]:
        colour = {"shared": "green", "divergent": "red", "partial": "yellow"}[row["verdict"]]
        t.add_row(
            row["issue"],
            f"{row['putin']:+d}",
            f"{row['trump']:+d}",
            f"[{colour}]{label(row['verdict'], lang)}[/]",
        )
    console.print(t)

    t = Table(title=label("factions", lang))
    for col in ("faction", "stance"):
        t.add_column(label(col, lang), overflow="fold")
    for f in result["factions"]:
        stances = "; ".join(f"{s['target']} {s['score']:+d}" for s in f["stances"])
        t.add_row(escape(f"{f['name']} ({f['country']})"), escape(stances))
    console.print(t)
    n = result["counts"]
    console.print(
        f"{n['claims']} claims, {n['events']} events, {n['stances']} stances from {n['sources']} sources. "
        "`powerbalance evidence show ID` shows any record with its source; `--full` lists all."
    )


def register(app: typer.Typer) -> None:
    app.command("assess")(assess)
