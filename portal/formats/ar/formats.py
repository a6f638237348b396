# Django's Arabic formats name no date-time format, so the English default ("N j, Y, P") would show: the date
# and time here follow its Arabic date formats ("15 مارس، 2024", "15‏/03‏/2024"; the right-to-left marks keep the
# short date's parts in order in a right-to-left line).
DATETIME_FORMAT = "j F، Y H:i"
SHORT_DATETIME_FORMAT = "d‏/m‏/Y H:i"
TIME_FORMAT = "H:i"
# Django's Arabic and Chinese formats name separators but no grouping, so a budget would show ungrouped
# ("1250000"): group by thousands with their own separators.
NUMBER_GROUPING = 3
