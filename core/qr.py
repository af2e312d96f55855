"""QR codes drawn by the app (segno): inline SVG for pages, PNG for mails and PDFs. No image URL ever carries
the encoded text (a registration code is the participant's key).

Never a Micro QR: segno picks one for short texts such as a registration code unless told not to, and the
check-in scanner (jsQR) and most phone cameras do not read Micro QR codes."""

import io

import segno
from django.utils.safestring import SafeString, mark_safe

# A QR of a registration code is scanned from a phone screen or a print at a desk: at least 200 px
# (the pages' CSS draws the SVG 240 px wide; the PNG is made that size).
PNG_SCALE = 8


def qr_svg(text: str) -> SafeString:
    """An inline SVG QR code of `text`."""
    return mark_safe(segno.make(text, error="m", micro=False).svg_inline(scale=4, title=""))  # noqa: S308 - segno's own SVG


def qr_png(text: str, *, scale: int = PNG_SCALE) -> bytes:
    """A PNG QR code of `text` (29 modules with the quiet zone × 8 px ≈ 232 px for a registration code)."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale)
    return buffer.getvalue()
