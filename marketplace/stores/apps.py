from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

STORE_WITHOUT_PAGE = "store_without_page"


class StoresConfig(AppConfig):
    name = "marketplace.stores"
    label = "stores"
    verbose_name = _("Stores")

    def ready(self):
        from django.db.models import Exists, OuterRef, Q

        from marketplace.backoffice import audit
        from marketplace.memberships.selectors import reach_fact
        from marketplace.partner.models import Partner

        from . import receivers  # noqa: F401  (a banner's renditions)
        from .models import FeaturedProduct, HeroBanner, StoreProfile, StoreProfileTranslation

        # The app list offers "Add store page" only to a member of a store without one.
        reach_fact(STORE_WITHOUT_PAGE, lambda: Exists(
            Partner.objects.filter(profile__isnull=True)
            .filter(Q(pk=OuterRef("seller_id")) | Q(brand_id=OuterRef("brand_id")))
        ))

        def profile_scope(profile):
            store = profile.partner
            return {"brand_id": store.brand_id, "seller_id": store.pk}

        audit.track(
            StoreProfile, fields=("tagline", "description", "banner", "logo"), scope=profile_scope
        )
        audit.track(
            StoreProfileTranslation, fields=("language", "tagline", "description"),
            scope=lambda translation: profile_scope(translation.parent),
        )
        audit.track(
            FeaturedProduct, fields=("product", "position"),
            scope=lambda featured: {"channel_id": featured.channel_id},
        )
        audit.track(
            HeroBanner,
            fields=("title", "subtitle", "link", "image", "position", "is_active", "starts_at",
                    "ends_at"),
            scope=lambda banner: {"channel_id": banner.channel_id},
        )
