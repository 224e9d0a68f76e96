"""The masterplan pages: the masterplans and their roadmap, their programmes, their PDF and spreadsheet exports."""
