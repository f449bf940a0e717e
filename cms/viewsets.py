"""The campaign report in the Wagtail admin: a list of campaigns, and each one's figures, chart and CSV."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from cms.models import CampaignPage
from cms.reports import campaign_report, report_csv

REPORT_PERMISSION = "cms.view_campaign_report"
CHART_ROWS = 10
CHART_WIDTH = 420  # SVG units for the longest bar; names take the first 200


class ReportPermissionMixin:
    page_title = _("Campaign reports")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(REPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(page_title=self.page_title, header_icon=self.header_icon, header_title=self.page_title)
        return context


class CampaignReportIndexView(ReportPermissionMixin, TemplateView):
    template_name = "cms/admin/campaign_report_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaigns"] = CampaignPage.objects.order_by("-starts_at", "-pk")
        return context


class CampaignReportView(ReportPermissionMixin, TemplateView):
    template_name = "cms/admin/campaign_report.html"

    def get(self, request, *args, **kwargs):
        self.campaign = get_object_or_404(CampaignPage, pk=kwargs["pk"])
        self.report = campaign_report(self.campaign)
        if request.GET.get("format") == "csv":
            response = HttpResponse(report_csv(self.report), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="bao-cao-chien-dich-{self.campaign.pk}.csv"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        top = report.rows["product"][:CHART_ROWS]
        largest = max([row.during.revenue for row in top] + [row.before.revenue for row in top] + [1])
        context.update(
            campaign=self.campaign,
            report=report,
            total_rows=[report.total],
            page_title=self.campaign.title,
            chart_height=(len(top) + 1) * 10,
            chart=[
                {
                    "name": row.name,
                    "during": row.during.revenue,
                    "before": row.before.revenue,
                    "during_width": int(row.during.revenue * CHART_WIDTH / largest),
                    "before_width": int(row.before.revenue * CHART_WIDTH / largest),
                }
                for row in top
            ],
        )
        return context


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REPORT_PERMISSION)


class CampaignReportViewSet(ViewSet):
    name = "campaign_reports"
    url_prefix = "campaign-reports"
    icon = "table"
    menu_label = _("Campaign reports")
    add_to_admin_menu = True
    menu_order = 250

    def get_urlpatterns(self):
        return [
            path("", CampaignReportIndexView.as_view(), name="index"),
            path("<int:pk>/", CampaignReportView.as_view(), name="report"),
        ]

    menu_item_class = ReportMenuItem


campaign_report_viewset = CampaignReportViewSet()
