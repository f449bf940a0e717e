"""The producer portal ("Kênh người bán") and the staff moderation queue. Views stay thin:
reads come from shop.portal.selectors, writes from catalog.services / shop.order.fulfilment."""

from __future__ import annotations

from decimal import Decimal
from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from oscar.core.loading import get_model

from catalog import moderation, services, storage
from catalog.richtext import editable_description
from shop.order import fulfilment, statuses
from shop.order.services import is_collection_order
from shop.portal import csv_io, forms, selectors
from shop.portal.mixins import ProducerRequiredMixin, StaffRequiredMixin

OcopCertificate = get_model("catalogue", "OcopCertificate")
ProducerApplication = get_model("catalogue", "ProducerApplication")
Product = get_model("catalogue", "Product")
ProductRevision = get_model("catalogue", "ProductRevision")
Line = get_model("order", "Line")
# A decision on an object that no longer exists (decided twice from two tabs).
_MISSING = (
    Product.DoesNotExist,
    ProductRevision.DoesNotExist,
    OcopCertificate.DoesNotExist,
    ProducerApplication.DoesNotExist,
)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Becoming a seller ----------------------------------------------------------


class ApplyView(FormView):
    template_name = "portal/apply.html"
    form_class = forms.ProducerApplicationForm

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "certificate_scan"}
        services.submit_application(scan=form.cleaned_data["certificate_scan"], **data)
        return redirect("portal:apply_sent")


class ApplySentView(TemplateView):
    template_name = "portal/apply_sent.html"


# --- Dashboard and products ---------------------------------------------------------


class DashboardView(ProducerRequiredMixin, TemplateView):
    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        line_counts = selectors.order_status_counts(self.producer)
        context.update(
            product_counts=selectors.counts_by_status(self.producer),
            products_on_sale=selectors.on_sale_count(self.producer),
            lines_waiting=line_counts.get(statuses.LINE_PENDING, 0),
            lines_to_ship=line_counts.get(statuses.LINE_CONFIRMED, 0),
            sales=selectors.sales(self.producer),
        )
        return context


class ProductListView(ProducerRequiredMixin, ListView):
    template_name = "portal/product_list.html"
    context_object_name = "products"
    paginate_by = 25

    def get_queryset(self):
        return selectors.producer_products(self.producer)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["products"] = selectors.with_sale_status(context["products"])
        return context


class LabelSheetView(ProducerRequiredMixin, ListView):
    """A printable sheet of QR labels (2 cm codes) for the producer's products on sale.

    Each code opens the product's public certificate page (``shop.programme``).
    """

    template_name = "portal/labels.html"
    context_object_name = "products"

    def get_queryset(self):
        return selectors.producer_products(self.producer).filter(is_public=True)


class OwnProductMixin(ProducerRequiredMixin):
    """Looks the product up through the producer: another producer's product is a 404."""

    def get_product(self):
        if not hasattr(self, "_product"):
            product = get_object_or_404(selectors.producer_products(self.producer), pk=self.kwargs["pk"])
            self._product = selectors.with_sale_status([product])[0]
        return self._product

    def get_context_data(self, **kwargs):
        return super().get_context_data(product=self.get_product(), **kwargs)


class ProductCreateView(ProducerRequiredMixin, FormView):
    template_name = "portal/product_form.html"
    form_class = forms.ProductCreateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "producer": self.producer}

    def form_valid(self, form):
        data = form.cleaned_data
        product = services.create_product(
            producer=self.producer,
            title=data["title"],
            title_en=data["title_en"],
            description=data["description"],
            description_en=data["description_en"],
            category=data["category"],
            price=Decimal(data["price"]),
            stock=data["stock"],
            weight_grams=data["weight_grams"],
            sku=data["sku"],
            images=[services.NewImage(file=f, caption=data["title"]) for f in data["images"]],
        )
        messages.success(self.request, _("Product saved. It goes on sale once the marketplace staff approve it."))
        return redirect("portal:product_edit", pk=product.pk)


