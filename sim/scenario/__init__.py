"""The input, validated once.

The schema sections, the cross-field rules, the routing tables, YAML loading and the generated
reference.
"""
