from django.urls import path

from shop.outlets import views

app_name = "outlets"

urlpatterns = [
    path("", views.MapView.as_view(), name="map"),
    path("manage/", views.ManageListView.as_view(), name="manage"),
    path("staff/", views.StaffListView.as_view(), name="staff_list"),
    path("staff/new/", views.OutletFormView.as_view(), name="create"),
    path("staff/import/", views.ImportView.as_view(), name="import"),
    path("staff/export.csv", views.ExportView.as_view(), name="export"),
    path("staff/coverage/", views.CoverageView.as_view(), name="coverage"),
    path("staff/<slug:slug>/edit/", views.OutletFormView.as_view(), name="edit"),
    path("<slug:slug>/counter/", views.CounterView.as_view(), name="counter"),
    path("<slug:slug>/transfer/", views.TransferView.as_view(), name="transfer"),
    path("<slug:slug>/collections/", views.CollectionsView.as_view(), name="collections"),
    path(
        "<slug:slug>/collections/<str:number>/<slug:action>/",
        views.CollectionActionView.as_view(),
        name="collection_action",
    ),
    path("<slug:slug>/", views.OutletDetailView.as_view(), name="detail"),
]
