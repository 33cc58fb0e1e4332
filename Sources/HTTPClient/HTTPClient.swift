// The libcurl-based HTTP client arrives with issue 4.
