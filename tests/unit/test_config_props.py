"""Property tests: whatever a config file or flag holds, the loader either returns settings
or raises its own ConfigError (with file, key and expectation), never anything else."""

import copy
import datetime as dt
import os

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from mobes.adapters import tomlcompat
from mobes.config import (
    SECTIONS,
    ConfigError,
    display_key,
    leaf_keys,
    load,
    toml_key,
    toml_value,
)
from mobes.domain.settings import Settings

EXAMPLES = int(os.environ.get("MOBES_HYPOTHESIS_EXAMPLES", "150"))
COMMON = settings(max_examples=EXAMPLES, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])

KEYS = leaf_keys()
WORDS = [*KEYS, *SECTIONS, *(k for keys in SECTIONS.values() for k in keys), "sets",
         "movement", "locked", "team_config", "plan", "id", "reps", "hold_seconds", "name",
         "movements", "neck-circles", "desk-basics", "dose", "unit", "amount"]

scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=-5, max_value=130),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["local", "Europe/Berlin", "09:00-17:00", "30m", "rest-of-day", "gtk",
                     "neck", "neck-circles", "08:00", "monday", "", "../../etc/passwd"]),
    st.dates(),
    st.times(),
    st.datetimes(timezones=st.one_of(st.none(), st.just(dt.timezone.utc))),
)
toml_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), inner,
                        max_size=4)),
    max_leaves=12)


def write(path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def assert_config_error(e: ConfigError, path) -> None:
    assert e.problems
    for p in e.problems:
        assert p.file and p.key and p.expected
        text = str(p)
        assert text.startswith(f"{p.file}: {p.key}") and "expected " in text


@COMMON
@given(key=st.sampled_from(KEYS), value=toml_values)
def test_any_value_for_any_key(mobes_home, key, value):
    section, name = key.split(".")
    path = mobes_home / "random.toml"
    write(path, f"[{section}]\n{toml_key(name)} = {toml_value(value)}\n")
    try:
        loaded = load(user_file=str(path), team_file=None)
    except ConfigError as e:
        assert_config_error(e, path)
        assert all(p.file == str(path) for p in e.problems)
        # the key that was written is among those named (a value of a key's own type can
        # also break a rule between keys, but then that key is named too)
        assert any(p.key.startswith(display_key(key)) for p in e.problems), e.problems
        return
    assert isinstance(loaded.settings, Settings)
    assert loaded.origins[key] == f"user: {path}"


@COMMON
@given(overrides=st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=12)),
                                 toml_values, max_size=4))
def test_any_command_line_overrides(overrides):
    try:
        loaded = load(overrides, user_file=None, team_file=None)
    except ConfigError as e:
        assert all(p.file == "command line" for p in e.problems)
        return
    for key in overrides:
        assert loaded.origins[key] == "command line"


# Values inside a whole document stay small (a scalar, or a short list or table of them):
# the document's shape (sections, tables, arrays of tables, unknown keys) is what this
# strategy varies, and drawing big nested values for each of its keys made it the slowest
# test of the suite.
small_values = st.one_of(
    scalars,
    st.lists(scalars, max_size=3),
    st.dictionaries(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), scalars,
                    max_size=3))
documents = st.dictionaries(
    st.one_of(st.sampled_from(WORDS), st.text(max_size=8)),
    st.one_of(small_values,
              st.dictionaries(st.sampled_from(WORDS), small_values, max_size=5),
              st.lists(st.dictionaries(st.sampled_from(WORDS), small_values, max_size=6),
                       max_size=3)),
    max_size=6)


def render(doc: dict) -> str:
    """A TOML document: plain keys first, then tables and arrays of tables."""
    head, tail = [], []
    for k, v in doc.items():
        if isinstance(v, dict):
            tail.append(f"[{toml_key(k)}]")
            tail += [f"{toml_key(str(a))} = {toml_value(b)}" for a, b in v.items()]
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            for table in v:
                tail.append(f"[[{toml_key(k)}]]")
                tail += [f"{toml_key(str(a))} = {toml_value(b)}" for a, b in table.items()]
        else:
            head.append(f"{toml_key(k)} = {toml_value(v)}")
    return "\n".join(head + tail) + "\n"


