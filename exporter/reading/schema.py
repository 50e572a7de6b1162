"""The nodes of a deck file, a topic file's head and a card → the typed model, with a problem for each key or
value that does not fit.

Scalars are read as the text that was written (PyYAML's own constructors would turn ``no`` into False and
``1.10`` into 1.1), and nothing untyped leaves this module.
"""

from __future__ import annotations

from functools import lru_cache

import yaml

from exporter.errors import Location, shorten
from exporter.model import AUTHORING_RULES, KIND_FIELDS, Card, Deck, Review, Source, Topic
from exporter.reading.addresses import download_url_fault
from exporter.reading.composing import NULLS
from exporter.reading.editions import read_coverage, read_languages
from exporter.reading.nodes import NodeReader, Values, describe, is_empty, suggestion
from exporter.reading.options import read_options

#: The review keys of a card: what a reviewer decided, never shipped to learners.
REVIEW_KEYS = ("status", "reviewed_by", "reviewed_on", "review_note", "approved_fingerprint")
_CARD_COMMON_KEYS = ("id", "kind", "tags", "source", "outcomes", *REVIEW_KEYS, "allow", "renamed_from")
_DECK_KEYS = (
    "id",
    "title",
    "version",
    "description",
    "source",
    "outcomes",
    "options",
    "download_url",
    "languages",
    "translation_coverage",
)
_TOPIC_KEYS = ("subdeck", "tags", "cards")
# Most cards are drafts with no reviewer yet; they share one (frozen) review.
_DRAFT = Review()


class FileAbandoned(Exception):
    """Raised inside a file's reader when the rest of the file cannot be read sensibly."""


def read_deck(reader: NodeReader, node: yaml.Node) -> Deck:
    """The deck file's deck, with no topics yet."""
    values = _top_mapping(reader, node, "the deck file", _DECK_KEYS)
    where = reader.at(node)
    source_title = source_document = ""
    if "source" in values:
        source = reader.mapping(values["source"][0], "'source'", ("title", "document"))
        source_title = reader.required_text(source, "title", "'source'", reader.at(values["source"][1]))
        source_document = _optional_text(reader, source, "document")
    outcomes = _read_outcomes(reader, values, where)
    options = read_options(reader, *values["options"]) if "options" in values else None
    return Deck(
        id=reader.required_text(values, "id", "the deck file", where),
        title=reader.required_text(values, "title", "the deck file", where),
        version=reader.required_text(values, "version", "the deck file", where),
        description=_optional_text(reader, values, "description"),
        download_url=_download_url(reader, values),
        source_title=source_title,
        source_document=source_document,
        outcomes=outcomes,
        topics=(),
        location=where,
        key_locations=reader.places(values),
        options=options,
        languages=read_languages(reader, values),
        translation_coverage=read_coverage(reader, values),
    )


def _download_url(reader: NodeReader, values: Values) -> str:
    url = _optional_text(reader, values, "download_url")
    fault = download_url_fault(url) if url else None
    if fault:
        reader.problem(values["download_url"][0], f"'download_url' {fault}")
        return ""
    return url


def _read_outcomes(reader: NodeReader, values: Values, where: Location) -> dict[str, str]:
    outcomes: dict[str, str] = {}
    if "outcomes" not in values:
        reader.problem(where, "the deck file has no 'outcomes'; list the learning outcomes as 'LO1: text' lines")
    elif is_empty(values["outcomes"][0]):
        reader.problem(
            values["outcomes"][1], "'outcomes' is empty; list the learning outcomes as 'LO1: text' lines"
        )
    else:
        outcome_nodes = reader.mapping(values["outcomes"][0], "'outcomes'", None)
        for key, (value_node, key_node) in outcome_nodes.items():
            text = reader.text(value_node, f"outcome '{key}'")
            if not text:
                reader.problem(key_node, f"outcome '{key}' is empty; write what the learner will be able to do")
            outcomes[key] = text or ""
    return outcomes


