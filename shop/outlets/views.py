"""Sales point pages. Who may see what:

* the map and a point's page: everyone (open points only);
* the counter and transfers of a point: its managers and staff — a point is
  looked up *through* ``managed_outlets(user)``, so another point is a 404;
* the registry (create, edit, CSV import/export): staff only (403 otherwise).

The matrix test in shop/outlets/tests/test_authorisation.py covers every URL.
"""

from __future__ import annotations

import csv
import datetime
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView, View
from oscar.core.loading import get_model

from outlets import csv_io, selectors, services
from outlets.models import Outlet
from search import selectors as search_selectors
from shop.order import collection
from shop.outlets.forms import ImportForm, MovementForm, OutletForm, TransferForm

District = get_model("catalogue", "District")


def _coordinate(value: str | None, low: float, high: float) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


class MapView(TemplateView):
    template_name = "outlets/map.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        lat = _coordinate(params.get("lat"), -90, 90)
        lng = _coordinate(params.get("lng"), -180, 180)
        near = (lat, lng) if lat is not None and lng is not None else None
        kind = params.get("kind", "") if params.get("kind") in Outlet.Kind.values else ""
        district = params.get("district", "")
        query = params.get("q", "").strip()[:100]
        outlets = search_selectors.sales_points(query=query, kind=kind, district=district, near=near)
        pins = [
            {
                "name": o.name,
                "lat": float(o.latitude),
                "lng": float(o.longitude),
                "url": o.get_absolute_url(),
                "kind": o.get_kind_display(),
                "address": o.address,
            }
            for o in outlets
        ]
        return super().get_context_data(
            outlets=outlets,
            pins=pins,
            near=near,
            kinds=Outlet.Kind.choices,
            kind=kind,
            districts=District.objects.order_by("name"),
            district=district,
            query=query,
            tile_url=settings.OUTLETS_MAP_TILES,
            **kwargs,
        )


class OutletDetailView(DetailView):
    template_name = "outlets/detail.html"
    context_object_name = "outlet"

    def get_queryset(self):
        return Outlet.objects.filter(is_open=True).select_related("former_district")

    def get_context_data(self, **kwargs):
        shelf = selectors.shelf(self.object).filter(free__gt=0, product__is_public=True)
        return super().get_context_data(shelf=shelf, **kwargs)


class StaffRequiredMixin(UserPassesTestMixin):
    def test_func(self):
        user = self.request.user
        return user.is_authenticated and user.is_active and user.is_staff


