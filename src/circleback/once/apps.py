from django.apps import AppConfig


class OnceConfig(AppConfig):
    name = "circleback.once"
    label = "once"
    verbose_name = "Forms sent once"
