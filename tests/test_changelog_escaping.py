"""CHANGELOG.md quotes card text; GitHub and editors render it as Markdown, so the quotes must show the text as
written and never become HTML, a link or a picture."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from exporter.pipeline.build import build
from exporter.writers.changelog import markdown_escaped
from tests.support import DECK, bump_version, card_set, topic

# (id, the new answer as written in YAML, what the trainer reads in the rendered changelog)
TEXTS = [
    ("image-with-handler", "'&lt;img src=x onerror=alert(1)&gt;'", "<img src=x onerror=alert(1)>"),
    ("script", "'&lt;script&gt;alert(1)&lt;/script&gt;'", "<script>alert(1)</script>"),
    ("markdown-link", "'&#91;log in&#93;(https://evil.example)'", "[log in](https://evil.example)"),
    ("markdown-picture", "'!&#91;x&#93;(https://evil.example/t.png)'", "![x](https://evil.example/t.png)"),
    ("stars-and-backticks", "'a `b` *c* _d_ \\\\e'", "a `b` c _d_ \\\\e"),
    ("an-entity-as-text", "'&amp;lt;b&amp;gt;'", "&lt;b&gt;"),
]
_TAG = re.compile(r"<[^>]+>")


def _card(answer: str) -> str:
    return topic(
        f"  - id: q\n    kind: basic\n    question: Who?\n    answer: {answer}\n    source: {{slide: 2}}\n",
        header="subdeck: A <b>x</b>\ncards:\n",
    )


@pytest.mark.parametrize(("answer", "shown"), [row[1:] for row in TEXTS], ids=[row[0] for row in TEXTS])
def test_changelog_shows_card_text_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str, shown: str
) -> None:
    cards = card_set(
        tmp_path, {"t.yaml": _card("before")}, deck=DECK.replace("title: Test Deck", "title: Test <i>Deck</i>")
    )
    build(cards, tmp_path / "dist")
    (cards / "t.yaml").write_text(_card(answer), encoding="utf-8")
    bump_version(cards, "1.0.1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764100000")
    build(cards, tmp_path / "dist")

    changelog = (tmp_path / "dist" / "CHANGELOG.md").read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(changelog)
    kinds = {token.type for token in tokens} | {child.type for token in tokens for child in token.children or []}
    assert not kinds & {"html_inline", "html_block", "link_open", "image"}
    rendered = MarkdownIt("commonmark").render(changelog)
    text = html.unescape(_TAG.sub("", rendered))
    assert f"Answer: “before” → “{shown}”" in text
    assert "Changelog: Test <i>Deck</i>" in text
    assert "(A <b>x</b>)" in text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab <>&\"'\\`*_[]|~#!()é\n;")) | st.text())
def test_one_pass_escapes_as_html_then_markdown_escaping_would(text: str) -> None:
    # what markdown_escaped did in two passes before one str.translate replaced them
    two_passes = re.sub(r"([\\`*_\[\]|~#])", r"\\\1", html.escape(text, quote=False))
    assert markdown_escaped(text) == two_passes
