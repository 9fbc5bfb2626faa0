// Command go-native is the Go baseline of `cargo xtask bench`: the Go guest's
// formatter (guests/go/jsonfmt) built natively, timed call by call.
//
// Usage:
//
//	go-native -doc FILE -calls N [-warmup N]
//
// It formats the document with the contract's default options (indent 2, no
// sorting) warmup times, then calls times, timing each call on its own, and
// prints one JSON line: the runtime, the first call's time, every sample in
// nanoseconds, the output's length and the process's peak resident memory.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"witness/guests/go/jsonfmt"
)

// result is the line the harness reads; the field names are the ones every
// baseline program prints.
type result struct {
	Runtime     string  `json:"runtime"`
	FirstCallNs int64   `json:"first_call_ns"`
	SamplesNs   []int64 `json:"samples_ns"`
	OutputBytes int     `json:"output_bytes"`
	VmHWMKiB    int64   `json:"vmhwm_kib"`
}

func main() {
	docPath := flag.String("doc", "", "the document to format")
	calls := flag.Int("calls", 1000, "timed calls")
	warmup := flag.Int("warmup", 100, "untimed calls before the timed ones")
	flag.Parse()
	if *docPath == "" {
		fail("missing -doc")
	}
	bytes, err := os.ReadFile(*docPath)
	if err != nil {
		fail(err.Error())
	}
	doc := string(bytes)

	start := time.Now()
	out, err := jsonfmt.Format(doc, nil)
	firstCall := time.Since(start)
	if err != nil {
		fail("the document does not format: " + err.Error())
	}
	for range *warmup {
		_, _ = jsonfmt.Format(doc, nil)
	}
	samples := make([]int64, 0, *calls)
	for range *calls {
		start := time.Now()
		_, _ = jsonfmt.Format(doc, nil)
		samples = append(samples, time.Since(start).Nanoseconds())
	}
	line, err := json.Marshal(result{
		Runtime:     runtime.Version() + " native " + runtime.GOARCH,
		FirstCallNs: firstCall.Nanoseconds(),
		SamplesNs:   samples,
		OutputBytes: len(out),
		VmHWMKiB:    peakResidentKiB(),
	})
	if err != nil {
		fail(err.Error())
	}
	fmt.Println(string(line))
}

// peakResidentKiB is VmHWM from /proc/self/status, or -1 where there is none.
func peakResidentKiB() int64 {
	file, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer file.Close()
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) >= 2 && fields[0] == "VmHWM:" {
			kib, err := strconv.ParseInt(fields[1], 10, 64)
			if err == nil {
				return kib
			}
		}
	}
	return -1
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "go-native:", message)
	os.Exit(2)
}