class ProductEditView(OwnProductMixin, FormView):
    template_name = "portal/product_form.html"
    form_class = forms.ProductForm

    def get_initial(self):
        product = self.get_product()
        revision = services.pending_revision(product) if services.is_moderated(product) else None
        source = revision or product
        record = services.stockrecord_of(product)
        categories = list(product.categories.all())
        return {
            **{field: getattr(source, field) for field in services.MODERATED_FIELDS},
            "description": editable_description(source.description),
            "description_en": editable_description(source.description_en),
            "category": categories[-1] if categories else None,
            "price": int(record.price) if record and record.price is not None else None,
            "stock": record.num_in_stock if record else 0,
            "weight_grams": product.weight_grams,
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "current_category": self.get_product().categories.last()}

    def get_context_data(self, **kwargs):
        product = self.get_product()
        return super().get_context_data(
            revision=services.pending_revision(product),
            certificates=list(product.certificates.all()),
            stockrecord=services.stockrecord_of(product),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            revision = services.update_product(
                product=self.get_product(),
                producer=self.producer,
                by=self.request.user,
                title=data["title"],
                title_en=data["title_en"],
                description=data["description"],
                description_en=data["description_en"],
                category=data["category"],
                price=Decimal(data["price"]),
                stock=data["stock"],
                weight_grams=data["weight_grams"],
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        if revision is not None:
            messages.info(
                self.request,
                _("Price and stock are updated. The new text waits for approval; the approved version stays on sale."),
            )
        else:
            messages.success(self.request, _("Product saved."))
        return redirect("portal:product_edit", pk=self.kwargs["pk"])


class ProductImagesView(OwnProductMixin, FormView):
    template_name = "portal/product_images.html"
    form_class = forms.ImagesForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "rows": services.editable_images(self.get_product())}

    def get_context_data(self, **kwargs):
        product = self.get_product()
        return super().get_context_data(
            moderated=services.is_moderated(product), revision=services.pending_revision(product), **kwargs
        )

    def form_valid(self, form):
        product, by = self.get_product(), self.request.user
        try:
            if form.rows_posted:
                services.arrange_product_images(product=product, producer=self.producer, by=by, changes=form.changes())
            self.add_new_images(form)
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        if services.is_moderated(product):
            messages.info(self.request, _("Image changes wait for approval; the approved images stay on sale."))
        else:
            messages.success(self.request, _("Images saved."))
        return redirect("portal:product_images", pk=product.pk)

    def form_invalid(self, form):
        """Errors next to their fields; the new images, if they were fine, are kept all the same."""
        if form.upload_is_valid() and not form.upload_tried:
            try:
                count = self.add_new_images(form)
            except ValidationError as error:
                form.add_error("images", error.messages)
            else:
                messages.success(
                    self.request,
                    ngettext(
                        "%(count)s new image was saved. Correct the marked fields and save again.",
                        "%(count)s new images were saved. Correct the marked fields and save again.",
                        count,
                    )
                    % {"count": count},
                )
        return super().form_invalid(form)

    def add_new_images(self, form) -> int:
        form.upload_tried = True
        new = form.cleaned_data.get("images") or []
        if new:
            product = self.get_product()
            caption = form.cleaned_data.get("new_caption") or product.title
            services.add_product_images(
                product=product,
                producer=self.producer,
                by=self.request.user,
                images=[services.NewImage(file=f, caption=caption) for f in new],
            )
        return len(new)


class CertificateCreateView(OwnProductMixin, FormView):
    template_name = "portal/certificate_form.html"
    form_class = forms.CertificateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "product": self.get_product()}

    def form_valid(self, form):
        services.submit_certificate(
            product=self.get_product(),
            producer=self.producer,
            by=self.request.user,
            certificate=form.instance,
            scan=form.cleaned_data["scan_file"],
        )
        messages.success(self.request, _("Certificate sent: it shows no badge until the staff verify it."))
        return redirect("portal:product_edit", pk=self.kwargs["pk"])


