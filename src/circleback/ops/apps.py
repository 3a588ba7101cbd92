from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "circleback.ops"
    label = "ops"
    verbose_name = "Operations"
