from oscar.apps.dashboard.catalogue import views
from oscar.core.loading import get_class

from catalog.forms import record_reviewer

CertificateFormSet = get_class("dashboard.catalogue.formsets", "CertificateFormSet")


class ProductCreateUpdateView(views.ProductCreateUpdateView):
    certificate_formset = CertificateFormSet

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Only staff record certificates here: a producer submits them through the portal for review.
        if request.user.is_staff:
            self.formsets["certificate_formset"] = self.certificate_formset

    def forms_valid(self, form, formsets):
        if "certificate_formset" in formsets:
            record_reviewer(formsets["certificate_formset"].forms, self.request.user)
        return super().forms_valid(form, formsets)
