//go:build race

package files_test

// raceDetector: the test binary runs under -race, whose instrumentation changes what the
// heap holds (shadow allocations, larger objects): memory figures are measured without it.
const raceDetector = true
