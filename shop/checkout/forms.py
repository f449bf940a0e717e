"""Checkout forms: a Vietnamese delivery address, and the choice of payment."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms
from oscar.apps.checkout.forms import *  # noqa: F401,F403  (GatewayForm, ShippingMethodForm stay Oscar's)
from phonenumber_field.phonenumber import PhoneNumber

from catalog.ocop import nfc
from shop.order import stripe_gateway
from shop.order.services import CARD, CASH_ON_DELIVERY

# Oscar's address fields, as a Vietnamese address reads: street, ward/commune, district, province/city.
ADDRESS_LABELS = {
    "first_name": _("Recipient's full name"),
    "phone_number": _("Phone number"),
    "line1": _("House number and street"),
    "line2": _("Ward or commune"),
    "line4": _("District"),
    "state": _("Province or city"),
    "notes": _("Delivery instructions"),
}
REQUIRED = ("first_name", "phone_number", "line1", "line2", "line4", "state")
VIETNAM_COUNTRY_CODE = 84


# Field limits hold before the database: PostgreSQL would refuse a 306-character e-mail with an error page,
# SQLite would store it; a delivery note has no column limit, so it gets one here.
MAX_EMAIL_LENGTH = 254  # RFC 5321, and Order.guest_email's column
MAX_NOTES_LENGTH = 1000


class GatewayForm(oscar_forms.GatewayForm):
    """Oscar's "guest or sign in" form, with the e-mail's length checked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].max_length = MAX_EMAIL_LENGTH
        self.fields["username"].validators.append(MaxLengthValidator(MAX_EMAIL_LENGTH))
        self.fields["username"].widget.attrs["maxlength"] = str(MAX_EMAIL_LENGTH)


class ShippingAddressForm(oscar_forms.ShippingAddressForm):
    class Meta(oscar_forms.ShippingAddressForm.Meta):
        fields = ["first_name", "phone_number", "line1", "line2", "line4", "state", "country", "notes"]
        labels = ADDRESS_LABELS
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REQUIRED:
            self.fields[name].required = True
        self.fields["phone_number"].label = ADDRESS_LABELS["phone_number"]
        self.fields["phone_number"].help_text = _("For example 0905 123 456 or +84 905 123 456")
        self.fields["state"].initial = self.fields["state"].initial or "Quảng Nam"
        for name in ("first_name", "line1", "line2", "line4", "state"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "on")
        self.fields["notes"].max_length = MAX_NOTES_LENGTH
        self.fields["notes"].validators.append(MaxLengthValidator(MAX_NOTES_LENGTH))
        self.fields["notes"].widget.attrs["maxlength"] = str(MAX_NOTES_LENGTH)

    def clean(self):
        cleaned = super().clean()
        for name in ("first_name", "line1", "line2", "line4", "state", "notes"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = nfc(cleaned[name].strip())
        return cleaned

    def clean_phone_number_field(self, field_name):
        number = super().clean_phone_number_field(field_name)
        if isinstance(number, PhoneNumber) and not self.has_error(field_name):
            if number.country_code != VIETNAM_COUNTRY_CODE or not number.is_valid():
                self.add_error(field_name, _("Please give a Vietnamese phone number, e.g. 0905 123 456."))
        return number


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(label=_("How would you like to pay?"), widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(CASH_ON_DELIVERY, _("Cash on delivery: pay the courier when your parcel arrives"))]
        if stripe_gateway.is_enabled():
            choices.append((CARD, _("Card (Visa, Mastercard, JCB) through Stripe")))
        self.fields["method"].choices = choices
        self.fields["method"].initial = CASH_ON_DELIVERY
