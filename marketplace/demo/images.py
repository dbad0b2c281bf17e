"""
Product pictures, store logos and banners drawn locally with Pillow: the demo downloads nothing.

Each product is drawn as the thing it is (a phone, a watch or band, earbuds, a
speaker, a charger, a power bank, a cable, a TV, a streaming box, a kettle, a bulb,
a robot vacuum, a camera, an air purifier, a scale), in its category's colour on a
light background, with no words on it: its name is the page's text and the image's
``alt``, in the shopper's language. ``DRAWING`` names this way of drawing, so a demo
seeded with older pictures gets these on the next ``seed_demo``.
"""

import hashlib
import io

from PIL import Image, ImageDraw, ImageFont

DRAWING = "v2"

PALETTE = {
    "Phones": (32, 64, 128),
    "Wearables": (0, 105, 92),
    "Chargers & Power": (176, 84, 0),
    "Audio": (110, 50, 140),
    "TV & Video": (44, 62, 80),
    "Smart Home": (30, 120, 70),
}

# Words of a title -> what to draw (first match wins); otherwise the category's drawing.
KINDS = (
    (("watch",), "watch"), (("band",), "band"), (("buds", "in-ear"), "earbuds"),
    (("speaker", "sonic"), "speaker"), (("power bank",), "powerbank"), (("cable",), "cable"),
    (("charger", "charging", "hypercharge"), "charger"), (("box", "stick"), "tvbox"),
    (("tv",), "tv"), (("kettle",), "kettle"), (("bulb",), "bulb"), (("vacuum",), "vacuum"),
    (("camera",), "camera"), (("purifier",), "purifier"), (("scale",), "scale"),
)
BY_CATEGORY = {"Phones": "phone", "Wearables": "watch", "Chargers & Power": "charger",
               "Audio": "earbuds", "TV & Video": "tv", "Smart Home": "kettle"}


def kind_of(title: str, category: str) -> str:
    lowered = title.casefold()
    for words, kind in KINDS:
        if any(word in lowered for word in words):
            return kind
    return BY_CATEGORY.get(category, "phone")


def _tint(colour, amount):
    return tuple(min(255, int(c + (255 - c) * amount)) for c in colour)


def _phone(d, s, ink, light):
    d.rounded_rectangle((s * .33, s * .1, s * .67, s * .9), radius=s * .06, fill=ink)
    d.rounded_rectangle((s * .355, s * .15, s * .645, s * .84), radius=s * .03, fill=light)
    d.ellipse((s * .49, s * .115, s * .51, s * .135), fill=light)


def _watch(d, s, ink, light, round_face=True):
    d.rounded_rectangle((s * .41, s * .05, s * .59, s * .95), radius=s * .05, fill=_tint(ink, .35))
    if round_face:
        d.ellipse((s * .3, s * .3, s * .7, s * .7), fill=ink)
        d.ellipse((s * .34, s * .34, s * .66, s * .66), fill=light)
        d.line((s * .5, s * .5, s * .5, s * .4), fill=ink, width=int(s * .015))
        d.line((s * .5, s * .5, s * .58, s * .5), fill=ink, width=int(s * .015))
    else:
        d.rounded_rectangle((s * .33, s * .27, s * .67, s * .73), radius=s * .07, fill=ink)
        d.rounded_rectangle((s * .36, s * .3, s * .64, s * .7), radius=s * .05, fill=light)


def _band(d, s, ink, light):
    d.rounded_rectangle((s * .43, s * .05, s * .57, s * .95), radius=s * .07, fill=_tint(ink, .35))
    d.rounded_rectangle((s * .4, s * .3, s * .6, s * .7), radius=s * .09, fill=ink)
    d.rounded_rectangle((s * .425, s * .34, s * .575, s * .66), radius=s * .07, fill=light)


def _earbuds(d, s, ink, light):
    d.rounded_rectangle((s * .22, s * .55, s * .78, s * .88), radius=s * .14, fill=_tint(ink, .5))
    d.line((s * .22, s * .68, s * .78, s * .68), fill=ink, width=int(s * .012))
    for x in (.33, .6):
        d.ellipse((s * x, s * .15, s * (x + .14), s * .3), fill=ink)
        d.rounded_rectangle((s * (x + .04), s * .26, s * (x + .09), s * .48), radius=s * .025, fill=ink)


