"""Reads for insights, one module per screen: the agenda, keep in touch, pitch, goals and the
health check.
"""
