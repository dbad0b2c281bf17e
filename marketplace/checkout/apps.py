import oscar.apps.checkout.apps as apps


class CheckoutConfig(apps.CheckoutConfig):
    name = 'marketplace.checkout'

    def ready(self):
        super().ready()
        from . import receivers  # noqa: F401  (cache invalidation)
