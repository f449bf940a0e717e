"""Checkout forms: a Vietnamese delivery address (or who collects at a sales point), and the choice of payment."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms
from oscar.apps.checkout.forms import *  # noqa: F401,F403  (GatewayForm, ShippingMethodForm stay Oscar's)
from phonenumber_field.phonenumber import PhoneNumber

from catalog.ocop import nfc
from outlets import geography
from shop.order import stripe_gateway
from shop.order.services import CARD, CASH_ON_DELIVERY

# Oscar's address fields, as a Vietnamese address reads since 1 July 2025: house and street, then
# commune or ward, then province or central city (no district). The units are picked from lists with
# their official codes (outlets.geography); their names are kept in ``line2`` and ``state``.
ADDRESS_LABELS = {
    "first_name": _("Recipient's full name"),
    "phone_number": _("Phone number"),
    "line1": _("House number and street"),
    "notes": _("Delivery instructions"),
}
REQUIRED = ("first_name", "phone_number", "line1")
VIETNAM_COUNTRY_CODE = 84


# Field limits hold before the database: PostgreSQL would refuse a 306-character e-mail with an error page,
# SQLite would store it; a delivery note has no column limit, so it gets one here.
MAX_EMAIL_LENGTH = 254  # RFC 5321, and Order.guest_email's column
MAX_NOTES_LENGTH = 1000


class GatewayForm(oscar_forms.GatewayForm):
    """Oscar's "guest or sign in" form, with the e-mail's length checked, and without its "A user with that
    email address already exists", which told anyone which addresses have accounts: a guest may check out
    with any address (OSCAR_ALLOW_GUEST_CHECKOUT_WITH_ACCOUNT), and "create an account" goes on to the
    registration page, which answers a taken address like a new one (shop.views.QuietRegistrationMixin)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].max_length = MAX_EMAIL_LENGTH
        self.fields["username"].validators.append(MaxLengthValidator(MAX_EMAIL_LENGTH))
        self.fields["username"].widget.attrs["maxlength"] = str(MAX_EMAIL_LENGTH)

    def clean(self):
        if self.is_new_account_checkout():
            self.errors.pop("password", None)
            return self.cleaned_data
        return super().clean()


class ShippingAddressForm(oscar_forms.ShippingAddressForm):
    province = forms.TypedChoiceField(label=_("Province or city"), coerce=int)
    ward = forms.TypedChoiceField(
        label=_("Ward or commune"),
        coerce=int,
        error_messages={
            "required": _("Please choose the ward or commune."),
            "invalid_choice": _("This ward or commune is not in the province you chose."),
        },
    )
    field_order = ["first_name", "phone_number", "province", "ward", "line1", "country", "notes"]

    class Meta(oscar_forms.ShippingAddressForm.Meta):
        fields = ["first_name", "phone_number", "line1", "country", "notes"]
        labels = ADDRESS_LABELS
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REQUIRED:
            self.fields[name].required = True
        self.fields["phone_number"].label = ADDRESS_LABELS["phone_number"]
        self.fields["phone_number"].help_text = _("For example 0905 123 456 or +84 905 123 456")
        province = self._chosen_province()
        self.fields["province"].choices = [(unit.code, unit.name) for unit in geography.provinces()]
        self.fields["province"].initial = province
        self.fields["province"].widget.attrs.update(
            {"data-wards-for": self.add_prefix("ward"), "autocomplete": "address-level1"}
        )
        self.fields["ward"].choices = [("", _("Choose the ward or commune"))] + [
            (unit.code, unit.name) for unit in geography.wards(province)
        ]
        self.fields["ward"].initial = self.initial.get("ward_code")
        self.fields["ward"].widget.attrs["autocomplete"] = "address-level2"
        self.fields["line1"].widget.attrs["autocomplete"] = "street-address"
        self.fields["first_name"].widget.attrs["autocomplete"] = "name"
        self.fields["notes"].max_length = MAX_NOTES_LENGTH
        self.fields["notes"].validators.append(MaxLengthValidator(MAX_NOTES_LENGTH))
        self.fields["notes"].widget.attrs["maxlength"] = str(MAX_NOTES_LENGTH)

    def _chosen_province(self) -> int:
        """The province whose wards the list offers: the one posted, else the saved one, else Đà Nẵng."""
        raw = self.data.get(self.add_prefix("province")) if self.is_bound else self.initial.get("province_code")
        try:
            code = int(raw)
        except (TypeError, ValueError):
            return geography.DA_NANG
        return code if geography.province_name(code) else geography.DA_NANG

    def clean(self):
        cleaned = super().clean()
        for name in ("first_name", "line1", "notes"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = nfc(cleaned[name].strip())
        province, ward_code = cleaned.get("province"), cleaned.get("ward")
        if province and ward_code:
            found = geography.ward(ward_code)
            if found is None or found[1] != province:
                self.add_error("ward", _("This ward or commune is not in the province you chose."))
            else:
                # Oscar's checkout stores the instance's fields: names to read, codes to group by.
                self.instance.province_code, self.instance.state = province, geography.province_name(province)
                self.instance.ward_code, self.instance.line2 = ward_code, found[0].name
                self.instance.line4 = ""
        return cleaned

    def clean_phone_number_field(self, field_name):
        number = super().clean_phone_number_field(field_name)
        if isinstance(number, PhoneNumber) and not self.has_error(field_name):
            if number.country_code != VIETNAM_COUNTRY_CODE or not number.is_valid():
                self.add_error(field_name, _("Please give a Vietnamese phone number, e.g. 0905 123 456."))
        return number


class CollectionContactForm(ShippingAddressForm):
    """Who collects at a sales point: a name and a phone. The order's address is the point's own."""

    field_order = ["first_name", "phone_number", "country", "notes"]

    def __init__(self, *args, outlet, **kwargs):
        self.outlet = outlet
        super().__init__(*args, **kwargs)
        for name in ("province", "ward", "line1"):
            del self.fields[name]
        self.fields["first_name"].label = _("Name of the person collecting")
        self.fields["notes"].label = _("Note for the sales point")

    def clean(self):
        cleaned = super().clean()
        point = self.outlet
        self.instance.line1 = point.street
        self.instance.province_code, self.instance.state = point.province_code, point.province_name
        self.instance.ward_code, self.instance.line2 = point.ward_code, point.ward_name
        self.instance.line4 = ""
        return cleaned


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(label=_("How would you like to pay?"), widget=forms.RadioSelect)

    def __init__(self, *args, collection: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if collection:
            cash = _("Pay on collection at the sales point: pay at the counter when you pick it up")
        else:
            cash = _("Cash on delivery: pay the courier when your parcel arrives")
        choices = [(CASH_ON_DELIVERY, cash)]
        if stripe_gateway.is_enabled():
            choices.append((CARD, _("Card (Visa, Mastercard, JCB) through Stripe")))
        self.fields["method"].choices = choices
        self.fields["method"].initial = CASH_ON_DELIVERY
