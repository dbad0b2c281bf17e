import oscar.apps.basket.apps as apps

# Vouchers are off until they can be per channel (see ``basket.offers``).
_VOUCHER_URLS = {"vouchers-add", "vouchers-remove"}


class BasketConfig(apps.BasketConfig):
    name = 'marketplace.basket'

    def get_urls(self):
        return [url for url in super().get_urls() if getattr(url, "name", None) not in _VOUCHER_URLS]
