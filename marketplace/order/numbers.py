"""Order numbers: the channel's prefix and a number unique without any lock."""


def order_number(channel, basket) -> str:
    """``NG-100001``: one basket places at most one order, so its id is unique."""
    return f"{channel.code.upper()}-{100000 + basket.id}"
