"""The review page's styles: its own, and the deck's card CSS confined to the phone frames that show the cards.

In the apps the card's HTML sits in a body with the classes "card cardN" (plus "nightMode night_mode" at
night). The page gives each card that body as a <div class="card …"> inside a <div class="rv-phone">, and every
rule of the card CSS is prefixed with ".rv-phone" ("body" and "html" mapped to that div and the frame), so it
styles the cards exactly as on the phone and nothing else on the page.
"""

from __future__ import annotations

import re

PHONE = "rv-phone"

#: Each review state: its label on the page, its text colour and its background. A state not listed shows as
#: written, in grey; the states' classes are "rv-state-" and the state with dashes for spaces.
REVIEW_STATES: dict[str, tuple[str, str, str]] = {
    "draft": ("draft", "#7a4a00", "#fff1d6"),
    "needs-change": ("needs change", "#8a1c1c", "#fde4e4"),
    "needs re-review": ("needs re-review", "#8a1c1c", "#fde4e4"),
    "approved": ("approved", "#1d5e20", "#e3f4e3"),
}

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_ROOT = re.compile(r"^(?:html|:root)(?![\w-])")
_BODY = re.compile(r"^body(?![\w-])")
#: At-rules whose blocks hold rules to scope; others (@font-face, @keyframes) are kept as they are.
_GROUPING_RULES = ("@media", "@supports", "@container", "@layer")
#: At-rules that would reach outside the frame (the page's print size): dropped, as are statements (@import).
_DROPPED_RULES = ("@page",)


def scoped_css(css: str) -> str:
    """The card CSS, applying only inside the page's phone frames."""
    return _scope_block(_COMMENT.sub("", css)).strip() + "\n"


def _scope_block(css: str) -> str:
    out = []
    position = 0
    while position < len(css):
        brace = css.find("{", position)
        semicolon = css.find(";", position)
        if brace == -1 or -1 < semicolon < brace:
            # a statement without a block (@import …; @charset …;): nothing a card needs, dropped
            position = len(css) if semicolon == -1 else semicolon + 1
            continue
        close = _matching_brace(css, brace)
        head, body = css[position:brace].strip(), css[brace + 1 : close]
        position = close + 1
        if head.startswith(_DROPPED_RULES):
            continue
        if head.startswith(_GROUPING_RULES):
            out.append(f"{head} {{\n{_scope_block(body)}\n}}")
        elif head.startswith("@"):
            out.append(f"{head} {{{body}}}")
        else:
            out.append(f"{_scope_selectors(head)} {{{body}}}")
    return "\n".join(out)


def _matching_brace(css: str, opening: int) -> int:
    depth = 0
    for position in range(opening, len(css)):
        if css[position] == "{":
            depth += 1
        elif css[position] == "}":
            depth -= 1
            if depth == 0:
                return position
    return len(css)


def _scope_selectors(selectors: str) -> str:
    scoped = []
    for selector in _split_selectors(selectors):
        if _ROOT.match(selector):
            scoped.append(_ROOT.sub(f".{PHONE}", selector, count=1))
        else:
            scoped.append(f".{PHONE} {_BODY.sub('.card', selector, count=1)}")
    return ", ".join(scoped)


def _split_selectors(selectors: str) -> list[str]:
    """Split at top-level commas, not those inside :is(…) or [attr="a,b"]."""
    parts, depth, start = [], 0, 0
    for position, character in enumerate(selectors):
        if character in "([":
            depth += 1
        elif character in ")]":
            depth -= 1
        elif character == "," and depth == 0:
            parts.append(selectors[start:position])
            start = position + 1
    parts.append(selectors[start:])
    return [" ".join(part.split()) for part in parts if part.strip()]


_STATE_CSS = "".join(
    f".rv-state-{'-'.join(state.split())} {{ color: {colour}; background: {background}; }}\n"
    for state, (_, colour, background) in REVIEW_STATES.items()
)

