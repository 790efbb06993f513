"""A teacher's record that moves with them: export to a documented JSON file (and a readable
PDF), and import of that file into another trust. docs/export-format.md describes the file."""
