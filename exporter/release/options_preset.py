"""The deck's options preset across releases: a new id and name whenever its values change.

Anki imports a package's preset only when the learner ticks *Import any deck presets*, and then switches the
deck to it only if its id is new to the collection (a known id with new values changes nothing). So a preset's
id must change exactly when its values do; the ledger remembers the last one, so a rebuild gives the same.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from exporter.model import DeckOptions
from exporter.rendering.notes import stable_id


@dataclass(frozen=True, slots=True)
class OptionsPreset:
    """One shipped version of the deck's options preset."""

    #: 1 for the first values shipped, then one more each time they change
    version: int
    id: int
    #: a hash of the values, to tell at the next build whether they changed
    hash: str

    def name(self, title: str) -> str:
        """The preset's name as learners see it in the deck options."""
        return f"{title} options v{self.version}"

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "id": self.id, "hash": self.hash}


def options_hash(options: DeckOptions) -> str:
    values = json.dumps(dataclasses.asdict(options), sort_keys=True)
    return hashlib.sha256(values.encode()).hexdigest()[:16]


def preset_after(
    previous: OptionsPreset | None, deck_id: str, options: DeckOptions | None
) -> OptionsPreset | None:
    """The preset this build ships (or, with no options, the last one, kept so a later one gets a new id)."""
    if options is None:
        return previous
    digest = options_hash(options)
    if previous is not None and previous.hash == digest:
        return previous
    version = previous.version + 1 if previous is not None else 1
    return OptionsPreset(version, stable_id("deck options", deck_id, version), digest)


def options_changed(previous: OptionsPreset | None, deck_id: str, options: DeckOptions | None) -> bool:
    """Whether this build ships other deck options than the last release (learners must be told: a new version)."""
    return preset_after(previous, deck_id, options) != previous


def preset_from_json(data: Any) -> OptionsPreset | None:
    """The preset a ledger's deck entry keeps, if any (errors as ledger_json.ledger_from_json)."""
    if data is None:
        return None
    return OptionsPreset(int(data["version"]), int(data["id"]), str(data["hash"]))
