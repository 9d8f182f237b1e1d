"""``mobes config``: write a starting config, check the layers, show the effective values."""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mobes.config import Loaded


def register(sub, name: str, summary: str) -> None:
    p = sub.add_parser(name, help=summary, description=summary.capitalize() + ".")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    p.set_defaults(func=lambda ns: _usage(p))

    init = actions.add_parser("init", help="write a commented user config file to edit",
                              description="Write a commented copy of the defaults to your "
                              "config file ('mobes config path' shows where).")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.set_defaults(func=run_init)

    check = actions.add_parser("check", help="validate the config files, listing every error",
                               description="Validate all layers (or just FILE) and list "
                               "every mistake. Exits 1 when there is one.")
    check.add_argument("file", nargs="?", metavar="FILE",
                       help="check this file as your user file (with --team: as a team file)")
    check.add_argument("--team", action="store_true", help="FILE is a team file")
    check.add_argument("--json", action="store_true", help="print JSON for scripts")
    check.set_defaults(func=run_check)

    show = actions.add_parser("show", help="print the effective settings",
                              description="Print the effective settings as TOML.")
    show.add_argument("--origin", action="store_true",
                      help="also show which layer (file) set each value")
    show.add_argument("--json", action="store_true",
                      help='print JSON: {key: {"value": ..., "origin": ...}}')
    show.set_defaults(func=run_show)

    path = actions.add_parser("path", help="print the config files mobes reads",
                              description="Print the default, team and user config files "
                              "and whether they exist.")
    path.add_argument("--json", action="store_true", help="print JSON for scripts")
    path.set_defaults(func=run_path)


def _usage(parser) -> int:
    from mobes import bootstrap

    parser.print_help(bootstrap.env().stderr)
    return 2


def run_init(ns) -> int:
    from mobes import bootstrap
    from mobes.config import user_file_template
    from mobes.errors import MobesError, UsageError

    env = bootstrap.env()
    target = env.paths.user_config_file()
    if os.path.lexists(target) and not ns.force:
        raise UsageError(f"{target} already exists; edit it, or run 'mobes config init "
                         "--force' to replace it with a fresh copy of the defaults")
    if os.path.isdir(target):
        raise UsageError(f"{target} is a directory")
    text = user_file_template()
    try:
        bootstrap.write_file(target, text)
    except OSError as e:
        raise MobesError(f"cannot write {target}: {e.strerror or e}") from None
    env.stdout.write(f"Wrote {target}\nEvery setting is commented out: uncomment and edit "
                     "the ones you want, then run 'mobes config check'.\n")
    return 0


def run_check(ns) -> int:
    from mobes import bootstrap
    from mobes.config import DISCOVER, ConfigError, load
    from mobes.errors import UsageError
    from mobes.ui.output import print_json

    env = bootstrap.env()
    if ns.team and not ns.file:
        raise UsageError("--team needs a FILE to check")
    kwargs: dict = {}
    if ns.file:
        kwargs = {"user_file": None, "team_file": ns.file} if ns.team else {
            "user_file": ns.file, "team_file": DISCOVER}
    try:
        loaded = load(environ=env.environ, **kwargs)
    except ConfigError as e:
        if ns.json:
            print_json({"ok": False, "files": e.files,
                        "problems": [p.as_dict() for p in e.problems], "warnings": []}, env.stdout)
            return 1
        for p in e.problems:
            env.stdout.write(f"{p}\n")
        n = len(e.problems)
        env.stdout.write(f"{n} problem{'s' if n != 1 else ''} found.\n")
        return 1
    if ns.json:
        print_json({"ok": True, "files": loaded.files, "problems": [],
                    "warnings": loaded.warnings}, env.stdout)
        return 0
    for w in loaded.warnings:
        env.stdout.write(f"warning: {w}\n")
    layers = ", ".join(f"{k} ({p})" if k != "default" else k for k, p in loaded.files.items())
    env.stdout.write(f"ok: {layers}\n")
    return 0


