"""Card text that would reach learners as something else: deletions the sanitizer removes or entities make,
deletions outside the cloze text, nested deletions, reserved tags, Anki's own tags (errors: exit 1, exact
messages, the last build left as it was), and what Anki reads otherwise or nobody can see (warnings)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exporter.pipeline.build import build
from tests.support import card_set, run, snapshot, topic

ZWJ = "\u200d"
RLO = "\u202e"


def cloze(text: str, *lines: str, source: str = "{slide: 2}", header: str = "subdeck: A\ncards:\n") -> str:
    """A topic file with one cloze card: its text line as given (quote it yourself), then these lines."""
    more = "".join(f"    {line}\n" for line in lines)
    return topic(f"  - id: c\n    kind: cloze\n    text: {text}\n{more}    source: {source}\n", header=header)


def basic(answer: str, *lines: str) -> str:
    more = "".join(f"    {line}\n" for line in lines)
    card = f"  - id: q\n    kind: basic\n    question: Who leads?\n    answer: {answer}\n{more}    source: {{slide: 2}}\n"
    return topic(card, header="subdeck: A\ncards:\n")


REMOVED_DELETION = (
    "deletion {{{{c{n}::…}}}} is inside markup that will be removed ({what}), so learners would get no card {n} "
    "from it; take the deletion out of that markup"
)
STRAY = (
    "'{key}' holds a cloze deletion ({{{{c2::…}}}}); Anki counts deletions in every field of a cloze note, so "
    "learners would get a blank card 2; put deletions only in 'text'"
)
RESERVED = "tag '{tag}' is reserved: {why}, and learners find those cards by it; choose another tag"
RETIRED_WHY = "the build tags cards removed from the deck 'retired'"
TTS = (
    "'{key}' has Anki's sound tag [anki:…]: the learner's app would speak or play it with no word on the card; "
    "write the text without it (a recording goes in media/ as [sound:file.mp3])"
)
LATEX = (
    "'{key}' has Anki's LaTeX tag ([latex], [$] or [$$]): Anki cannot make its picture from a shared deck, so "
    "learners see a broken image and 'LaTeX image generation is disabled'; write the formula as text, or as MathJax "
    "between \\( and \\)"
)

# (id, the topic file t.yaml, the exact errors)
ERRORS = [
    (
        "deletion-in-an-html-comment",
        cloze("'a {{c1::x}} <!-- {{c2::y}} -->'"),
        ["cards/t.yaml:5:5: " + REMOVED_DELETION.format(n=2, what="an HTML comment")],
    ),
    (
        "deletion-in-a-script",
        cloze("'a {{c1::x}} <script>{{c3::z}}</script>'"),
        ["cards/t.yaml:5:5: " + REMOVED_DELETION.format(n=3, what="<script> element")],
    ),
    (
        "deletion-made-by-entities",
        cloze("'a {{c1::x}} &#123;&#123;c2::y&#125;&#125;'"),
        [
            "cards/t.yaml:5:5: 'text' makes deletion {{c2::…}} only once its entities are read (like &#123; for "
            "'{'); write every deletion plainly, like {{c1::answer}}"
        ],
    ),
    (
        "deletion-in-extra",
        cloze("'a {{c1::x}}'", "extra: 'see {{c2::y}}'"),
        ["cards/t.yaml:6:5: " + STRAY.format(key="extra")],
    ),
    (
        "deletion-in-extra-made-by-entities",
        cloze("'a {{c1::x}}'", "extra: '&#123;&#123;c2::y}}'"),
        ["cards/t.yaml:6:5: " + STRAY.format(key="extra")],
    ),
    (
        "deletion-in-the-source-section",
        cloze("'a {{c1::x}}'", source="{slide: 2, section: '{{c2::y}}'}"),
        ["cards/t.yaml:6:5: " + STRAY.format(key="source")],
    ),
    (
        "nested-deletions",
        cloze("'A {{c1::b {{c2::c}} d}}'"),
        [
            "cards/t.yaml:5:5: a cloze deletion is nested inside another; nested deletions are not supported here (the "
            "checks and the review page read one deletion at a time), so write them one after the other"
        ],
    ),
    (
        "reserved-tag-retired-on-a-card",
        cloze("'a {{c1::x}}'", "tags: [retired]"),
        ["cards/t.yaml:6:5: " + RESERVED.format(tag="retired", why=RETIRED_WHY)],
    ),
    (
        "reserved-tags-in-any-case-and-level",
        cloze("'a {{c1::x}}'", "tags: [Leech, marked::mine]"),
        [
            "cards/t.yaml:6:5: "
            + RESERVED.format(tag="Leech", why="Anki tags a card a learner keeps failing 'leech'"),
            "cards/t.yaml:6:5: "
            + RESERVED.format(tag="marked::mine", why="Anki tags a card the learner marks 'marked'"),
        ],
    ),
    (
        "reserved-tag-on-a-topic-file",
        cloze("'a {{c1::x}}'", header="subdeck: A\ntags: [retired]\ncards:\n"),
        ["cards/t.yaml:1:1: " + RESERVED.format(tag="retired", why=RETIRED_WHY)],
    ),
    (
        "anki-tts",
        cloze("'a {{c1::x}} [anki:tts lang=en_US]hello[/anki:tts]'"),
        ["cards/t.yaml:5:5: " + TTS.format(key="text")],
    ),
    ("anki-latex", basic("'[latex]E=mc^2[/latex]'"), ["cards/t.yaml:6:5: " + LATEX.format(key="answer")]),
    ("anki-latex-inline", basic("'[$]x^2[/$]'"), ["cards/t.yaml:6:5: " + LATEX.format(key="answer")]),
    (
        "anki-latex-display-in-extra",
        basic("Two", "extra: '[$$]x^2[/$$]'"),
        ["cards/t.yaml:7:5: " + LATEX.format(key="extra")],
    ),
]


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good build of a one-card deck, to pre-fill each row's dist/ with."""
    folder = tmp_path_factory.mktemp("good")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1764000000")
        build(card_set(folder, {"t.yaml": cloze("'a {{c1::x}}'")}), folder / "dist")
    return folder / "dist"


