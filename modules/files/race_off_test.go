//go:build !race

package files_test

// raceDetector: see race_on_test.go.
const raceDetector = false
