// Oracle for tests/it/schedule/differential.rs: runs the real robfig/cron v3.0.1 (Debian's
// golang-github-robfig-cron-dev, GOPATH mode).
//
// Input, one case per line:  spec<TAB>zone<TAB>unix_seconds[<TAB>local_zone]
// The spec is parsed with cron.ParseStandard, prefixed by "TZ=<zone> " when zone is non-empty.
// Next() is called on time.Unix(unix_seconds, 0) in local_zone (default UTC).
// Output, one line per case: unix seconds of Next, "zero", "error: <text>" or "panic: <text>".
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron"
)

func eval(line string) (out string) {
	defer func() {
		if r := recover(); r != nil {
			out = fmt.Sprintf("panic: %v", r)
		}
	}()
	parts := strings.Split(line, "\t")
	if len(parts) < 3 {
		return "panic: bad input line"
	}
	spec, zone := parts[0], parts[1]
	secs, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return "panic: bad seconds"
	}
	loc := time.UTC
	if len(parts) > 3 && parts[3] != "" {
		if loc, err = time.LoadLocation(parts[3]); err != nil {
			return "panic: bad local zone"
		}
	}
	if zone != "" {
		spec = "TZ=" + zone + " " + spec
	}
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return "error: " + err.Error()
	}
	next := sched.Next(time.Unix(secs, 0).In(loc))
	if next.IsZero() {
		return "zero"
	}
	return strconv.FormatInt(next.Unix(), 10)
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for in.Scan() {
		fmt.Fprintln(w, eval(in.Text()))
	}
}
