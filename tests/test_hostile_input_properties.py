"""Generated and mutated card sets, thousands of them: validating and building either works or fails with our
error type and one-line messages; nothing else ever escapes (no crash, no traceback for a trainer to read).

Examples are cheap on purpose: small files, validated in-process, built only when they validate (a build is
most of an example's time): the 3,000 examples take under a minute on two cores. HOSTILE_EXAMPLES_SCALE=10 runs
ten times as many, for a deeper search before a release.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.errors import ExporterError, Problem
from exporter.pipeline.build import build
from exporter.pipeline.checked_stream import Checked, check
from tests.support import VALID

SCALE = float(os.environ.get("HOSTILE_EXAMPLES_SCALE", "1"))
MUTATED_EXAMPLES = int(2000 * SCALE)
GENERATED_EXAMPLES = int(1000 * SCALE)
pytestmark = pytest.mark.slow

VALID_FILES = {path.name: path.read_bytes() for path in sorted(VALID.glob("*.yaml"))}
KEYS = (
    "id",
    "kind",
    "term",
    "expansion",
    "explanation",
    "question",
    "answer",
    "extra",
    "text",
    "source",
    "slide",
    "section",
    "outcomes",
    "tags",
    "status",
    "reviewed_by",
    "reviewed_on",
    "subdeck",
    "cards",
    "title",
    "version",
    "description",
    "document",
    "LO1",
    "LO2",
)
# Pieces that YAML, HTML, Markdown, cloze syntax or Anki treat specially, and bytes that are not text at all.
TOKENS = [
    b":",
    b": ",
    b"- ",
    b"-",
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b"&a ",
    b"*a",
    b"&a [x, x, x]",
    b"!!python/object:os.system ",
    b"!x ",
    b"!!binary ",
    b"!!set ",
    b"<<: ",
    b"|",
    b">-",
    b"'",
    b'"',
    b"%YAML 1.1\n",
    b"@",
    b"`",
    b"#",
    b"? ",
    b"\t",
    b"\n",
    b"\r\n",
    b"\r",
    b"\x00",
    b"\x07",
    b"\x1b[31m",
    b"\x7f",
    b"\x85",
    b"\xff",
    b"\xfe",
    b"\xc3",
    b"\xc3\xa9",
    b"\xe2\x80\xa8",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"---\n",
    b"...\n",
    b"~",
    b"null",
    b"no",
    b"1.10",
    b"{{c1::",
    b"}}",
    b"{{c0::x}}",
    b"{{c501::x}}",
    b"{{c1::a {{c2::b}} }}",
    b"::",
    b":::",
    b"a::b",
    b"<script>alert(1)</script>",
    b"<img src=x onerror=alert(1)>",
    b'<img src="//evil.example/x.png">',
    b'<img src="maps/x.png">',
    b"[sound:x.mp3]",
    b"[x](javascript:alert(1))",
    b"![x](http://evil.example/x.png)",
    b"<!-- x -->",
    b"<b",
    b"<scr<script>ipt>",
    b"&#106;avascript:",
    b"# ",
    b"* ",
    b"1. ",
    b"\\",
    b"\\x1f",
    b"\\u2028",
    b"\\ud800",
    b"9" * 40,
    b"[" * 50,
    b"{a: " * 20,
    b"- " * 30,
    b"  ",
    b"    ",
    b"x" * 300,
]


@st.composite
def mutated_card_set(draw: st.DrawFn) -> dict[str, bytes]:
    """The small valid card set with a few mutations of bytes, lines, keys and values in its files."""
    files = dict(VALID_FILES)
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(files)))
        files[name] = draw(st.sampled_from(_MUTATIONS))(draw, files[name])
    return files


def _insert(draw: st.DrawFn, data: bytes) -> bytes:
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(st.sampled_from(TOKENS)) + data[at:]


def _overwrite(draw: st.DrawFn, data: bytes) -> bytes:
    at = draw(st.integers(0, len(data)))
    length = draw(st.integers(0, 20))
    return data[:at] + draw(st.one_of(st.sampled_from(TOKENS), st.binary(max_size=8))) + data[at + length :]


def _delete(draw: st.DrawFn, data: bytes) -> bytes:
    at = draw(st.integers(0, len(data)))
    return data[:at] + data[at + draw(st.integers(1, 40)) :]


def _line_operation(draw: st.DrawFn, data: bytes) -> bytes:
    lines = data.split(b"\n")
    at = draw(st.integers(0, len(lines) - 1))
    operation = draw(st.sampled_from(("duplicate", "delete", "swap", "indent", "dedent", "truncate")))
    if operation == "duplicate":
        lines.insert(at, lines[at])
    elif operation == "delete":
        del lines[at]
    elif operation == "swap":
        other = draw(st.integers(0, len(lines) - 1))
        lines[at], lines[other] = lines[other], lines[at]
    elif operation == "indent":
        lines[at] = b" " * draw(st.integers(1, 3)) + lines[at]
    elif operation == "dedent":
        lines[at] = lines[at][draw(st.integers(1, 3)) :]
    else:
        return b"\n".join(lines[:at])
    return b"\n".join(lines)


def _rename_key(draw: st.DrawFn, data: bytes) -> bytes:
    keys = [match for match in re.finditer(rb"(?m)^[ -]*([A-Za-z_0-9]+):", data)]
    if not keys:
        return data
    key = draw(st.sampled_from(keys))
    new = draw(st.one_of(st.sampled_from(KEYS), st.text("abcdefghijklmnopqrstuvwxyz_<", max_size=8)))
    return data[: key.start(1)] + new.encode() + data[key.end(1) :]


def _replace_value(draw: st.DrawFn, data: bytes) -> bytes:
    values = [match for match in re.finditer(rb"(?m): (.+)$", data)]
    if not values:
        return data
    value = draw(st.sampled_from(values))
    new = draw(
        st.one_of(
            st.sampled_from(TOKENS),
            st.binary(max_size=12),
            st.text(max_size=30).map(lambda text: text.encode("utf-8", "surrogatepass")),
        )
    )
    return data[: value.start(1)] + new + data[value.end(1) :]


_MUTATIONS = [_insert, _overwrite, _delete, _line_operation, _rename_key, _replace_value]

# Text a card may hold: any printable characters (YAML refuses controls), Markdown, HTML (attacks included: the
# sanitizer removes them with a warning), cloze braces, accents, right-to-left scripts.
_CHARACTERS = st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp"))
_TEXT = st.one_of(
    st.text(_CHARACTERS, min_size=1, max_size=40),
    st.sampled_from(
        [
            "Who leads the UNCT?",
            "no",
            "1.10",
            "Médecins Sans Frontières",
            "قوات حفظ السلام",
            "*emphasis* and **strong**",
            "- health\n- shelter",
            "1. assess\n2. plan",
            "line\nbreak",
            "<b>bold</b> <i>it</i>",
            "x < y & z",
            "a {{ b }} c",
            '<img src="maps/x.png">',
            "<script>alert(1)</script> text",
            "text <img src=x onerror=alert(1)>",
            "[x](http://evil.example)",
            "<!-- note --> text",
            "` code `",
            "# heading",
            "> quote",
            "x" * 500,
        ]
    ),
).filter(lambda text: text.strip() != "")
_WORD = st.lists(
    st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6), min_size=1, max_size=3
).map("-".join)
_SUBDECK = st.one_of(
    st.lists(
        st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzéç ", min_size=1, max_size=10).filter(
            lambda part: part == part.strip() != ""
        ),
        min_size=1,
        max_size=3,
    ).map("::".join),
    st.sampled_from(["Acronyms", "Principes humanitaires", "UN::Agencies"]),
)
_CLOZE = st.builds(
    lambda before, hidden, after, hint: f"{before} {{{{c1::{hidden}{hint}}}}} {after}",
    _TEXT.filter(lambda text: "{{" not in text and "}}" not in text),
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp"), blacklist_characters="{}:"),
        min_size=1,
        max_size=20,
    ).filter(lambda text: text.strip() != ""),
    _TEXT.filter(lambda text: "{{" not in text and "}}" not in text),
    st.sampled_from(["", "::hint"]),
)
_ANY_VALUE = st.recursive(
    st.one_of(_TEXT, st.text(max_size=20), st.integers(), st.booleans(), st.none(), st.floats()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)
    ),
    max_leaves=6,
)
_FIELDS = {
    "acronym": ("term", "expansion", "explanation"),
    "basic": ("question", "answer", "extra"),
    "cloze": ("text", "extra"),
}


@st.composite
def _card(draw: st.DrawFn, index: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(_FIELDS)))
    card: dict[str, Any] = {"id": f"{draw(_WORD)}-{index}", "kind": kind}
    for position, name in enumerate(_FIELDS[kind]):
        if position < len(_FIELDS[kind]) - 1 or draw(st.booleans()):
            card[name] = draw(_CLOZE if name == "text" else _TEXT)
    card["source"] = draw(st.fixed_dictionaries({"slide": st.integers(1, 99)}, optional={"section": _TEXT}))
    if draw(st.booleans()):
        card["outcomes"] = draw(st.lists(st.sampled_from(["LO1", "LO2"]), max_size=2, unique=True))
    if draw(st.booleans()):
        card["tags"] = draw(st.lists(st.one_of(_WORD, st.just("a::b")), max_size=3))
    if draw(st.booleans()):
        card.update(status="approved", reviewed_by=draw(_TEXT), reviewed_on="2026-11-20")
    return card


@st.composite
def structured_card_set(draw: st.DrawFn) -> dict[str, bytes]:
    """A deck file and topic files built as data, well formed, then broken in up to two places, written as YAML."""
    deck: dict[str, Any] = {
        "id": "test-deck",
        "title": draw(st.one_of(st.just("Test Deck"), _SUBDECK)),
        "version": "1.0.0",
        "description": draw(_TEXT),
        "outcomes": {"LO1": "Explain", "LO2": draw(_TEXT)},
    }
    topics = [
        {
            "subdeck": draw(_SUBDECK),
            "tags": draw(st.lists(_WORD, max_size=2)),
            "cards": [draw(_card(number * 10 + index)) for index in range(draw(st.integers(1, 4)))],
        }
        for number in range(draw(st.integers(1, 2)))
    ]
    mappings = [deck, *topics, *[card for topic in topics for card in topic["cards"]]]
    for _ in range(draw(st.sampled_from([0, 1, 1, 2]))):
        _break(draw, draw(st.sampled_from(mappings)))
    flow = draw(st.booleans())
    files = {"deck.yaml": deck} | {f"{number:02d}-topic.yaml": topic for number, topic in enumerate(topics)}
    return {
        name: yaml.safe_dump(
            data,
            allow_unicode=draw(st.booleans()),
            default_flow_style=flow,
            sort_keys=False,
            width=draw(st.sampled_from([80, 10_000])),
        ).encode("utf-8")
        for name, data in files.items()
    }


def _break(draw: st.DrawFn, mapping: dict[str, Any]) -> None:
    """Delete a key, give it any value at all, or add a key that does not belong."""
    key = draw(st.sampled_from(sorted(mapping)))
    action = draw(st.sampled_from(("delete", "replace", "add")))
    if action == "delete":
        del mapping[key]
    elif action == "replace":
        mapping[key] = draw(_ANY_VALUE)
    else:
        mapping[draw(st.sampled_from(KEYS))] = draw(_ANY_VALUE)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every example (hypothesis runs many examples per test function)."""
    return tmp_path_factory.mktemp("examples")


def _validate_and_build(scratch: Path, files: dict[str, bytes]) -> None:
    cards, out = scratch / "cards", scratch / "dist"
    for folder in (cards, out):
        shutil.rmtree(folder, ignore_errors=True)
    cards.mkdir()
    for name, data in files.items():
        (cards / name).write_bytes(data)
    checked: Checked = check(cards)
    _assert_one_line_each(checked.problems)
    if checked.errors:
        return
    try:
        build(cards, out)
    except ExporterError as error:
        _assert_one_line_each(error.problems)


def _assert_one_line_each(problems: list[Problem]) -> None:
    for problem in problems:
        text = str(problem)
        assert "\n" not in text and "Traceback" not in text, text
        assert text.startswith(problem.location.path), text


@settings(
    max_examples=MUTATED_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(files=mutated_card_set())
def test_mutated_card_sets_fail_only_with_our_error(scratch: Path, files: dict[str, bytes]) -> None:
    _validate_and_build(scratch, files)


@settings(
    max_examples=GENERATED_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(files=structured_card_set())
def test_generated_card_sets_fail_only_with_our_error(scratch: Path, files: dict[str, bytes]) -> None:
    _validate_and_build(scratch, files)
