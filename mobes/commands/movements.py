"""``mobes movements``: list the catalog, show one movement in full, draw its figure."""

from __future__ import annotations

from mobes.domain.model import KINDS, REGIONS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mobes.domain.catalog import Catalog
    from mobes.domain.model import Movement


def register(sub, name: str, summary: str) -> None:
    p = sub.add_parser(name, help=summary, description=summary.capitalize() + ".")
    p.add_argument("--desk", action="store_true", help="only desk-friendly movements")
    p.add_argument("--region", choices=REGIONS, metavar="REGION",
                   help="only movements for this region: " + ", ".join(REGIONS))
    p.add_argument("--kind", choices=KINDS, metavar="KIND", help="only " + " | ".join(KINDS))
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run_list)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    show = actions.add_parser("show", help="full instructions, dose and cautions for one movement")
    show.add_argument("id", help="movement id, name or alias")
    show.add_argument("--json", action="store_true", help="print JSON for scripts")
    show.set_defaults(func=run_show)
    fig = actions.add_parser(
        "figure", help="the movement's figure as an SVG file: animated, or --static",
        description="Write the movement's figure as one self-contained SVG file: an animated "
        "figure looping one repetition at its tempo (readers who ask for reduced motion see "
        "the key poses), or with --static a strip of its key poses for print. Open it in a "
        "browser.")
    fig.add_argument("id", help="movement id, name or alias")
    fig.add_argument("-o", "--output", metavar="FILE", required=True,
                     help="the SVG file to write ('-' for standard output)")
    fig.add_argument("--static", action="store_true",
                     help="the key poses side by side, without animation")
    fig.add_argument("--side", choices=("left", "right"),
                     help="draw this side (default: the side the figure shows first)")
    fig.add_argument("--json", action="store_true",
                     help="say what was written as JSON (with -o FILE)")
    fig.set_defaults(func=run_figure)
    enable = actions.add_parser("enable", help="bring back a movement retired (or resting) "
                                               "after pain")
    enable.add_argument("id", help="movement id, name or alias")
    enable.add_argument("--json", action="store_true", help="print JSON for scripts")
    enable.set_defaults(func=run_enable)


def _context():
    from mobes import bootstrap

    settings = bootstrap.load_settings()
    return settings, bootstrap.catalog_for(settings)


def bootstrap_env():
    from mobes import bootstrap

    return bootstrap.env()


def find_or_fail(catalog, term: str):
    """The movement named ``term``, or a UsageError with 'did you mean' ids."""
    from mobes.errors import UsageError

    m = catalog.find(term)
    if m is None:
        close = catalog.suggest(term)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        raise UsageError(f"no movement {term!r}{hint}. List them with 'mobes movements'.")
    return m


def run_list(ns) -> int:
    from mobes.ui.output import print_json, table, terminal_width

    env = bootstrap_env()
    _, catalog = _context()
    items = catalog.filter(desk=ns.desk, region=ns.region, kind=ns.kind)
    if ns.json:
        print_json([m.as_dict() for m in items], env.stdout)
        return 0
    if not items:
        env.stdout.write("No movements match those filters.\n")
        return 0
    rows = [
        (m.id, m.kind, "yes" if m.desk_friendly else "", m.dose.describe(), ", ".join(m.regions))
        for m in items
    ]
    width = terminal_width(env.stdout, env.environ) if env.stdout.isatty() else 0
    env.stdout.write(table(("id", "kind", "desk", "microbreak dose", "regions"), rows,
                           max_width=width))
    env.stdout.write(f"{len(items)} movements. 'mobes movements show ID' for instructions.\n")
    return 0


NEEDS_WORDS = {"mat": "a mat or floor space", "room-to-travel": "room to walk a few steps",
               "empty-stomach": "an empty stomach (mornings only)"}


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def rehab_line(m: Movement) -> str:
    """The rehab dose in words: the method's range for a mobilization, or the catalog's
    programme (and whether it is a clinic's prescription)."""
    from mobes.domain.dosing import MOBILIZATION_REPS, is_mobilization_set

    d = m.dose
    sets = f"{d.sets} set{'s' if d.sets > 1 else ''} {_times(d.per_day)} a day"
    if d.prescribed:
        text = f"as the clinic's programme prescribes: {d.describe_set(d.target)}, {sets}"
        if is_mobilization_set(m):
            lo, hi = MOBILIZATION_REPS
            text += (f" (kept in a prescribed plan; a mobes plan uses {lo}-{hi} reps a set"
                     f"{' each direction' if d.directions == 2 else ''})")
        return text
    if is_mobilization_set(m):
        lo, hi = MOBILIZATION_REPS
        each = " each direction" if d.directions == 2 else ""
        return (f"{d.describe_set(d.target)}, {lo}-{hi} reps a set{each}, 1-3 sets a day "
                f"in one sitting")
    return f"{d.describe_set(d.target)}, {sets} (bounds {d.floor}-{d.max} {d.unit})"