class ManagerMixin(LoginRequiredMixin):
    """The point in the URL, looked up among the points the user manages (404 for another point)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.outlet = get_object_or_404(selectors.managed_outlets(request.user), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(outlet=self.outlet, **kwargs)


class ManageListView(LoginRequiredMixin, ListView):
    template_name = "outlets/manage_list.html"
    context_object_name = "outlets"

    def get_queryset(self):
        return selectors.managed_outlets(self.request.user)

    def get(self, request, *args, **kwargs):
        outlets = list(self.get_queryset()[:2])
        if len(outlets) == 1 and not request.user.is_staff:
            return redirect("outlets:counter", slug=outlets[0].slug)
        return super().get(request, *args, **kwargs)


def _form_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class CounterView(ManagerMixin, FormView):
    """Record a receipt, a counter sale or an adjustment: built for a phone at the counter."""

    template_name = "outlets/counter.html"
    form_class = MovementForm

    def get_initial(self):
        return {"kind": "sale", "quantity": 1}

    def form_valid(self, form):
        product = selectors.find_product(form.cleaned_data["code"])
        if product is None:
            form.add_error("code", _("No product has this SKU or barcode."))
            return self.form_invalid(form)
        try:
            movement = services.record_movement(
                outlet=self.outlet,
                product=product,
                kind=form.cleaned_data["kind"],
                quantity=form.cleaned_data["quantity"],
                reason=form.cleaned_data["reason"],
                by=self.request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Recorded: %(kind)s, %(delta)+d × %(title)s.")
            % {"kind": movement.get_kind_display(), "delta": movement.on_hand_delta, "title": product.get_title()},
        )
        return redirect("outlets:counter", slug=self.outlet.slug)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            shelf=selectors.shelf(self.outlet), movements=selectors.recent_movements(self.outlet), **kwargs
        )


class TransferView(ManagerMixin, FormView):
    template_name = "outlets/transfer.html"
    form_class = TransferForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "source": self.outlet}

    def form_valid(self, form):
        product = selectors.find_product(form.cleaned_data["code"])
        if product is None:
            form.add_error("code", _("No product has this SKU or barcode."))
            return self.form_invalid(form)
        try:
            services.transfer_stock(
                source=self.outlet,
                target=form.cleaned_data["target"],
                product=product,
                quantity=form.cleaned_data["quantity"],
                by=self.request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The transfer is recorded at both points."))
        return redirect("outlets:counter", slug=self.outlet.slug)


class CollectionsView(ManagerMixin, TemplateView):
    """Orders to collect at the point: mark them ready, collected, or not collected in time."""

    template_name = "outlets/collections.html"

    def get_context_data(self, **kwargs):
        orders = list(collection.collection_orders(self.outlet)[:50])
        for order in orders:
            order.point_lines = [line for line in order.lines.all() if line.partner_id == self.outlet.partner_id]
        return super().get_context_data(orders=orders, **kwargs)


class CollectionActionView(ManagerMixin, View):
    ACTIONS = {
        "ready": (collection.mark_ready, _("Order %(number)s is marked ready; the customer is told to come.")),
        "collected": (collection.mark_collected, _("Order %(number)s is collected.")),
        "not-collected": (
            collection.mark_not_collected,
            _("Order %(number)s was not collected: its goods are back on the shelf."),
        ),
    }

    def post(self, request, *args, **kwargs):
        order = get_object_or_404(collection.collection_orders(self.outlet), number=kwargs["number"])
        action, message = self.ACTIONS.get(kwargs["action"], (None, ""))
        if action is None:
            raise Http404
        try:
            action(order=order, outlet=self.outlet)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, message % {"number": order.number})
        return redirect("outlets:collections", slug=self.outlet.slug)


class StaffListView(StaffRequiredMixin, ListView):
    template_name = "outlets/staff_list.html"
    context_object_name = "outlets"
    paginate_by = 50

    def get_queryset(self):
        return Outlet.objects.select_related("former_district").prefetch_related("managers").order_by("name")


class OutletFormView(StaffRequiredMixin, FormView):
    template_name = "outlets/outlet_form.html"
    form_class = OutletForm
    outlet = None

    def dispatch(self, request, *args, **kwargs):
        if "slug" in kwargs:
            self.outlet = get_object_or_404(Outlet, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.outlet}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        managers = data.pop("managers")
        try:
            outlet = services.save_outlet(outlet=self.outlet, managers=managers, **data)
        except ValidationError as exc:
            _form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Sales point “%(name)s” is saved.") % {"name": outlet.name})
        return redirect("outlets:staff_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(outlet=self.outlet, **kwargs)


class CoverageView(StaffRequiredMixin, TemplateView):
    """The Department's report: points per former district and commune against the target, and per point."""

    template_name = "outlets/coverage.html"

    def _period(self):
        today = timezone.localdate()
        try:
            since = datetime.date.fromisoformat(self.request.GET.get("from", ""))
        except ValueError:
            since = today - datetime.timedelta(days=30)
        try:
            until = datetime.date.fromisoformat(self.request.GET.get("to", ""))
        except ValueError:
            until = today
        return since, until

    def get(self, request, *args, **kwargs):
        since, until = self._period()
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(since, datetime.time.min, tz)
        end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, tz)
        context = {
            "districts": selectors.district_coverage(),
            "communes": selectors.commune_coverage(),
            "points": selectors.point_reports(since=start, until=end),
            "since": since,
            "until": until,
            "target": selectors.TARGET_PER_DISTRICT,
            "tile_url": settings.OUTLETS_MAP_TILES,
        }
        if request.GET.get("format") == "csv":
            return self._csv(context)
        context["pins"] = [
            {"name": d.name, "lat": d.lat, "lng": d.lng, "points": d.points, "status": d.status}
            for d in context["districts"]
            if d.lat is not None
        ]
        return self.render_to_response(self.get_context_data(**context))

    def _csv(self, context) -> HttpResponse:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["former_district", "points", "status"])
        for d in context["districts"]:
            writer.writerow([d.name, d.points, d.status])
        writer.writerow([])
        writer.writerow(["sales_point", "former_district", "units", "stock_value_vnd", "best_sellers", "slowest"])
        for p in context["points"]:
            writer.writerow(
                [
                    p.outlet.name,
                    p.outlet.former_district.name,
                    p.units,
                    int(p.value),
                    "; ".join(f"{t} ({q})" for t, q in p.best()),
                    "; ".join(f"{t} ({q})" for t, q in p.slowest()),
                ]
            )
        response = HttpResponse(out.getvalue(), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="do-phu-diem-ban-{context["until"]:%Y%m%d}.csv"'
        return response


class ImportView(StaffRequiredMixin, FormView):
    template_name = "outlets/import.html"
    form_class = ImportForm

    def form_valid(self, form):
        result = csv_io.import_csv(form.cleaned_data["file"].read(), dry_run=form.cleaned_data["dry_run"])
        if not result.errors and not result.dry_run:
            messages.success(
                self.request,
                _("Imported: %(created)d new, %(updated)d changed.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("outlets:staff_list")
        return self.render_to_response(self.get_context_data(form=form, result=result))


class ExportView(StaffRequiredMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(csv_io.export_csv(Outlet.objects.order_by("name")), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="diem-ban-ocop.csv"'
        return response
