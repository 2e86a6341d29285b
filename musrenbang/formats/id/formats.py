# Official letters write the weekday with the date: "Selasa, 9 Agustus 2016".
DATE_FORMAT = "l, j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H.i"
DATETIME_FORMAT = "l, j F Y, H.i"
SHORT_DATETIME_FORMAT = "d/m/Y H.i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
