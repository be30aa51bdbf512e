"""The conversation: time, nick and text per line, own lines set apart, system lines for
room changes, links clickable, text selectable. Rendered as HTML in a QTextBrowser, which
gives selection, copy and link handling for free.

It follows the newest line while the user is at the bottom, also across resizes and language
switches (which re-wrap the text); a user who scrolled up to read stays there and gets a
"↓ N new messages" button instead."""

from __future__ import annotations

import hashlib
import html
import re
from collections import deque
from datetime import datetime

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFontInfo,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QPushButton, QTextBrowser, QWidget

MAX_BLOCKS = 5000
BOTTOM_SLACK_PX = 4  # "at the bottom" tolerates a few pixels of rounding
BUTTON_MARGIN_PX = 10
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
        self._following = True
        self._unseen = 0
        self.new_lines_button = QPushButton(self)
        self.new_lines_button.setObjectName("newLinesButton")
        self.new_lines_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.new_lines_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.new_lines_button.clicked.connect(self.scroll_to_bottom)
        self.new_lines_button.setStyleSheet(
            "#newLinesButton { border: none; border-radius: 12px; padding: 4px 14px;"
            " background: palette(highlight); color: palette(highlighted-text); font-weight: bold; }")
        self.new_lines_button.hide()
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range_changed)

    @property
    def following(self) -> bool:
        """True while new lines scroll into view (the user is at the bottom)."""
        return self._following

    @property
    def at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - BOTTOM_SLACK_PX

    @property
    def unseen(self) -> int:
        """Lines added below the view since the user scrolled up."""
        return self._unseen

    def scroll_to_bottom(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
        self._following = True
        self._set_unseen(0)

    def _on_scrolled(self, _value: int) -> None:
        """Only a scroll decides whether to follow; a re-wrap changes the range, not the intent."""
        self._following = self.at_bottom
        if self._following:
            self._set_unseen(0)

    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._following:
            self.verticalScrollBar().setValue(maximum)

    def _set_unseen(self, count: int) -> None:
        self._unseen = count
        self.new_lines_button.setVisible(count > 0)
        if count:
            self.new_lines_button.setText(self._new_lines_text(count))
            self._place_button()

    def _new_lines_text(self, count: int) -> str:
        return self.tr("↓ %n new message(s)", "", count)

    def _place_button(self) -> None:
        """Centred over the bottom of the text, clear of the scroll bar."""
        button = self.new_lines_button
        button.adjustSize()
        area = self.viewport().geometry()
        button.move(area.center().x() - button.width() // 2, area.bottom() - button.height() - BUTTON_MARGIN_PX)
        button.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._unseen:
            self._place_button()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self._unseen:
            self._set_unseen(self._unseen)
        super().changeEvent(event)

    @property
    def line_count(self) -> int:
        return self._lines

    def clear_all(self) -> None:
        """Empty the view and forget which ids it showed (another room starts afresh)."""
        self.clear()
        self._shown_order.clear()
        self._shown.clear()
        self._lines = 0
        self.scroll_to_bottom()

    def add_message(self, message_id: str, nick: str, text: str, ts: float, own: bool, history: bool,
                    mark: str = "") -> bool:
        """Show a chat line once per id (history and the host's backlog overlap); False if shown.
        `mark` is a small dim word after the text (a direct message's delivery mark)."""
        if message_id in self._shown:
            return False
        self._remember(message_id)
        self._append(*self._message_line(nick, text, ts, own, history, mark))
        return True

    def _message_line(self, nick: str, text: str, ts: float, own: bool, history: bool,
                      mark: str = "") -> tuple[QTextBlockFormat, str]:
        """The block format and HTML of one chat line."""
        palette = self.palette()
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        dim = palette.color(QPalette.ColorRole.PlaceholderText).name()
        stamp = datetime.fromtimestamp(ts).strftime("%H:%M" if not history else "%m-%d %H:%M")
        name_color = palette.color(QPalette.ColorRole.Highlight).name() if own else nick_color(nick, dark).name()
        body = linkify(text)
        if history:
            body = f'<span style="color:{dim}">{body}</span>'
        if mark:
            body += f'&nbsp; <span style="color:{dim}; font-size:small">{html.escape(mark)}</span>'
        block = self._block_format(top=3)
        if own:
            tint = palette.color(QPalette.ColorRole.Highlight)
            tint.setAlpha(36)
            block.setBackground(tint)
        return block, (f'{self._stamp(stamp, dim)}&nbsp; '
                       f'<b style="color:{name_color}">{html.escape(nick)}</b>&nbsp; {body}')

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
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if self._lines:
            cursor.insertBlock(block, QTextCharFormat())
        cursor.insertHtml(fragment)
        cursor.setBlockFormat(block)  # again: insertHtml resets the first block's format
        self._lines += 1
        if self._following:
            self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())
        else:
            self._set_unseen(self._unseen + 1)

    def _open_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
