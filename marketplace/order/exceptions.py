"""What stops a basket from becoming an order."""


class CheckoutError(Exception):
    """The basket cannot become an order as it is; ``message`` says why, for the shopper."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))
