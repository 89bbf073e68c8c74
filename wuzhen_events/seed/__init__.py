"""The WIC 2018 demo conference: curated facts, deterministic demo data, and their loader."""
