"""Distribution specifications used in scenario files.

Each specification is a small frozen pydantic model that knows its analytic mean and samples
from a ``numpy.random.Generator`` handed to it. Scenario files name them by ``kind``::

    duration: {kind: lognormal, mean: 42, cv: 0.5}
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sim.core.numbers import check_number


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("value", "mean", "cv", "low", "high", mode="before", check_fields=False)
    @classmethod
    def _plain_number(cls, value: object) -> object:
        check_number(value)
        return value


class Fixed(_Spec):
    """Always the same value."""

    kind: Literal["fixed"] = "fixed"
    value: float = Field(ge=0, description="The value every draw returns.")

    @property
    def mean(self) -> float:
        """Analytic mean."""
        return self.value

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw ``size`` values."""
        return np.full(size, self.value, dtype=float)


class Exponential(_Spec):
    """Exponential distribution (memoryless; coefficient of variation 1)."""

    kind: Literal["exponential"] = "exponential"
    mean: float = Field(gt=0, description="Mean of the distribution.")

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw ``size`` values."""
        return rng.exponential(self.mean, size)


class LogNormal(_Spec):
    """Log-normal distribution given by its mean and coefficient of variation."""

    kind: Literal["lognormal"] = "lognormal"
    mean: float = Field(gt=0, description="Mean of the distribution (not of its logarithm).")
    cv: float = Field(gt=0, description="Coefficient of variation: standard deviation / mean.")

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw ``size`` values."""
        sigma2 = np.log1p(self.cv**2)
        mu = np.log(self.mean) - sigma2 / 2
        return rng.lognormal(mu, np.sqrt(sigma2), size)


class Gamma(_Spec):
    """Gamma distribution given by its mean and coefficient of variation."""

    kind: Literal["gamma"] = "gamma"
    mean: float = Field(gt=0, description="Mean of the distribution.")
    cv: float = Field(gt=0, description="Coefficient of variation: standard deviation / mean.")

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw ``size`` values."""
        shape = 1.0 / self.cv**2
        return rng.gamma(shape, self.mean / shape, size)


class Uniform(_Spec):
    """Uniform distribution on ``[low, high)``."""

    kind: Literal["uniform"] = "uniform"
    low: float = Field(ge=0, description="Lower bound.")
    high: float = Field(description="Upper bound; must exceed `low`.")

    @model_validator(mode="after")
    def _check_bounds(self) -> Uniform:
        if self.high <= self.low:
            raise ValueError(f"high = {self.high}: must be greater than low ({self.low})")
        return self

    @property
    def mean(self) -> float:
        """Analytic mean."""
        return (self.low + self.high) / 2

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw ``size`` values."""
        return rng.uniform(self.low, self.high, size)


Distribution = Annotated[
    Union[Fixed, Exponential, LogNormal, Gamma, Uniform],  # noqa: UP007 - pydantic discriminator
    Field(discriminator="kind"),
]
