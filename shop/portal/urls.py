"""The producer portal, mounted at /producer/ ("Kênh người bán").

Every URL here is listed in shop/portal/tests/test_authorisation.py; the
test fails if one is added without being listed.
"""

from django.urls import path

from shop.portal import views

app_name = "portal"

urlpatterns = [
    path("apply/", views.ApplyView.as_view(), name="apply"),
    path("apply/sent/", views.ApplySentView.as_view(), name="apply_sent"),
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("products/", views.ProductListView.as_view(), name="product_list"),
    path("products/new/", views.ProductCreateView.as_view(), name="product_create"),
    path("products/export.csv", views.ProductExportView.as_view(), name="product_export"),
    path("products/labels/", views.LabelSheetView.as_view(), name="labels"),
    path("products/import/", views.ProductImportView.as_view(), name="product_import"),
    path("products/<int:pk>/", views.ProductEditView.as_view(), name="product_edit"),
    path("products/<int:pk>/images/", views.ProductImagesView.as_view(), name="product_images"),
    path("products/<int:pk>/certificates/new/", views.CertificateCreateView.as_view(), name="certificate_create"),
    path("certificates/<int:pk>/scan/", views.CertificateScanView.as_view(), name="certificate_scan"),
    path("orders/", views.OrderListView.as_view(), name="order_list"),
    path("orders/<str:number>/", views.OrderDetailView.as_view(), name="order_detail"),
    path("orders/<str:number>/ship/", views.OrderShipView.as_view(), name="order_ship"),
    path("lines/<int:pk>/confirm/", views.LineConfirmView.as_view(), name="line_confirm"),
    path("lines/<int:pk>/cancel/", views.LineCancelView.as_view(), name="line_cancel"),
    path("sales/", views.SalesView.as_view(), name="sales"),
    path("sales/export.csv", views.SalesExportView.as_view(), name="sales_export"),
]
