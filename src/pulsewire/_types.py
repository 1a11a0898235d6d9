"""Array aliases shared by the pure stages (time along axis 0, symbols along axis 1)."""

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]
DateArray = npt.NDArray[np.datetime64]
