"""The plain-language note shown once per run before anything is deleted (ru and en).

Legal facts cite the sources collected in the project's legal notes (Supreme Court ruling
81-АД21-9-К8 of 13.08.2021; Constitutional Court ruling 575-О of 28.03.2024). The line on timing
(deleting gradually, not in a burst right before a border crossing or a check) has no source in
those notes, so it is worded as general caution, not as something that happened. The wording is
neutral and is not legal advice.
"""

from __future__ import annotations

ADVICE_RU = """\
Перед удалением — коротко о том, что оно даёт и чего не даёт.
• Удаление убирает запись с платформы для других людей. Суды считали видимую публикацию
  длящимся правонарушением (Верховный суд, 81-АД21-9-К8 от 13.08.2021; Конституционный суд,
  575-О от 28.03.2024): удаление прекращает это состояние с даты удаления, но не отменяет того,
  что запись была видна раньше.
• Удаление не стирает скриншоты, копии и репосты, сделанные другими людьми, более ранние архивы
  и выгрузки, а также то, что уже сохранено платформой или мониторингом.
• Общая осторожность (подтверждённых случаев у нас нет): массовое удаление прямо перед
  пересечением границы или проверкой может само по себе выглядеть необычно. Удалять постепенно
  и заранее спокойнее.
• Перед удалением каждая запись сохраняется в зашифрованную резервную копию на этом компьютере.
  Храните пароль и файл копии так же бережно, как сам архив.
Это не юридическая консультация."""

ADVICE_EN = """\
Before deleting: what it does and what it does not do.
• Deleting removes the item from the platform for other people. Courts have treated a visible
  post as a continuing offence (Supreme Court ruling 81-АД21-9-К8 of 13.08.2021; Constitutional
  Court ruling 575-О of 28.03.2024): deleting ends that state from the deletion date; it does not
  undo the fact that the item was visible before.
• Deleting does not erase screenshots, copies and reposts made by others, earlier archives and
  exports, or what the platform or monitoring has already stored.
• General caution (we have no documented case): a burst of deletions right before a border
  crossing or a check may itself look unusual. Deleting gradually and ahead of time is calmer.
• Before deletion every item is saved into an encrypted backup on this computer. Keep its
  passphrase and file as carefully as the archive itself.
This is not legal advice."""


def advice(lang: str = "ru") -> str:
    """The advice note in ``lang`` (``ru`` or ``en``)."""
    return ADVICE_EN if lang == "en" else ADVICE_RU
