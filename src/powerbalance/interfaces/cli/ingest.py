"""``powerbalance ingest``: an article into candidate evidence, and the review of the candidates.

Two forms share the command:

- ``powerbalance ingest FILE [--lang auto|sv|en] [--source-meta KEY=VAL ...]
  [--review-file PATH] [--json]`` reads the article and proposes candidates;
- ``powerbalance ingest review [--accept ID --statement TEXT [--set FIELD=VALUE ...]
  | --reject ID | --list] [--reviewer NAME] [--json]`` reviews them (one at a time,
  interactively, on a terminal).

The first word after ``ingest`` is taken as FILE unless it names a subcommand
(``review``, ``file``); a file literally named ``review`` is given as ``./review``.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from powerbalance.errors import UserError
from powerbalance.interfaces.cli._common import (
    JsonOption,
    ProgressReporter,
    console,
    emit_json,
    err_console,
    store,
)

if TYPE_CHECKING:
    from powerbalance.app.ingest import AcceptResult, Candidate

FILE_COMMAND = "file"
HELP = """Bring an article into the evidence: propose candidates, then review them.

\b
  powerbalance ingest FILE [--lang auto|sv|en] [--source-meta KEY=VAL ...] [--review-file PATH]
  powerbalance ingest review [--list | --accept ID --statement TEXT [--set FIELD=VALUE ...] | --reject ID]

