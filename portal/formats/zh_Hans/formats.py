# Django's Chinese formats name separators but no grouping, so a budget would show ungrouped ("1250000").
NUMBER_GROUPING = 3
THOUSAND_SEPARATOR = ","
