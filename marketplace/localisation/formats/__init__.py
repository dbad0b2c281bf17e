"""
Django date formats where Django's own are missing or English-shaped
(``FORMAT_MODULE_PATH``): Oscar's templates print dates with ``|date``, so
these decide how order dates, review dates and account pages read. Only the
formats set here are replaced; the rest stay Django's.

Our own templates use the ``localisation`` library's ``local_datetime``
filters (Babel, language + country) instead.
"""
