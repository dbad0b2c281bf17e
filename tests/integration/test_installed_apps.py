"""Only what the marketplace uses is installed: Oscar's dashboard is the Django admin here."""

from django.apps import apps
from django.urls import get_resolver

from marketplace.storefront.dashboard import DashboardConfig


def test_none_of_oscars_dashboard_sub_apps_is_installed():
    labels = {config.label for config in apps.get_app_configs()}

    assert not {label for label in labels if label.endswith("_dashboard")}
    assert isinstance(apps.get_app_config("dashboard"), DashboardConfig)


def test_the_dashboard_has_no_urls_anywhere():
    def patterns(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            path = prefix + str(pattern.pattern)
            yield path
            if hasattr(pattern, "url_patterns"):
                yield from patterns(pattern, path)

    for urlconf in ("marketplace.urls", "marketplace.urls_storefront"):
        assert not [p for p in patterns(get_resolver(urlconf)) if "dashboard" in p]
