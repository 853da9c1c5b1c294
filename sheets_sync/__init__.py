"""sheets-sync: the SOP *Pengumpulan Data Kinerja* (SAKIP) on Google Sheets or local .xlsx forms.

Importing this package does no I/O and imports no heavy library; see ``README.md`` for the manual.
"""

__version__ = "0.1.0"