@COMMON
@given(user=documents, team=documents)
@example(user={"rehab": {"plan": [{"name": "p", "movements": [{"id": "neck-circles",
                                                                  "reps": 30}]}]}}, team={})
@example(user={}, team={"locked": ["work"], "work": {"monday": []}})
def test_any_team_and_user_documents(mobes_home, user, team):
    upath, tpath = mobes_home / "user.toml", mobes_home / "team.toml"
    utext, ttext = render(user), render(team)
    try:  # the renderer itself may write something TOML rejects (e.g. a table twice)
        tomlcompat.loads(utext), tomlcompat.loads(ttext)
    except tomlcompat.TOMLDecodeError:
        assume(False)
    write(upath, utext)
    write(tpath, ttext)
    try:
        loaded = load(user_file=str(upath), team_file=str(tpath))
    except ConfigError as e:
        assert all(p.file in (str(upath), str(tpath)) for p in e.problems)
        assert_config_error(e, upath)
        return
    assert isinstance(loaded.settings, Settings)
    assert set(KEYS) <= set(loaded.origins)


@COMMON
@given(text=st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(["[", "]", "[[", "]]", "=", '"', "'", "\n", "microbreaks",
                              "interval_minutes", "15", "work", "monday", "[\"09:00-17:00\"]",
                              ".", ",", "{", "}", "#", "1979-05-27", "true", " ", "rehab",
                              "plan", "movement", "locked", "team_config", "inf"]),
             max_size=40).map("".join)))
def test_any_text(mobes_home, text):
    path = mobes_home / "random.toml"
    try:
        write(path, text)
    except UnicodeEncodeError:  # lone surrogates cannot be written as UTF-8
        assume(False)
    try:
        load(user_file=str(path), team_file=None)
    except ConfigError as e:
        assert all(p.file == str(path) for p in e.problems)


@COMMON
@given(data=st.binary(max_size=200))
def test_any_bytes(mobes_home, data):
    path = mobes_home / "random.toml"
    path.write_bytes(data)
    os.utime(path, ns=(10**18, 10**18))
    try:
        load(user_file=str(path), team_file=None)
    except ConfigError as e:
        assert all(p.file == str(path) for p in e.problems)


EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "config", "team.example.toml")
PLAN = {"name": "Hips", "sets": 2, "per_side": True, "times": ["07:30"], "days": ["monday"],
        "start_date": dt.date(2026, 11, 20), "trial_days": 3, "caregiver": False,
        "movements": [{"id": "iliopsoas-mobilization", "reps": 40},
                      {"id": "figure-four-stretch", "hold_seconds": 30, "holds": 3}]}


@st.composite
def mutated_documents(draw):
    """The example team file plus a plan, with one value somewhere replaced or removed."""
    with open(EXAMPLE, encoding="utf-8") as f:
        doc = tomlcompat.loads(f.read())
    doc["rehab"] = {"plan": [copy.deepcopy(PLAN)]}
    node = doc
    while True:
        keys = list(range(len(node))) if isinstance(node, list) else list(node)
        if not keys:
            break
        k = draw(st.sampled_from(keys))
        child = node[k]
        if isinstance(child, (dict, list)) and child and draw(st.booleans()):
            node = child
            continue
        action = draw(st.sampled_from(["replace", "delete", "rename"]))
        if action == "replace":
            node[k] = draw(toml_values)
        elif action == "delete":
            del node[k]
        elif isinstance(node, dict):
            node[draw(st.sampled_from(WORDS))] = node.pop(k)
        break
    return doc


@COMMON
@given(doc=mutated_documents(), as_user=st.booleans())
def test_mutated_example_documents(mobes_home, doc, as_user):
    path = mobes_home / "mutated.toml"
    if as_user:
        doc.pop("locked", None)  # only a team file may lock
    text = render(doc)
    try:
        tomlcompat.loads(text)
    except tomlcompat.TOMLDecodeError:
        assume(False)
    write(path, text)
    kwargs = {"user_file": str(path), "team_file": None} if as_user else {
        "user_file": None, "team_file": str(path)}
    try:
        loaded = load(**kwargs)
    except ConfigError as e:
        assert all(p.file == str(path) for p in e.problems)
        assert_config_error(e, path)
        return
    assert isinstance(loaded.settings, Settings)
