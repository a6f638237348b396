"""The portal's date formats where Django's own for a language do not suit it (settings.FORMAT_MODULE_PATH).

Pages show dates through the locale's named formats (`|date:"DATE_FORMAT"`, `"SHORT_DATE_FORMAT"`,
`"YEAR_MONTH_FORMAT"`…), never a fixed pattern, so each language reads its own way: "15 mars 2024",
"15 марта 2024 г.", "2024年3月15日". A module here overrides only the names it sets; Django's module for the same
language supplies the rest (its input formats, separators). docs/i18n.md, "Dates and numbers".
"""
