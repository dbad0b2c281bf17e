"""
The storefront's page cache: pages rendered once per channel, language and
version of the data they show, with the per-shopper parts filled in per request.

- ``versions``: a token per channel and one for what every channel shows
  (catalogue, translations, stores, channels), bumped on every change;
- ``receivers``: the model signals that bump them; writes that bypass signals
  (``QuerySet.update()`` in ``order.stock``) bump explicitly;
- ``holes``: the per-shopper parts of a page (CSRF token, basket, account links,
  messages), left as markers in the cached page and rendered per request;
- ``pages``: the cache itself, its keys and the HTTP caching headers.
"""
