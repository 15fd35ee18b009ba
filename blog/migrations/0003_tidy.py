from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('blog', '0002_rendered_at_and_tag_updated_at'),
    ]

    operations = [
        migrations.RenameField(
            model_name='post',
            old_name='more_text',
            new_name='continue_text',
        ),
        migrations.RenameField(
            model_name='post',
            old_name='cut_link_text',
            new_name='marker_continue_text',
        ),
    ]
