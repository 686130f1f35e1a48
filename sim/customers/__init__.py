"""Customer journeys: arrival, onboarding, engagement, support and renewal."""
