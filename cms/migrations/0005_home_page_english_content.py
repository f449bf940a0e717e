"""Fill the English version of the existing home page, where an editor has not written one.

Saved revisions get the English text too, so the editor's next publish keeps it.
"""

from django.db import migrations

from cms.content import HOME_PAGE_CONTENT_EN


def fill_english(apps, schema_editor):
    HomePage = apps.get_model("cms", "HomePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    home_type = ContentType.objects.filter(app_label="cms", model="homepage").first()
    for home in HomePage.objects.all():
        empty = {name: value for name, value in HOME_PAGE_CONTENT_EN.items() if not getattr(home, name)}
        if empty:
            HomePage.objects.filter(pk=home.pk).update(**empty)
        if home_type is None:
            continue
        for revision in Revision.objects.filter(content_type=home_type, object_id=str(home.pk)):
            missing = {name: value for name, value in HOME_PAGE_CONTENT_EN.items() if not revision.content.get(name)}
            if missing:
                revision.content = {**revision.content, **missing}
                revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_home_page_english_fields"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(fill_english, migrations.RunPython.noop)]
