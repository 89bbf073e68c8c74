"""Downloads of the conference's data as CSV and XLSX, streamed, limited to the account's scope."""
