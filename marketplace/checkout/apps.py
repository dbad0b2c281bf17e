import oscar.apps.checkout.apps as apps
from django.urls import path


class CheckoutConfig(apps.CheckoutConfig):
    name = 'marketplace.checkout'

    def ready(self):
        super().ready()
        from . import receivers  # noqa: F401  (cache invalidation)

    def get_urls(self):
        from .onepage import OnePageView

        # Oscar's steps stay; the one-page checkout ("now/") is what the basket leads to.
        return [
            *super().get_urls(),
            *self.post_process_urls([path("now/", OnePageView.as_view(), name="one-page")]),
        ]
