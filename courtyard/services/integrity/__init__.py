"""The integrity record (诚信档案): figures read from what already happens, ratings, and sanctions.

``record`` (a household's, cooperative's or village's figures and their trend), ``ratings`` (units
rate delivered boxes), ``sanctions`` (explicit, reasoned, reversible decisions that the declaration
and allocation paths obey).
"""
