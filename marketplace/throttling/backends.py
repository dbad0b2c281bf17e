"""The sign-in lockout's authentication backend: django-axes', for calls that carry a request."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """
    Refuses a locked-out username and address before any backend checks the password.

    Axes raises when ``authenticate()`` is called without a request. Oscar's
    registration does exactly that to sign the new customer in with the password
    they have just chosen (``oscar/apps/customer/mixins.py``), and a 500 would
    greet every new customer. Without a request there is no client to count
    against, so such a call is left to the other backends; every sign-in form
    (the admin's, the storefront's) passes its request and is counted.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
