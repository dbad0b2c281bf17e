from django.apps import AppConfig


class ThrottlingConfig(AppConfig):
    name = "marketplace.throttling"

    def ready(self):
        from . import checks, lockout  # noqa: F401  (registers its check, connects its receiver)
