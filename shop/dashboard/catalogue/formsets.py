from django.forms.models import inlineformset_factory
from oscar.core.loading import get_model

from catalog.forms import CERTIFICATE_FIELDS, OcopCertificateForm, OcopCertificateInlineFormSet

Product = get_model("catalogue", "Product")
OcopCertificate = get_model("catalogue", "OcopCertificate")


class BaseCertificateFormSet(OcopCertificateInlineFormSet):
    """The product's certificates, with the validation the Django admin uses (``catalog.forms``).

    Takes the product class and user first, as the dashboard builds all its formsets.
    """

    def __init__(self, product_class, user, *args, **kwargs):
        self.product_class = product_class
        self.user = user
        super().__init__(*args, **kwargs)


CertificateFormSet = inlineformset_factory(
    Product,
    OcopCertificate,
    form=OcopCertificateForm,
    formset=BaseCertificateFormSet,
    fields=CERTIFICATE_FIELDS,
    extra=1,
)
