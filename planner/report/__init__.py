"""What a user reads: charts, display tables, sentences and workbooks."""
