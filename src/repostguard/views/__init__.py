"""What the person sees, shared by the local app and the reports: item and finding view models
(:mod:`.items`), labels in Russian and English (:mod:`.i18n`), selections of the workspace
(:mod:`.query`), list entries (:mod:`.entries`), charts, and the templates and static files.
In: the store. Out: view models, labels and the one Jinja environment that renders them
(:mod:`.render`).
"""
