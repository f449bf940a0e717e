"""Forms for OCOP certificates, shared by the Django admin and the producers' portal.

The model's ``clean()`` gives the per-field messages for the score band, a
decision date in the future and 5★ below the central level. The database's
"one decision number per product" rule (rejected rows aside) is checked here
as well, on the decision number field: Django checks a conditional unique
constraint only as a form-wide error, and skips it entirely inside an inline
(where the product is not a form field), which would end in an IntegrityError.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalog import ocop

ModerationDecision = get_model("catalogue", "ModerationDecision")
OcopCertificate = get_model("catalogue", "OcopCertificate")

DUPLICATE_DECISION_MESSAGE = _("This product already has a certificate with decision number %(number)s.")


def is_rejected(form: forms.ModelForm) -> bool:
    """A rejected certificate does not hold its decision number (see the model's constraint)."""
    status = form.cleaned_data.get("status") if "status" in form.fields else form.instance.status
    return status == OcopCertificate.Status.REJECTED


def _decision_of(form: forms.ModelForm) -> str | None:
    """The staff decision a saved certificate form takes: verified or rejected, newly set."""
    certificate = form.instance
    cleaned_data = getattr(form, "cleaned_data", {})
    if not form.has_changed() or cleaned_data.get("DELETE"):
        return None
    status = cleaned_data.get("status", certificate.status)
    decided = {
        OcopCertificate.Status.VERIFIED: ModerationDecision.Decision.APPROVED,
        OcopCertificate.Status.REJECTED: ModerationDecision.Decision.REJECTED,
    }
    if status in decided and (certificate._state.adding or "status" in form.changed_data):
        return decided[status]
    return None


def hold_decisions(certificate_forms) -> list[tuple]:
    """Certificates that staff verify or reject in a form are saved as pending first.

    The admin and the dashboard call this before saving and ``take_decisions``
    after: the decision itself goes through ``catalog.moderation.decide``, as in
    the moderation queue, so it writes the same audit row and e-mail.
    """
    held = []
    for form in certificate_forms:
        decision = _decision_of(form)
        if decision is not None:
            certificate = form.instance
            held.append((certificate, decision, certificate.rejection_reason))
            certificate.status = OcopCertificate.Status.PENDING
    return held


def take_decisions(held, *, by) -> None:
    from catalog import moderation

    for certificate, decision, reason in held:
        moderation.decide(
            subject=ModerationDecision.Subject.CERTIFICATE, target=certificate, decision=decision, by=by, reason=reason
        )


# What staff edit of a certificate besides its product: the Django admin, the dashboard and this form share it.
CERTIFICATE_FIELDS = [
    "stars",
    "score",
    "decision_number",
    "decision_date",
    "level",
    "kind",
    "status",
    "rejection_reason",
    "scan",
    "note",
]


class OcopCertificateForm(forms.ModelForm):
    """One certificate; the product comes from the form field or, in an inline or portal, the instance."""

    class Meta:
        model = OcopCertificate
        fields = ["product", *CERTIFICATE_FIELDS]
        widgets = {
            "decision_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "rejection_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        cleaned_data = super().clean()
        if "rejection_reason" in self.fields and _decision_of(self) == ModerationDecision.Decision.REJECTED:
            if not (cleaned_data.get("rejection_reason") or "").strip():
                self.add_error("rejection_reason", _("Say why, so the producer can put it right."))
        number = ocop.nfc(cleaned_data.get("decision_number"))
        product = cleaned_data.get("product") or getattr(self.instance, "product", None)
        if number and product is not None and product.pk is not None and not is_rejected(self):
            duplicates = OcopCertificate.objects.filter(product=product, decision_number=number).exclude(
                status=OcopCertificate.Status.REJECTED
            )
            if self.instance.pk is not None:
                duplicates = duplicates.exclude(pk=self.instance.pk)
            if duplicates.exists():
                # An error on the field also keeps Django from adding the constraint's form-wide one.
                self.add_error("decision_number", DUPLICATE_DECISION_MESSAGE % {"number": number})
        return cleaned_data


class OcopCertificateInlineFormSet(forms.BaseInlineFormSet):
    """Certificates of one product: two rows may not share a decision number either."""

    def clean(self):
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            number = form.cleaned_data.get("decision_number")
            if not number or is_rejected(form):
                continue
            if number in seen:
                form.add_error("decision_number", DUPLICATE_DECISION_MESSAGE % {"number": number})
            seen.add(number)
