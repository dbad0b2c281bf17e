"""``{% product_thumbnail product "x155" as thumb %}``: ``thumb.url``, ``thumb.srcset``; ``{% picture %}``.

Reads the primary image's path that the storefront's selectors load with the
product (``primary_image_path``), so a card costs no image query, and builds the
addresses of the pre-made renditions without opening a file.
"""

from django import template

from .. import renditions

register = template.Library()


def _image_path(product):
    if hasattr(product, "primary_image_path"):
        return product.primary_image_path
    image = product.primary_image()  # not loaded by a selector: Oscar's (one query)
    if isinstance(image, dict):  # Oscar's stand-in when the product has no image
        return None
    return getattr(image.original, "name", None)


@register.simple_tag
def product_thumbnail(product, size, crop=None):
    if product is None:
        return renditions.missing_image()
    return renditions.rendition(_image_path(product), size, crop)


@register.simple_tag
def banner_rendition(image_path):
    """``{% banner_rendition banner.image.name as picture %}``: a banner's WebP, 1x and 2x."""
    return renditions.rendition(image_path, "800x334", crop=True)


@register.simple_tag
def picture(image, kind):
    """``{% picture profile.logo "logo" as logo %}``: a store's or shop's picture in WebP,
    ``logo.url``, ``.srcset`` (densities), ``.wsrcset`` (widths), ``.width``, ``.height``."""
    return renditions.picture(image, kind)
