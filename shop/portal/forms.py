"""Forms of the producer portal and the moderation queue. Writes go through catalog.services."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalog import images, ocop
from catalog.forms import OcopCertificateForm
from shop.portal import selectors

Category = get_model("catalogue", "Category")
OcopCertificate = get_model("catalogue", "OcopCertificate")
ProducerApplication = get_model("catalogue", "ProducerApplication")
StockRecord = get_model("partner", "StockRecord")

# Mobile: 03x/05x/07x/08x/09x + 8 digits; landline: 02xx + 7-8 digits; +84 instead of the leading 0.
PHONE_RE = re.compile(r"^0(?:[35789]\d{8}|2\d{9})$")


def normalise_phone(value: str) -> str:
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not PHONE_RE.match(digits):
        raise ValidationError(
            _("Enter a Vietnamese phone number, e.g. 0905 123 456 or 0235 3812 345."), code="invalid_phone"
        )
    return digits


class NfcCharField(forms.CharField):
    """Text as typed, in NFC: the same Vietnamese word from two keyboards is stored the same."""

    def to_python(self, value):
        return ocop.nfc(super().to_python(value))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several images at once; each is checked and re-encoded by catalog.images."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > images.MAX_IMAGES_PER_UPLOAD:  # refused before decoding any of them
            raise ValidationError(
                _("Upload at most %(limit)s images at a time; you chose %(count)s.")
                % {"limit": images.MAX_IMAGES_PER_UPLOAD, "count": len(files)},
                code="too_many_files",
            )
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append(images.clean_product_image(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class ScanField(forms.FileField):
    widget = forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return images.clean_scan(upload) if upload else None


class CategoryChoiceField(forms.ModelChoiceField):
    """ "Group › Sub-group" labels in the page's language, with the groups read in one query (not one per option)."""

    _group_names: dict[str, str] | None = None

    def label_from_instance(self, category):
        if category.depth == 1:
            return category.display_name
        if self._group_names is None:
            self._group_names = {c.path: c.display_name for c in Category.objects.filter(depth=1)}
        return f"{self._group_names.get(category.path[: category.steplen], '')} › {category.display_name}"


