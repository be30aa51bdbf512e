"""The conversation: time, nick and text per line, own lines set apart, system lines for
room changes, links clickable, text selectable. Rendered as HTML in a QTextBrowser, which
gives selection, copy and link handling for free."""

from __future__ import annotations

import hashlib
import html
import re
from collections import deque
from datetime import datetime

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QFontInfo, QPalette, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QWidget

MAX_BLOCKS = 5000
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)
# Ids remembered for de-duplication: far more than history (100) and a host's backlog can
# replay, and bounded, so a day of chat does not grow the window's memory without limit.
MAX_SHOWN_IDS = 4 * MAX_BLOCKS


def linkify(text: str) -> str:
    """Escape text for HTML and turn URLs into links; newlines become line breaks."""
    out, last = [], 0
    for match in URL_RE.finditer(text):
        out.append(html.escape(text[last:match.start()]))
        url = match.group(0)
        href = url if "://" in url else f"http://{url}"
        out.append(f'<a href="{html.escape(href, quote=True)}">{html.escape(url)}</a>')
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out).replace("\n", "<br>")


def nick_color(nick: str, dark: bool) -> QColor:
    """A stable colour per nick, light on dark backgrounds and dark on light ones."""
    hue = int.from_bytes(hashlib.blake2s(nick.encode()).digest()[:2], "big") % 360
    return QColor.fromHsl(hue, 150, 170 if dark else 85)


class ChatView(QTextBrowser):
    """Appends lines; keeps following the newest line unless the user scrolled up to read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatView")
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._open_link)
        self.document().setMaximumBlockCount(MAX_BLOCKS)
        self.document().setDocumentMargin(8)
        self._shown_order: deque[str] = deque()  # oldest first, to forget beyond MAX_SHOWN_IDS
        self._shown: set[str] = set()
        self._lines = 0

    @property
    def line_count(self) -> int:
        return self._lines

    def clear_all(self) -> None:
        """Empty the view and forget which ids it showed (another room starts afresh)."""
        self.clear()
        self._shown_order.clear()
        self._shown.clear()
        self._lines = 0

    def add_message(self, message_id: str, nick: str, text: str, ts: float, own: bool, history: bool) -> bool:
        """Show a chat line once per id (history and the host's backlog overlap); False if shown."""
        if message_id in self._shown:
            return False
        self._remember(message_id)
        palette = self.palette()
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        dim = palette.color(QPalette.ColorRole.PlaceholderText).name()
        stamp = datetime.fromtimestamp(ts).strftime("%H:%M" if not history else "%m-%d %H:%M")
        name_color = palette.color(QPalette.ColorRole.Highlight).name() if own else nick_color(nick, dark).name()
        body = linkify(text)
        if history:
            body = f'<span style="color:{dim}">{body}</span>'
        block = self._block_format(top=3)
        if own:
            tint = palette.color(QPalette.ColorRole.Highlight)
            tint.setAlpha(36)
            block.setBackground(tint)
        self._append(block,
                     f'{self._stamp(stamp, dim)}&nbsp; '
                     f'<b style="color:{name_color}">{html.escape(nick)}</b>&nbsp; {body}')
        return True

    def _remember(self, message_id: str) -> None:
        if len(self._shown_order) >= MAX_SHOWN_IDS:
            self._shown.discard(self._shown_order.popleft())
        self._shown_order.append(message_id)
        self._shown.add(message_id)

    def add_system(self, text: str) -> None:
        """A line about the room itself (joins, leaves, host changes), centred and dimmed."""
        dim = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        stamp = datetime.now().strftime("%H:%M")
        self._append(self._block_format(top=2, centred=True),
                     f'<i style="color:{dim}">{self._stamp(stamp, dim)} · {html.escape(text)}</i>')

    def add_separator(self, text: str) -> None:
        """A rule with a caption, e.g. to mark where history ends."""
        dim = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        self._append(self._block_format(top=8, centred=True), f'<span style="color:{dim}">── {html.escape(text)} ──</span>')

    def _stamp(self, stamp: str, color: str) -> str:
        """The time in the widget's resolved family: otherwise, on a line that goes on in Hangul,
        fontconfig draws the digits with the CJK font and they shrink."""
        family = html.escape(QFontInfo(self.font()).family(), quote=True)
        return f'<span style="color:{color}; font-family:\'{family}\'">{stamp}</span>'

    @staticmethod
    def _block_format(top: int, centred: bool = False) -> QTextBlockFormat:
        block = QTextBlockFormat()
        block.setTopMargin(top)
        block.setLeftMargin(4)
        block.setRightMargin(4)
        if centred:
            block.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        return block

    def _append(self, block: QTextBlockFormat, fragment: str) -> None:
        """One paragraph per line; its format is set on the block so nothing bleeds into the next."""
        bar = self.verticalScrollBar()
        following = bar.value() >= bar.maximum() - 4
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if self._lines:
            cursor.insertBlock(block, QTextCharFormat())
        cursor.insertHtml(fragment)
        cursor.setBlockFormat(block)  # again: insertHtml resets the first block's format
        self._lines += 1
        if following:
            bar.setValue(bar.maximum())

    def _open_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
