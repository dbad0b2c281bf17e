"""The authorised service centres of a channel, nearest first (the shared locator)."""

from django.views.generic import TemplateView

from marketplace.localisation.content import current_languages, translations_prefetch
from marketplace.locator.selectors import nearest_first
from marketplace.locator.views import LocatorMixin
from marketplace.pagecache.pages import CachedPageMixin

from .models import ServiceCentre, ServiceCentreTranslation

NEAREST = 20


class ServiceCentreListView(CachedPageMixin, LocatorMixin, TemplateView):
    template_name = "aftersales/service_centres.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        channel = self.request.channel
        centres = (
            ServiceCentre.objects.filter(channel=channel, is_active=True)
            .prefetch_related("brands", translations_prefetch(ServiceCentreTranslation,
                                                              current_languages(channel)))
        )
        if self.origin:
            ctx["centres"] = nearest_first(centres, self.origin.point, limit=NEAREST)
        else:
            ctx["centres"] = list(centres.order_by("city", "name"))
        return ctx
