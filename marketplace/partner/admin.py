from oscar.apps.partner.admin import *  # noqa: F401,F403  (Oscar admin registrations)
