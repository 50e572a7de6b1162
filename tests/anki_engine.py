"""Drive Anki's own engine (the `anki` package) the way the apps import and show decks."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest, ImportCsvRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

#: The import dialog's "Update notes: Always".
UPDATE_ALWAYS = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS


def fresh_collection(folder: Path, name: str = "collection.anki2") -> Collection:
    """An empty collection, as a new learner's phone has."""
    return Collection(str(folder / name))


def import_apkg(collection: Collection, package: Path, **options: object):  # type: ignore[no-untyped-def]
    """Import a package with the import dialog's default options (or the ones given); return the log."""
    request = ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions(**options))
    log = collection.import_anki_package(request).log
    collection.models._clear_cache()
    return log


def import_csv(collection: Collection, csv_path: Path):  # type: ignore[no-untyped-def]
    """Import a CSV file with nothing mapped by hand: only what its header lines say."""
    metadata = collection.get_csv_metadata(path=str(csv_path), delimiter=None)
    return collection.import_csv(ImportCsvRequest(path=str(csv_path), metadata=metadata)).log


def notes_by_guid(collection: Collection) -> dict:  # type: ignore[type-arg]
    return {note.guid: note for note in (collection.get_note(nid) for nid in collection.find_notes(""))}


def deck_of(collection: Collection, card) -> str:  # type: ignore[no-untyped-def]
    return collection.decks.name(card.did)


def card_html(html: str) -> str:
    """The card's HTML without the <style> block the engine puts in front."""
    return html.split("</style>", 1)[-1]


def visible_text(html: str) -> str:
    """What a learner reads: the card's text without tags, attributes or the style block."""
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = _Text()
    parser.feed(card_html(html))
    return " ".join(" ".join(parser.parts).split())
