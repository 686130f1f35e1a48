"""What a run produces: recorder, tables, economics, results on disk, text report, export."""
