"""Minutes text -> ParsedMinutes. Pure Python: no Django import here."""
