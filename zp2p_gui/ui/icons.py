"""Icons drawn with QPainter: crisp at any device pixel ratio and no files to ship for them.
The app icon comes from resources/icons/zp2p.svg when present."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap

from .paths import resources_dir
from .status import State

STATE_COLORS = {
    State.OFFLINE: "#8a8f98",
    State.SEARCHING: "#2f80ed",
    State.HOSTING: "#8e44ad",
    State.CONNECTED: "#27ae60",
    State.RECONNECTING: "#e67e22",
    State.ERROR: "#d63031",
}
SIZES = (16, 24, 32, 48, 64)


def state_color(state: State) -> QColor:
    return QColor(STATE_COLORS[state])


def _glyph(state: State) -> QPainterPath:
    """A white mark in a 1x1 box that tells the states apart without relying on colour."""
    path = QPainterPath()
    if state is State.OFFLINE:
        path.moveTo(0.3, 0.5)
        path.lineTo(0.7, 0.5)
    elif state is State.SEARCHING:
        path.addEllipse(QPointF(0.45, 0.45), 0.17, 0.17)
        path.moveTo(0.57, 0.57)
        path.lineTo(0.72, 0.72)
    elif state is State.HOSTING:
        for y in (0.32, 0.5, 0.68):
            path.moveTo(0.3, y)
            path.lineTo(0.7, y)
    elif state is State.CONNECTED:
        path.moveTo(0.3, 0.52)
        path.lineTo(0.44, 0.66)
        path.lineTo(0.7, 0.36)
    elif state is State.RECONNECTING:
        path.arcMoveTo(QRectF(0.3, 0.3, 0.4, 0.4), 90)
        path.arcTo(QRectF(0.3, 0.3, 0.4, 0.4), 90, 270)
        path.moveTo(0.5, 0.3)
        path.lineTo(0.6, 0.22)
        path.moveTo(0.5, 0.3)
        path.lineTo(0.6, 0.38)
    else:
        path.moveTo(0.5, 0.28)
        path.lineTo(0.5, 0.56)
        path.moveTo(0.5, 0.7)
        path.lineTo(0.5, 0.72)
    return path


def _draw_state(painter: QPainter, size: int, state: State) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(state_color(state))
    painter.drawEllipse(QRectF(0.5, 0.5, size - 1, size - 1))
    painter.scale(size, size)
    pen = QPen(QColor("white"), max(1.5, size * 0.1) / size)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(_glyph(state))


def _pixmap(size: int, draw) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    draw(painter, size)
    painter.end()
    return pixmap


def _icon(draw) -> QIcon:
    """One drawing at every size in SIZES."""
    icon = QIcon()
    for size in SIZES:
        icon.addPixmap(_pixmap(size, draw))
    return icon


@cache
def state_icon(state: State) -> QIcon:
    return _icon(lambda p, s: _draw_state(p, s, state))


def _polygon(*points: tuple[float, float]) -> QPainterPath:
    """A closed outline through points in the 1x1 box."""
    path = QPainterPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.closeSubpath()
    return path


def _draw_host_mark(painter: QPainter, size: int) -> None:
    """A small crown: the member list's sign for the host."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size, size)
    path = _polygon((0.12, 0.78), (0.12, 0.32), (0.34, 0.52), (0.5, 0.2), (0.66, 0.52), (0.88, 0.32), (0.88, 0.78))
    painter.setPen(QPen(QColor("#8a6d00"), 0.06))
    painter.setBrush(QColor("#f1c40f"))
    painter.drawPath(path)


@cache
def host_icon() -> QIcon:
    return _icon(_draw_host_mark)


@cache
def blank_icon() -> QIcon:
    """Transparent, so list rows without a mark line up with rows that have one."""
    return _icon(lambda p, s: None)


