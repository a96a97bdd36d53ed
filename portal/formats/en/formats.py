"""English dates and numbers for the English interface (settings.FORMAT_MODULE_PATH; bokmål uses Django's own).

Day before month, so that no partner reads 03.01 as the 1st of March or the 3rd of January: «1 March 2021»,
short «1 Mar 2021», a 24-hour clock, and «926,000.5» for numbers. What a form takes is the same in both
languages (felles.forms.DATE_INPUT_FORMATS; the date picker sends ISO dates)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday, as in Norway
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
