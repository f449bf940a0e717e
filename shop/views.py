from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from oscar.apps.customer.signals import user_registered
from oscar.apps.customer.utils import normalise_email
from oscar.core.loading import get_class

import mail
from shop import health

OscarLogoutView = get_class("customer.views", "LogoutView")
OscarOrderLineView = get_class("customer.views", "OrderLineView")
OscarAccountRegistrationView = get_class("customer.views", "AccountRegistrationView")
OscarAccountAuthView = get_class("customer.views", "AccountAuthView")
EmailUserCreationForm = get_class("customer.forms", "EmailUserCreationForm")


@never_cache
def healthz(request):
    """Each dependency's state for the container health check and monitoring; 503 when the shop cannot sell."""
    body, can_sell = health.report()
    return JsonResponse(body, status=200 if can_sell else 503)


class LogoutView(OscarLogoutView):
    """Sign out by POST only: a link or an image on any page can no longer sign a customer out.

    A GET (an old link, a bookmark) shows a page with the sign-out button instead.
    """

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return HttpResponseRedirect(self.get_redirect_url())
        return render(request, "oscar/customer/logout_confirm.html")

    def post(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)  # Oscar's GET is the sign-out itself


class OrderLineView(OscarOrderLineView):
    """Oscar's order-line address only takes the "buy again" POST: a GET had no template (500).

    A GET now leads to the line on its order's page, and an unknown line is a 404.
    """

    def get_object(self, queryset=None):
        order = get_object_or_404(self.request.user.orders, number=self.kwargs["order_number"])
        return get_object_or_404(order.lines, id=self.kwargs["line_id"])

    def get(self, request, *args, **kwargs):
        line = self.get_object()
        return redirect(reverse("customer:order", kwargs={"order_number": line.order.number}) + f"#line-{line.pk}")


class RegistrationForm(EmailUserCreationForm):
    """Oscar's registration form without its "A user with that email address already exists" error,
    which told anyone which addresses have accounts. ``QuietRegistrationMixin`` decides what a taken
    address gets."""

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class QuietRegistrationMixin:
    """Registration that answers a new and a taken address alike: the same "check your e-mail" page,
    nobody signed in, about the same time spent. A new address gets its account and Oscar's welcome
    e-mail; a taken one gets an e-mail telling its owner that someone tried to register with it."""

    def register_quietly(self, form):
        email = form.cleaned_data["email"]
        owner = get_user_model()._default_manager.filter(email__iexact=email).order_by("pk").first()
        if owner is None:
            user = form.save()
            user_registered.send_robust(sender=self, request=self.request, user=user)
            self.send_registration_email(user)
        else:
            make_password(form.cleaned_data["password1"])  # the hashing a new account costs: no timing tell
            mail.send_templated_mail(
                template="customer/emails/registration_attempt",
                context={
                    "user": owner,
                    "login_url": mail.site_url() + reverse("customer:login"),
                    "reset_url": mail.site_url() + reverse("password-reset"),
                },
                recipients=[owner.email],
            )
        return redirect("registration-sent")


class AccountRegistrationView(QuietRegistrationMixin, OscarAccountRegistrationView):
    form_class = RegistrationForm

    def form_valid(self, form):
        return self.register_quietly(form)


class AccountAuthView(QuietRegistrationMixin, OscarAccountAuthView):
    """The sign-in page, whose second form registers: quietly, as above."""

    registration_form_class = RegistrationForm

    def validate_registration_form(self):
        form = self.get_registration_form(bind_data=True)
        if form.is_valid():
            return self.register_quietly(form)
        return self.render_to_response(self.get_context_data(registration_form=form))


def registration_sent(request):
    return render(request, "oscar/customer/registration_sent.html")
