"""Offline evaluation: question sets, metrics, reports and the CI gate."""
