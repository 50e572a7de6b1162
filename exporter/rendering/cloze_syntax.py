"""How a cloze deletion is written, {{c2::hidden words::hint}}, read the way Anki's engine reads it (rslib's
cloze.rs): the one place every module that looks for deletions takes it from, so the checks, the notes, the
review page, the changelog and the comparison agree with each other and with what learners get
(tests/test_cloze_in_anki.py holds them to Anki's engine). The JSON schema for editors (schema/topic.schema.json)
spells the opening out again, since JSON cannot import it."""

from __future__ import annotations

import re

#: The opening of a deletion, its number captured. Anki's number is ASCII digits only: '{{c١::' (an
#: Arabic-Indic one) opens nothing and makes no card, so \d, which matches every script's digits, would be wrong.
OPENING = re.compile(r"\{\{c([0-9]+)::")

#: A whole deletion: its number, its answer, its hint (None when it has none). It ends at the first '}}', and
#: the answer at the first '::' after the opening; the hint is everything between, single braces included, as
#: Anki shows it. Nested deletions are not read (the checks refuse them in a card's text).
DELETION = re.compile(r"\{\{c([0-9]+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


def with_gaps(text: str) -> str:
    """The text as the front of its cards shows it: each deletion a gap, "[hint]", or "[…]" without one."""
    return DELETION.sub(lambda deletion: f"[{deletion.group(3) or '…'}]", text)
