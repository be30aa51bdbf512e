"""Translations: zp2p's own .qm files from resources/i18n plus Qt's for standard dialogs.
An empty language follows the system locale."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from .paths import resources_dir

log = logging.getLogger(__name__)

APP_CATALOG = "zp2p"


class Translations:
    """Installs the catalogs for one language and swaps them when the user picks another;
    Qt then sends LanguageChange to every widget, which retranslates itself."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []

    def apply(self, language: str) -> QLocale:
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        locale = QLocale(language) if language else QLocale.system()
        if locale.language() == QLocale.Language.C:  # LANG=C: English, with its plural forms
            locale = QLocale(QLocale.Language.English)
        sources = [(APP_CATALOG, str(resources_dir() / "i18n")),
                   ("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
        for catalog, folder in sources:
            translator = QTranslator(self._app)
            if translator.load(locale, catalog, "_", folder):
                self._app.installTranslator(translator)
                self._installed.append(translator)
            elif catalog == APP_CATALOG and locale.language() != QLocale.Language.English:
                log.info("no %s translation for %s in %s", catalog, locale.name(), folder)
        return locale
