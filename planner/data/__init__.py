"""Reading data: files, header finding, long and wide tables, values, rosters, plans.

Where to start
    :mod:`~planner.data.ingest` (``load``: a spreadsheet -> :class:`~planner.data.dataset.Dataset`),
    :mod:`~planner.data.roster` (a creator roster), :mod:`~planner.data.plans` (a spending plan).

Reading a file into sheets
    files (``read_sheets``), workbooks (xlsx, xls), csv_files, sheet (``Sheet``), limits (size);
    workbook_parts, zip_limits (a workbook's parts checked before they are parsed), merged (merged cells).
Finding and reading the table
    table_finder (sheet and header row), column_plan (which column is which field),
    long_table, wide_table, columns (numbers and dates of a column), totals (totals rows),
    checks (typing errors, dates out of order), far_dates (dates far from the rest), file_notes (hidden
    sheets, repeated headers, merged cells said), issues (collecting issues), work (into a Dataset),
    control_headers (headers that name a control of the marketing-mix model), controls (reading
    them; the columns nothing reads).
Headers and values
    headers (field synonyms), networks (network names, ``@handles``), channels (a wide table's
    per-channel columns), mapping (a user's ``--map``), values, numbers, dates.
Rosters
    roster (finding and reading one), roster_rows (its creators), roster_match (what it does not
    match in the data); applying a roster to a curve table is :mod:`planner.fit.roster`.
"""
