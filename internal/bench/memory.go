package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Command makes the command that runs `docket ARGS...`: the running binary itself for
// `docket bench`, the test binary standing in for it in tests.
type Command func(ctx context.Context, args ...string) *exec.Cmd

// Serve is the memory of a real `docket serve` process on a corpus, after a load of public
// pages: its peak resident set (VmHWM) and its resident set at the end (VmRSS).
type Serve struct {
	Items    int     `json:"corpus_items"`
	PeakMB   float64 `json:"peak_rss_mb"`
	RSSMB    float64 `json:"rss_mb"`
	Requests int     `json:"requests"`
	Seconds  float64 `json:"seconds"`
}

// MeasureServe starts `docket serve` on the corpus, loads every public topic's page, its
// timeline JSON, the home page and the topics API with concurrency clients for d, and reads
// the process's memory from /proc (Linux only).
func MeasureServe(ctx context.Context, c *Corpus, command Command, concurrency int, d time.Duration) (Serve, error) {
	res := Serve{Items: c.Items}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := command(ctx, "serve", "--db", c.URL, "--addr", "127.0.0.1:0", "--log-level", "warn", "--shutdown-timeout", "5s")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		return res, err
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return res, fmt.Errorf("start docket serve: %w", err)
	}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cmd.Process.Signal(syscall.SIGTERM)
		err := cmd.Wait()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("docket serve: %v: %s", err, strings.TrimSpace(stderr.String()))
		}
		return err
	}
	defer stop()

	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "Docket is serving on "); ok {
				addr <- a
			}
		}
	}()
	var base string
	select {
	case base = <-addr:
	case <-time.After(2 * time.Minute):
		return res, fmt.Errorf("docket serve did not start in 2 minutes: %s", strings.TrimSpace(stderr.String()))
	case <-ctx.Done():
		return res, ctx.Err()
	}

	var urls []string
	for _, t := range c.Topics {
		if t.IsPublic() {
			urls = append(urls, base+"/topics/"+t.Slug, base+"/api/v1/topics/"+t.Slug+"/timeline")
		}
	}
	urls = append(urls, base+"/", base+"/api/v1/topics")
	l := newLoader(concurrency)
	defer l.close()
	lat, el, err := l.run(ctx, urls, d)
	if err != nil {
		return res, err
	}
	res.Requests, res.Seconds = len(lat), el.Seconds()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	if err != nil {
		return res, fmt.Errorf("read the memory of docket serve: %w", err)
	}
	res.PeakMB, res.RSSMB = procKB(status, "VmHWM:")/1024, procKB(status, "VmRSS:")/1024
	return res, stop()
}

// procKB reads a "Name:   123 kB" line of /proc/PID/status.
func procKB(status []byte, name string) float64 {
	for line := range strings.SplitSeq(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, name); ok {
			n, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return n
		}
	}
	return 0
}

// syncBuffer is a bytes.Buffer safe for the writes of a process's output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
