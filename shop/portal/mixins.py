"""The one authorisation rule of the producer portal.

Every portal view inherits ``ProducerRequiredMixin``: an anonymous visitor is
sent to log in, a signed-in user who does not work for a producer gets 403,
and the view sees ``self.producer``. Views look objects up *through* the
producer (``Product.objects.filter(producer=self.producer)``), so another
producer's object is a 404. The matrix test in
shop/portal/tests/test_authorisation.py proves it for every URL.
"""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from catalog import services


class ProducerRequiredMixin(LoginRequiredMixin):
    producer = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.producer = services.producer_of(request.user)
        if self.producer is None:
            raise PermissionDenied(_("This area is for producers selling on the marketplace."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # ``user_producer`` tells the layout's role links that this user works for a producer, at no query.
        return super().get_context_data(producer=self.producer, user_producer=self.producer, **kwargs)


class StaffRequiredMixin(UserPassesTestMixin):
    """Marketplace staff only; anonymous visitors are sent to log in, others get 403."""

    def test_func(self) -> bool:
        user = self.request.user
        return user.is_authenticated and user.is_active and user.is_staff
