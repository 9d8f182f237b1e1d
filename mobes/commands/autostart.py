"""``mobes autostart enable|disable``: start the agent when you log in, or stop doing so.

The entry itself (where it lives on each platform, its text) is ``mobes.adapters.autostart``.
"""

from __future__ import annotations


def register(sub, name: str, summary: str) -> None:
    p = sub.add_parser(name, help=summary, description=summary.capitalize() + ".")
    p.add_argument("action", choices=("enable", "disable"),
                   help="enable: write the login entry; disable: remove it")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run)


def run(ns) -> int:
    from mobes import bootstrap
    from mobes.errors import MobesError

    env = bootstrap.env()
    try:
        path, changed = bootstrap.autostart(ns.action)
    except OSError as e:
        raise MobesError(f"could not {ns.action} autostart: {e}") from e
    if ns.json:
        from mobes.ui.output import print_json

        print_json({"action": ns.action, "path": path, "changed": changed}, env.stdout)
        return 0
    if ns.action == "enable":
        env.stdout.write(f"Wrote {path}\nmobes starts when you log in "
                         f"('mobes autostart disable' undoes it).\n")
    elif changed:
        env.stdout.write(f"Removed {path}\nmobes no longer starts when you log in.\n")
    else:
        env.stdout.write(f"Autostart was not enabled (no {path}).\n")
    return 0