FILE is plain text, HTML or a PDF, in Swedish or English. Nothing enters the evidence until a candidate is accepted. A file named like a subcommand is given with its folder (./review).
"""


class IngestGroup(typer.core.TyperGroup):
    """A group whose first word, unless it names a subcommand, is the FILE of ``ingest file``."""

    # ctx is the click Context typer bundles (typer._click, a private module): typed Any
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [FILE_COMMAND, *args]
        return super().parse_args(ctx, args)


ingest_app = typer.Typer(
    cls=IngestGroup,
    help=HELP,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def default_reviewer() -> str:
    """The login name, the default of ``--reviewer``."""
    with suppress(KeyError, OSError):
        return getpass.getuser()
    return "unknown"


def _check_lang(value: str) -> str:
    if value not in ("auto", "sv", "en"):
        raise typer.BadParameter(f"must be auto, sv or en, not '{value}'")
    return value


@ingest_app.command(FILE_COMMAND)
def ingest_file(
    file: Path = typer.Argument(
        ..., help="The article: plain text, HTML or PDF (a saved web page works)."
    ),
    lang: str = typer.Option(
        "auto",
        "--lang",
        callback=_check_lang,
        help="The article's language: auto (detected), sv or en.",
    ),
    source_meta: list[str] = typer.Option(
        [],
        "--source-meta",
        help="The article's source as KEY=VALUE (repeatable): publication, title, author, "
        "date, url, language, id.",
        show_default=False,
    ),
    review_file: Path | None = typer.Option(
        None,
        "--review-file",
        help="Where to write the candidates (default: FILE.candidates.yaml beside FILE).",
        show_default=False,
    ),
    as_json: bool = JsonOption,
) -> None:
    """Read an article (`powerbalance ingest FILE`) and propose candidates for review.

    Candidate claims, events and stances are kept in the store as pending and
    written to the review file; nothing enters the evidence until accepted.
    """
    from powerbalance.app.ingest import ingest, parse_source_meta

    meta = parse_source_meta(source_meta)
    with store() as s, ProgressReporter("sentences read", enabled=not as_json) as progress:
        result = ingest(
            s,
            file,
            lang=lang,
            source_meta=meta,
            review_file=review_file,
            progress=progress.update,
        )
    if as_json:
        emit_json(result.to_dict())
        return
    counts = result.counts()
    doc = result.document
    console.print(
        f"{escape(doc.name)} ({doc.language}): {counts['claim']} claim(s), "
        f"{counts['event']} event(s), {counts['stance']} stance(s) proposed "
        f"({result.new} new); {counts['duplicates']} repeat stored records, "
        f"{counts['contradictions']} contradict them.",
        highlight=False,
    )
    console.print(f"source: {escape(result.source_id)}", highlight=False)
    for note in result.notes:
        console.print(f"note: {escape(note)}", highlight=False)
    console.print(
        f"review file: {escape(str(result.review_file))}; review with `powerbalance ingest review`",
        highlight=False,
    )


def _sentence(c: Candidate) -> str:
    from powerbalance.app.ingest import highlight

    return "".join(
        f"[bold reverse]{escape(text)}[/]" if marked else escape(text)
        for text, marked in highlight(c.sentence, c.match)
    )


def _show(c: Candidate, position: str = "") -> None:
    from powerbalance.app.ingest import review_view

    view = review_view(c)
    console.print(
        f"{position}[bold]{escape(c.id)}[/] {c.kind}, confidence {c.confidence:.2f} "
        f"({escape(c.document)}, characters {c.start}-{c.end})",
        highlight=False,
    )
    console.print("  " + _sentence(c), highlight=False, soft_wrap=True)
    console.print(escape(view["record_yaml"].rstrip()), highlight=False)
    for note in c.notes:
        console.print(f"  note: {escape(note)}", highlight=False)
    if c.duplicate_of:
        console.print(f"  [yellow]repeats {escape(c.duplicate_of)}[/]", highlight=False)
    if c.contradicts:
        console.print(f"  [red]contradicts {escape(c.contradicts)}[/]", highlight=False)


def _accepted_line(done: AcceptResult) -> str:
    line = f"accepted {done.candidate.id} as {done.record.id}"
    if done.verification is not None:
        v = done.verification
        line += f"; verification: {v['status']}"
        if v.get("computed") is not None:
            line += f" (computed {v['computed']:g} against {v['claimed']:g}, {v['dataset']})"
        elif v.get("settle_with"):
            line += f" (would be settled by {v['settle_with']})"
    for note in done.notes:
        line += f"; {note}"
    return line


def interactive_review(
    s: Any,
    *,
    reviewer: str,
    ask: Callable[[str], str],
) -> dict[str, int]:
    """Review the pending candidates one at a time; ``ask`` prompts and returns the answer.

    Keys: [a]ccept (asks for the statement; Enter takes the neutral template),
    [e]dit (FIELD=VALUE lines, an empty line ends), [r]eject, [s]kip, [q]uit.
    End of input quits. Returns how many were accepted, rejected and skipped.
    """
    from powerbalance.app.ingest import accept, parse_edits, pending, reject, review_view

    todo = pending(s)
    tally = {"accepted": 0, "rejected": 0, "skipped": 0}
    if not todo:
        console.print("No candidates wait for review.")
        return tally
    for n, c in enumerate(todo, 1):
        edits: dict[str, Any] = {}
        _show(c, f"[{n}/{len(todo)}] ")
        while True:
            try:
                key = ask("[a]ccept, [e]dit, [r]eject, [s]kip, [q]uit? ").strip().lower()[:1]
            except EOFError:
                key = "q"
            if key == "q":
                return tally
            if key == "s":
                tally["skipped"] += 1
                break
            if key == "r":
                reject(s, c.id, reviewer=reviewer)
                console.print(f"rejected {c.id}", highlight=False)
                tally["rejected"] += 1
                break
            if key == "e":
                console.print("FIELD=VALUE, one a line; an empty line ends.")
                while True:
                    try:
                        line = ask("edit> ").strip()
                    except EOFError:
                        line = ""
                    if not line:
                        break
                    try:
                        edits.update(parse_edits([line]))
                    except UserError as exc:
                        err_console.print(f"error: {escape(str(exc))}", highlight=False)
                console.print(f"edits: {escape(str(edits))}", highlight=False)
                continue
            if key == "a":
                view = review_view(c)
                field, template = view["statement_field"], view["template"]
                console.print(
                    f"Write the {field} in your own words (Enter takes this neutral start):\n"
                    f"  {escape(template)}",
                    highlight=False,
                )
                try:
                    text = ask(f"{field}> ").strip() or template
                except EOFError:
                    return tally
                try:
                    done = accept(s, c.id, reviewer=reviewer, statement=text, edits=edits)
                except UserError as exc:
                    err_console.print(f"error: {escape(str(exc))}", highlight=False)
                    continue
                console.print(escape(_accepted_line(done)), highlight=False)
                tally["accepted"] += 1
                break
            err_console.print("answer a, e, r, s or q")
    return tally


def _is_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@ingest_app.command("review")
def review(
    accept_id: str | None = typer.Option(
        None, "--accept", help="Accept this candidate (with --statement, and --set to edit)."
    ),
    statement: str | None = typer.Option(
        None,
        "--statement",
        help="The claim's statement (an event's summary, a stance's rationale) in your own words.",
    ),
    edits: list[str] = typer.Option(
        [],
        "--set",
        help="Change a field of the proposed record before accepting: FIELD=VALUE (repeatable).",
        show_default=False,
    ),
    reject_id: str | None = typer.Option(None, "--reject", help="Reject this candidate."),
    list_: bool = typer.Option(False, "--list", help="List the candidates waiting for review."),
    reviewer: str | None = typer.Option(
        None, "--reviewer", help="Who reviews (default: your login name).", show_default=False
    ),
    as_json: bool = JsonOption,
) -> None:
    """Review the candidates: list, accept (your own statement) or reject them.

    Without options, on a terminal, one candidate at a time: the sentence with
    the matched words highlighted, the proposed record, notes and flags.
    """
    from powerbalance.app.ingest import accept, parse_edits, pending, reject, review_view

    chosen = [name for name, on in (("--accept", accept_id), ("--reject", reject_id)) if on]
    if list_:
        chosen.append("--list")
    if len(chosen) > 1:
        raise UserError(f"give one of --accept, --reject and --list, not {' and '.join(chosen)}")
    if (statement is not None or edits) and accept_id is None:
        raise UserError("--statement and --set go with --accept ID")
    who = reviewer if reviewer is not None else default_reviewer()
    if list_:
        with store(read_only=True) as s:
            waiting = pending(s)
        if as_json:
            emit_json([review_view(c) for c in waiting])
            return
        if not waiting:
            console.print("No candidates wait for review.")
            return
        for c in waiting:
            _show(c)
        console.print(f"{len(waiting)} candidate(s) wait for review.")
        return
    if accept_id is not None:
        changes = parse_edits(edits)
        with store() as s:
            done = accept(s, accept_id, reviewer=who, statement=statement, edits=changes)
        if as_json:
            emit_json(done.to_dict())
        else:
            console.print(escape(_accepted_line(done)), highlight=False)
        return
    if reject_id is not None:
        with store() as s:
            rejected = reject(s, reject_id, reviewer=who)
        if as_json:
            emit_json(rejected.model_dump(mode="json", exclude_none=True))
        else:
            console.print(f"rejected {escape(rejected.id)}", highlight=False)
        return
    if as_json or not _is_terminal():
        raise UserError(
            "not on a terminal: pass --list, --accept ID --statement TEXT or --reject ID "
            "(or run `powerbalance ingest review` in a terminal to review one at a time)"
        )
    with store() as s:
        tally = interactive_review(s, reviewer=who, ask=input)
    console.print(
        f"{tally['accepted']} accepted, {tally['rejected']} rejected, {tally['skipped']} skipped."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(ingest_app, name="ingest")
