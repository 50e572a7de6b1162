"""A deck file's 'options:' block → DeckOptions, with a problem for each value Anki would not accept."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields, replace

import yaml

from exporter.model import DeckOptions
from exporter.reading.nodes import NodeReader, describe, is_empty

_STEP = re.compile(r"(\d{1,6}(?:\.\d{1,3})?)([smhd])")
_MINUTES = {"s": 1 / 60, "m": 1.0, "h": 60.0, "d": 1440.0}
_RETENTION = re.compile(r"0?\.\d{1,4}")
_STEP_RULE = "a time like 10m, 1h or 1d (a number, then s, m, h or d)"


def _whole(low: int, high: int, example: int, unit: str = "whole number") -> tuple[str, Callable[[str], object]]:
    def parse(text: str) -> int | None:
        number = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None
        return number if number is not None and low <= number <= high else None

    return f"a {unit} from {low} to {high}, like {example}", parse


def _retention(text: str) -> float | None:
    if not _RETENTION.fullmatch(text):
        return None
    value = float(text)
    return value if 0.7 <= value <= 0.99 else None


#: Each option: what a value must be (for the message) and how its text is read (None if it does not fit).
_SCALARS: dict[str, tuple[str, Callable[[str], object]]] = {
    "new_cards_per_day": _whole(0, 9999, 15),
    "reviews_per_day": _whole(0, 9999, 150),
    "desired_retention": ("a decimal from 0.70 to 0.99, like 0.9", _retention),
    "maximum_interval": _whole(1, 36500, 365, "number of days"),
}
_STEPS = ("learning_steps", "relearning_steps")
#: the keys 'options:' takes, in the order the messages name them: DeckOptions' fields
_OPTION_KEYS = tuple(option.name for option in fields(DeckOptions))


def read_options(reader: NodeReader, node: yaml.Node, key_node: yaml.Node) -> DeckOptions | None:
    """The deck's options (Anki's defaults for the keys not given); None, the problems noted, if one is wrong."""
    if is_empty(node):
        reader.problem(key_node, f"'options' is empty; set one or more of {', '.join(_OPTION_KEYS)}, or remove it")
        return None
    before = len(reader.problems)
    values = reader.mapping(node, "'options'", _OPTION_KEYS)
    given: dict[str, object] = {}
    for key, (value_node, _) in values.items():
        value = _steps(reader, key, value_node) if key in _STEPS else _scalar(reader, key, value_node)
        if value is not None:
            given[key] = value
    if len(reader.problems) > before:
        return None
    return replace(DeckOptions(), **given)  # type: ignore[arg-type]


def _scalar(reader: NodeReader, key: str, node: yaml.Node) -> object | None:
    rule, parse = _SCALARS[key]
    text = node.value.strip() if isinstance(node, yaml.ScalarNode) and not is_empty(node) else None
    value = parse(text) if text is not None else None
    if value is None:
        reader.problem(node, f"'{key}' must be {rule}, not {describe(node)}")
    return value


def _steps(reader: NodeReader, key: str, node: yaml.Node) -> tuple[float, ...] | None:
    """Steps as a list ([1m, 10m]) or as Anki writes them ('1m 10m'), in minutes."""
    if isinstance(node, yaml.ScalarNode) and not is_empty(node):
        items = [(part, node) for part in node.value.split()]
    elif isinstance(node, yaml.SequenceNode):
        items = [(item.value.strip() if isinstance(item, yaml.ScalarNode) else None, item) for item in node.value]
    else:
        reader.problem(node, f"'{key}' must be a list of steps like [1m, 10m], not {describe(node)}")
        return None
    minutes = []
    for text, item in items:
        step = _STEP.fullmatch(text) if text is not None and not is_empty(item) else None
        if step is None or float(step[1]) == 0:
            shown = f"the text '{text}'" if text and item is node else describe(item)
            reader.problem(item, f"an item of '{key}' must be {_STEP_RULE}, not {shown}")
            continue
        minutes.append(round(float(step[1]) * _MINUTES[step[2]], 4))
    return tuple(minutes)
