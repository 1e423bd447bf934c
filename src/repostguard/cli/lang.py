"""The command line in the person's language: the ``--lang`` option, click's own words and every help text
through the catalogues (:mod:`repostguard.i18n`).

Two catalogue domains hold what is written in English in the code and translated, gettext's usual way
(the English text is the ``msgid``; the English catalogue leaves it as it is):

* ``click``: click's own words ("Usage:", "Options:", "Show this message and exit.", its errors, the
  names of its value types that stand for a value in the help: ``PATH``, ``INTEGER``…);
* ``help``: the commands' docstrings, the options' help texts (one entry per paragraph) and the names
  that stand for our arguments' values (``INPUT``, ``ITEM``…).

Everything else the CLI says is a keyed message (``t("cli_…")``), like the page's.
"""

from __future__ import annotations

import importlib
import re
import sys
from typing import Any

import click

from repostguard.i18n import LANG, LANGS, catalogue, current_lang, t

#: click's modules that say something to the person through ``gettext`` (``_winconsole`` only on Windows)
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils",
                 "_termui_impl", "shell_completion", *(("_winconsole",) if sys.platform == "win32" else ()))
#: a name standing for a value in the help (``PATH``, ``INTEGER RANGE``, ``[ARTICLE:]DATE``): capitals
_PLACEHOLDER = re.compile(r"[A-Z][A-Z0-9_]*(?: [A-Z][A-Z0-9_]*)*")


def say(text: str) -> str:
    """``text`` (English, written in the code) in the current language: its ``click``/``help`` entry."""
    if current_lang() == "en" or not text:
        return text
    return t(text, "ru")


def _ngettext(singular: str, plural: str, n: int) -> str:
    """click's plural messages: the Russian entry (``msgid`` the singular, three forms) picked by ``n``;
    the fields are click's to fill, so the text is returned as it is."""
    if current_lang() != "en":
        text = catalogue("ru").text(singular, n)
        if text is not None:
            return text
    return singular if n == 1 else plural


def say_placeholder(text: str) -> str:
    """A metavar (``[INPUT]``, ``INTEGER RANGE``, ``COMMAND [ARGS]...``) with each name in capitals said
    in the current language, brackets and dots kept."""

    def name(m: re.Match[str]) -> str:
        whole = m.group(0)
        said = say(whole)
        return said if said != whole or " " not in whole else " ".join(say(w) for w in whole.split(" "))

    return _PLACEHOLDER.sub(name, text)


def patch_click() -> None:
    """Make click's own words go through the catalogues (its modules call ``gettext`` by the names ``_``
    and ``ngettext``), and put the command tree's help in the current language when click first shows
    some of it (a help page, a usage line, a parameter named in an error): a command that prints no help
    loads no catalogue."""
    for name in CLICK_MODULES:
        mod = importlib.import_module(f"click.{name}")
        if hasattr(mod, "_"):
            mod._ = say  # type: ignore[attr-defined]
        if hasattr(mod, "ngettext"):
            mod.ngettext = _ngettext  # type: ignore[attr-defined]
    for cls, method in ((click.Command, "get_help"), (click.Command, "get_usage"),
                        (click.Parameter, "get_error_hint")):
        original = getattr(cls, method)
        if not getattr(original, "localizes", False):
            setattr(cls, method, _localizing(original))


def _localizing(method: Any) -> Any:
    """``method`` (of a command or parameter, called with the context) after :func:`localize` of the root."""

    def wrapper(self: Any, ctx: click.Context) -> Any:
        localize(ctx.find_root().command)
        return method(self, ctx)

    wrapper.localizes = True  # type: ignore[attr-defined]
    return wrapper


def _paragraphs(text: str) -> str:
    """A help text with each paragraph said in the current language (click keeps ``\\b`` blocks)."""
    return "\n\n".join(say(p.strip()) if p.strip() else p for p in text.split("\n\n"))


_SOURCES: dict[int, dict[str, Any]] = {}


def _metavar(param: click.Parameter, original: str | None) -> str | None:
    """The metavar ``param`` shows in the current language: None (click's own) in English and for a choice
    (its values are what is typed), else the name click would show, said in the language."""
    if current_lang() == "en" or isinstance(param.type, click.Choice) or getattr(param, "is_flag", False):
        return original
    if isinstance(param, click.Argument):
        var = original or (param.name or "").upper()
        if not param.required and not (var.startswith("[") and var.endswith("]")):
            var = f"[{var}]"
    else:
        var = original or param.type.name.upper()
    if param.nargs != 1:
        var += "..."
    return say_placeholder(var)


def localize(command: click.Command) -> None:
    """Put every help text of ``command`` and its subcommands in the current language (the English
    originals are kept, so a later call in another language starts from them)."""
    src = _SOURCES.setdefault(id(command), {"help": command.help, "short": command.short_help,
                                            "options": command.options_metavar,
                                            "sub": getattr(command, "subcommand_metavar", None)})
    command.help = _paragraphs(src["help"]) if src["help"] else src["help"]
    command.short_help = say(src["short"]) if src["short"] else src["short"]
    command.options_metavar = say_placeholder(src["options"]) if src["options"] else src["options"]
    if src["sub"]:
        command.subcommand_metavar = say_placeholder(src["sub"])  # type: ignore[attr-defined]
    command._help_option = None  # click makes its --help option (and its words) again, in this language
    for param in command.params:
        psrc = _SOURCES.setdefault(id(param), {"help": getattr(param, "help", None), "metavar": param.metavar})
        param.metavar = _metavar(param, psrc["metavar"])
        if isinstance(param, click.Option):
            param.help = say(psrc["help"]) if psrc["help"] else psrc["help"]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            localize(sub)


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value in LANGS:
        LANG.set(value)


def lang_option(f: Any) -> Any:
    """``--lang ru|en``: the language of everything this command says (default: ``$REPOSTGUARD_LANG``,
    then the system's locale, then Russian). Read it with :func:`repostguard.i18n.current_lang`."""
    return click.option(
        "--lang", type=click.Choice(LANGS), default=None, is_eager=True, expose_value=False,
        callback=_set_lang, help="Language: ru (default) or en.",
    )(f)


def version_option(version: str, prog_name: str) -> Any:
    """``--version``: click's, with its words said when it is asked for (click's own says them in English,
    fixed when the command is declared)."""

    def show(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if not value or ctx.resilient_parsing:
            return
        click.echo(say("%(prog)s, version %(version)s") % {"prog": prog_name, "version": version})
        ctx.exit()

    return click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=show,
                        help="Print the version and exit.")


__all__ = ["lang_option", "localize", "patch_click", "say", "say_placeholder", "version_option"]
