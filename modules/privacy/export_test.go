package privacy

import "time"

// SetClock lets the tests move the service's time (past a grace period, past a link's life).
func (s *Service) SetClock(now func() time.Time) { s.now = now }
