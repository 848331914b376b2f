"""Sequential games (SPEC §8): game trees, MDPs and stochastic games, exactly."""
