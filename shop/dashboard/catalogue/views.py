from django.db import transaction
from oscar.apps.dashboard.catalogue import views
from oscar.core.loading import get_class

from catalog.forms import hold_decisions, take_decisions

CertificateFormSet = get_class("dashboard.catalogue.formsets", "CertificateFormSet")


class ProductCreateUpdateView(views.ProductCreateUpdateView):
    certificate_formset = CertificateFormSet

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Only staff record certificates here: a producer submits them through the portal for review.
        if request.user.is_staff:
            self.formsets["certificate_formset"] = self.certificate_formset

    @transaction.atomic
    def forms_valid(self, form, formsets):
        """A certificate verified or rejected here is decided by ``catalog.moderation``, as in the queue."""
        if "certificate_formset" not in formsets:
            return super().forms_valid(form, formsets)
        held = hold_decisions(formsets["certificate_formset"].forms)
        response = super().forms_valid(form, formsets)
        take_decisions(held, by=self.request.user)
        return response
