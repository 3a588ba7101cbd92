from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "circleback.insights"
    label = "insights"
    verbose_name = "Keep in touch, goals, health check and pitch"
