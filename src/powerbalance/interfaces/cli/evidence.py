"""``powerbalance evidence``: list, show and import evidence records."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from powerbalance.evidence.models import Actor, Claim, Event, Record, Source, Stance
from powerbalance.interfaces.cli._common import (
    JsonOption,
    ProgressReporter,
    console,
    emit_json,
    store,
)
from powerbalance.interfaces.cli._tables import (
    Col,
    check_limit,
    limit_rows,
    print_more,
    print_table,
)

evidence_app = typer.Typer(
    help="The evidence base: claims, events, stances, actors and sources, each with its source.",
    no_args_is_help=True,
)


def _summary(r: Record) -> str:
    if isinstance(r, Claim):
        return r.statement
    if isinstance(r, Event):
        return r.summary
    if isinstance(r, Stance):
        return f"{r.actor} → {r.target}: {r.score:+d} ({r.scale_label}). {r.rationale}"
    if isinstance(r, Actor):
        return f"{r.name_en} ({r.kind}){': ' + r.description if r.description else ''}"
    if isinstance(r, Source):
        return f"{r.publication}: {r.title} ({r.date.isoformat()})"
    return ""


@evidence_app.command("list")
def list_(
    actor: str | None = typer.Option(
        None, "--actor", help="Only records naming this actor id (e.g. RUS)."
    ),
    indicator: str | None = typer.Option(
        None, "--indicator", help="Only claims whose indicator matches this glob (e.g. 'trade.*')."
    ),
    kind: str | None = typer.Option(None, "--kind", help="claim, event, stance, actor or source."),
    text: str | None = typer.Option(None, "--search", help="Only records containing this text."),
    limit: int = typer.Option(
        50, "--limit", help="Rows to show in the table (0: all; --json always gives all)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """List evidence records (claims, events and stances by default)."""
    from powerbalance.app.evidence import list_records

    check_limit(limit)
    with store(read_only=True) as s:
        listing = list_records(s, kind=kind, actor=actor, indicator=indicator, text=text)
    if as_json:
        emit_json(listing.to_dicts())
        return
    records = listing.records
    if not records:
        console.print("No records match.")
        return
    shown, hidden = limit_rows(records, limit)
    rows = []
    for r in shown:
        if isinstance(r, Claim):
            cell = f"{r.value:g} {r.currency or ''}{' bn' if r.scale == 1e9 else ''} {r.unit if r.unit != 'money' else ''} ({r.period.label()})"
        elif isinstance(r, Event):
            cell = r.date_label()
        elif isinstance(r, Stance):
            cell = f"{r.score:+d}"
        else:
            cell = ""
        summary = _summary(r)
        if isinstance(r, (Claim, Event, Stance)) and r.provenance is not None:
            summary += f" [source {r.source}: {r.provenance.label()}]"
        rows.append([escape(r.id), r.type_name(), escape(" ".join(cell.split())), escape(summary)])
    columns = [
        Col("id", "id"),
        Col("type", priority=1),
        Col("value / date", "number", priority=3, justify="left"),
        Col("summary", priority=2),
    ]
    print_table(console, columns, rows)
    console.print(f"{len(records)} record(s)")
    print_more(console, hidden)


@evidence_app.command("show")
def show(
    record_id: str = typer.Argument(..., help="The record's id."), as_json: bool = JsonOption
) -> None:
    """Show one record in full, with its source."""
    from powerbalance.app.evidence import show as show_record

    with store(read_only=True) as s:
        shown = show_record(s, record_id)
    data = shown.to_dict()
    src = shown.source
    if as_json:
        emit_json(data)
        return
    rows = [
        [key, escape(str(value))]
        for key, value in data.items()
        if key not in ("source_record", "provenance")
    ]
    record = shown.record
    if isinstance(record, (Claim, Event, Stance)) and record.provenance is not None:
        # read from an article by `powerbalance ingest`, accepted by a person
        p = record.provenance
        confidence = f", confidence {p.confidence:.2f}" if p.confidence is not None else ""
        rows.append(
            [
                "provenance",
                escape(
                    f"{p.label()}; sha256 {p.document_sha256[:12]}, "
                    f"candidate {p.candidate}{confidence}"
                ),
            ]
        )
    if src is not None:
        rows.append(["source", escape(_summary(src))])
    columns = [Col("field", required=True, style="bold"), Col("value", required=True)]
    print_table(console, columns, rows, show_header=False)


@evidence_app.command("import")
def import_(
    file: Path = typer.Argument(
        ..., help="A YAML, JSON or CSV file of records (see docs/evidence.md)."
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Overwrite your own earlier records with the same ids."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Add your own sources, claims, events and stances: all of the file or none of it."""
    from powerbalance.app.evidence import import_file

    with store() as s, ProgressReporter("records checked", enabled=not as_json) as progress:
        done = import_file(s, file, replace=replace, progress=progress.update)
    if as_json:
        emit_json(done.to_dict())
    else:
        console.print(
            f"Imported {done.imported} record(s) from {file}. The store now holds {done.store}."
        )


@evidence_app.command("template")
def template(
    out: Path = typer.Argument(..., help="The YAML file to write (e.g. my-claims.yaml)."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUT if it exists."),
) -> None:
    """Write a commented example of your own source, claim, event and stance to edit."""
    from powerbalance.app.evidence import write_template

    write_template(out, force=force)
    console.print(
        f"wrote {escape(str(out))}: edit it, then `powerbalance evidence import {escape(str(out))}`",
        highlight=False,
    )


@evidence_app.command("vocabulary")
def vocabulary(as_json: bool = JsonOption) -> None:
    """The controlled vocabulary: indicator keys, event kinds, issues and the stance scale."""
    from powerbalance.app.evidence import vocabulary as vocabulary_data

    data = vocabulary_data()
    if as_json:
        emit_json(data)
        return
    columns = [
        Col("key", "id"),
        Col("unit", priority=2),
        Col("pair", priority=1),
        Col("description", priority=3),
    ]
    rows = [
        [k, "/".join(i["units"]), "yes" if i["pair"] else "", escape(i["description"])]
        for k, i in data["indicators"].items()
    ]
    print_table(console, columns, rows, title="Claim indicators")
    console.print("Event kinds: " + ", ".join(data["event_kinds"]))
    console.print("Issues: " + ", ".join(data["issues"]))
    scale = data["stance_scale"]
    console.print("Stance scale: " + "; ".join(f"{int(k):+d} {v}" for k, v in scale.items()))


def register(app: typer.Typer) -> None:
    app.add_typer(evidence_app, name="evidence")
