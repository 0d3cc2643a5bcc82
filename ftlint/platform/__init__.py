"""What the platform is: its limits and hyperparameters, the model catalog, the
tokenizers and chat templates, and the package layouts, as data with their sources."""
