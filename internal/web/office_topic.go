package web

import (
	"net/http"
	"net/url"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// filterKeys are the query parameters that choose what a timeline shows.
var filterKeys = []string{"kind", "from", "to", "q", "state"}

// handleOfficeTopic is a topic's office page: the whole timeline (rejected items too, when
// asked), the curation controls, notes, the chart and the exports. Opening it counts as
// looking, for the office home's count of what is new. With htmx it answers only the
// timeline's results.
func (s *Server) handleOfficeTopic() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, err := s.db.TopicBySlug(r.Context(), r.PathValue("slug"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.renderOfficeTopic(w, r, t, http.StatusOK, views.AddItemForm{})
	}
}

func (s *Server) renderOfficeTopic(w http.ResponseWriter, r *http.Request, t *docket.Topic, status int, add views.AddItemForm) {
	ctx := r.Context()
	u := currentUser(ctx)
	path := "/office/topics/" + t.Slug
	query := r.URL.Query()
	if r.Method != http.MethodGet {
		query = url.Values{} // a form that failed shows the timeline from the top
	}
	v := views.OfficeTopicView{
		Meta:  s.officeMeta(r, t.Title),
		Topic: views.TopicInfo{Slug: t.Slug, Title: t.Title, Summary: t.Summary, Rule: t.Rule, Public: t.Visibility == docket.Public, Archived: t.Archived},
		Back:  pageAddress(path, query), Add: add,
	}
	tq, err := parseTimelineQuery(query, 50)
	switch {
	case docket.ErrorCode(err) == docket.EINVALID:
		if isHTMX(r) {
			s.render(w, r, http.StatusOK, views.FilterError(docket.ErrorMessage(err)))
			return
		}
		status = http.StatusUnprocessableEntity
		v.Filter = rawFilter(query, true)
		v.Filter.Error = docket.ErrorMessage(err)
	case err != nil:
		s.fail(w, r, err)
		return
	default:
		tq.filter.TopicID = t.ID
		page, err := s.db.Timeline(ctx, tq.filter)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		days, err := s.timelineDays(ctx, t.ID, tq, page)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.attachNotes(r, t.ID, days); err != nil {
			s.fail(w, r, err)
			return
		}
		next := nextURL(path, query, page.Next)
		if isHTMX(r) {
			s.render(w, r, http.StatusOK, views.OfficeTimelineDays(t.Slug, days, next, tq.view.Any(), docket.Can(u.Role, docket.ActCurate), v.Back))
			return
		}
		v.Days, v.NextURL, v.Filter = days, next, tq.view
	}
	if v.Following, err = s.db.MarkSeen(ctx, u.ID, t.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.db.RematchStatus(ctx, t.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Rematch = rematchView(st)
	if tq.filter.Before.IsZero() {
		if v.Chart, err = s.topicChart(r, t.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	v.ExportCSV, v.ExportJS = exportURLs(path+"/export", query, true)
	s.render(w, r, status, views.OfficeTopic(v))
}

// exportURLs are the addresses of a timeline's CSV and JSON exports (base.csv, base.json)
// with the filters of the page's query; the state is the office's only.
func exportURLs(base string, query url.Values, office bool) (csvURL, jsonURL string) {
	filters := url.Values{}
	for _, k := range filterKeys {
		if x := query.Get(k); x != "" && (office || k != "state") {
			filters.Set(k, x)
		}
	}
	csvURL, jsonURL = base+".csv", base+".json"
	if len(filters) > 0 {
		csvURL += "?" + filters.Encode()
		jsonURL += "?" + filters.Encode()
	}
	return csvURL, jsonURL
}

// pageAddress is the address of the page a request shows, without the parts that belong to
// one visit (the message after an action, htmx's partial flag).
func pageAddress(path string, q url.Values) string {
	keep := url.Values{}
	for k, vs := range q {
		if k != "done" && k != "partial" {
			keep[k] = vs
		}
	}
	if len(keep) == 0 {
		return path
	}
	return path + "?" + keep.Encode()
}

// attachNotes puts the notes on each item of days.
func (s *Server) attachNotes(r *http.Request, topicID int64, days []views.Day) error {
	var ids []int64
	for _, d := range days {
		for _, e := range d.Entries {
			if e.Statement == nil {
				ids = append(ids, e.ID)
				for _, m := range e.Members {
					ids = append(ids, m.ID)
				}
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	notes, err := s.db.ItemNotes(r.Context(), topicID, ids)
	if err != nil {
		return err
	}
	for i := range days {
		for j := range days[i].Entries {
			e := &days[i].Entries[j]
			if e.Statement == nil {
				e.Notes = noteViews(notes[e.ID])
				for k := range e.Members {
					e.Members[k].Notes = noteViews(notes[e.Members[k].ID])
				}
			}
		}
	}
	return nil
}

func noteViews(ns []store.ItemNote) []views.Note {
	out := make([]views.Note, 0, len(ns))
	for _, n := range ns {
		out = append(out, views.Note{Author: n.UserName, Body: n.Body, At: n.CreatedAt})
	}
	return out
}

// handleRematchStatus is the re-match banner alone, which htmx polls while a re-match runs.
func (s *Server) handleRematchStatus() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, err := s.db.TopicBySlug(r.Context(), r.PathValue("slug"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		st, err := s.db.RematchStatus(r.Context(), t.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rv := rematchView(st)
		if rv == nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		s.render(w, r, http.StatusOK, views.RematchStatus(t.Slug, rv))
	}
}
