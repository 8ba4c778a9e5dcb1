"""Notifications about any target: a generic target (content type + id) beside the old hazard key, and Preference."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('notifications', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Preference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest_hour', models.PositiveSmallIntegerField(blank=True, default=8, help_text='空表示不接收每日摘要', null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(23)], verbose_name='每日摘要时间（时）')),
                ('version', models.PositiveIntegerField(default=1)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': '消息偏好',
                'verbose_name_plural': '消息偏好',
            },
        ),
        migrations.AddField(
            model_name='notification',
            name='target_id',
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name='对象编号'),
        ),
        migrations.AddField(
            model_name='notification',
            name='target_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='对象类型'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='emailed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='摘要发送时间'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(max_length=40, verbose_name='类型'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['target_type', 'target_id'], name='notificatio_target__1f2fb1_idx'),
        ),
        migrations.AddField(
            model_name='preference',
            name='user',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preference', to=settings.AUTH_USER_MODEL, verbose_name='用户'),
        ),
    ]
