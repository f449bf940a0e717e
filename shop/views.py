from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from oscar.core.loading import get_class

from shop import health

OscarLogoutView = get_class("customer.views", "LogoutView")
OscarOrderLineView = get_class("customer.views", "OrderLineView")


@never_cache
def healthz(request):
    """Each dependency's state for the container health check and monitoring; 503 when the shop cannot sell."""
    body, can_sell = health.report()
    return JsonResponse(body, status=200 if can_sell else 503)


class LogoutView(OscarLogoutView):
    """Sign out by POST only: a link or an image on any page can no longer sign a customer out.

    A GET (an old link, a bookmark) shows a page with the sign-out button instead.
    """

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return HttpResponseRedirect(self.get_redirect_url())
        return render(request, "oscar/customer/logout_confirm.html")

    def post(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)  # Oscar's GET is the sign-out itself


class OrderLineView(OscarOrderLineView):
    """Oscar's order-line address only takes the "buy again" POST: a GET had no template (500).

    A GET now leads to the line on its order's page, and an unknown line is a 404.
    """

    def get_object(self, queryset=None):
        order = get_object_or_404(self.request.user.orders, number=self.kwargs["order_number"])
        return get_object_or_404(order.lines, id=self.kwargs["line_id"])

    def get(self, request, *args, **kwargs):
        line = self.get_object()
        return redirect(reverse("customer:order", kwargs={"order_number": line.order.number}) + f"#line-{line.pk}")
