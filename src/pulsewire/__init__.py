"""pulsewire: an automated market desk.

Data flows one way: sources -> store -> analysis -> scores -> facts -> writer -> publish.
"""

__version__ = "0.1.0"
