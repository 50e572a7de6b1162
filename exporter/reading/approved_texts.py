"""The approved texts of a card set (``approved-texts.jsonl`` beside the card files): each card's content as the
reviewer approved it, so diff and the review page can show the old text beside the new one.

`flashcards review --apply` writes it with the card files; nobody edits it. One JSON object a line, sorted by
card id, so that git shows and merges an approval as one line. Each line carries the card's fingerprint, which
must be that of the text on the line: a damaged line is found, never shown as what was approved.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exporter.errors import ExporterError, Location, Problem
from exporter.model import KIND_FIELDS, Card, Source, content_fingerprint
from exporter.reading.files import Unreadable, decode_text, read_bytes

APPROVED_TEXTS_FILE = "approved-texts.jsonl"
_KEYS = ("id", "fingerprint", "kind", "subdeck", "source", "fields")
_FIX = "the file is written by 'flashcards review --apply'; take it back from git (git checkout -- {path})"


@dataclass(frozen=True, slots=True)
class ApprovedText:
    """A card's content when it was approved: what learners read, and the source line it cited."""

    fingerprint: str
    kind: str
    subdeck: str
    #: text fields by their YAML name, in their kind's order
    fields: Mapping[str, str]
    source: Source


def approved_text(card: Card) -> ApprovedText:
    """What approving this card now approves."""
    names = [name for group in KIND_FIELDS[card.kind] for name in group if name in card.fields]
    fields = {name: card.fields[name] for name in names}
    return ApprovedText(card.fingerprint, card.kind, card.subdeck, fields, card.source)


def approved_texts_text(texts: Mapping[str, ApprovedText]) -> str:
    """The file's text: one card a line, sorted by id."""
    return "".join(_line(card_id, texts[card_id]) + "\n" for card_id in sorted(texts))


def _line(card_id: str, text: ApprovedText) -> str:
    source: dict[str, Any] = {}
    if text.source.slide is not None:
        source["slide"] = text.source.slide
    if text.source.section:
        source["section"] = text.source.section
    values = (card_id, text.fingerprint, text.kind, text.subdeck, source, dict(text.fields))
    return json.dumps(dict(zip(_KEYS, values, strict=True)), ensure_ascii=False)


def read_approved_texts(cards_dir: Path) -> dict[str, ApprovedText]:
    """The card set's approved texts by card id (none if it has no file); ExporterError naming each bad line."""
    return read_approved_texts_file(cards_dir)[0]


def read_approved_texts_file(cards_dir: Path) -> tuple[dict[str, ApprovedText], bytes]:
    """The card set's approved texts by card id, and the file's bytes they were read from (none and no bytes if
    it has no file), for a writer to tell whether its new text changes the file; ExporterError naming each bad
    line."""
    path = Path(cards_dir) / APPROVED_TEXTS_FILE
    if not path.exists():
        return {}, b""
    shown = os.path.normpath(str(path))
    try:
        data = read_bytes(path, shown)
        text = decode_text(data, shown)
    except Unreadable as unreadable:
        raise ExporterError(unreadable.problem.location, unreadable.problem.message) from None
    texts, problems = parse_approved_texts(text.splitlines(), shown)
    if problems:
        raise ExporterError.from_problems(problems)
    return texts, data


def parse_approved_texts(lines: Iterable[str], shown: str) -> tuple[dict[str, ApprovedText], list[Problem]]:
    """The approved texts on these lines, and a problem for each line that is not one."""
    texts: dict[str, ApprovedText] = {}
    where: dict[str, int] = {}
    problems = []
    fix = _FIX.format(path=shown)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            card_id, text = _entry(line)
        except json.JSONDecodeError as error:
            problems.append(Problem(Location(shown, number, error.colno), f"not a JSON line ({error.msg}); {fix}"))
            continue
        except ValueError as error:
            problems.append(Problem(Location(shown, number, 1), f"{error}; {fix}"))
            continue
        if card_id in where:
            message = f"card '{card_id}' is also on line {where[card_id]}; {fix}"
            problems.append(Problem(Location(shown, number, 1), message))
        where.setdefault(card_id, number)
        texts.setdefault(card_id, text)
    return texts, problems


def _entry(line: str) -> tuple[str, ApprovedText]:
    """One line's card id and approved text; ValueError saying what is wrong with it."""
    found = json.loads(line)
    if not isinstance(found, dict) or tuple(found) != _KEYS:
        raise ValueError(f"expected an object with the keys {', '.join(_KEYS)}")
    card_id, fingerprint, kind, subdeck, source, fields = (found[key] for key in _KEYS)
    if (
        not all(isinstance(value, str) for value in (card_id, fingerprint, kind, subdeck))
        or kind not in KIND_FIELDS
    ):
        raise ValueError(
            "id, fingerprint, kind and subdeck must be text, and kind one of " + ", ".join(KIND_FIELDS)
        )
    if not _fields_ok(kind, fields):
        needed, optional = KIND_FIELDS[kind]
        raise ValueError(
            f"card '{card_id}': fields must give the text of {', '.join(needed)}"
            + (f" and may give {', '.join(optional)}" if optional else "")
        )
    slide, section = (source.get(key) if isinstance(source, dict) else None for key in ("slide", "section"))
    if not isinstance(source, dict) or set(source) - {"slide", "section"} or not _source_ok(slide, section):
        raise ValueError(f'card \'{card_id}\': source must be {{"slide": a number, "section": text}}')
    if content_fingerprint(kind, subdeck, fields) != fingerprint:
        raise ValueError(f"card '{card_id}': the text on this line is not the one its fingerprint was made from")
    return card_id, ApprovedText(fingerprint, kind, subdeck, fields, Source(slide, section))


def _fields_ok(kind: str, fields: object) -> bool:
    needed, optional = KIND_FIELDS[kind]
    return (
        isinstance(fields, dict)
        and set(needed) <= set(fields) <= {*needed, *optional}
        and all(isinstance(value, str) for value in fields.values())
    )


def _source_ok(slide: object, section: object) -> bool:
    slide_ok = slide is None or (isinstance(slide, int) and not isinstance(slide, bool))
    return slide_ok and (section is None or isinstance(section, str))
