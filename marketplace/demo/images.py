"""Product pictures drawn locally with Pillow: the demo downloads nothing."""

import hashlib
import io

from PIL import Image, ImageDraw, ImageFont

PALETTE = {
    "Phones": (32, 64, 128),
    "Wearables": (0, 121, 107),
    "Chargers & Power": (230, 126, 34),
    "Audio": (142, 68, 173),
    "TV & Video": (44, 62, 80),
    "Smart Home": (39, 174, 96),
}


def product_png(title: str, category: str, size: int = 600) -> bytes:
    """A square PNG with the product's title on its category's colour."""
    base = PALETTE.get(category, (90, 90, 90))
    # A shade per product, stable across runs, so cards are told apart.
    shade = int(hashlib.sha1(title.encode()).hexdigest()[:2], 16) % 40
    colour = tuple(min(255, c + shade) for c in base)
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (size * 0.3, size * 0.12, size * 0.7, size * 0.62), radius=24, outline="white", width=8
    )
    font = ImageFont.load_default(size=size // 14)
    words, lines, line = title.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > size * 0.9 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    y = size * 0.68
    for text in lines[:3]:
        width = draw.textlength(text, font=font)
        draw.text(((size - width) / 2, y), text, fill="white", font=font)
        y += size // 12
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
