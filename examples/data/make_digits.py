"""Writes digits_3_8.csv: the 8x8 handwritten digits 3 and 8 of the UCI optical digits set (as
scikit-learn ships it), one row per image, its 64 pixel intensities (0-16) and the digit.

transfer_learning.qml trains on these 64 features the way PennyLane's transfer-learning demo
trains on the 512 features a pretrained ResNet gives: a classical layer maps them to 4 angles.

Run with a Python that has scikit-learn: python3 make_digits.py > digits_3_8.csv
"""

import sys

from sklearn.datasets import load_digits

digits = load_digits()
columns = [f"p{i}" for i in range(64)] + ["digit"]
print(",".join(columns))
for image, digit in zip(digits.data, digits.target):
    if digit in (3, 8):
        print(",".join(str(int(v)) for v in image) + f",{digit}")
sys.stdout.flush()
