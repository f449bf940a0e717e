from django import forms
from django.utils.translation import gettext_lazy as _

from outlets import geography
from outlets.models import Outlet, StockMovement
from outlets.services import COUNTER_KINDS, OUTLET_FIELDS


class OutletForm(forms.ModelForm):
    ward_code = forms.TypedChoiceField(label=_("Commune/ward"), coerce=int)

    class Meta:
        model = Outlet
        fields = [*(f for f in OUTLET_FIELDS if f != "province_code"), "managers"]
        widgets = {"managers": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward_code"].choices = [("", "---------")] + [(u.code, u.name) for u in geography.wards()]
        self.fields["managers"].queryset = self.fields["managers"].queryset.filter(is_active=True).order_by("email")
        self.fields["managers"].label_from_instance = lambda user: user.email or user.get_username()


class MovementForm(forms.Form):
    code = forms.CharField(
        label=_("SKU or barcode"),
        max_length=128,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "inputmode": "text"}),
    )
    kind = forms.ChoiceField(
        label=_("What happened"), choices=[(k, StockMovement.Kind(k).label) for k in COUNTER_KINDS]
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        help_text=_("For an adjustment: negative to take units away."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class TransferForm(forms.Form):
    code = forms.CharField(label=_("SKU or barcode"), max_length=128)
    target = forms.ModelChoiceField(label=_("To the sales point"), queryset=Outlet.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)

    def __init__(self, *args, source: Outlet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Outlet.objects.exclude(pk=source.pk).order_by("name")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    dry_run = forms.BooleanField(label=_("Dry run: check the file, save nothing"), required=False, initial=True)
