from marketplace.backoffice.apps import BackOfficeAdminConfig


class HomeAdminConfig(BackOfficeAdminConfig):
    """Django's admin serving the back-office site with each role's home on its index."""

    default = False
    default_site = "marketplace.backoffice_home.sites.HomeSite"
