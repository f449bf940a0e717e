"""The public certificate registry, mounted at /chung-nhan/, and the programme dashboard at /chuong-trinh/."""

from django.urls import path

from shop.programme import views

app_name = "programme"

urlpatterns = [
    path("chung-nhan/", views.RegistryView.as_view(), name="registry"),
    path("chung-nhan/du-lieu.csv", views.RegistryCsvView.as_view(), name="registry_csv"),
    path("chung-nhan/du-lieu.json", views.RegistryJsonView.as_view(), name="registry_json"),
    path("chung-nhan/schema.json", views.RegistrySchemaView.as_view(), name="registry_schema"),
    path("chung-nhan/<int:pk>/", views.CertificateView.as_view(), name="certificate"),
    path("chung-nhan/<int:pk>/qr.<str:fmt>", views.CertificateQrView.as_view(), name="certificate_qr"),
    path("chung-nhan/san-pham/<int:pk>/", views.ProductCertificateView.as_view(), name="product"),
    path("chung-nhan/san-pham/<int:pk>/qr.<str:fmt>", views.ProductQrView.as_view(), name="product_qr"),
    path("chuong-trinh/", views.ProgrammeDashboardView.as_view(), name="dashboard"),
]
