package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
)

// Exports of a topic's timeline, from the newest item to the oldest: the office's, with the
// office page's filters (states too) and the researchers' notes, and the public one of a
// public topic, with the public page's filters and what the public timeline shows (no
// rejected links, no notes). Each story's other copies follow it, all with their cluster_id.
// They are written a page at a time as the pages are read, so an export of a hundred thousand
// items never sits in memory. The MP's statements are not in them: they have their own pages
// and API.

const (
	exportCSV  = "csv"
	exportJSON = "json"
)

// exportItem is one item of an export: the timeline entry and, in the office's, the notes on
// it.
type exportItem struct {
	store.TimelineEntry
	Notes []store.ItemNote `json:"notes"`
}

// publicItem is one item of a public export: no notes.
type publicItem struct {
	store.TimelineEntry
	Notes []store.ItemNote `json:"-"`
}

var csvHeader = []string{"id", "published_at", "title", "url", "source", "source_kind", "state", "origin", "pinned", "terms", "excerpt", "notes", "cluster_id"}

// publicCSVHeader is csvHeader without the notes.
var publicCSVHeader = []string{"id", "published_at", "title", "url", "source", "source_kind", "state", "origin", "pinned", "terms", "excerpt", "cluster_id"}

// handleExport streams a topic's timeline as CSV or JSON: the office's export, or with public
// set the public one, of public topics only (any other is not found).
func (s *Server) handleExport(format string, public bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var t *docket.Topic
		var err error
		if public {
			t, err = s.db.PublicTopicBySlug(ctx, r.PathValue("slug"))
		} else {
			t, err = s.db.TopicBySlug(ctx, r.PathValue("slug"))
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		tq, err := parseTimelineQuery(r.URL.Query(), store.MaxTimelineLimit)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f := tq.filter
		f.TopicID, f.Limit, f.Before = t.ID, store.MaxTimelineLimit, store.Cursor{}
		if public {
			// The public timeline has no states to choose: it shows what is not rejected.
			f.States, f.Public = nil, true
		}
		// The first page is read before anything is written, so a failure here is still an
		// ordinary error page.
		page, err := s.db.Timeline(ctx, f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		name := fmt.Sprintf("%s-timeline-%s.%s", t.Slug, s.now().UTC().Format("2006-01-02"), format)
		h := w.Header()
		h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
		h.Set("Cache-Control", "private, no-store")
		if public {
			h.Set("Cache-Control", "public, max-age=300")
		}
		if format == exportCSV {
			h.Set("Content-Type", "text/csv; charset=utf-8")
		} else {
			h.Set("Content-Type", "application/json; charset=utf-8")
		}
		w.WriteHeader(http.StatusOK)
		var enc pageWriter
		if format == exportCSV {
			enc = newCSVExport(w, public)
		} else {
			enc = newJSONExport(w, t.Slug, t.Title, s.now(), public)
		}
		rc := http.NewResponseController(w)
		n := 0
		for {
			// The server's write timeout is for a page; an export of a long timeline gets
			// a fresh minute for each page it writes, so it is never cut off half-way.
			rc.SetWriteDeadline(time.Now().Add(time.Minute))
			var notes map[int64][]store.ItemNote
			if !public {
				notes, err = s.db.ItemNotes(ctx, t.ID, entryIDs(flatten(page.Entries)))
			}
			if err == nil {
				for _, e := range flatten(page.Entries) {
					if err = enc.item(exportItem{TimelineEntry: e, Notes: notes[e.ItemID]}); err != nil {
						break
					}
					n++
				}
			}
			if err == nil {
				err = enc.flush()
				rc.Flush()
			}
			if err == nil && !page.Next.IsZero() {
				f.Before = page.Next
				page, err = s.db.Timeline(ctx, f)
				if err == nil {
					continue
				}
			}
			if err != nil {
				// The status line has gone: the only honest way left to say "this file is
				// incomplete" is to break the response off, which net/http does for this
				// sentinel, rather than end a truncated file as if it were whole.
				if ctx.Err() == nil {
					s.log.Error("export", "topic", t.Slug, "after", n, "err", err)
				}
				panic(http.ErrAbortHandler)
			}
			break
		}
		if err := enc.end(); err != nil && ctx.Err() == nil {
			s.log.Warn("export", "topic", t.Slug, "err", err)
		}
	}
}

// flatten lists each story cluster's members after the entry that stands for it: an export
// holds every item, and its cluster_id says which are one story.
func flatten(es []store.TimelineEntry) []store.TimelineEntry {
	out := make([]store.TimelineEntry, 0, len(es))
	for _, e := range es {
		also := e.Also
		e.Also = nil
		out = append(out, e)
		for _, m := range also {
			m.Also = nil
			out = append(out, m)
		}
	}
	return out
}

func entryIDs(es []store.TimelineEntry) []int64 {
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.ItemID
	}
	return ids
}

