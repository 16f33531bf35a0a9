"""Table models and the spreadsheet-like view every data tab uses."""
