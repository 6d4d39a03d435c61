"""Job queues of a project written against parviraptor 2.2.2.

Three queues, one per kind of ordering: independent, one strict FIFO, FIFO
per ``key`` (dependent fields). ``ProcessingLog`` records the order in which
jobs ran, one row per ``process()`` call.
"""