// pageWriter writes an export, item by item.
type pageWriter interface {
	item(exportItem) error
	flush() error
	end() error
}

type csvExport struct {
	w      *csv.Writer
	public bool // no notes column
}

func newCSVExport(w http.ResponseWriter, public bool) *csvExport {
	c := &csvExport{w: csv.NewWriter(w), public: public}
	if public {
		c.w.Write(publicCSVHeader)
	} else {
		c.w.Write(csvHeader)
	}
	return c
}

func (c *csvExport) item(it exportItem) error {
	notes := make([]string, len(it.Notes))
	for i, n := range it.Notes {
		notes[i] = n.UserName + " (" + n.CreatedAt.UTC().Format(time.RFC3339) + "): " + n.Body
	}
	row := []string{
		strconv.FormatInt(it.ItemID, 10), it.PublishedAt.UTC().Format(time.RFC3339), cell(it.Title), cell(it.URL),
		cell(it.SourceTitle), it.SourceKind, it.State, it.Origin, strconv.FormatBool(it.Pinned), cell(it.Terms),
		cell(it.Excerpt), cell(strings.Join(notes, "\n")), clusterCell(it.ClusterID),
	}
	if c.public {
		row = append(row[:11], row[12])
	}
	return c.w.Write(row)
}

func clusterCell(id *int64) string {
	if id == nil {
		return ""
	}
	return strconv.FormatInt(*id, 10)
}

func (c *csvExport) flush() error { c.w.Flush(); return c.w.Error() }
func (c *csvExport) end() error   { return c.flush() }

// cell keeps a spreadsheet from reading text from a feed as a formula: a cell that starts
// with one of the characters that begin a formula gets a leading apostrophe (OWASP's advice
// against CSV injection).
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

type jsonExport struct {
	w      http.ResponseWriter
	first  bool
	public bool // no notes
	err    error
}

func newJSONExport(w http.ResponseWriter, slug, title string, now time.Time, public bool) *jsonExport {
	head, _ := json.Marshal(map[string]any{"topic": slug, "title": title, "exported_at": now.UTC().Format(time.RFC3339)})
	j := &jsonExport{w: w, first: true, public: public}
	// The header object, left open for the items.
	_, j.err = fmt.Fprintf(w, "%s,\"items\":[\n", strings.TrimSuffix(string(head), "}"))
	return j
}

func (j *jsonExport) item(it exportItem) error {
	if j.err != nil {
		return j.err
	}
	if it.Notes == nil {
		it.Notes = []store.ItemNote{}
	}
	var v any = it
	if j.public {
		v = publicItem(it)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if !j.first {
		b = append([]byte(",\n"), b...)
	}
	j.first = false
	_, j.err = j.w.Write(b)
	return j.err
}

func (j *jsonExport) flush() error { return j.err }

func (j *jsonExport) end() error {
	if j.err != nil {
		return j.err
	}
	_, err := j.w.Write([]byte("\n]}\n"))
	return err
}
