package bench

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// Report is what one run measured.
type Report struct {
	Machine  Machine        `json:"machine"`
	Config   ReportConfig   `json:"config"`
	Ingest   []IngestFigure `json:"ingest,omitempty"`
	Repoll   []Repoll       `json:"repoll,omitempty"`
	Match    []Match        `json:"match,omitempty"`
	Corpora  []CorpusFigure `json:"corpora,omitempty"`
	Pages    []Page         `json:"pages,omitempty"`
	Evidence *Evidence      `json:"evidence,omitempty"`
	Serve    *Serve         `json:"serve,omitempty"`
	// Gaps says what was not measured, and why.
	Gaps    []string `json:"gaps,omitempty"`
	Seconds float64  `json:"seconds"`
}

// ReportConfig is what the run measured on.
type ReportConfig struct {
	Seed        uint64 `json:"seed"`
	Feeds       int    `json:"feeds"`
	Items       int    `json:"items_per_feed"`
	FeedBytes   int    `json:"feed_bytes"`
	Runs        int    `json:"runs"`
	Workers     int    `json:"workers"`
	Hosts       int    `json:"loopback_hosts"`
	Concurrency int    `json:"concurrency"`
	PageSeconds int    `json:"page_seconds"`
	CorporaOn   string `json:"corpora_on,omitempty"`
}

func (c *Config) summary() ReportConfig {
	return ReportConfig{Seed: c.Seed, Feeds: c.Feeds, Items: c.Items, Runs: c.Runs, Workers: c.Workers,
		Concurrency: c.Concurrency, PageSeconds: int(c.PageTime.Seconds())}
}

// IngestFigure is ingest into one database over several runs, each against the parse-only
// reference measured just before it, on as many goroutines as the ingester's workers.
type IngestFigure struct {
	Database string `json:"database"`
	Runs     []Rate `json:"runs"`
	Parse    []Rate `json:"parse_only"`
	// Medians over the runs; Ratio and CPURatio are the medians of each run's ratio.
	PerSecond      float64 `json:"items_per_second"`
	PerCPU         float64 `json:"items_per_cpu_second"`
	ParsePerSecond float64 `json:"parse_items_per_second"`
	ParsePerCPU    float64 `json:"parse_items_per_cpu_second"`
	Ratio          float64 `json:"ratio"`
	CPURatio       float64 `json:"cpu_ratio"`
}

func (f *IngestFigure) add(ingest, parse Rate) {
	f.Runs = append(f.Runs, ingest)
	f.Parse = append(f.Parse, parse)
}

