from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "circleback.jobs"
    label = "jobs"
    verbose_name = "Openings and applications"

    def ready(self) -> None:
        # The daily agenda (insights, below this area) shows our follow-ups and interviews.
        from circleback.insights.queries.agenda import agenda_section_register
        from circleback.jobs.queries import agenda_follow_ups, agenda_interviews

        agenda_section_register("job_interviews", "Interviews", agenda_interviews)
        agenda_section_register("job_follow_ups", "Job search follow-ups", agenda_follow_ups)
