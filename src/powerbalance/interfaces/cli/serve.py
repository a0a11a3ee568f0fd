"""``powerbalance serve``: the local web dashboard."""

from __future__ import annotations

from pathlib import Path

import typer

from powerbalance.interfaces.cli._common import check_lang, console, err_console, state


def serve(
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help="Address to listen on. The default only accepts connections from this machine.",
    ),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    store_path: Path | None = typer.Option(
        None, "--store", help="The DuckDB store file (default: the global --store or its default)."
    ),
    write_token: str | None = typer.Option(
        None,
        "--write-token",
        envvar="POWERBALANCE_WRITE_TOKEN",
        help="Allow writes (adding claims, running scenarios) to whoever knows this token.",
        show_default=False,
    ),
    writable: bool = typer.Option(
        False, "--writable", help="Allow writes with a freshly generated token (printed at start)."
    ),
    allowed_hosts: list[str] = typer.Option(
        [],
        "--allowed-host",
        help=(
            "A host name or address clients use to reach the server (repeatable); "
            "requests naming any other Host are refused. Needed with --host 0.0.0.0."
        ),
        show_default=False,
    ),
    lang: str = typer.Option(
        "en",
        "--lang",
        callback=check_lang,
        help="Default language of the pages: en (English) or sv (Swedish).",
    ),
    events: Path | None = typer.Option(
        None,
        "--events",
        help="An event series written by `powerbalance events aggregate --out` for the Events page.",
        exists=True,
        dir_okay=False,
    ),
) -> None:
    """Serve the dashboard: triangle, dependence, evidence, datasets, events, bargaining, scenarios.

    Pages are read-only unless a write token is given (--write-token or
    --writable); the token is printed here and asked for once in the browser
    (on /unlock) or sent as `Authorization: Bearer TOKEN` to the JSON API
    under /api. Stop the server with Ctrl-C.
    """
    from powerbalance.interfaces.web import server
    from powerbalance.interfaces.web.app import create_app
    from powerbalance.interfaces.web.security import Settings, is_loopback, new_token

    if writable and write_token is None:
        write_token = new_token()
    settings = Settings(
        store_path=store_path or state.store_path,
        host=host,
        port=port,
        write_token=write_token,
        default_lang=lang,
        events_file=events,
        allowed_hosts=allowed_hosts or None,
    )
    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    console.print(f"powerbalance dashboard on [bold]http://{shown}:{port}/[/]")
    console.print(f"store: {app.state.ctx.gateway.path}")
    if settings.write_token:
        console.print(f"write token: [bold]{settings.write_token}[/] (enter it on /unlock)")
    else:
        console.print("read-only: pass --writable or --write-token TOKEN to allow writes")
    if not is_loopback(host):
        err_console.print(
            f"[bold yellow]warning:[/] listening on {host} makes the dashboard reachable from "
            "other machines; writes still need the token, but traffic is not encrypted"
        )
    server.run(app, settings)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