@pytest.mark.parametrize(("topic_file", "expected"), [row[1:] for row in ERRORS], ids=[row[0] for row in ERRORS])
def test_refused_text_stops_the_build_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, good_build: Path, topic_file: str, expected: list[str]
) -> None:
    card_set(tmp_path, {"t.yaml": topic_file})
    shutil.copytree(good_build, tmp_path / "dist")
    before = snapshot(tmp_path / "dist")
    monkeypatch.chdir(tmp_path)

    code, out, err = run("build", "cards", "-o", "dist")

    noun = "problem" if len(expected) == 1 else "problems"
    assert (code, out, err) == (1, "", "\n".join(expected) + f"\nfailed: {len(expected)} {noun}\n")
    assert snapshot(tmp_path / "dist") == before


# (id, the topic file t.yaml, the exact warnings): `validate` exits 0 and prints them.
WARNINGS = [
    (
        "double-colon-read-as-a-hint",
        cloze("'{{c1::std::vector}} holds items'"),
        [
            "cards/t.yaml:5:5: warning: in '{{c1::std::vector}}' Anki hides only 'std' and shows 'vector' as its "
            "hint; write the answer without '::', or add 'allow: [cloze-hint]' if the hint is meant"
        ],
    ),
    (
        "a-ratio-read-as-a-hint",
        cloze("'A ratio of {{c2::10::30}}'"),
        [
            "cards/t.yaml:5:5: warning: in '{{c2::10::30}}' Anki hides only '10' and shows '30' as its hint; write "
            "the answer without '::', or add 'allow: [cloze-hint]' if the hint is meant"
        ],
    ),
    (
        "brace-before-the-closing-braces",
        cloze("'The set {{c1::{x}}} is small'"),
        [
            "cards/t.yaml:5:5: warning: in '{{c1::{x}}}' Anki ends the deletion at the first '}}', so it hides '{x' "
            "and shows a stray '}'; put a space before the closing '}}'"
        ],
    ),
    (
        "zero-width-joiner-in-a-tag",
        cloze("'a {{c1::x}}'", f"tags: [retired{ZWJ}]"),
        [
            "cards/t.yaml:6:5: warning: tag 'retired<U+200D>' holds an invisible character (U+200D ZERO WIDTH "
            "JOINER): it looks like 'retired' but Anki finds it by another name; delete the character"
        ],
    ),
    (
        "bidi-override-in-text",
        basic(f"'The Resident {RLO}Coordinator'"),
        [
            "cards/t.yaml:6:5: warning: 'answer' holds an invisible character (U+202E RIGHT-TO-LEFT OVERRIDE) after "
            "'The Resident': learners and reviewers cannot see it, but it changes how the text is found, compared "
            "or shown; delete it unless it is meant"
        ],
    ),
]


@pytest.mark.parametrize(
    ("topic_file", "expected"), [row[1:] for row in WARNINGS], ids=[row[0] for row in WARNINGS]
)
def test_text_read_otherwise_is_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, topic_file: str, expected: list[str]
) -> None:
    card_set(tmp_path, {"t.yaml": topic_file})
    monkeypatch.chdir(tmp_path)

    code, out, err = run("validate", "cards")

    assert (code, err) == (0, "\n".join(expected) + "\n")
    assert out.endswith(f", {len(expected)} warning\n")


def test_a_hint_meant_as_one_is_allowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    card_set(tmp_path, {"t.yaml": cloze("'{{c1::neutrality::not taking sides}}'", "allow: [cloze-hint]")})
    monkeypatch.chdir(tmp_path)
    assert run("validate", "cards") == (0, "ok: 1 card definition in 1 topic file\n", "")


def test_the_tag_the_build_gives_retired_cards_is_reserved() -> None:
    from exporter.checking.text_rules import RESERVED_TAGS
    from exporter.release.ledger import RETIRED_TAG

    assert RETIRED_TAG in RESERVED_TAGS
