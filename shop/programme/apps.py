from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    """The OCOP programme's public registry (certificates, QR codes, open data) and the Department's dashboard."""

    name = "shop.programme"
    label = "programme"
