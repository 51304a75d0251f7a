"""Reading data: files, header finding, long and wide tables, values, rosters, plans."""
