"""Reads of the read models: the tables that only the modules in `projections/` write.

One module per area; each function takes the pool and returns a view from `views.py` (or the rows a
page lays out). Nothing here decides: commands never read these tables.
"""
