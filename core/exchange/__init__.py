"""Excel in and out: the year's data as a workbook, and bulk entry from clerks' spreadsheets.

layout.py       the sheets and columns both directions share, and header recognition
excel_export.py writing the workbook
reading.py      reading an .xlsx safely (refusals, limits, cached formula values)
excel_import.py dry run (new / changed / rejected rows) and the all-or-nothing apply
importers.py    what one row of each sheet means for the ledger

openpyxl is imported inside functions only: none of this is on the start-up path.
"""
