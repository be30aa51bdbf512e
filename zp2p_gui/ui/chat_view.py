"""The conversation: time, nick and text per line, own lines set apart, system lines for
room changes, links clickable, text selectable. Rendered as HTML in a QTextBrowser, which
gives selection, copy and link handling for free."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import datetime

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QDesktopServices, QPalette, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QWidget

MAX_BLOCKS = 5000
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)


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
        self._shown: set[str] = set()
        self._lines = 0

    @property
    def line_count(self) -> int:
        return self._lines

    def has_message(self, message_id: str) -> bool:
        return message_id in self._shown

    def clear_all(self) -> None:
        """Empty the view and forget which ids it showed (another room starts afresh)."""
        self.clear()
        self._shown.clear()
        self._lines = 0

    def add_message(self, message_id: str, nick: str, text: str, ts: float, own: bool, history: bool) -> bool:
        """Show a chat line once per id (history and the host's backlog overlap); False if shown."""
        if message_id in self._shown:
            return False
        self._shown.add(message_id)
        palette = self.palette()
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        dim = palette.color(QPalette.ColorRole.PlaceholderText).name()
        stamp = datetime.fromtimestamp(ts).strftime("%H:%M" if not history else "%m-%d %H:%M")
        name_color = palette.color(QPalette.ColorRole.Highlight).name() if own else nick_color(nick, dark).name()
        body = linkify(text)
        if history:
            body = f'<span style="color:{dim}">{body}</span>'
        background = ""
        if own:
            tint = palette.color(QPalette.ColorRole.Highlight)
            tint.setAlpha(40)
            background = f" background-color:rgba({tint.red()},{tint.green()},{tint.blue()},{tint.alpha()});"
        self._append(
            f'<p style="margin:2px 0;{background}">'
            f'<span style="color:{dim}">{stamp}</span>&nbsp; '
            f'<b style="color:{name_color}">{html.escape(nick)}</b>&nbsp; {body}</p>')
        return True

    def add_system(self, text: str) -> None:
        """A line about the room itself (joins, leaves, host changes), centred and dimmed."""
        dim = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        stamp = datetime.now().strftime("%H:%M")
        self._append(f'<p align="center" style="margin:4px 0; color:{dim}"><i>{stamp} · {html.escape(text)}</i></p>')

    def add_separator(self, text: str) -> None:
        """A rule with a caption, e.g. to mark where history ends."""
        dim = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        self._append(f'<p align="center" style="margin:6px 0; color:{dim}">── {html.escape(text)} ──</p>')

    def _append(self, fragment: str) -> None:
        bar = self.verticalScrollBar()
        following = bar.value() >= bar.maximum() - 4
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if self._lines:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())  # no formatting bleeds over
        cursor.insertHtml(fragment)
        self._lines += 1
        if following:
            bar.setValue(bar.maximum())

    def _open_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
