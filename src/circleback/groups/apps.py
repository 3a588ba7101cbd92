from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "circleback.groups"
    label = "groups"
    verbose_name = "Networking groups, job clubs and coaches"

    def ready(self) -> None:
        # The Ways in pages (paths, below this area) show the group's ways in beside the
        # member's own: paths calls whatever is registered and imports nothing of ours.
        from circleback.groups.queries import group_ways_in_counts, group_ways_in_for_paths
        from circleback.paths.hooks import ways_in_count_register, ways_in_register

        ways_in_register("groups", group_ways_in_for_paths)
        ways_in_count_register("groups", group_ways_in_counts)
        # Introductions asked of a member wait on their answer on the loops page too.
        from circleback.groups.queries import requests_waiting_for_loops
        from circleback.loops.hooks import loop_section_register

        loop_section_register("groups", requests_waiting_for_loops)
