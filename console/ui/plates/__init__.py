"""*Đọc biển số*: the dialog that reads a plate on a still picture, and the desk that opens it."""
