from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "circleback.web"
    label = "web"
    verbose_name = "Web app"
