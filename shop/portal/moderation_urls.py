"""The staff moderation queue, mounted at /moderation/."""

from django.urls import path

from shop.portal import views

app_name = "moderation"

urlpatterns = [
    path("", views.ModerationQueueView.as_view(), name="queue"),
    path(
        "<str:subject>/<int:pk>/decide/",
        views.ModerationDecideView.as_view(),
        name="decide",
    ),
    path("files/<path:name>", views.PrivateFileView.as_view(), name="private_file"),
]
