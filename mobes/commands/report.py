"""``mobes report``: the history as one HTML page (charts) or every event as CSV / JSON."""

from __future__ import annotations


def register(sub, name: str, summary: str) -> None:
    p = sub.add_parser(
        name, help=summary, description=summary[0].upper() + summary[1:] + ". The HTML page is one "
        "self-contained file (charts drawn inline, nothing fetched): open it in a browser, "
        "print it or send it.")
    p.add_argument("--format", choices=("html", "csv", "json"), default="html",
                   help="html (default): charts for people; csv, json: every event")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="same as --format json")
    p.add_argument("--since", metavar="DATE", help="from this day on (YYYY-MM-DD); "
                   "default: all history")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE (default: standard output)")
    p.set_defaults(func=run)


def _write(path: str | None, text: str) -> None:
    from mobes import bootstrap

    env = bootstrap.env()
    if path is None or path == "-":
        env.stdout.write(text)
        return
    import os

    from mobes.errors import MobesError

    target = os.path.abspath(os.path.expanduser(path))
    try:
        bootstrap.write_file(target, text, newline="", make_dirs=False)
    except OSError as e:
        raise MobesError(f"cannot write the report to {target}: {e.strerror or e}") from None
    env.stderr.write(f"mobes: report written to {target}\n")


def run(ns) -> int:
    from mobes import bootstrap
    from mobes.services.history import load, parse_since
    from mobes.ui import report

    settings = bootstrap.load_settings()
    tz = bootstrap.zone(settings)
    since = parse_since(ns.since, tz)
    now = bootstrap.now(settings)
    store = bootstrap.open_store()
    try:
        rows = load(store, since)
    finally:
        store.close()
    if ns.format == "html":
        text = report.html(rows, bootstrap.catalog_for(settings), tz, since, now)
    elif ns.format == "csv":
        text = report.csv_text(rows, since)
    else:
        text = report.json_text(rows, since, now, tz)
    _write(ns.output, text)
    return 0
