"""
Re-ordering one line of a past order: Oscar's action, without Oscar's two 500s.

Oscar's ``OrderLineView`` answers GET with a template that does not exist
(there is no page for a line, only the "re-order" button posting to it), and
looks the line up with ``.get()``, so a line id of another order raised
``DoesNotExist``. Here the action takes POST only, a foreign line is a 404,
and an unknown action goes back to the order with Oscar's "Invalid form
submission" message.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from oscar.apps.customer.views import OrderLineView as OscarOrderLineView

from .models import Order


class OrderLineView(OscarOrderLineView):
    http_method_names = ["post"]

    def get_object(self, queryset=None):
        order = get_object_or_404(Order, user=self.request.user, number=self.kwargs["order_number"])
        return get_object_or_404(order.lines, id=self.kwargs["line_id"])

    def get(self, request, *args, **kwargs):
        # Only Oscar's PostActionMixin calls this, for an unknown or missing action.
        return redirect("customer:order", order_number=self.kwargs["order_number"])


order_line_view = login_required(OrderLineView.as_view())
