"""The model in the loop in the window: suggestion keys, Suggest in Project, training."""
