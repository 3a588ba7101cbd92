from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "circleback.jobs"
    label = "jobs"
    verbose_name = "Openings and applications"

    def ready(self) -> None:
        # The daily agenda (insights, below this area) shows our follow-ups and interviews.
        from circleback.insights.queries.agenda import agenda_section_register
        from circleback.jobs.queries import agenda_sections

        agenda_section_register("jobs", agenda_sections)
