# English as the United Nations writes it (day, month, year: "15 March 2024"), not Django's American "March 15,
# 2024" and "03/15/2024", which a reader of the other five languages would misread as the 3rd of a 15th month.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday
