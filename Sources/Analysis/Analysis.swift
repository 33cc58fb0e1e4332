// Evidence excerpt and redaction arrive with the worker issue.
