"""The tray image, drawn at run time, and its PNG encoding (PIL only here)."""

from __future__ import annotations

import math

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_COLOURS = {"idle": (0, 137, 123), "prompt": (245, 124, 0), "paused": (120, 120, 120)}


def _white_at(state: str, x: float, y: float) -> bool:
    """Whether the white sign covers point (x, y) of the 64x64 badge."""
    if state == "paused":  # two bars
        return 18 <= y <= 46 and (22 <= x <= 28 or 36 <= x <= 42)
    dx, dy = x - 32, y - 32
    r2 = dx * dx + dy * dy
    if r2 <= 16:  # the joint
        return True
    if 13 * 13 <= r2 <= 19 * 19:  # the ring, open at the top (240..300 degrees)
        angle = math.degrees(math.atan2(dy, dx)) % 360
        if not 240 < angle < 300:
            return True
    # the arrowhead at the ring's open end, pointing clockwise
    return 30 <= x <= 42 and abs(y - 16) <= (42 - x) * 7 / 12


def draw_icon(state: str = "idle", size: int = 64) -> Any:
    """The tray image, drawn at run time: a round badge with a circular arrow around a dot
    (a joint going round); orange while a prompt is open, grey with a pause sign while
    paused. Rasterised here, 3x3 samples a pixel, rather than with PIL.ImageDraw, which
    pulls in FreeType and HarfBuzz (measured: +4 MB resident for one small icon)."""
    from PIL import Image

    r, g, b = _COLOURS.get(state, _COLOURS["idle"])
    scale = 64 / size
    offsets = (1 / 6, 1 / 2, 5 / 6)
    out = bytearray()
    for py in range(size):
        for px in range(size):
            disc = white = 0
            for oy in offsets:
                for ox in offsets:
                    x, y = (px + ox) * scale, (py + oy) * scale
                    if (x - 32) ** 2 + (y - 32) ** 2 <= 30 * 30:
                        disc += 1
                        white += _white_at(state, x, y)
            if disc == 0:
                out += b"\0\0\0\0"
                continue
            w = white / disc
            out += bytes((round(r + (255 - r) * w), round(g + (255 - g) * w),
                          round(b + (255 - b) * w), round(255 * disc / 9)))
    return Image.frombytes("RGBA", (size, size), bytes(out))


def png_bytes(image: Any) -> bytes:
    """An RGBA image as a PNG file (no filtering, zlib-compressed)."""
    import struct
    import zlib

    width, height = image.size
    raw = image.convert("RGBA").tobytes()
    stride = width * 4
    rows = b"".join(b"\0" + raw[y * stride:(y + 1) * stride] for y in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
