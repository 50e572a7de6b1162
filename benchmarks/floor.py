"""The floor the build is measured against: PyYAML's C loader and genanki used directly, as anyone would.

Usage: python benchmarks/floor.py CARDS_DIR OUT_DIR [--gc-paused]
Writes OUT_DIR/floor.apkg and OUT_DIR/floor.csv with the same notes our build makes.
"""

from __future__ import annotations

import csv
import gc
import sys
from pathlib import Path

import genanki
import yaml

FIELDS = {
    "acronym": ["term", "expansion", "explanation"],
    "basic": ["question", "answer", "extra"],
    "cloze": ["text", "extra"],
}


def _model(
    model_id: int, name: str, fields: list[str], templates: list[tuple[str, str, str]], cloze: bool = False
) -> genanki.Model:
    return genanki.Model(
        model_id,
        name,
        fields=[{"name": f} for f in fields + ["source"]],
        templates=[{"name": n, "qfmt": q, "afmt": a} for n, q, a in templates],
        model_type=genanki.Model.CLOZE if cloze else genanki.Model.FRONT_BACK,
    )


MODELS = {
    "acronym": _model(
        1,
        "Acronym",
        FIELDS["acronym"],
        [("f", "{{term}}", "{{FrontSide}}{{expansion}}"), ("r", "{{expansion}}", "{{FrontSide}}{{term}}")],
    ),
    "basic": _model(2, "Basic", FIELDS["basic"], [("q", "{{question}}", "{{FrontSide}}{{answer}}")]),
    "cloze": _model(3, "Cloze", FIELDS["cloze"], [("c", "{{cloze:text}}", "{{cloze:text}}{{extra}}")], cloze=True),
}


def main(cards_dir: Path, out_dir: Path, gc_paused: bool) -> None:
    if gc_paused:
        gc.disable()
    deck_info = yaml.load((cards_dir / "deck.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    decks: dict[str, genanki.Deck] = {}
    rows = []
    for path in sorted(cards_dir.glob("*.yaml")):
        if path.name == "deck.yaml":
            continue
        topic = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        name = f"{deck_info['title']}::{topic['subdeck']}"
        deck = decks.setdefault(name, genanki.Deck(len(decks) + 1000, name))
        for card in topic["cards"]:
            values = [str(card.get(key, "")) for key in FIELDS[card["kind"]]] + [str(card["source"])]
            guid = genanki.guid_for(deck_info["id"], card["id"])
            deck.add_note(
                genanki.Note(
                    model=MODELS[card["kind"]],
                    fields=values,
                    guid=guid,
                    tags=list(topic.get("tags", [])) + list(card.get("tags", [])),
                )
            )
            rows.append([guid, card["kind"], name, *values])
    out_dir.mkdir(parents=True, exist_ok=True)
    genanki.Package(list(decks.values())).write_to_file(out_dir / "floor.apkg")
    with open(out_dir / "floor.csv", "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), "--gc-paused" in sys.argv)
