"""Realistic synthetic card sets for benchmarks and scale tests: acronyms, questions and clozes, with accents,
tags and subdecks, as one topic file or spread over many."""

from __future__ import annotations

import random
from pathlib import Path

_WORDS = (
    "mission",
    "partner",
    "humanitarian",
    "coordination",
    "cluster",
    "mandate",
    "protection",
    "assistance",
    "neutrality",
    "impartiality",
    "humanity",
    "réfugiés",
    "sécurité",
    "développement",
    "ayuda",
    "misión",
    "country",
    "team",
    "national",
    "regional",
    "funding",
    "appeal",
    "police",
    "electoral",
    "reintegration",
)
_SUBDECKS = ("Acronyms", "Humanitarian action", "Coordination", "Partners", "Funding", "Examples")
_TAGS = ("acronym", "unct", "clusters", "funding", "example", "liberia", "haiti", "nepal", "assessment-question")

DECK_YAML = """\
id: synthetic
title: "Synthetic Curriculum"
version: "1.0.0"
description: "Generated for benchmarks."
source:
  title: "Synthetic source"
outcomes:
  LO1: "Explain the first thing"
  LO2: "Explain the second thing"
  LO3: "Explain the third thing"
"""


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize()


def card_yaml(index: int, rng: random.Random) -> str:
    """One card in YAML, its kind chosen by its index (a third each)."""
    card_id = f"card-{index:06d}"
    tags = ", ".join(sorted({rng.choice(_TAGS) for _ in range(2)}))
    common = (
        f"    source: {{slide: {index % 40 + 1}, section: Section {index % 12}}}\n"
        f"    outcomes: [LO{index % 3 + 1}]\n    tags: [{tags}]\n"
    )
    kind = index % 3
    if kind == 0:
        term = "".join(rng.choice("ABCDEFGHIKLMNOPRSTUW") for _ in range(rng.randint(2, 6))) + str(index)
        return (
            f"  - id: {card_id}\n    kind: acronym\n    term: {term}\n"
            f'    expansion: "{_sentence(rng, 5)}"\n    explanation: "{_sentence(rng, 9)}."\n' + common
        )
    if kind == 1:
        return (
            f'  - id: {card_id}\n    kind: basic\n    question: "{_sentence(rng, 12)}?"\n'
            f'    answer: "{_sentence(rng, 6)}"\n    extra: "{_sentence(rng, 10)}."\n' + common
        )
    # numbered, as a real deck's deletions differ: the authoring lint would warn about repeated ones
    first, second = f"{rng.choice(_WORDS)} {index}a", f"{rng.choice(_WORDS)} {index}b"
    return (
        f'  - id: {card_id}\n    kind: cloze\n    text: "{_sentence(rng, 6)} {{{{c1::{first}}}}} and '
        f'{{{{c2::{second}}}}} {_sentence(rng, 4).lower()}."\n' + common
    )


def write_card_set(folder: Path, cards: int, files: int = 1, seed: int = 7) -> Path:
    """Write a card set of the given size over the given number of topic files; return the folder."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "deck.yaml").write_text(DECK_YAML, encoding="utf-8")
    per_file = -(-cards // files)
    for number in range(files):
        start, stop = number * per_file, min(cards, (number + 1) * per_file)
        subdeck = f"{_SUBDECKS[number % len(_SUBDECKS)]} {number:03d}"
        body = "".join(card_yaml(index, rng) for index in range(start, stop))
        (folder / f"topic-{number:03d}.yaml").write_text(f"subdeck: {subdeck}\ncards:\n{body}", encoding="utf-8")
    return folder
