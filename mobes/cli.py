"""Command line: ``main(argv, env) -> exit code``.

``env`` (a ``mobes.env.Env``, default the real one) holds the streams, the environment
variables and the clock of the run; everything the command prints goes to its streams.

Start-up is kept small: ``mobes --help`` and ``--version`` print from the table below
without importing argparse; each subcommand lives in ``mobes.commands.<module>`` and
imports what it needs only when it runs.
"""

from __future__ import annotations

from mobes import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mobes.env import Env

# (command, module in mobes.commands, one-line summary). Order is the help's order.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("run", "run", "start the agent: tray icon and prompts during working hours"),
    ("now", "now", "show the next microbreak: movement, dose and cue"),
    ("next", "next", "when the next microbreak comes, what it will be and why"),
    ("preview", "preview", "the coming days' microbreaks: times, movements and doses"),
    ("movements", "movements", "list movements, show one, or re-enable a retired one"),
    ("batch", "batch", "guide a rehab batch: paced reps, holds, rests and feedback"),
    ("feedback", "feedback", "tell mobes how a movement felt; its dose adapts"),
    ("why", "why", "show a movement's doses and every change with its reason"),
    ("plan", "plan", "add, list or retire rehab plans; answer the trial check-in"),
    ("stats", "stats", "adherence, reps, regions, rehab batches and streak, with a heat map"),
    ("report", "report", "write a report for yourself or a therapist: HTML, CSV or JSON"),
    ("log", "log", "what happened, event by event, including prompts held back and why"),
    ("config", "config", "write, check and show the layered config (defaults, team, user)"),
    ("autostart", "autostart", "start the agent at login, or stop doing so"),
)

DESCRIPTION = (
    "mobes prompts short, rotating joint mobilizations during your working hours and\n"
    "guides concentrated daily rehab batches whose dose follows how movements feel."
)


def _top_help() -> str:
    width = max(len(c[0]) for c in COMMANDS) + 2
    lines = [
        "usage: mobes [-h] [--version] COMMAND ...",
        "",
        DESCRIPTION,
        "",
        "commands:",
        *(f"  {name:<{width}}{summary}" for name, _, summary in COMMANDS),
        "",
        "options:",
        "  -h, --help  show this help and exit",
        "  --version   show the version and exit",
        "",
        "Run 'mobes COMMAND --help' for a command's options. Files live under $MOBES_HOME",
        "when it is set, else in your platform's config and data folders.",
    ]
    return "\n".join(lines) + "\n"


def _all_options(parser) -> list[str]:
    """Every option string of a parser and its subcommands (for 'did you mean')."""
    opts: list[str] = []
    for action in parser._actions:
        opts.extend(action.option_strings)
        choices = getattr(action, "choices", None)
        for child in choices.values() if isinstance(choices, dict) else ():
            if hasattr(child, "_actions"):
                opts.extend(_all_options(child))
    return list(dict.fromkeys(opts))


def build_parser(env: Env | None = None):
    """The full argparse parser (imported only when a subcommand runs); its help, usage and
    errors go to ``env``'s streams (default: the real ones)."""
    import argparse
    import importlib

    from mobes.errors import did_you_mean

    if env is None:
        from mobes.env import Env

        env = Env.real()
    out, err = env.stdout, env.stderr

    class Version(argparse.Action):
        def __init__(self, option_strings, dest, **kwargs):
            super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                             help="show the version and exit")

        def __call__(self, parser, namespace, values, option_string=None):
            out.write(f"mobes {__version__}\n")
            parser.exit()

    class Parser(argparse.ArgumentParser):
        def print_help(self, file=None):
            super().print_help(file or out)

        def print_usage(self, file=None):
            super().print_usage(file or out)

        def exit(self, status: int = 0, message: str | None = None):
            if message:
                err.write(message)
            raise SystemExit(status)

        def error(self, message: str):  # exit 2 with a hint instead of argparse's usage dump
            hint = ""
            if "invalid choice:" in message:
                bad = message.split("invalid choice:", 1)[1].split("(")[0].strip().strip("'\"")
                choices = [a.dest for a in self._actions] + [
                    c for a in self._actions if getattr(a, "choices", None) for c in a.choices
                ]
                hint = did_you_mean(bad, choices)
            elif "unrecognized arguments:" in message:
                bad = message.split("unrecognized arguments:", 1)[1].split()[0]
                hint = did_you_mean(bad, _all_options(self))
            self.print_usage(err)
            self.exit(2, f"{self.prog}: error: {message}{hint}\n")

    parser = Parser(prog="mobes", description=DESCRIPTION,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action=Version)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, module, summary in COMMANDS:
        mod = importlib.import_module(f"mobes.commands.{module}")
        mod.register(sub, name, summary)
    return parser


def _quick_namespace(args: list[str]):
    """Skip argparse (about 1.3x a bare interpreter's start-up here) for the commands that
    must start fast. A command module opts in with ``QUICK_FLAGS``, a tuple of boolean flags;
    when every argument after the command is one of them, its ``run`` gets a namespace with
    each flag's dest set. Anything else (other flags, ``--help``, typos) goes to argparse.
    """
    module = next((m for name, m, _ in COMMANDS if name == args[0]), None)
    if module is None:
        return None
    import importlib

    mod = importlib.import_module(f"mobes.commands.{module}")
    flags = getattr(mod, "QUICK_FLAGS", None)
    if flags is None or not set(args[1:]) <= set(flags):
        return None
    from types import SimpleNamespace

    values = {f.lstrip("-").replace("-", "_"): f in args[1:] for f in flags}
    return SimpleNamespace(command=args[0], func=mod.run, **values)


def main(argv: list[str] | None = None, env: Env | None = None) -> int:
    """Run ``mobes ARGV`` (default: this process's arguments) in ``env`` (default: the
    real streams, environment and clock); returns the exit status."""
    if env is None:
        from mobes.env import Env

        env = Env.real()
    if argv is None:
        import sys

        argv = sys.argv[1:]
    args = list(argv)
    if not args or args[0] in ("-h", "--help"):
        env.stdout.write(_top_help())
        return 0
    if args[0] == "--version":
        env.stdout.write(f"mobes {__version__}\n")
        return 0
    from mobes import bootstrap

    previous = bootstrap.install(env)
    try:
        return _run(args, env)
    finally:
        bootstrap.install(previous)


def _run(args: list[str], env: Env) -> int:
    from mobes.errors import MobesError

    ns = _quick_namespace(args)
    if ns is None:
        parser = build_parser(env)
        try:
            ns = parser.parse_args(args)
        except SystemExit as e:  # argparse's own exits (help, usage errors)
            return int(e.code or 0) if not isinstance(e.code, str) else 2
    func = getattr(ns, "func", None)
    if func is None:
        env.stdout.write(_top_help())
        return 2
    try:
        return int(func(ns) or 0)
    except MobesError as e:
        env.stderr.write(f"mobes: error: {e}\n")
        return e.code
    except KeyboardInterrupt:
        env.stderr.write("\nmobes: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug: one line for the user, the traceback on request
        if env.environ.get("MOBES_DEBUG"):
            raise
        env.stderr.write(f"mobes: internal error: {type(e).__name__}: {e}\n"
                         "Run again with MOBES_DEBUG=1 to see the traceback.\n")
        return 70


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.exit(main())
