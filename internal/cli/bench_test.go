package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/docket-dev/docket/internal/bench"
)

func TestBenchUsageErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad size", []string{"--sizes", "10k,lots"}, `--sizes: "lots" is not a number of items`},
		{"size too large", []string{"--sizes", "200M"}, `"200M" is not a number of items from 1 to 100M`},
		{"unknown measurement", []string{"--only", "ingest,speed"}, `--only: "speed" is not one of ingest, repoll, match, pages, evidence, memory`},
		{"no feeds", []string{"--feeds", "0"}, "--feeds 0 must be from 1 to 10000"},
		{"two databases", []string{"--db", "postgres://a@127.0.0.1/x", "--postgres", "postgres://b@127.0.0.1/y"}, "--db and --postgres name two PostgreSQL databases"},
		{"a stray argument", []string{"now"}, "usage: docket bench [flags]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, nil, append([]string{"bench", "--db", dir}, tt.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("got exit %d, stderr %q; want 2 and %q", r.code, r.stderr, tt.want)
			}
		})
	}
}

// TestBenchRuns runs docket bench, every measurement, on a tiny corpus, as its own process
// (it starts docket serve, which this test binary stands in for), and reads its JSON report.
func TestBenchRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs docket bench and docket serve for about 15 seconds")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "bench", "--db", dir, "--feeds", "4", "--items", "5", "--runs", "1", "--hosts", "2",
		"--sizes", "300", "--page-time", "300ms", "--concurrency", "2", "--json", "--quiet")
	cmd.Env = append(os.Environ(), "DOCKET_TEST_RUN_DOCKET=1", "DOCKET_BENCH_POSTGRES=", "DOCKET_BENCH_DB=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("docket bench: %v: %s", err, errb.String())
	}
	var rep bench.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("the report is not JSON: %v\n%s", err, out.String())
	}
	if len(rep.Ingest) != 1 || rep.Ingest[0].PerSecond <= 0 {
		t.Errorf("ingest: %+v", rep.Ingest)
	}
	// The pages: the topic page and the timeline JSON, each as readers get it and rendered.
	if len(rep.Repoll) != 2 || len(rep.Match) != 2 || len(rep.Pages) != 4 {
		t.Errorf("got %d re-poll, %d match and %d page figures, want 2, 2 and 4", len(rep.Repoll), len(rep.Match), len(rep.Pages))
	}
	if rep.Evidence == nil || rep.Evidence.Words == 0 {
		t.Errorf("evidence: %+v", rep.Evidence)
	}
	if rep.Serve == nil || rep.Serve.PeakMB <= 0 || rep.Serve.Requests == 0 {
		t.Errorf("docket serve: %+v", rep.Serve)
	}
	if len(rep.Gaps) != 1 || !strings.Contains(rep.Gaps[0], "PostgreSQL") {
		t.Errorf("gaps: %q, want only ingest into PostgreSQL, for no URL was given", rep.Gaps)
	}
}
