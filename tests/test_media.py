"""Images and sounds: bundled under content-hashed flat names, shown by the real engine, problems reported."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from exporter.errors import ExporterError
from exporter.pipeline.build import build
from exporter.pipeline.checked_stream import check
from exporter.rendering.notes import note_guid
from tests.anki_engine import card_html, fresh_collection, import_apkg, notes_by_guid
from tests.support import bump_version, snapshot, tiny_png

MAP_CARD = (
    "subdeck: Maps\ncards:\n  - id: liberia-counties\n    kind: basic\n"
    "    question: |\n      ![Map of Liberia](maps/liberia.png)\n      Which two things did county support teams do?\n"
    "    answer: |\n      - strengthen local government\n      - extend state authority\n"
    "    extra: '[sound:briefing.mp3]'\n    source: {slide: 16}\n"
)


@pytest.fixture
def media_cards(valid_cards: Path) -> Path:
    (valid_cards / "media" / "maps").mkdir(parents=True)
    (valid_cards / "media" / "maps" / "liberia.png").write_bytes(tiny_png(200))
    (valid_cards / "media" / "briefing.mp3").write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00fake audio")
    (valid_cards / "03-maps.yaml").write_text(MAP_CARD)
    return valid_cards


def stored(data: bytes, stem: str, suffix: str) -> str:
    return f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}{suffix}"


def test_image_and_list_reach_the_learner(tmp_path: Path, media_cards: Path) -> None:
    out = tmp_path / "dist"
    build(media_cards, out)
    col = fresh_collection(tmp_path)
    import_apkg(col, out / "test-deck.apkg")
    (card,) = notes_by_guid(col)[note_guid("test-deck", "liberia-counties")].cards()
    image = stored(tiny_png(200), "liberia", ".png")
    assert card_html(card.question()) == (
        f'<div class="prompt"><img src="{image}" alt="Map of Liberia"><br>'
        "Which two things did county support teams do?</div>"
    )
    assert "<ul>\n<li>strengthen local government</li>\n<li>extend state authority</li>\n</ul>" in card_html(
        card.answer()
    )
    sound = stored(b"ID3\x03\x00\x00\x00\x00\x00\x00fake audio", "briefing", ".mp3")
    assert "[anki:play:a:0]" in card.answer()
    media_dir = Path(col.media.dir())
    assert (media_dir / image).read_bytes() == tiny_png(200)
    assert (media_dir / sound).exists()


def test_changed_image_arrives_under_a_new_name(
    tmp_path: Path, media_cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    build(media_cards, out)
    col = fresh_collection(tmp_path)
    import_apkg(col, out / "test-deck.apkg")
    (media_cards / "media" / "maps" / "liberia.png").write_bytes(tiny_png(10))
    bump_version(media_cards, "1.0.1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764100000")
    build(media_cards, out)
    import_apkg(col, out / "test-deck.apkg")
    note = notes_by_guid(col)[note_guid("test-deck", "liberia-counties")]
    new_name = stored(tiny_png(10), "liberia", ".png")
    assert f'src="{new_name}"' in note["Question"]
    assert (Path(col.media.dir()) / new_name).read_bytes() == tiny_png(10)


def _messages(cards: Path) -> list[str]:
    return [str(problem) for problem in check(cards).problems]


def test_missing_media_is_an_error(media_cards: Path) -> None:
    (media_cards / "media" / "briefing.mp3").unlink()
    assert _messages(media_cards) == [
        f"{media_cards}/03-maps.yaml:11:5: media file 'briefing.mp3' is not in the media/ folder beside deck.yaml; "
        "add it or fix the name; the folder has: maps/liberia.png"
    ]
    with pytest.raises(ExporterError):
        build(media_cards, media_cards.parent / "out")


def test_unused_unsupported_and_oversized_media(media_cards: Path) -> None:
    media = media_cards / "media"
    (media / "old.png").write_bytes(tiny_png(1))
    (media / "logo.svg").write_text("<svg onload='alert(1)'/>")
    with open(media / "briefing.mp3", "r+b") as stream:
        stream.truncate(6 * 1024 * 1024)
    assert _messages(media_cards) == [
        f"{media}/briefing.mp3: the file is 6.0 MB, more than the 5 MB a phone deck allows; make it smaller",
        f"{media}/logo.svg: '.svg' files cannot be shown on cards; use one of: .gif, .jpeg, .jpg, .m4a, .mp3, "
        ".ogg, .opus, .png, .wav, .webp",
        f"{media}/old.png: warning: no card uses this media file; refer to it or delete it",
    ]
    assert os.path.getsize(media / "briefing.mp3") == 6 * 1024 * 1024


def test_reference_outside_the_media_folder_is_missing(media_cards: Path) -> None:
    topic = media_cards / "03-maps.yaml"
    topic.write_text(topic.read_text().replace("maps/liberia.png", "../deck.yaml"))
    assert _messages(media_cards)[0].endswith(
        "media file '../deck.yaml' is not in the media/ folder beside deck.yaml; add it or fix the name; the folder "
        "has: briefing.mp3, maps/liberia.png"
    )


def test_diff_after_a_build_with_media_shows_no_change(tmp_path: Path, media_cards: Path) -> None:
    from click.testing import CliRunner

    from exporter.cli import main

    out = tmp_path / "dist"
    build(media_cards, out)
    result = CliRunner().invoke(main, ["diff", str(media_cards), "-o", str(out)])
    assert (result.exit_code, result.stdout) == (
        0,
        "Changes since 1.0.0:\n\nNo card changes.\n\n**On import:** Nothing to do but import the file; progress is kept.\n",
    )


def _outside(cards: Path) -> Path:
    """A folder beside the card set holding the media the cards use (what a link would bring in)."""
    outside = cards.parent / "outside"
    shutil.copytree(cards / "media", outside)
    return outside


def _linked_media_folder(cards: Path) -> None:
    outside = _outside(cards)
    shutil.rmtree(cards / "media")
    (cards / "media").symlink_to(outside)


def _linked_file(cards: Path) -> None:
    outside = _outside(cards)
    (cards / "media" / "briefing.mp3").unlink()
    (cards / "media" / "briefing.mp3").symlink_to(outside / "briefing.mp3")


def _linked_subfolder(cards: Path) -> None:
    outside = _outside(cards)
    shutil.rmtree(cards / "media" / "maps")
    (cards / "media" / "maps").symlink_to(outside / "maps")


def _huge_file(cards: Path) -> None:
    with open(cards / "media" / "briefing.mp3", "r+b") as stream:
        stream.truncate(3 * 1024**3)  # sparse: more than the build may hold in memory (see the limit below)


_MISSING = "{cards}/03-maps.yaml:{line}:5: media file '{name}' is not in the media/ folder beside deck.yaml; add it or fix the name"
# (id, what is done to the media folder after a release, exact stderr of the next build)
BAD_MEDIA = [
    (
        "linked-media-folder",
        _linked_media_folder,
        [
            _MISSING.format(cards="{cards}", line=5, name="maps/liberia.png"),
            _MISSING.format(cards="{cards}", line=11, name="briefing.mp3"),
            "{cards}/media: the media folder links outside the card folder; make it a folder of its own and copy the "
            "files in",
        ],
    ),
    (
        "linked-file",
        _linked_file,
        [
            _MISSING.format(cards="{cards}", line=11, name="briefing.mp3") + "; the folder has: maps/liberia.png",
            "{cards}/media/briefing.mp3: the media file links outside the card folder; copy it in instead",
        ],
    ),
    (
        "linked-subfolder",
        _linked_subfolder,
        [
            _MISSING.format(cards="{cards}", line=5, name="maps/liberia.png") + "; the folder has: briefing.mp3",
            "{cards}/media/maps: the folder is a link, which the media folder does not follow; copy the files in "
            "instead",
        ],
    ),
    (
        "huge-file",
        _huge_file,
        [
            "{cards}/media/briefing.mp3: the file is 3072.0 MB, more than the 5 MB a phone deck allows; make it "
            "smaller",
        ],
    ),
]


@pytest.mark.parametrize(
    ("spoil", "expected"), [case[1:] for case in BAD_MEDIA], ids=[case[0] for case in BAD_MEDIA]
)
def test_media_from_outside_or_too_big_is_refused_before_reading(
    tmp_path: Path, media_cards: Path, spoil: Callable[[Path], None], expected: list[str]
) -> None:
    out = tmp_path / "dist"
    build(media_cards, out)
    spoil(media_cards)
    before = snapshot(out)

    def limit_memory() -> None:  # reading the huge file whole would fail, with a traceback
        resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))

    result = subprocess.run(
        [sys.executable, "-m", "exporter", "build", str(media_cards), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit_memory,
    )
    errors = [line.format(cards=media_cards) for line in expected]
    failed = f"failed: {len(errors)} problem{'s' if len(errors) > 1 else ''}"
    assert (result.returncode, result.stdout, result.stderr) == (1, "", "\n".join([*errors, failed, ""]))
    assert snapshot(out) == before
