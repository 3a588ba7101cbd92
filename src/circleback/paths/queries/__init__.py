"""Reads for ways in: introduction paths, connector and informer suggestions, and introduction
drafts.
"""
