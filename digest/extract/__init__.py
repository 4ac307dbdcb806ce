"""Extractors: each reads cleaned text and returns values with their evidence."""
