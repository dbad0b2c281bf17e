from django.apps import AppConfig


class ThrottlingConfig(AppConfig):
    name = "marketplace.throttling"

    def ready(self):
        from . import lockout  # noqa: F401  (connects its signal receiver)
