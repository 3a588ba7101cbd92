from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "circleback.api"
    label = "api"
    verbose_name = "REST API: tokens, errors, pagination, rate limits"
