"""Where audited objects belong: the brand, seller and channel copied onto entries."""


def listing_scope(listing) -> dict:
    seller = listing.partner
    return {
        "brand_id": seller.brand_id if seller.is_official_store else None,
        "seller_id": seller.pk,
        "channel_id": listing.channel_id,
    }


def membership_scope(membership) -> dict:
    brand_id = membership.brand_id
    if membership.seller_id and membership.seller.is_official_store:
        brand_id = membership.seller.brand_id
    return {
        "brand_id": brand_id,
        "seller_id": membership.seller_id,
        "channel_id": membership.channel_id,
    }


def order_scope(order) -> dict:
    return {"channel_id": order.channel_id}
