from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "marketplace.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the bumps)