def _speaker(d, s, ink, light):
    d.rounded_rectangle((s * .2, s * .3, s * .8, s * .72), radius=s * .2, fill=ink)
    for x in (.3, .55):
        d.ellipse((s * x, s * .39, s * (x + .15), s * .63), fill=light)
        d.ellipse((s * (x + .05), s * .47, s * (x + .1), s * .55), fill=ink)


def _charger(d, s, ink, light):
    d.rounded_rectangle((s * .3, s * .3, s * .7, s * .75), radius=s * .06, fill=ink)
    for x in (.4, .56):
        d.rectangle((s * x, s * .16, s * (x + .04), s * .3), fill=_tint(ink, .4))
    d.rounded_rectangle((s * .44, s * .62, s * .56, s * .67), radius=s * .02, fill=light)
    d.line((s * .5, s * .75, s * .5, s * .9), fill=ink, width=int(s * .03))


def _powerbank(d, s, ink, light):
    d.rounded_rectangle((s * .28, s * .15, s * .72, s * .85), radius=s * .08, fill=ink)
    for n in range(4):
        y = s * (.62 + n * .05)
        d.ellipse((s * .47, y, s * .53, y + s * .03), fill=light if n < 3 else _tint(ink, .4))
    d.rounded_rectangle((s * .44, s * .18, s * .56, s * .22), radius=s * .015, fill=light)


def _cable(d, s, ink, light):
    d.arc((s * .2, s * .2, s * .8, s * .8), start=200, end=520, fill=ink, width=int(s * .04))
    d.rounded_rectangle((s * .14, s * .5, s * .3, s * .62), radius=s * .02, fill=ink)
    d.rounded_rectangle((s * .7, s * .5, s * .86, s * .62), radius=s * .02, fill=ink)


def _tv(d, s, ink, light):
    d.rectangle((s * .08, s * .2, s * .92, s * .7), fill=ink)
    d.rectangle((s * .11, s * .23, s * .89, s * .67), fill=_tint(ink, .55))
    d.polygon([(s * .3, s * .82), (s * .4, s * .7), (s * .6, s * .7), (s * .7, s * .82)], fill=ink)


def _tvbox(d, s, ink, light):
    d.rounded_rectangle((s * .25, s * .42, s * .75, s * .62), radius=s * .05, fill=ink)
    d.ellipse((s * .66, s * .5, s * .69, s * .53), fill=light)
    d.rounded_rectangle((s * .44, s * .12, s * .56, s * .36), radius=s * .05, fill=_tint(ink, .3))
    d.ellipse((s * .475, s * .16, s * .525, s * .21), fill=light)


def _kettle(d, s, ink, light):
    d.rounded_rectangle((s * .3, s * .25, s * .66, s * .78), radius=s * .1, fill=ink)
    d.polygon([(s * .3, s * .35), (s * .14, s * .24), (s * .17, s * .21), (s * .3, s * .28)], fill=ink)
    d.arc((s * .56, s * .3, s * .82, s * .65), start=-90, end=90, fill=ink, width=int(s * .04))
    d.rounded_rectangle((s * .26, s * .78, s * .7, s * .85), radius=s * .02, fill=_tint(ink, .3))
    d.rounded_rectangle((s * .4, s * .19, s * .56, s * .25), radius=s * .02, fill=ink)


def _bulb(d, s, ink, light):
    d.ellipse((s * .3, s * .12, s * .7, s * .55), fill=(240, 190, 40))
    d.polygon([(s * .38, s * .5), (s * .62, s * .5), (s * .58, s * .66), (s * .42, s * .66)], fill=(240, 190, 40))
    d.rounded_rectangle((s * .41, s * .66, s * .59, s * .82), radius=s * .02, fill=ink)


