"""The back-office site (``backoffice.sites``) with each role's home on its index."""

from marketplace.backoffice.sites import BackOfficeSite

from .home import channel_homes


class HomeSite(BackOfficeSite):
    def index(self, request, extra_context=None):
        # Each role's home above Django's list of apps: templates/admin/index.html.
        context = {"channel_homes": channel_homes(request, self), **(extra_context or {})}
        return super().index(request, extra_context=context)