PAGE_CSS = f"""\
*, *::before, *::after {{ box-sizing: border-box; }}
body.rv {{
  margin: 0; padding: 16px; background: #f3f3f1; color: #1a1a1a;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  overflow-wrap: anywhere;
}}
.rv-page {{ max-width: 1500px; margin: 0 auto; }}
.rv h1 {{ font-size: 26px; margin: 0 0 4px; }}
.rv h2 {{ font-size: 20px; margin: 28px 0 10px; }}
.rv-lead {{ margin: 0 0 12px; color: #3d3d3d; }}
.rv-box {{ background: #fff; border: 1px solid #d4d4d0; border-radius: 8px; padding: 12px 16px; margin: 12px 0; }}
.rv-box h2 {{ margin-top: 4px; }}
.rv-table {{ border-collapse: collapse; width: 100%; font-size: 15px; }}
.rv-table th, .rv-table td {{ text-align: left; padding: 4px 8px; border-bottom: 1px solid #e2e2de;
  vertical-align: top; }}
.rv-table th {{ overflow-wrap: normal; }}
.rv-table .rv-n {{ text-align: right; }}
.rv-table td.rv-n {{ white-space: nowrap; }}
.rv-tables {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(min(340px, 100%), 1fr)); gap: 16px;
  align-items: start; }}
.rv-zero {{ color: #a40000; font-weight: 600; }}
.rv-list {{ margin: 4px 0 8px; padding-left: 22px; }}
.rv-controls {{ display: flex; flex-wrap: wrap; gap: 8px 20px; margin: 12px 0; }}
.rv-controls label {{ cursor: pointer; }}
.rv-changes {{ border-color: #b35c00; background: #fff8ef; }}
.rv-subdeck {{ border-bottom: 2px solid #1a1a1a; padding-bottom: 4px; }}
.rv-card {{ background: #fff; border: 1px solid #c9c9c4; border-radius: 8px; padding: 12px 16px;
  margin: 0 0 16px; break-inside: avoid; page-break-inside: avoid; }}
.rv-card.rv-changed {{ border: 2px solid #b35c00; border-left-width: 10px; background: #fff8ef; }}
.rv-card-head {{ display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 10px; margin-bottom: 6px; }}
.rv-title {{ font-size: 19px; line-height: 1.35; margin: 0; flex: 1 1 100%; }}
.rv-id {{ font: 13px/1.3 ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; color: #55606e;
  overflow-wrap: anywhere; }}
.rv-task {{ border: 2px solid #0b4a8f; background: #f2f7fd; }}
.rv-task ol {{ margin: 4px 0 8px; padding-left: 22px; }}
.rv-task li {{ margin: 2px 0; }}
.rv-contents td a {{ font-weight: 600; }}
.rv-badge {{ display: inline-block; font-size: 13px; font-weight: 600; padding: 1px 8px; border-radius: 10px;
  border: 1px solid currentColor; white-space: nowrap; }}
.rv-kind {{ color: #3d3d3d; }}
{_STATE_CSS}.rv-state-other {{ color: #3d3d3d; background: #ececec; }}
.rv-new, .rv-changed-badge, .rv-restored {{ color: #fff; background: #9a4d00; border-color: #9a4d00; }}
.rv-meta {{ display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 8px;
  font-size: 15px; }}
.rv-meta dt {{ font-weight: 600; color: #3d3d3d; }}
.rv-meta dd {{ margin: 0; overflow-wrap: anywhere; }}
.rv-warnings {{ margin: 6px 0; padding: 6px 10px 6px 28px; background: #fff4f4; border: 1px solid #d99;
  border-radius: 6px; font-size: 14px; color: #7a0000; overflow-wrap: anywhere; }}
.rv-excerpt {{ margin: 8px 0; padding: 6px 12px; border-left: 4px solid #6b7f99; background: #f4f6f9;
  font-size: 15px; }}
.rv-excerpt figcaption {{ font-weight: 600; color: #34465c; }}
.rv-excerpt blockquote {{ margin: 0; }}
.rv-excerpt p {{ margin: 4px 0; }}
.rv-grounding {{ font-size: 90%; color: #34465c; }}
.rv-grounded::before {{ content: "✓ "; color: #2e7d32; }}
.rv-ungrounded {{ color: #8a4b00; font-weight: 600; }}
.rv-excerpt mark {{ background: #fff1a8; color: inherit; padding: 0 1px; }}
.rv-since-approval {{ border-left: 4px solid #c2410c; padding: 0 0 0 10px; margin: 8px 0; }}
.rv-since-approval del {{ background: #fde4e4; color: #8a1c1c; }}
.rv-since-approval ins {{ background: #e3f4e3; color: #1d5e20; text-decoration: none; font-weight: 600; }}
.rv-source-edits {{ margin: 0 0 16px; }}
.rv-answer-check {{ margin: 6px 0 2px; }}
.rv-answer-note {{ font-size: 90%; color: #34465c; }}
.rv-excerpt mark.rv-not-in-text, .rv-not-in-text {{ background: #fde4e4; color: #8a1c1c;
  text-decoration: underline wavy #c62828; text-underline-offset: 3px; }}
.rv-excerpt mark.rv-elsewhere, .rv-elsewhere {{ background: #eef0f3; color: #5a3d00;
  text-decoration: underline dotted #8a4b00; text-underline-offset: 3px; }}
.rv-print-only {{ display: none; }}
.rv-verdict {{ display: none; margin-top: 10px; border: 2px solid #1a1a1a; border-radius: 6px; padding: 6px 12px;
  break-inside: avoid; page-break-inside: avoid; }}
.rv-verdict p {{ margin: 4px 0; }}
.rv-tick {{ display: inline-block; width: 16px; height: 16px; border: 2px solid #1a1a1a; }}
.rv-verdict-fields {{ display: grid; gap: 6px 8px; align-items: end;
  grid-template-columns: max-content max-content max-content max-content max-content 2fr max-content 1fr; }}
.rv-blank, .rv-blank-line {{ display: block; border-bottom: 1px solid #555; height: 22px; }}
.rv-line {{ color: #55606e; font-size: 13px; margin-right: 6px; white-space: nowrap; }}
.rv-anki {{ margin-top: 10px; break-inside: avoid; page-break-inside: avoid; }}
.rv-anki h4 {{ font-size: 15px; margin: 0 0 6px; color: #3d3d3d; }}
.rv-sides {{ display: flex; flex-wrap: wrap; gap: 10px 16px; }}
.rv-pair {{ flex: 1 1 610px; display: grid; grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr));
  gap: 10px; align-items: start; }}
.rv-side {{ margin: 0; break-inside: avoid; page-break-inside: avoid; }}
.rv-side figcaption {{ font-size: 13px; color: #4d4d4d; margin-bottom: 2px; }}
.{PHONE} {{ border: 1px solid #9a9a96; border-radius: 10px; overflow: clip; max-width: 420px;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body.rv:has(#rv-night:not(:checked)) .rv-night {{ display: none; }}
body.rv:has(#rv-only-changed:checked) .rv-card:not(.rv-changed),
body.rv:has(#rv-only-changed:checked) .rv-subdeck {{ display: none; }}
.rv a {{ color: #0b4a8f; }}
@media (max-width: 480px) {{
  body.rv {{ padding: 8px; }}
  .rv-box, .rv-card {{ padding: 10px; }}
}}
@page {{ size: A4; margin: 12mm; }}
@media print {{
  body.rv {{ background: #fff; padding: 0; font-size: 12pt; }}
  .rv-controls, .rv-night {{ display: none !important; }}
  .rv-pair {{ grid-template-columns: 1fr 1fr; }}
  .rv-tables {{ grid-template-columns: 1fr; }}
  .rv-card {{ border-color: #777; }}
  .rv-box, .rv-card, .rv-changed {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
  .rv-verdict {{ display: block; padding: 4px 10px; }}
  .rv-blank, .rv-blank-line {{ height: 16px; }}
  .rv-card {{ padding: 8px 12px; font-size: 10.5pt; }}
  /* smaller details and phones, so that a card with its whole passage and its verdict box fits on a page */
  .rv-meta {{ font-size: 9pt; grid-template-columns: max-content 1fr max-content 1fr; }}
  .rv-excerpt {{ font-size: 9.5pt; }}
  /* a slide's whole block runs to pages of speaker's notes: on paper a card cites its lines instead */
  .rv-excerpt blockquote, .rv-screen-only {{ display: none; }}
  .rv-print-only {{ display: inline; }}
  .rv-anki {{ margin-top: 6px; }}
  .rv-anki h4 {{ font-size: 9pt; margin: 0 0 2px; }}
  .rv-sides {{ zoom: 0.45; }}
  .rv-ankis:has(> .rv-anki:nth-child(3)) {{ display: grid; grid-template-columns: 1fr 1fr; gap: 0 12px; }}
  .rv h2, .rv-card-head, .rv-meta, .rv-excerpt, .rv-anki h4 {{ break-after: avoid; page-break-after: avoid; }}
}}
"""
