package route

import (
	"context"
	"errors"

	"github.com/kickoffhq/kickoff/internal/config"
)

// NewALBFromConfig is filled in by the ALB driver.
func NewALBFromConfig(ctx context.Context, cfg *config.Config) (Driver, error) {
	return nil, errors.New("routing.driver alb: not available yet")
}
