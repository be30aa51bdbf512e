"""Render resources/icons/zp2p.svg into every raster the packages need: hicolor PNGs for Linux
menus, zp2p.ico for Windows and zp2p.icns for macOS.

Run from the repo venv (`.venv/bin/python scripts/make_icons.py`) after editing the SVG, and commit
the outputs. It needs only PySide6 (QtSvg), which the app already depends on: .ico and .icns are
written by hand as containers of PNG images, which Windows Vista+ and macOS 10.7+ read.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
APP_ID = "io.github.zp2p.Zp2p"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Apple's type codes for PNG payloads; the @2x codes reuse a larger render.
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512),
    (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),
)


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """One square PNG of the SVG at size px, transparent around the shape."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"could not encode a {size} px PNG")
    buffer.close()
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR + one ICONDIRENTRY per size (0 means 256) + the PNGs back to back."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    return header + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    """'icns' + total length, then (type, length, PNG) chunks; lengths include the 8-byte headers."""
    body = b"".join(code + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for code, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QtSvg and QPainter need a GUI application
    renderer = QSvgRenderer(str(ICONS / "zp2p.svg"))
    if not renderer.isValid():
        print(f"cannot read {ICONS / 'zp2p.svg'}", file=sys.stderr)
        return 1
    needed = set(HICOLOR_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES}
    pngs = {size: render_png(renderer, size) for size in sorted(needed)}
    for size in HICOLOR_SIZES:
        target = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size])
    scalable = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes((ICONS / "zp2p.svg").read_bytes())
    (ICONS / "zp2p.png").write_bytes(pngs[256])
    (ICONS / "zp2p.ico").write_bytes(ico({size: pngs[size] for size in ICO_SIZES}))
    (ICONS / "zp2p.icns").write_bytes(icns(pngs))
    print(f"wrote {len(HICOLOR_SIZES)} hicolor PNGs, zp2p.png, zp2p.ico and zp2p.icns under {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