def _draw_lock(painter: QPainter, size: int) -> None:
    """A padlock: the sign of a private (passphrase) room."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size, size)
    painter.setPen(QPen(QColor("#5f6b7a"), 0.1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    shackle = QPainterPath()
    shackle.moveTo(0.32, 0.5)
    shackle.lineTo(0.32, 0.34)
    shackle.arcTo(QRectF(0.32, 0.14, 0.36, 0.36), 180, -180)
    shackle.lineTo(0.68, 0.5)
    painter.drawPath(shackle)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#5f6b7a"))
    painter.drawRoundedRect(QRectF(0.18, 0.46, 0.64, 0.44), 0.08, 0.08)
    painter.setBrush(QColor("white"))
    painter.drawEllipse(QPointF(0.5, 0.64), 0.06, 0.06)


def _draw_warning(painter: QPainter, size: int) -> None:
    """An amber triangle with "!": a member whose nick came back with another key."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size, size)
    triangle = _polygon((0.5, 0.08), (0.94, 0.88), (0.06, 0.88))
    painter.setPen(QPen(QColor("#a35f00"), 0.05))
    painter.setBrush(QColor("#f5a623"))
    painter.drawPath(triangle)
    mark = QPen(QColor("black"), 0.1)
    mark.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(mark)
    painter.drawLine(QPointF(0.5, 0.36), QPointF(0.5, 0.58))
    painter.drawPoint(QPointF(0.5, 0.74))


def _draw_eye(painter: QPainter, size: int, open_: bool) -> None:
    """An eye, struck through when closed: the passphrase field's show/hide toggle."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size, size)
    pen = QPen(QColor("#5f6b7a"), 0.08)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    outline = QPainterPath()
    outline.moveTo(0.08, 0.5)
    outline.quadTo(0.5, 0.1, 0.92, 0.5)
    outline.quadTo(0.5, 0.9, 0.08, 0.5)
    painter.drawPath(outline)
    painter.setBrush(QColor("#5f6b7a"))
    painter.drawEllipse(QPointF(0.5, 0.5), 0.12, 0.12)
    if not open_:
        painter.drawLine(QPointF(0.18, 0.82), QPointF(0.82, 0.18))


@cache
def lock_icon() -> QIcon:
    return _icon(_draw_lock)


@cache
def warning_icon() -> QIcon:
    return _icon(_draw_warning)


@cache
def eye_icon(open_: bool) -> QIcon:
    return _icon(lambda p, s: _draw_eye(p, s, open_))


def _draw_fallback_app(painter: QPainter, size: int) -> None:
    """A speech bubble, used until resources/icons/zp2p.svg exists."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size, size)
    path = QPainterPath()
    path.addRoundedRect(QRectF(0.08, 0.12, 0.84, 0.6), 0.16, 0.16)
    tail = QPainterPath()
    tail.moveTo(0.26, 0.66)
    tail.lineTo(0.2, 0.9)
    tail.lineTo(0.46, 0.7)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(state_color(State.HOSTING))
    painter.drawPath(path.united(tail))
    painter.setBrush(QColor("white"))
    for x in (0.3, 0.5, 0.7):
        painter.drawEllipse(QPointF(x, 0.42), 0.06, 0.06)


@cache
def app_icon() -> QIcon:
    svg = resources_dir() / "icons" / "zp2p.svg"
    if svg.is_file():
        icon = QIcon(str(svg))
        if not icon.isNull():
            return icon
    return _icon(_draw_fallback_app)


UNREAD_MAX = 99  # the bubble says "99+" beyond this


def unread_icon(count: int) -> QIcon:
    """The app icon with a red unread-count bubble, for the tray."""
    if count <= 0:
        return app_icon()
    return _counted_icon(min(count, UNREAD_MAX + 1))


@cache
def _counted_icon(count: int, size: int = 64) -> QIcon:
    """Drawn once per count (at most 100 icons): on PySide6 6.11 each QPainter opened on a new
    pixmap keeps six references to None, and a busy room in the background asks for a new
    count with every message."""
    pixmap = app_icon().pixmap(size, size)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    bubble = QRectF(size * 0.42, 0, size * 0.58, size * 0.58)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#d63031"))
    painter.drawEllipse(bubble)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * (0.36 if count < 10 else 0.28)))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(bubble, Qt.AlignmentFlag.AlignCenter, str(count) if count <= UNREAD_MAX else f"{UNREAD_MAX}+")
    painter.end()
    return QIcon(pixmap)
