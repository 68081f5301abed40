from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "socready.questionnaires"
    label = "questionnaires"
    verbose_name = "Questionnaires"
