// Command slowest reads `go test -json` on stdin and writes what `go test` without -json
// would: the output of failed tests (and of tests a crash left unfinished), build errors, and
// one ok/FAIL line per package. At the end it lists the slowest tests and packages, then
// exits 1 when a test, a package or a build failed.
//
//	go test -json ./... | go run ./.ci/slowest -n 10
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action     string
	Package    string
	ImportPath string // build-output, build-fail
	Test       string
	Elapsed    float64
	Output     string
}

type result struct {
	pkg, test string
	elapsed   float64
}

func main() {
	n := flag.Int("n", 10, "how many of the slowest tests to list")
	flag.Parse()
	os.Exit(run(os.Stdin, os.Stdout, *n))
}

func run(in io.Reader, out io.Writer, n int) int {
	type key struct{ pkg, test string }
	buf := map[key][]string{} // output of tests not yet ended
	var tests, pkgs []result
	failed := false
	failedTests := 0
	start := time.Now()

	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var ev event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &ev) != nil {
			fmt.Fprintf(out, "%s\n", line) // not an event: pass it through
			continue
		}
		k := key{ev.Package, ev.Test}
		switch ev.Action {
		case "build-output":
			fmt.Fprint(out, ev.Output)
		case "build-fail":
			failed = true
		case "output":
			if ev.Test != "" {
				buf[k] = append(buf[k], ev.Output)
				continue
			}
			// Package-level output: what go test prints without -v, minus the chatter.
			o := ev.Output
			if strings.HasPrefix(o, "=== ") || o == "PASS\n" || o == "FAIL\n" || strings.HasPrefix(o, "--- PASS") {
				continue
			}
			fmt.Fprint(out, o)
		case "pass", "fail", "skip":
			if ev.Test == "" {
				pkgs = append(pkgs, result{pkg: ev.Package, elapsed: ev.Elapsed})
				if ev.Action == "fail" {
					failed = true
					// A crash ends the binary with tests still running: show their output.
					for bk, lines := range buf {
						if bk.pkg == ev.Package {
							printTest(out, lines)
							delete(buf, bk)
						}
					}
				}
				continue
			}
			tests = append(tests, result{pkg: ev.Package, test: ev.Test, elapsed: ev.Elapsed})
			if ev.Action == "fail" {
				failed = true
				failedTests++
				printTest(out, buf[k])
			}
			delete(buf, k)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(out, "slowest: reading the test output: %v\n", err)
		failed = true
	}

	sort.SliceStable(tests, func(i, j int) bool { return tests[i].elapsed > tests[j].elapsed })
	fmt.Fprintf(out, "\nslowest %d tests:\n", n)
	for i := 0; i < n && i < len(tests); i++ {
		fmt.Fprintf(out, "  %7.2fs  %s  %s\n", tests[i].elapsed, tests[i].test, tests[i].pkg)
	}
	sort.SliceStable(pkgs, func(i, j int) bool { return pkgs[i].elapsed > pkgs[j].elapsed })
	fmt.Fprintf(out, "slowest %d packages:\n", n)
	for i := 0; i < n && i < len(pkgs); i++ {
		fmt.Fprintf(out, "  %7.2fs  %s\n", pkgs[i].elapsed, pkgs[i].pkg)
	}
	fmt.Fprintf(out, "%d tests in %d packages, read over %.1fs\n", len(tests), len(pkgs), time.Since(start).Seconds())
	if failed {
		fmt.Fprintf(out, "FAILED: %d failed tests (see above)\n", failedTests)
		return 1
	}
	return 0
}

// printTest writes a test's output the way go test does without -v: its --- FAIL line first,
// then what it logged, without the === RUN / PAUSE / CONT lines.
func printTest(out io.Writer, lines []string) {
	var head, body []string
	for _, l := range lines {
		switch trimmed := strings.TrimLeft(l, " "); {
		case strings.HasPrefix(trimmed, "=== "):
		case strings.HasPrefix(trimmed, "--- "):
			head = append(head, l)
		default:
			body = append(body, l)
		}
	}
	for _, l := range append(head, body...) {
		fmt.Fprint(out, l)
	}
}
