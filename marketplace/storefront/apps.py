"""
Oscar's catalogue and search apps with channel-aware views.

Only the views change, so these configs keep Oscar's models and migrations
(``name`` stays Oscar's) instead of forking the apps.
"""

from oscar.apps.catalogue import apps as catalogue_apps
from oscar.apps.customer import apps as customer_apps
from oscar.apps.search import apps as search_apps


class CatalogueConfig(catalogue_apps.CatalogueConfig):
    def ready(self):
        super().ready()
        from oscar.apps.analytics.receivers import receive_product_view
        from oscar.apps.catalogue.signals import product_viewed

        from . import views

        # Oscar counts every product view with an UPDATE of one row per
        # product: in a flash sale every shopper would queue on that row's
        # lock. Views are counted from traffic analytics instead.
        product_viewed.disconnect(receive_product_view)

        self.detail_view = views.ProductDetailView
        self.catalogue_view = views.CatalogueView
        self.category_view = views.ProductCategoryView


class SearchConfig(search_apps.SearchConfig):
    def ready(self):
        # Oscar's search view is haystack's; ours queries the channel's listings.
        from . import views

        self.search_view = views.SearchView


class CustomerConfig(customer_apps.CustomerConfig):
    def ready(self):
        super().ready()
        # Sign-in and registration counted per client (marketplace/throttling).
        from . import accounts

        self.login_view = accounts.AccountAuthView
        self.register_view = accounts.AccountRegistrationView
