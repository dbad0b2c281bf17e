"""Product search for a channel's listing pages."""



def search_products(products, query: str, languages, ordering):
    """``products`` matching ``query``, and the order to show them in."""
    from .selectors import _matches

    return products.filter(_matches(query, languages)), ordering
