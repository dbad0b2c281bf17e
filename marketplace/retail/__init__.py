"""
Partner retailers, online to offline.

A partner retailer is a seller (an Oscar partner flagged ``is_local_shop``)
with one shop in one channel: where it is, when it is open, where it delivers.
Its listings are sold from its own page (``/<cc>/r/<slug>/``), never in the
marketplace's catalogue; an order of them goes to the shop, which accepts it,
delivers it (contactless where the zone asks) and confirms with the shopper's
delivery code. Zones (green, orange, red per city or district, from a moment
on) decide whether and how it may deliver.
"""
