"""Producer accounts and "become a seller" applications."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from mail import site_url

Producer = get_model("catalogue", "Producer")
ProducerApplication = get_model("catalogue", "ProducerApplication")
Partner = get_model("partner", "Partner")
User = get_user_model()


def producer_recipients(producer) -> list[str]:
    return [producer.email, *producer.partner.users.filter(is_active=True).values_list("email", flat=True)]


def producer_of(user) -> Producer | None:
    """The producer a user works for, or None (customers, staff, anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return None
    producers = list(Producer.objects.select_related("partner", "district").filter(partner__users=user)[:2])
    if len(producers) > 1:
        raise PermissionDenied(_("This account is linked to more than one producer; ask the marketplace staff."))
    return producers[0] if producers else None


@transaction.atomic
def link_user_to_producer(*, user, producer: Producer) -> None:
    """A user works for at most one producer; a producer may have several users."""
    other = Producer.objects.filter(partner__users=user).exclude(pk=producer.pk).first()
    if other is not None:
        raise ValidationError(
            _("%(user)s already works for %(producer)s; an account can belong to one producer only.")
            % {"user": user.email, "producer": other.name}
        )
    producer.partner.users.add(user)


@transaction.atomic
def submit_application(*, scan: ContentFile, **fields) -> ProducerApplication:
    application = ProducerApplication(**fields)
    application.certificate_scan.save(scan.name, scan, save=False)
    application.save()
    return application


def password_setup_url(user) -> str:
    path = reverse(
        "password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return site_url().rstrip("/") + path


def open_producer_account(application: ProducerApplication) -> tuple[Producer, User]:
    """The partner, the producer and its first user for an approved application.

    Called by ``catalog.moderation`` when staff approve the application. A user who
    already has an account with the application's e-mail address is linked to the
    producer; otherwise a new user without a password is created.
    """
    if (
        application.registration_number
        and Producer.objects.filter(registration_number=application.registration_number).exists()
    ):
        raise ValidationError(_("A producer with this business registration number already exists."))
    partner = Partner.objects.create(name=application.producer_name)
    producer = Producer.objects.create(
        partner=partner,
        kind=application.kind,
        registration_number=application.registration_number,
        district=application.district,
        commune=application.commune,
        address=application.address,
        phone=application.phone,
        email=application.email,
    )
    user = User.objects.filter(email__iexact=application.email).first()
    if user is None:
        first_name, _sep, last_name = application.contact_name.rpartition(" ")
        user = User(
            username=f"producer-{producer.pk}-{timezone.now():%Y%m%d%H%M%S}",
            email=application.email,
            first_name=first_name[:150],
            last_name=(last_name or application.contact_name)[:150],
        )
        user.set_unusable_password()
        user.save()
    link_user_to_producer(user=user, producer=producer)
    return producer, user