def private_file_response(name: str, *, download_name: str) -> FileResponse:
    """A scan from the private storage, for a caller already checked: PDF and pictures open in
    the browser, anything else is a download; never cached by a shared cache, never sniffed."""
    try:
        handle = storage.private_storage().open(name, "rb")
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404(_("This file is no longer available.")) from None
    content_type, inline = storage.content_type_of(name)
    response = FileResponse(handle, as_attachment=not inline, filename=download_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


def _scan_download_name(prefix: str, pk: int, name: str) -> str:
    return f"{prefix}-{pk}{PurePosixPath(name).suffix.lower()}"


class CertificateScanView(ProducerRequiredMixin, View):
    """The scan of one of the producer's own certificates: another producer's is a 404."""

    def get(self, request, pk):
        certificate = get_object_or_404(selectors.producer_certificates(self.producer).exclude(scan=""), pk=pk)
        name = certificate.scan.name
        return private_file_response(name, download_name=_scan_download_name("ocop-certificate", pk, name))


def _csv_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ProductExportView(ProducerRequiredMixin, View):
    def get(self, request):
        return _csv_response(csv_io.export_products(self.producer), f"products-{timezone.localdate():%Y%m%d}.csv")


class ProductImportView(ProducerRequiredMixin, FormView):
    template_name = "portal/product_import.html"
    form_class = forms.CsvImportForm

    def form_valid(self, form):
        dry_run = "apply" not in self.request.POST
        report = csv_io.import_products(
            producer=self.producer, content=form.cleaned_data["file"].read(), dry_run=dry_run
        )
        if report.applied:
            messages.success(
                self.request,
                _("Import done: %(updated)s updated, %(created)s new (waiting for approval).")
                % {"updated": report.updated, "created": report.created},
            )
            return redirect("portal:product_list")
        return self.render_to_response(self.get_context_data(form=form, report=report, dry_run=dry_run))


# --- Orders ----------------------------------------------------------------------


class OrderListView(ProducerRequiredMixin, ListView):
    template_name = "portal/order_list.html"
    context_object_name = "orders"
    paginate_by = 25

    def get_queryset(self):
        return selectors.producer_orders(self.producer)


class OwnOrderMixin(ProducerRequiredMixin):
    def get_order(self):
        if not hasattr(self, "_order"):
            self._order = get_object_or_404(selectors.producer_orders(self.producer), number=self.kwargs["number"])
        return self._order


class OrderDetailView(OwnOrderMixin, TemplateView):
    template_name = "portal/order_detail.html"

    def get_context_data(self, **kwargs):
        order = self.get_order()
        shippable = [line for line in order.own_lines if line.status == statuses.LINE_CONFIRMED]
        return super().get_context_data(
            order=order,
            lines=order.own_lines,
            address=order.shipping_address,
            payment_method=selectors.payment_method(order),
            collection=is_collection_order(order),
            ship_form=kwargs.pop("ship_form", None)
            or forms.ShipForm(lines_queryset=Line.objects.filter(pk__in=[line.pk for line in shippable])),
            shippable=shippable,
            cancel_form=forms.CancelLineForm(),
            **kwargs,
        )


class OrderShipView(OwnOrderMixin, View):
    def post(self, request, number):
        order = self.get_order()
        lines = selectors.producer_lines(self.producer).filter(order=order, status=statuses.LINE_CONFIRMED)
        form = forms.ShipForm(request.POST, lines_queryset=lines)
        if form.is_valid():
            try:
                fulfilment.ship_lines(
                    lines=list(form.cleaned_data["lines"]),
                    tracking_number=form.cleaned_data["tracking_number"],
                    producer=self.producer,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Marked as shipped; the customer was told by e-mail."))
        else:
            messages.error(request, _("Choose the lines and enter the tracking number."))
        return redirect("portal:order_detail", number=number)


class OwnLineMixin(ProducerRequiredMixin):
    def get_line(self):
        return get_object_or_404(selectors.producer_lines(self.producer).select_related("order"), pk=self.kwargs["pk"])


class LineConfirmView(OwnLineMixin, View):
    def post(self, request, pk):
        line = self.get_line()
        try:
            fulfilment.confirm_line(line=line, producer=self.producer)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Line confirmed; the customer was told by e-mail."))
        return redirect("portal:order_detail", number=line.order.number)


class LineCancelView(OwnLineMixin, View):
    def post(self, request, pk):
        line = self.get_line()
        form = forms.CancelLineForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why the line is cancelled: the customer is told."))
        else:
            try:
                fulfilment.cancel_line(line=line, reason=form.cleaned_data["reason"], producer=self.producer)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Line cancelled; its stock is back on sale."))
        return redirect("portal:order_detail", number=line.order.number)


# --- Sales -----------------------------------------------------------------------


class SalesView(ProducerRequiredMixin, TemplateView):
    template_name = "portal/sales.html"

    def get_context_data(self, **kwargs):
        sales = selectors.sales(self.producer)
        return super().get_context_data(sales=sales, bars=selectors.chart_bars(sales.by_month), **kwargs)


class SalesExportView(ProducerRequiredMixin, View):
    def get(self, request):
        return _csv_response(csv_io.export_sales(self.producer), f"sales-{timezone.localdate():%Y%m%d}.csv")


# --- Staff moderation queue ----------------------------------------------------------


class ModerationQueueView(StaffRequiredMixin, TemplateView):
    template_name = "portal/moderation_queue.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(queue=moderation.moderation_queue(), **kwargs)


class ModerationDecideView(StaffRequiredMixin, View):
    def post(self, request, subject, pk):
        form = forms.DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
            return HttpResponseRedirect(reverse("moderation:queue"))
        try:
            moderation.decide(
                subject=subject,
                target=pk,
                decision=form.cleaned_data["decision"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, *_MISSING) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Decision recorded."))
        return HttpResponseRedirect(reverse("moderation:queue"))


class PrivateFileView(StaffRequiredMixin, View):
    """Staff read a certificate or application scan; ``PrivateStorage.url`` links here (queue, admin).

    Only a name that a certificate or an application holds is served: not any file under the root.
    """

    def get(self, request, name):
        certificate = OcopCertificate.objects.filter(scan=name).only("pk").first()
        if certificate is not None:
            return private_file_response(
                name, download_name=_scan_download_name("ocop-certificate", certificate.pk, name)
            )
        application = ProducerApplication.objects.filter(certificate_scan=name).only("pk").first()
        if application is not None:
            return private_file_response(name, download_name=_scan_download_name("application", application.pk, name))
        raise Http404(_("No such file."))
