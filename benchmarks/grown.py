"""The shipped cards grown to any size: their own texts, kinds, sources, outcomes, tags and allowed authoring
rules, copied with a suffix on each id, as one topic file or spread over many. Synthetic cards are short and
uniform; these are what a trainer writes, so reading, checking and rendering costs are measured on real text."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import yaml

SHIPPED = Path(__file__).resolve().parent.parent / "cards"
# the order the shipped files write a card's keys in
_KEYS = ("id", "kind", "term", "expansion", "explanation", "question", "answer", "text", "extra")
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@functools.cache
def _scalar(value: Any) -> str:
    """A value as YAML: plain when it reads back as the same text, else a double-quoted (JSON) string."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_scalar(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(item) for item in value) + "]"
    return _scalar(value)


@functools.lru_cache(maxsize=1)
def shipped_topics(folder: Path = SHIPPED) -> tuple[tuple[str, tuple[str, ...], tuple[dict[str, Any], ...]], ...]:
    """Each shipped topic file in order: its subdeck, its tags and its cards (as PyYAML reads them)."""
    topics = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "deck.yaml":
            continue
        topic = yaml.safe_load(path.read_text(encoding="utf-8"))
        tags = topic.get("tags", [])
        topics.append((topic["subdeck"], tuple([tags] if isinstance(tags, str) else tags), tuple(topic["cards"])))
    return tuple(topics)


def card_yaml(card: dict[str, Any], suffix: str, extra_tags: tuple[str, ...] = ()) -> str:
    """One shipped card in YAML, laid out as the shipped files lay it out, its id suffixed and its answers
    numbered (copies of one card would otherwise all share an answer, which the authoring lint warns about)."""
    body = _ANSWER_LINE.sub(rf"\g<1>{suffix} ", _body(card["id"], extra_tags))
    return f"  - id: {card['id']}-{suffix}\n" + _DELETION.sub(rf"\g<1>{suffix} ", body)


_ANSWER_LINE = re.compile(r'^(    (?:expansion|answer): "?)', re.M)
_DELETION = re.compile(r"(\{\{c\d+::)")


@functools.cache
def _body(card_id: str, extra_tags: tuple[str, ...]) -> str:
    """A shipped card's YAML after its id line (written once, copied for every copy of the card)."""
    card = _BY_ID[card_id]
    lines = [f"    {key}: {_scalar(card[key])}" for key in _KEYS[1:] if key in card]
    lines += [f"    {key}: {_flow(card[key])}" for key in ("source", "outcomes", "allow") if key in card]
    own = card.get("tags", [])
    tags = [*extra_tags, *([own] if isinstance(own, str) else own)]
    if tags:
        lines.append(f"    tags: {_flow(tags)}")
    return "\n".join(lines) + "\n\n"


_BY_ID = {card["id"]: card for _, _, cards in shipped_topics() for card in cards}


def write_grown_set(folder: Path, cards: int, files: int = 1) -> Path:
    """Write the shipped deck grown to the given number of cards over the given number of topic files.

    Topic file k grows the shipped topic k mod 8: its subdeck, its tags, its cards over and over. A single file
    (one subdeck, as every topic file has) cycles through all shipped cards in order, each carrying its own
    topic's tags. The n-th card written gets the suffix n, so ids stay unique.
    """
    topics = shipped_topics()
    folder.mkdir(parents=True, exist_ok=True)
    # the English edition only: the grown cards have no translations (and the build is measured in English)
    deck = re.sub(
        r"(?m)^(languages|translation_coverage):.*\n", "", (SHIPPED / "deck.yaml").read_text(encoding="utf-8")
    )
    (folder / "deck.yaml").write_text(deck, encoding="utf-8")
    per_file = -(-cards // files)
    every = [(card, tags) for _, tags, topic_cards in topics for card in topic_cards]
    for number in range(files):
        start, stop = number * per_file, min(cards, (number + 1) * per_file)
        if files == 1:
            subdeck, head = topics[0][0], ""
            body = "".join(
                card_yaml(every[index % len(every)][0], f"{index:06d}", every[index % len(every)][1])
                for index in range(start, stop)
            )
        else:
            subdeck, tags, topic_cards = topics[number % len(topics)]
            head = f"tags: {_flow(list(tags))}\n" if tags else ""
            body = "".join(
                card_yaml(topic_cards[(index - start) % len(topic_cards)], f"{index:06d}")
                for index in range(start, stop)
            )
        text = f"subdeck: {_scalar(subdeck)}\n{head}cards:\n{body}"
        (folder / f"topic-{number:03d}.yaml").write_text(text, encoding="utf-8")
    return folder