func (f *IngestFigure) finish() {
	var ps, pc, ips, ipc, r, cr []float64
	for i := range f.Runs {
		ips, ipc = append(ips, f.Runs[i].PerSecond), append(ipc, f.Runs[i].PerCPU)
		ps, pc = append(ps, f.Parse[i].PerSecond), append(pc, f.Parse[i].PerCPU)
		if f.Parse[i].PerSecond > 0 {
			r = append(r, f.Runs[i].PerSecond/f.Parse[i].PerSecond)
		}
		if f.Parse[i].PerCPU > 0 {
			cr = append(cr, f.Runs[i].PerCPU/f.Parse[i].PerCPU)
		}
	}
	f.PerSecond, f.PerCPU, f.ParsePerSecond, f.ParsePerCPU = median(ips), median(ipc), median(ps), median(pc)
	f.Ratio, f.CPURatio = median(r), median(cr)
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// CorpusFigure says whether a corpus was built by this run, and how long that took.
type CorpusFigure struct {
	Items        int     `json:"items"`
	Built        bool    `json:"built"`
	BuildSeconds float64 `json:"build_seconds,omitempty"`
}

// Machine is what the figures were measured on. Load is the system's load averages (1, 5
// and 15 minutes) at the start and at the end: other work on the machine shows there.
type Machine struct {
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Model      string `json:"cpu_model"`
	MemoryMB   int    `json:"memory_mb"`
	Kernel     string `json:"kernel"`
	Go         string `json:"go"`
	LoadBefore string `json:"load_before"`
	LoadAfter  string `json:"load_after"`
}

// ReadMachine describes this machine, from /proc where there is one.
func ReadMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Go: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH,
		LoadBefore: readLoad()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.Model = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		m.MemoryMB = int(procKB(b, "MemTotal:") / 1024)
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

func readLoad() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// verdict says whether a figure meets its target.
func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

func f0(x float64) string { return strconv.FormatFloat(x, 'f', 0, 64) }
func f1(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }
func f2(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// count writes n as 10k or 1M where it is round.
func count(n int) string {
	switch {
	case n >= 1000000 && n%1000000 == 0:
		return fmt.Sprintf("%dM", n/1000000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return strconv.Itoa(n)
}

// WriteMarkdown writes the report as Markdown tables, each figure beside its target.
func (r *Report) WriteMarkdown(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "Machine: %d CPUs (GOMAXPROCS %d), %s, %d MB; Linux %s; %s; load %s at the start, %s at the end.\n\n",
		m.CPUs, m.GOMAXPROCS, m.Model, m.MemoryMB, m.Kernel, m.Go, m.LoadBefore, m.LoadAfter)
	c := r.Config
	if len(r.Ingest) > 0 {
		fmt.Fprintf(w, "### Ingest, end to end\n\n%d feeds × %d items (%s of feeds, %d bytes an item), served on %d loopback addresses; %d workers; "+
			"median of %d runs, each on a fresh database against gofeed parsing the same bytes on %d goroutines just before.\n\n",
			c.Feeds, c.Items, count(c.Feeds*c.Items)+" items", c.FeedBytes/max(c.Feeds*c.Items, 1), c.Hosts, c.Workers, c.Runs, c.Workers)
		fmt.Fprintln(w, "| database | ingest items/s | parse-only items/s | ratio | ingest items/CPU-s | parse-only items/CPU-s | CPU ratio | target ≥ 0.50 |")
		fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|---|")
		for _, f := range r.Ingest {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", f.Database, f0(f.PerSecond), f0(f.ParsePerSecond), f2(f.Ratio),
				f0(f.PerCPU), f0(f.ParsePerCPU), f2(f.CPURatio), verdict(f.Ratio >= TargetIngestRatio))
		}
		fmt.Fprintln(w)
	}
	if len(r.Repoll) > 0 {
		fmt.Fprintln(w, "### Re-polling an unchanged source, per source")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| answer | work ms | CPU ms, whole process | of which bare HTTP exchange ms | store transaction ms | wall ms | target < 2 ms work |")
		fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|---|")
		for _, p := range r.Repoll {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", p.Kind, f2(p.WorkMs), f2(p.CPUMs), f2(p.Baseline), f2(p.StoreMs),
				f2(p.WallMs), verdict(p.WorkMs < TargetRepollMs))
		}
		fmt.Fprintln(w)
	}
	if len(r.Match) > 0 {
		fmt.Fprintln(w, "### Matching, one goroutine")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| topics | items/s | items/CPU-s | topics matched per item |")
		fmt.Fprintln(w, "|--:|--:|--:|--:|")
		for _, m := range r.Match {
			fmt.Fprintf(w, "| %d | %s | %s | %s |\n", m.Topics, f0(m.PerSecond), f0(m.PerCPU), f2(m.TopicsPerItem))
		}
		fmt.Fprintln(w)
	}
	if len(r.Pages) > 0 {
		fmt.Fprintf(w, "### Public pages, first page of the largest public topic\n\n%d clients at once, about %d s per page: %d rounds alternating with the from-memory handler, "+
			"each figure the median of the rounds'; corpora on %s.\n\n", c.Concurrency, c.PageSeconds, PageRounds, c.CorporaOn)
		fmt.Fprintln(w, "| corpus | page | topic items | bytes | p50 ms | p99 ms | req/s | from memory req/s | ratio | p99 / p99 at smallest | targets (topic page) |")
		fmt.Fprintln(w, "|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|---|")
		smallest := map[string]float64{}
		largest := 0
		for _, p := range r.Pages {
			if _, ok := smallest[p.Name]; !ok {
				smallest[p.Name] = p.Docket.P99Ms
			}
			largest = max(largest, p.Items)
		}
		for _, p := range r.Pages {
			growth := p.Docket.P99Ms / max(smallest[p.Name], 0.001)
			target := ""
			if p.Name == "topic page" && p.Items == largest {
				target = fmt.Sprintf("p99 < 10 ms: %s; ratio ≥ 0.30: %s; growth ≤ 1.5: %s", verdict(p.Docket.P99Ms < TargetPageP99Ms),
					verdict(p.Ratio >= TargetPageRatio), verdict(growth <= TargetPageGrowth))
			}
			fmt.Fprintf(w, "| %s | %s | %d | %d | %s | %s | %s | %s | %s | %s | %s |\n", count(p.Items), p.Name, p.TopicItems, p.Bytes,
				f2(p.Docket.P50Ms), f2(p.Docket.P99Ms), f0(p.Docket.PerSecond), f0(p.Memory.PerSecond), f2(p.Ratio), f2(growth), target)
		}
		fmt.Fprintln(w)
	}
	if r.Evidence != nil {
		e := r.Evidence
		fmt.Fprintln(w, "### Evidence suggestions")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "A fresh ranker for each run (an editor's first request) and one kept across runs (the next ones, its word counts cached).")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| corpus | statement words | suggestions | fresh p50 ms | fresh max ms | kept p50 ms | kept max ms | runs | target < 50 ms (fresh p50) |")
		fmt.Fprintln(w, "|--:|--:|--:|--:|--:|--:|--:|--:|---|")
		fmt.Fprintf(w, "| %s | %d | %d | %s | %s | %s | %s | %d | %s |\n\n", count(e.Items), e.Words, e.Suggestions, f1(e.ColdP50Ms), f1(e.ColdMaxMs),
			f1(e.WarmP50Ms), f1(e.WarmMaxMs), e.Runs, verdict(e.ColdP50Ms < TargetEvidenceMs))
	}
	if r.Serve != nil {
		s := r.Serve
		fmt.Fprintln(w, "### Memory of docket serve")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| corpus | peak resident MB (VmHWM) | resident at the end MB | requests served | target < 200 MB |")
		fmt.Fprintln(w, "|--:|--:|--:|--:|---|")
		fmt.Fprintf(w, "| %s | %s | %s | %d | %s |\n\n", count(s.Items), f0(s.PeakMB), f0(s.RSSMB), s.Requests, verdict(s.PeakMB < TargetServeMB))
	}
	for _, g := range r.Gaps {
		fmt.Fprintf(w, "Not measured: %s.\n", g)
	}
	if len(r.Gaps) > 0 {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "The run took %s s.\n", f0(r.Seconds))
}