class ProducerApplicationForm(forms.ModelForm):
    certificate_scan = ScanField(label=_("OCOP certificate scan"), help_text=_("PDF, JPEG or PNG, at most 10 MB."))

    class Meta:
        model = ProducerApplication
        fields = [
            "producer_name",
            "kind",
            "registration_number",
            "district",
            "commune",
            "address",
            "contact_name",
            "phone",
            "email",
        ]
        field_classes = {name: NfcCharField for name in ("producer_name", "commune", "address", "contact_name")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A prompt in words where Django shows "---------".
        self.fields["kind"].choices = [("", _("Choose the kind")), *self.fields["kind"].choices[1:]]
        self.fields["district"].empty_label = _("Choose the former district")

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean_registration_number(self):
        return re.sub(r"\s", "", self.cleaned_data["registration_number"])


class ProductForm(forms.Form):
    title = NfcCharField(label=_("Title (Vietnamese)"), max_length=255)
    title_en = NfcCharField(label=_("Title (English)"), max_length=255, required=False)
    description = NfcCharField(label=_("Description (Vietnamese)"), widget=forms.Textarea, required=False)
    description_en = NfcCharField(label=_("Description (English)"), widget=forms.Textarea, required=False)
    category = CategoryChoiceField(
        label=_("Group and sub-group"), queryset=Category.objects.none(), empty_label=_("Choose a group")
    )
    price = forms.IntegerField(label=_("Price (VND)"), min_value=1000, max_value=1_000_000_000)
    stock = forms.IntegerField(label=_("Stock"), min_value=0, max_value=1_000_000)
    weight_grams = forms.IntegerField(label=_("Shipping weight (g)"), min_value=1, max_value=100_000, required=False)

    def __init__(self, *args, current_category=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A product already filed under a whole group (the demo's are) keeps that choice on offer,
        # so saving an unrelated change does not fail on a group the list would not show.
        categories = selectors.product_categories()
        if current_category is not None:
            categories = categories | Category.objects.filter(pk=current_category.pk)
        self.fields["category"].queryset = categories.order_by("path")


class ProductCreateForm(ProductForm):
    sku = NfcCharField(
        label=_("Your SKU"), max_length=64, required=False, help_text=_("Leave empty to get one made for you.")
    )
    images = MultipleImageField(
        label=_("Images"), required=False, help_text=_("JPEG, PNG or WebP, at most 10 MB and 25 megapixels each.")
    )

    def __init__(self, *args, producer, **kwargs):
        self.producer = producer
        super().__init__(*args, **kwargs)

    def clean_sku(self):
        sku = self.cleaned_data["sku"].strip()
        if sku and StockRecord.objects.filter(partner_id=self.producer.partner_id, partner_sku=sku).exists():
            raise ValidationError(_("You already have a product with this SKU."))
        return sku


ROW_FIELD = re.compile(r"^(?:caption|order|delete)_(\d+)$")
STALE_IMAGES = _(
    "The images changed in another window meanwhile. They are shown as they are now: make your changes again."
)


class ImagesForm(forms.Form):
    """Captions, order and removal of the current images, plus new uploads.

    A row the posted form did not have (an image added in another tab) keeps its caption and
    position. A posted row that is no longer there (the page was stale) makes the whole
    arrangement wait: the page shows the images as they are now, and says so.
    """

    images = MultipleImageField(
        label=_("Add images"), required=False, help_text=_("JPEG, PNG or WebP, at most 10 MB and 25 megapixels each.")
    )
    new_caption = NfcCharField(label=_("Alt text for the new images"), max_length=200, required=False)

    def __init__(self, data=None, *args, rows, **kwargs):
        self.rows = rows
        self.upload_tried = False  # the view's: new images are saved once per request
        current = {str(row.pk) for row in rows}
        posted = {match[1] for key in (data or {}) if (match := ROW_FIELD.match(key))}
        self.rows_posted = bool(posted)
        self.stale = bool(posted) and not posted <= current
        if data is not None and not self.stale:
            data = data.copy()
            for row in rows:
                data.setdefault(f"caption_{row.pk}", row.caption)
                data.setdefault(f"order_{row.pk}", str(row.display_order))
        elif self.stale:
            data = data.copy()
            for key in [key for key in data if ROW_FIELD.match(key)]:
                del data[key]
            for row in rows:
                data[f"caption_{row.pk}"], data[f"order_{row.pk}"] = row.caption, str(row.display_order)
        super().__init__(data, *args, **kwargs)
        position_error = _("Enter the position as a whole number from 0 to 999.")
        caption_error = _("Keep the alt text to %(limit_value)d characters at most (it has %(show_value)d).")
        for row in rows:
            self.fields[f"caption_{row.pk}"] = NfcCharField(
                label=_("Alt text"),
                max_length=200,
                required=False,
                initial=row.caption,
                error_messages={"max_length": caption_error},
            )
            self.fields[f"order_{row.pk}"] = forms.IntegerField(
                label=_("Position"),
                min_value=0,
                max_value=999,
                initial=row.display_order,
                error_messages={key: position_error for key in ("required", "invalid", "min_value", "max_value")},
            )
            self.fields[f"delete_{row.pk}"] = forms.BooleanField(label=_("Remove"), required=False)

    def clean(self):
        data = super().clean()
        if self.stale:
            raise ValidationError(STALE_IMAGES)
        return data

    def upload_is_valid(self) -> bool:
        return not ({"images", "new_caption"} & set(self.errors)) and bool(self.cleaned_data.get("images"))

    def row_fields(self):
        return [
            (row, self[f"caption_{row.pk}"], self[f"order_{row.pk}"], self[f"delete_{row.pk}"]) for row in self.rows
        ]

    def changes(self):
        from catalog.services import ImageChange

        return [
            ImageChange(
                id=row.pk,
                caption=self.cleaned_data[f"caption_{row.pk}"],
                display_order=self.cleaned_data[f"order_{row.pk}"],
                delete=self.cleaned_data[f"delete_{row.pk}"],
            )
            for row in self.rows
        ]


class CertificateForm(OcopCertificateForm):
    """A producer's certificate: the shared form (model rules, one decision number per product),
    without the fields only staff set; the scan is checked by catalog.images."""

    scan_file = ScanField(label=_("Certificate scan"), help_text=_("PDF, JPEG or PNG, at most 10 MB."))

    class Meta(OcopCertificateForm.Meta):
        fields = ["stars", "score", "decision_number", "decision_date", "level", "kind"]

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.product = product
        self.instance.status = OcopCertificate.Status.PENDING
        self.fields["decision_number"].required = True


class ShipForm(forms.Form):
    lines = forms.ModelMultipleChoiceField(
        label=_("Lines in this parcel"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    tracking_number = NfcCharField(label=_("Tracking number"), max_length=64)

    def __init__(self, *args, lines_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].queryset = lines_queryset


class CancelLineForm(forms.Form):
    reason = NfcCharField(label=_("Reason (sent to the customer)"), max_length=255)


class CsvImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, with the columns of the export."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > images.MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approved", _("Approve")), ("rejected", _("Reject"))])
    reason = NfcCharField(label=_("Reason (required to reject)"), required=False, widget=forms.Textarea)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "rejected" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why, so the producer can put it right."))
        return data
