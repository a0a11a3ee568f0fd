"""``powerbalance assess``: the main job, the triangle as the evidence describes it."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.panel import Panel

from powerbalance.i18n import (
    arithmetic_line,
    components_line,
    format_decimal,
    format_value,
    heading,
    indicator_text,
    label,
    period_label,
    term,
)
from powerbalance.interfaces.cli._common import JsonOption, LangOption, console, emit_json, store
from powerbalance.interfaces.cli._tables import Col, print_table


def _short(publication: str) -> str:
    """'The Economist (Swedish translation)' -> 'The Economist'."""
    return publication.split(" (")[0]


def _fmt_value(item: dict, lang: str = "en") -> str:
    """An indicator's value with its unit (money as ``147.6 bn USD``, ``147,6 mdr USD`` in sv)."""
    return format_value(item["value"], item["unit"], lang)


def assess(
    lang: str = LangOption,
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
    from powerbalance.app.assess import assess as run_assessment

    with store(read_only=True) as s:
        evidence = s.evidence()
    result = run_assessment(evidence, lang=lang)
    if as_json:
        emit_json(result)
        return
    console.print(Panel.fit(result["title"], style="bold"))

    rows = []
    for d in result["dyads"]:
        comps = components_line(d["components"], lang)
        colour = {1: "green", -1: "red", 0: "yellow"}[d["sign"]]
        rows.append(
            [
                escape(d["label"]),
                f"[{colour}]{'+' if d['sign'] > 0 else '−' if d['sign'] < 0 else '0'} {escape(d['sign_label'])}[/]",
                format_decimal(d["strength"], lang),
                escape(f"{comps}; {len(d['evidence'])} {label('records', lang)} ({d['rule']})"),
            ]
        )
    columns = [
        Col(label("dyad", lang), required=True),
        Col(heading("sign", lang), priority=3),
        Col(heading("strength", lang), "number", priority=4),
        Col(label("basis", lang), "ids", priority=1),
    ]
    print_table(console, columns, rows, title=label("dyads", lang))

    if "triangle" in result:
        tri = result["triangle"]
        roles = ", ".join(
            f"{result['actors'].get(a, a)} {term(role, lang)} ({tri['scores'][a]:+g})"
            for a, role in tri["roles"].items()
        )
        configuration = term(tri["configuration"], lang)
        console.print(
            f"[bold]{heading('triangle', lang)}:[/] {escape(configuration)}: {escape(roles)}"
        )
        for line in tri.get("arithmetic", {}).values():
            console.print(f"  {escape(arithmetic_line(line, lang))}")

    rows = []
    for item in result["dependence"]:
        srcs = "; ".join(
            dict.fromkeys(
                f"{_short(s['publication'])} {s['date'][:7]}, “{s['section']}”"
                + (f" ({label('authority', lang)}: {s['authority']})" if "authority" in s else "")
                for s in item["sources"]
            )
        )
        srcs = escape(srcs + "\n" + ", ".join(s["claim"] for s in item["sources"]))
        formula, note = indicator_text(item, lang)
        rows.append(
            [
                escape(item["label"]),
                escape(_fmt_value(item, lang)),
                escape(formula + (f"\n{note}" if note else "")),
                srcs,
            ]
        )
    columns = [
        Col(heading("indicator", lang), required=True),
        # a value ("147.6 bn USD") is never broken across lines
        Col(heading("value", lang), "id", justify="right"),
        Col(label("computation", lang), priority=1),
        Col(label("sources", lang), "ids", priority=2),
    ]
    print_table(console, columns, rows, title=label("who_depends", lang))
    for m in result["dependence_missing"]:
        console.print(f"[yellow]{label('not_computed', lang)}:[/] {escape(m)}")

    claims = (
        result["claims"]
        if full
        else [c for c in result["claims"] if c["unit"] in ("money", "percent")]
    )
    rows = []
    for c in claims:
        src = c["source"]
        rows.append(
            [
                escape(c["statement"]),
                escape(period_label(c["period"], lang)),
                escape(f"{_short(src['publication'])} {src['date'][:7]}\n{c['id']}"),
            ]
        )
    columns = [
        Col(label("claim", lang), required=True),
        Col(heading("period", lang), "ids", priority=1),
        Col(heading("source", lang), "ids", priority=2),
    ]
    print_table(console, columns, rows, title=label("key_evidence", lang))

    events = result["events"] if full else [e for e in result["events"] if e["date"] >= "2024"]
    columns = [Col(heading("date", lang), "id"), Col(heading("event", lang), required=True)]
    rows = [[escape(e["date_label"]), escape(e["summary"])] for e in events]
    print_table(console, columns, rows, title=label("dated_events", lang))

    rows = []
    for row in result["leaders"]:
        colour = {"shared": "green", "divergent": "red", "partial": "yellow"}[row["verdict"]]
        rows.append(
            [
                escape(row["issue"]),
                f"{row['putin']:+d}",
                f"{row['trump']:+d}",
                f"[{colour}]{escape(label(row['verdict'], lang))}[/]",
            ]
        )
    columns = [
        Col(heading("issue", lang), "id"),
        Col("Putin", "number", required=True),
        Col("Trump", "number", required=True),
        Col("", priority=2),
    ]
    print_table(console, columns, rows, title=label("leaders", lang))

    rows = []
    for f in result["factions"]:
        stances = "; ".join(f"{s['target']} {s['score']:+d}" for s in f["stances"])
        rows.append([escape(f"{f['name']} ({f['country']})"), escape(stances)])
    columns = [Col(label("faction", lang), required=True), Col(label("stance", lang), "ids")]
    print_table(console, columns, rows, title=label("factions_brief", lang))
    n = result["counts"]
    console.print(escape(label("footer", lang).format(**n)))


def register(app: typer.Typer) -> None:
    app.command("assess")(assess)
