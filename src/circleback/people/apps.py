from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "circleback.people"
    label = "people"
    verbose_name = "People, organisations and ties"
