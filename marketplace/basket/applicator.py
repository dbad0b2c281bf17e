"""The applicator Oscar gets for ``offer.applicator.Applicator`` (see ``basket.offers``)."""

from oscar.apps.offer.applicator import Applicator


class NoOffers(Applicator):
    """Applies nothing, reading no offer: offers have no currency yet."""

    def get_offers(self, basket, user=None, request=None):
        return []
