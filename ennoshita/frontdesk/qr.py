"""A QR code as inline SVG, drawn by ReportLab's QR widget (no other package, nothing fetched)."""

from __future__ import annotations

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing


def svg(text: str, size: float = 96) -> str:
    """``text`` as an ``<svg>`` element ``size`` points wide (error correction M)."""
    widget = QrCodeWidget(text, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    width, height = x2 - x1, y2 - y1
    drawing = Drawing(size, size, transform=[size / width, 0, 0, size / height, 0, 0])
    drawing.add(widget)
    out = renderSVG.drawToString(drawing)
    return out[out.index("<svg") :]
