"""
Oscar's dashboard app reduced to what Oscar's shop needs to start.

The back office is the Django admin; Oscar's dashboard was installed (with its
twelve sub-apps) but never routed. Oscar's shop still looks the ``dashboard``
app up, and the ``oscar`` app's template tags import ``dashboard.menu``, so the
app stays, without its sub-apps and with no URLs. It has no models.
"""

from oscar.apps.dashboard import apps


class DashboardConfig(apps.DashboardConfig):
    def ready(self):
        # Oscar's looks up the twelve sub-apps, which are not installed.
        pass

    def get_urls(self):
        return []