def _top_mapping(reader: NodeReader, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> Values:
    if not isinstance(node, yaml.MappingNode):
        reader.problem(node, f"{what} must be a mapping of 'key: value' lines at the top, not {describe(node)}")
        raise FileAbandoned
    return reader.mapping(node, what, allowed)


def _optional_text(reader: NodeReader, values: Values, key: str) -> str:
    if key not in values:
        return ""
    return reader.text(values[key][0], f"'{key}'") or ""


def read_topic_head(reader: NodeReader, node: yaml.Node) -> tuple[Topic, Values] | None:
    """A topic file's subdeck and tags (a Topic with no cards yet) and its values by key; None, the problem
    noted, when it has no 'cards'."""
    values = _top_mapping(reader, node, "a topic file", _TOPIC_KEYS)
    where = reader.at(node)
    subdeck = reader.required_text(values, "subdeck", "the topic file", where)
    tags = reader.words(values["tags"][0], "'tags'") if "tags" in values else ()
    if "cards" not in values:
        reader.problem(where, "the topic file has no 'cards'; add 'cards:' with a list of cards")
        return None
    return Topic(path=reader.path, subdeck=subdeck, tags=tags, cards=(), location=where), values


def read_cards(
    reader: NodeReader, node: yaml.Node, subdeck: str, file_tags: tuple[str, ...]
) -> tuple[Card, ...] | None:
    """The cards of a topic's 'cards' list; None, the problem noted, when it is not a list."""
    if not isinstance(node, yaml.SequenceNode):
        reader.problem(node, f"'cards' must be a list of cards, each starting with '- id:', not {describe(node)}")
        return None
    cards = (read_card(reader, item, subdeck, file_tags) for item in node.value)
    return tuple(card for card in cards if card is not None)


def read_card(reader: NodeReader, node: yaml.Node, subdeck: str, file_tags: tuple[str, ...]) -> Card | None:
    """One card of a topic in this subdeck with these file tags; None, the problems noted, if it is unusable."""
    where = reader.at(node)
    if not isinstance(node, yaml.MappingNode):
        reader.problem(node, f"a card must be a mapping starting with 'id:', not {describe(node)}")
        return None
    kind = _card_kind(reader, node)
    what, allowed = _CARD_KEYS[kind] if kind else ("a card", _every_card_key())
    values = reader.mapping(node, what, allowed)
    card_id = reader.required_text(values, "id", "the card", where)
    if kind is None:
        return None
    fields = _read_fields(reader, values, kind, card_id, where)
    source = _read_source(reader, values, card_id, where)
    tags = reader.words(values["tags"][0], "'tags'") if "tags" in values else ()
    outcomes = reader.words(values["outcomes"][0], "'outcomes'") if "outcomes" in values else ()
    return Card(
        id=card_id,
        kind=kind,
        fields=fields,
        subdeck=subdeck,
        tags=_merge_tags(file_tags, tags),
        source=source,
        outcomes=outcomes,
        review=_read_review(reader, values),
        location=where,
        allow=_read_allow(reader, values),
        renamed_from=_optional_text(reader, values, "renamed_from") or None,
        key_locations=reader.places(values),
    )


def _read_allow(reader: NodeReader, values: Values) -> tuple[str, ...]:
    """The authoring rules a card silences; an unknown name is a problem, with the near one."""
    if "allow" not in values:
        return ()
    node = values["allow"][0]
    if not isinstance(node, yaml.SequenceNode | yaml.ScalarNode):
        reader.words(node, "'allow'")  # notes that it must be a list
        return ()
    rules = []
    for item in node.value if isinstance(node, yaml.SequenceNode) else [node]:
        rule = reader.text(item, "an item of 'allow'")
        if rule and rule not in AUTHORING_RULES:
            reader.problem(item, f"unknown rule '{shorten(rule)}' in 'allow'{suggestion(rule, AUTHORING_RULES)}")
        elif rule:
            rules.append(rule)
    return tuple(rules)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


#: What to call a card of each kind in messages, and the keys it may have (worked out once, not once a card).
_CARD_KEYS = {
    kind: (f"{_article(kind)} {kind} card", _CARD_COMMON_KEYS + required + optional)
    for kind, (required, optional) in KIND_FIELDS.items()
}


def _every_card_key() -> tuple[str, ...]:
    keys = list(_CARD_COMMON_KEYS)
    for required, optional in KIND_FIELDS.values():
        keys.extend(key for key in required + optional if key not in keys)
    return tuple(keys)


def _card_kind(reader: NodeReader, node: yaml.MappingNode) -> str | None:
    kinds = ", ".join(KIND_FIELDS)
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == "kind":
            if not isinstance(value_node, yaml.ScalarNode):
                reader.problem(value_node, f"'kind' must be one of: {kinds}, not {describe(value_node)}")
                return None
            kind: str = value_node.value
            if kind in KIND_FIELDS:
                return kind
            reader.problem(
                value_node,
                f"unknown card kind '{shorten(str(kind))}'{suggestion(str(kind), tuple(KIND_FIELDS))}"
                if kind and kind not in NULLS
                else f"'kind' is empty; write one of: {kinds}",
            )
            return None
    reader.problem(node, f"the card has no 'kind'; add 'kind:' with one of: {kinds}")
    return None


def _read_fields(reader: NodeReader, values: Values, kind: str, card_id: str, where: Location) -> dict[str, str]:
    """The note fields of a card of this kind: every required one, and the optional ones given."""
    required, optional = KIND_FIELDS[kind]
    fields = {}
    for key in required:
        fields[key] = reader.required_text(values, key, f"the {kind} card '{card_id}'", where)
    for key in optional:
        if key in values:
            value = reader.text(values[key][0], f"'{key}'")
            if value:
                fields[key] = value
    return fields


def _read_review(reader: NodeReader, values: Values) -> Review:
    if any(key in values for key in REVIEW_KEYS):
        return Review(
            status=_optional_text(reader, values, "status") or "draft",
            by=_optional_text(reader, values, "reviewed_by") or None,
            on=_optional_text(reader, values, "reviewed_on") or None,
            note=_optional_text(reader, values, "review_note") or None,
            fingerprint=_optional_text(reader, values, "approved_fingerprint") or None,
        )
    return _DRAFT


def _read_source(reader: NodeReader, values: Values, card_id: str, where: Location) -> Source:
    if "source" not in values:
        reader.problem(
            where,
            f"the card '{card_id}' has no 'source'; add 'source: {{slide: N, section: ...}}' "
            "so reviewers can find it in the training text",
        )
        return Source()
    node, key_node = values["source"]
    parts = reader.mapping(node, "'source'", ("slide", "section"))
    slide = reader.whole_number(parts["slide"][0], "'slide'") if "slide" in parts else None
    section = reader.text(parts["section"][0], "'section'") if "section" in parts else None
    if not parts and isinstance(node, yaml.MappingNode):
        reader.problem(key_node, "'source' needs a 'slide' number or a 'section' title")
    return _shared_source(slide, section)


@lru_cache(maxsize=4096)
def _shared_source(slide: int | None, section: str | None) -> Source:
    """Many cards cite the same place; they share one (frozen) Source."""
    return Source(slide=slide, section=section)


def _merge_tags(file_tags: tuple[str, ...], card_tags: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(file_tags + card_tags))
