package privacy

import (
	"context"
	"time"
)

// SetClock lets the tests move the service's time (past a grace period, past a link's life).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Hold keeps requests from reaching the job queue, so that a benchmark runs their jobs itself.
func (s *Service) Hold(on bool) { s.hold = on }

// RunExport and RunErasure are the jobs' bodies.
func (s *Service) RunExport(ctx context.Context, accountID, id int64) error {
	return s.runExport(ctx, accountID, id)
}

func (s *Service) RunErasure(ctx context.Context, accountID, id int64) error {
	return s.runErasure(ctx, accountID, id)
}
