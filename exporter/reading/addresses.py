"""Whether a text is a download address learners' phones can open: the install sheet prints it and its QR code."""

from __future__ import annotations

from urllib.parse import urlsplit

#: Longer addresses make a QR code too dense to scan from paper.
MAX_LENGTH = 500


def download_url_fault(url: str) -> str | None:
    """What is wrong with the address, with the fix, or None if it is a usable https address."""
    if any(char.isspace() or not char.isprintable() for char in url):
        return "holds a space or an invisible character; copy the address again from the browser's address bar"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as error:
        return f"is not a web address ({error}); copy it from the browser's address bar"
    if parts.scheme != "https":
        return "is not an https address; give the whole address, starting with https://"
    if not host or "." not in host:
        return "has no host name (as in https://example.org/deck.apkg); give the whole address"
    if parts.username is not None or parts.password is not None:
        return "holds a user name or password; share a link that needs neither"
    if len(url) > MAX_LENGTH:
        return f"is longer than {MAX_LENGTH} characters, too long for a QR code to scan; use a shorter link"
    return None