def render(loaded: Loaded, origin: bool = False) -> str:
    """The effective settings as TOML, each line optionally followed by its origin."""
    from mobes.config import SECTIONS, toml_key, toml_value

    rows: list[tuple[str, str | None]] = []  # (line, origin)

    def add(line: str, where: str | None = None) -> None:
        rows.append((line, where))

    values, origins = loaded.values, loaded.origins
    if "locked" in values:
        add(f"locked = {toml_value(values['locked'])}", origins["locked"])
    for section, keys in SECTIONS.items():
        if rows:
            add("")
        add(f"[{section}]")
        for key in keys:
            path = f"{section}.{key}"
            add(f"{key} = {toml_value(values[path])}", origins[path])
        if section == "rehab":
            for path, table in values.items():
                if path.startswith("rehab.plan."):
                    add("")
                    add("[[rehab.plan]]", origins[path])
                    for k, v in table.items():
                        add(f"{toml_key(k)} = {toml_value(v)}", origins[path])
    sets = [p for p in values if p.startswith("sets.")]
    add("")
    add("[sets]")
    for path in sets:
        add(f"{toml_key(path[5:])} = {toml_value(values[path])}", origins[path])
    for path, raw in values.items():
        if path.startswith("movement."):
            add("")
            add("[[movement]]", origins[path])
            for k, v in raw.items():
                add(f"{toml_key(k)} = {toml_value(v)}", origins[path])
    if not origin:
        return "\n".join(line for line, _ in rows) + "\n"
    width = min(60, max((len(line) for line, w in rows if w), default=0))
    out = []
    for line, where in rows:
        out.append(f"{line:<{width}}  # {where}" if where else line)
    return "\n".join(out) + "\n"


def run_show(ns) -> int:
    from mobes import bootstrap
    from mobes.ui.output import print_json

    env = bootstrap.env()
    loaded = bootstrap.load_config()
    if ns.json:
        print_json({k: {"value": v, "origin": loaded.origins[k]}
                    for k, v in loaded.values.items()}, env.stdout)
        return 0
    env.stdout.write(render(loaded, origin=ns.origin))
    return 0


def layer_paths(env) -> dict:
    """Where each layer's file is (whether or not it exists) and what named the team file,
    under ``env`` (a ``mobes.env.Env``)."""
    from mobes.config import default_file, read_layer_file, team_file_setting
    from mobes.config.problems import _Collector

    user = os.path.abspath(env.paths.user_config_file())
    doc = read_layer_file(user, _Collector()) if os.path.isfile(user) else None
    team, named_by, raw = team_file_setting(doc, user, env.environ)
    if named_by and team is None:
        team = raw
    info = {
        "default": {"path": default_file(), "exists": os.path.isfile(default_file()),
                    "note": "built in"},
        "team": {"path": team, "exists": bool(team) and os.path.isfile(str(team)),
                 "note": f"named by {named_by}" if named_by else
                 "none: set team_config in your file or MOBES_TEAM_CONFIG"},
        "user": {"path": user, "exists": os.path.isfile(user),
                 "note": "MOBES_CONFIG" if env.environ.get("MOBES_CONFIG") else
                 "MOBES_HOME" if env.home else "platform config folder"},
    }
    return info


def run_path(ns) -> int:
    from mobes import bootstrap
    from mobes.ui.output import print_json

    env = bootstrap.env()
    info = layer_paths(env)
    if ns.json:
        print_json(info, env.stdout)
        return 0
    for kind, item in info.items():
        if item["path"] is None:
            env.stdout.write(f"{kind:<8} ({item['note']})\n")
            continue
        state = "exists" if item["exists"] else "missing"
        if kind == "user" and not item["exists"]:
            state += ": 'mobes config init' writes one"
        env.stdout.write(f"{kind:<8} {item['path']}  ({state}; {item['note']})\n")
    return 0
