import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalog"

    def ready(self):
        super().ready()
        from django.db.models.signals import post_delete
        from oscar.apps.catalogue import receivers as oscar_receivers

        from catalog import (
            checks,  # noqa: F401  (registers the data checks)
            receivers,
        )

        product_image = self.get_model("ProductImage")
        if hasattr(oscar_receivers, "delete_image_files"):  # only with OSCAR_DELETE_IMAGE_FILES
            post_delete.disconnect(oscar_receivers.delete_image_files, sender=product_image)
            post_delete.connect(
                receivers.delete_image_file, sender=product_image, dispatch_uid="catalog_product_image_file"
            )
        for model, receiver in (
            ("RevisionImage", receivers.delete_image_file),
            ("OcopCertificate", receivers.delete_certificate_scan),
            ("ProducerApplication", receivers.delete_application_scan),
        ):
            post_delete.connect(receiver, sender=self.get_model(model), dispatch_uid=f"catalog_{model}_file")
