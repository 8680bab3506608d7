package testkit

import (
	"syscall"
	"time"
)

// CPUTime is the CPU time the test process has used (user and system): a benchmark reports
// its difference per operation beside ns/op, which on a shared machine measures the others'
// load as much as the code.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
