"""The demo's home-page banners: one per channel, in its languages, with a drawn picture (idempotent)."""

from django.core.files.base import ContentFile

from marketplace.channels.models import Channel
from marketplace.stores.models import HeroBanner, HeroBannerTranslation

from .images import DRAWING, store_banner_png

TEXTS = {
    "en": ("Redmi Note 13: the official store", "Genuine phones with the maker's warranty, delivered to you."),
    "fr": ("Redmi Note 13 : la boutique officielle", "Des téléphones authentiques, garantis par le fabricant, livrés chez vous."),
    "ar": ("ريدمي نوت 13: المتجر الرسمي", "هواتف أصلية بضمان الشركة المصنعة، تصلك أينما كنت."),
    "sw": ("Redmi Note 13: duka rasmi", "Simu halisi zenye dhamana ya mtengenezaji, zinaletwa kwako."),
}
COLOUR = (166, 66, 0)


def seed_banners() -> None:
    picture = None
    for channel in Channel.objects.all():
        title, subtitle = TEXTS["en"]
        banner, _ = HeroBanner.objects.get_or_create(
            channel=channel, position=0,
            defaults={"title": title, "subtitle": subtitle, "link": "store/mi-official-store/"},
        )
        if DRAWING not in (banner.image.name or ""):
            picture = picture or store_banner_png(COLOUR, kinds=("phone", "earbuds", "watch"),
                                                  size=(1200, 500))
            banner.image.save(f"hero-{channel.code}-{DRAWING}.png", ContentFile(picture))
        for language in channel.languages:
            if language != "en":
                title, subtitle = TEXTS[language]
                HeroBannerTranslation.objects.update_or_create(
                    parent=banner, language=language, defaults={"title": title, "subtitle": subtitle},
                )
