"""
Oscar's sign-in, registration and password-reset views, rate-limited per client.

Wrong passwords are also counted per username and address by django-axes
(``marketplace/throttling/lockout.py``), which answers a locked-out sign-in with
its own 429; the limits here bound what one address may try across accounts.
"""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from oscar.apps.customer import views as oscar_views
from oscar.core.loading import get_class
from oscar.views.decorators import login_forbidden

from marketplace.throttling.ratelimit import throttle


class AccountAuthView(oscar_views.AccountAuthView):
    """``/<cc>/accounts/login/``: Oscar's sign-in and registration forms on one page."""

    def validate_login_form(self):
        refused = throttle(self.request, "login")
        return refused if refused is not None else super().validate_login_form()

    def validate_registration_form(self):
        refused = throttle(self.request, "register")
        return refused if refused is not None else super().validate_registration_form()


class AccountRegistrationView(oscar_views.AccountRegistrationView):
    def post(self, request, *args, **kwargs):
        refused = throttle(request, "register")
        return refused if refused is not None else super().post(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """
    Oscar's password reset (Django's view with Oscar's form and template).

    Counted per address and per e-mail asked for, so that no one can flood a
    shopper's inbox with reset links from many addresses.
    """

    form_class = get_class("customer.forms", "PasswordResetForm")
    success_url = reverse_lazy("password-reset-done")
    template_name = "oscar/registration/password_reset_form.html"

    def post(self, request, *args, **kwargs):
        refused = throttle(request, "password-reset")
        email = str(request.POST.get("email", "")).strip().lower()
        if refused is None and email:
            refused = throttle(request, "password-reset-email", key=email)
        return refused if refused is not None else super().post(request, *args, **kwargs)


password_reset_view = login_forbidden(PasswordResetView.as_view())
