"""The base every layer stands on: errors, entity names, money and number formats, safe text."""
