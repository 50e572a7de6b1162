"""Turn reviewed flashcard definitions in YAML into Anki decks and CSV."""