def describe(m: Movement, catalog: Catalog | None = None) -> str:
    """The full, readable page for one movement (sources named by their titles when the
    catalog knows them)."""
    d = m.dose
    where = f"; needs {', '.join(m.equipment)}" if m.equipment else ""
    if m.optional_equipment:
        where += f"; a variant uses {', '.join(m.optional_equipment)}"
    needs = [NEEDS_WORDS.get(n, n) for n in m.needs]
    if m.desk_friendly:
        desk, micro = "yes", d.describe(d.amount)
    else:
        why = []
        if m.helper:
            why.append("needs a helper")
        if needs:
            why.append("needs " + " and ".join(needs))
        from mobes.domain.model import DESK_EQUIPMENT, DESK_POSITIONS

        if not DESK_POSITIONS.intersection(m.position):
            why.append("done " + " or ".join(m.position))
        extra = [e for e in m.equipment if e not in DESK_EQUIPMENT]
        if extra:
            why.append("needs " + " and ".join(extra))
        desk, micro = "no (" + "; ".join(why) + ")", "not offered at a desk"
    lines = [
        f"{m.name}  ({m.id})",
        "=" * (len(m.name) + len(m.id) + 4),
        f"Cue:        {m.cue}",
        f"Easier:     {m.easier}",
        f"Caution:    {m.caution_short} {m.pain_rule}",
        f"Kind:       {m.kind}" + ("  (a helper moves the limb)" if m.helper else ""),
        f"Regions:    {', '.join(m.regions)}",
        f"Position:   {', '.join(m.position)}{where}",
        f"Desk:       {desk}",
        f"Microbreak: {micro}",
        f"Rehab:      {rehab_line(m)}",
    ]
    if m.aliases:
        lines.append(f"Also called: {', '.join(m.aliases)}")
    lines += ["", "Steps:"] + [f"  {i}. {s}" for i, s in enumerate(m.steps, 1)]
    if m.cautions:
        lines += ["", "Cautions:"] + [f"  - {c}" for c in m.cautions]
    if m.good_for:
        lines += ["", f"Good for: {', '.join(m.good_for)}"]
    if m.source:
        titles = [catalog.source_title(x) if catalog is not None else x for x in m.source]
        lines += [f"Source: {'; '.join(titles)}" + ("" if m.origin == "built-in"
                                                    else f" ({m.origin})")]
    return "\n".join(lines) + "\n"


def figure_line(m, has_figure: bool) -> str:
    """Where to see the movement move (or that it is text only)."""
    if has_figure:
        return (f"Figure:     mobes movements figure {m.id} -o {m.id}.svg  (animated; "
                "--static for print)")
    return ("Figure:     none: this team movement has no [movement.figure] table, so it is "
            "shown as text only")


def run_show(ns) -> int:
    from mobes import bootstrap
    from mobes.ui.output import print_json

    env = bootstrap_env()
    _, catalog = _context()
    m = find_or_fail(catalog, ns.id)
    has_figure = bootstrap.figure_for(m) is not None
    if ns.json:
        d = dict(m.as_dict(), sources=[{"id": x, "title": catalog.source_title(x)}
                                       for x in m.source])
        d["figure"] = f"mobes movements figure {m.id} -o {m.id}.svg" if has_figure else None
        print_json(d, env.stdout)
    else:
        text = describe(m, catalog)
        head, _, rest = text.partition("\nSteps:")
        env.stdout.write(head.rstrip("\n") + "\n" + figure_line(m, has_figure) + "\n\nSteps:"
                         + rest)
    return 0


def run_figure(ns) -> int:
    """Write the figure of one movement as SVG (a file, or standard output with -o -)."""
    from mobes import bootstrap
    from mobes.errors import MobesError, UsageError
    from mobes.ui import figure_svg
    from mobes.ui.output import print_json

    env = bootstrap_env()
    _, catalog = _context()
    m = find_or_fail(catalog, ns.id)
    fig = bootstrap.figure_for(m)
    if fig is None:
        raise MobesError(f"{m.name} has no figure: it is a team movement without a "
                         f"[movement.figure] table, so it is shown as text only "
                         f"('mobes movements show {m.id}').")
    if ns.side and fig.side == "both":
        raise UsageError(f"{m.name} moves both sides together; --side does not apply.")
    if ns.json and ns.output == "-":
        raise UsageError("--json says what was written to a file; with -o - the SVG itself "
                         "goes to standard output.")
    svg = figure_svg.render(fig, m.name, static=ns.static, hold=figure_svg.hold_text(m),
                            side=ns.side)
    if ns.output == "-":
        env.stdout.write(svg)
        return 0
    import os

    target = os.path.abspath(os.path.expanduser(ns.output))
    try:
        bootstrap.write_file(target, svg, make_dirs=False)
    except OSError as e:
        raise MobesError(f"cannot write the figure to {target}: {e.strerror or e}") from None
    kind = "key poses" if ns.static else "animated figure"
    side = ns.side or (fig.shown_side if fig.side != "both" else "both sides")
    if ns.json:
        print_json({"movement": m.id, "file": target, "static": ns.static, "side": side,
                    "bytes": len(svg.encode())}, env.stdout)
    else:
        env.stdout.write(f"{m.name}: {kind} ({side}) written to {target}; open it in a "
                         "browser.\n")
    return 0


def run_enable(ns) -> int:
    from mobes import bootstrap
    from mobes.services import feedback as fb
    from mobes.ui.output import print_json

    env = bootstrap.env()
    settings, catalog = _context()
    m = find_or_fail(catalog, ns.id)
    store = bootstrap.open_store()
    try:
        change = fb.enable(store, m.id, bootstrap.now(settings))
    finally:
        store.close()
    if ns.json:
        print_json({"movement": m.id, "enabled": change is not None, "change": change},
                   env.stdout)
    elif change is None:
        env.stdout.write(f"{m.name} is neither retired nor resting: nothing to do.\n")
    else:
        env.stdout.write(f"{m.name} is back in microbreaks and batches. Start small; "
                         f"'mobes why {m.id}' shows its doses.\n")
    return 0
