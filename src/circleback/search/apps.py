from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "circleback.search"
    label = "search"
    verbose_name = "Search"