def _vacuum(d, s, ink, light):
    d.ellipse((s * .15, s * .2, s * .85, s * .8), fill=ink)
    d.ellipse((s * .4, s * .3, s * .6, s * .4), fill=light)
    d.arc((s * .2, s * .25, s * .8, s * .75), start=200, end=340, fill=light, width=int(s * .015))


def _camera(d, s, ink, light):
    d.ellipse((s * .3, s * .12, s * .7, s * .56), fill=light, outline=ink, width=int(s * .02))
    d.ellipse((s * .42, s * .26, s * .58, s * .42), fill=ink)
    d.polygon([(s * .38, s * .55), (s * .62, s * .55), (s * .68, s * .85), (s * .32, s * .85)], fill=ink)


def _purifier(d, s, ink, light):
    d.rounded_rectangle((s * .32, s * .1, s * .68, s * .9), radius=s * .12, fill=ink)
    for n in range(7):
        y = s * (.45 + n * .055)
        d.line((s * .38, y, s * .62, y), fill=light, width=int(s * .012))
    d.ellipse((s * .42, s * .2, s * .58, s * .36), fill=light)


def _scale(d, s, ink, light):
    d.rounded_rectangle((s * .15, s * .15, s * .85, s * .85), radius=s * .08, fill=ink)
    d.rounded_rectangle((s * .4, s * .22, s * .6, s * .32), radius=s * .02, fill=light)


DRAW = {
    "phone": _phone, "watch": _watch, "band": _band, "earbuds": _earbuds, "speaker": _speaker,
    "charger": _charger, "powerbank": _powerbank, "cable": _cable, "tv": _tv, "tvbox": _tvbox,
    "kettle": _kettle, "bulb": _bulb, "vacuum": _vacuum, "camera": _camera,
    "purifier": _purifier, "scale": _scale,
}


def product_png(title: str, category: str, size: int = 600) -> bytes:
    """A square PNG of the product's kind, in its category's colour (a shade per product)."""
    base = PALETTE.get(category, (90, 90, 90))
    # A shade per product, stable across runs, so cards are told apart.
    shade = int(hashlib.sha1(title.encode()).hexdigest()[:2], 16) % 30
    ink = tuple(max(0, c - shade) for c in base)
    image = Image.new("RGB", (size, size), _tint(base, .9))
    draw = ImageDraw.Draw(image)
    kind = kind_of(title, category)
    if kind == "watch" and ("2 lite" in title.casefold() or "pro" in title.casefold()):
        _watch(draw, size, ink, _tint(base, .8), round_face=False)
    else:
        DRAW[kind](draw, size, ink, _tint(base, .8))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def store_logo_png(initials: str, colour, size: int = 256) -> bytes:
    """A brand's round logo: its initials, white on its colour."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, size - 1, size - 1), fill=tuple(colour))
    font = ImageFont.load_default(size=int(size * .42))
    box = draw.textbbox((0, 0), initials, font=font)
    draw.text(((size - (box[2] - box[0])) / 2 - box[0], (size - (box[3] - box[1])) / 2 - box[1]),
              initials, fill="white", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def store_banner_png(colour, kinds=("phone", "watch", "earbuds"),
                     size=(1200, 300)) -> bytes:
    """A brand's banner: a band of its colour fading to light, with what it sells drawn along it."""
    width, height = size
    image = Image.new("RGB", size, tuple(colour))
    draw = ImageDraw.Draw(image)
    for x in range(width // 2, width):
        draw.line((x, 0, x, height), fill=_tint(colour, (x - width / 2) / width * 1.6))
    tile = min(height, int(width / (len(kinds) + 1.5)))
    for n, kind in enumerate(kinds):
        sprite = Image.new("RGB", (tile, tile), _tint(colour, .85))
        DRAW[kind](ImageDraw.Draw(sprite), tile, tuple(colour), _tint(colour, .7))
        mask = Image.new("L", (tile, tile), 0)
        ImageDraw.Draw(mask).ellipse((tile * .08, tile * .08, tile * .92, tile * .92), fill=255)
        image.paste(sprite, (width - (n + 1) * int(tile * .95), (height - tile) // 2), mask)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
