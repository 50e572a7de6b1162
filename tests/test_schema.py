"""The editor schema and the loader agree: what one accepts the other accepts, what one refuses the other refuses."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from exporter.pipeline.checked_stream import check
from tests.support import card_set

SCHEMAS = Path(__file__).parent.parent / "exporter" / "schema"
ROOT = Path(__file__).parent.parent

DECK = 'id: d\ntitle: D\nversion: "1.0.0"\noutcomes:\n  LO1: Explain it\n'
CARD = "  - id: c\n    kind: basic\n    question: Who leads?\n    answer: no\n    source: {slide: 2}\n"

# (id, topic file, valid?) — shape rules both can check; id uniqueness across files and cloze
# syntax beyond "has a deletion" are the loader's alone.
TOPICS = [
    ("basic", "subdeck: A\ncards:\n" + CARD, True),
    (
        "yaml-1.1-boolean-and-number-as-text",
        "subdeck: A\ncards:\n" + CARD.replace("answer: no", "answer: 1.10"),
        True,
    ),
    ("file-tags-as-one-word", "subdeck: A\ntags: x\ncards:\n" + CARD, True),
    (
        "acronym",
        "subdeck: A\ncards:\n  - id: u\n    kind: acronym\n    term: UNCT\n    expansion: UN Country Team\n"
        "    source: {section: S}\n",
        True,
    ),
    (
        "cloze",
        "subdeck: A\ncards:\n  - id: u\n    kind: cloze\n    text: 'A {{c1::b}}'\n    source: {slide: 1}\n",
        True,
    ),
    (
        "approved",
        "subdeck: A\ncards:\n" + CARD + "    status: approved\n    reviewed_by: J\n    reviewed_on: "
        "'2026-01-02'\n",
        True,
    ),
    (
        "approved-with-fingerprint",
        "subdeck: A\ncards:\n" + CARD + "    status: approved\n    reviewed_by: J\n    reviewed_on: "
        "'2026-01-02'\n    approved_fingerprint: 0123456789ab\n",
        True,
    ),
    (
        "needs-change-with-note",
        "subdeck: A\ncards:\n" + CARD + "    status: needs-change\n    review_note: 'Say who leads.'\n",
        True,
    ),
    ("needs-change-without-note", "subdeck: A\ncards:\n" + CARD + "    status: needs-change\n", False),
    (
        "fingerprint-not-hex",
        "subdeck: A\ncards:\n" + CARD + "    status: approved\n    reviewed_by: J\n    reviewed_on: "
        "'2026-01-02'\n    approved_fingerprint: not-a-print\n",
        False,
    ),
    ("allow-a-rule", "subdeck: A\ncards:\n" + CARD + "    allow: [same-answer, yes-no]\n", True),
    ("allow-one-rule-as-a-word", "subdeck: A\ncards:\n" + CARD + "    allow: list-answer\n", True),
    ("allow-unknown-rule", "subdeck: A\ncards:\n" + CARD + "    allow: [same-anwser]\n", False),
    ("renamed-from", "subdeck: A\ncards:\n" + CARD + "    renamed_from: old-c\n", True),
    ("renamed-from-not-a-slug", "subdeck: A\ncards:\n" + CARD + "    renamed_from: Old C\n", False),
    ("missing-subdeck", "cards:\n" + CARD, False),
    ("unknown-top-key", "subdeck: A\nsubdek: B\ncards:\n" + CARD, False),
    ("missing-answer", "subdeck: A\ncards:\n" + CARD.replace("    answer: no\n", ""), False),
    ("key-of-other-kind", "subdeck: A\ncards:\n" + CARD + "    term: X\n", False),
    ("unknown-kind", "subdeck: A\ncards:\n" + CARD.replace("kind: basic", "kind: quiz"), False),
    ("missing-source", "subdeck: A\ncards:\n" + CARD.replace("    source: {slide: 2}\n", ""), False),
    ("slide-zero", "subdeck: A\ncards:\n" + CARD.replace("slide: 2", "slide: 0"), False),
    ("source-unknown-key", "subdeck: A\ncards:\n" + CARD.replace("{slide: 2}", "{page: 2}"), False),
    ("bad-id", "subdeck: A\ncards:\n" + CARD.replace("id: c", "id: C 1"), False),
    ("tag-with-space", "subdeck: A\ncards:\n" + CARD + "    tags: [a b]\n", False),
    ("bad-status", "subdeck: A\ncards:\n" + CARD + "    status: done\n", False),
    (
        "cloze-without-deletion",
        "subdeck: A\ncards:\n  - id: u\n    kind: cloze\n    text: nothing hidden\n    source: {slide: 1}\n",
        False,
    ),
    ("empty-question", "subdeck: A\ncards:\n" + CARD.replace("question: Who leads?", "question: ''"), False),
    ("list-as-answer", "subdeck: A\ncards:\n" + CARD.replace("answer: no", "answer: [a, b]"), False),
    ("subdeck-with-empty-level", "subdeck: 'A::'\ncards:\n" + CARD, False),
]


def _schema(name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads((SCHEMAS / name).read_text()))


@pytest.mark.parametrize(("text", "valid"), [case[1:] for case in TOPICS], ids=[case[0] for case in TOPICS])
def test_schema_and_loader_agree(tmp_path: Path, text: str, valid: bool) -> None:
    loader_valid = not check(card_set(tmp_path, {"t.yaml": text}, deck=DECK)).errors
    schema_errors = list(_schema("topic.schema.json").iter_errors(yaml.safe_load(text)))
    assert (loader_valid, not schema_errors) == (valid, valid), schema_errors


def test_shipped_files_match_the_schemas() -> None:
    for path in sorted((ROOT / "cards").glob("*.yaml")):
        schema = "deck.schema.json" if path.name == "deck.yaml" else "topic.schema.json"
        errors = list(_schema(schema).iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert errors == [], (path.name, errors[:3])
        assert path.read_text(encoding="utf-8").startswith(
            f"# yaml-language-server: $schema=../exporter/schema/{schema}\n"
        )


def test_schemas_are_valid_json_schema() -> None:
    for name in ("deck.schema.json", "topic.schema.json"):
        jsonschema.Draft7Validator.check_schema(json.loads((SCHEMAS / name).read_text()))
