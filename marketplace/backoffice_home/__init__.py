"""
The back office's home: what each role has to do today, on the admin index.

``periods`` says when a channel's day and week start (in its time zone),
``selectors`` count and add up in the database, ``home`` puts the figures of
one user's scope together, each with a link to the change list that holds
exactly the rows it counts; ``sites`` puts them on the index.

It reads orders, payments and exclusives, so it sits above them (DESIGN.md's
layout), not in ``backoffice``, which they use for its audit trail: it extends
the back-office site and ``settings.INSTALLED_APPS`` serves it as the admin.
(``storefront/dashboard.py`` is another thing: Oscar's unrouted dashboard app,
kept only because Oscar looks it up.)
"""
