package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/statements"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// handleImportForm is the import form: paste a statement or give its page's address.
func (s *Server) handleImportForm() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.renderImport(w, r, http.StatusOK, views.ImportView{Form: views.ImportForm{Kind: docket.KindConstituentResponse, Status: docket.StatusDraft}}, nil)
	}
}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, status int, v views.ImportView, topics []int64) {
	v.Meta = s.officeMeta(r, "Import a statement")
	v.CanFetch = s.cfg.Pages != nil
	var err error
	if v.Members, err = s.memberOptions(r.Context()); err == nil {
		v.Topics, err = s.topicOptions(r.Context(), topics)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, views.Import(v))
}

// handleImport takes a statement out of a pasted text or a fetched page, stores it, and shows
// what was stored and every line removed as boilerplate, for the editor to check.
func (s *Server) handleImport() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		f := views.ImportForm{Text: r.PostFormValue("text"), URL: strings.TrimSpace(r.PostFormValue("url")), Title: strings.TrimSpace(r.PostFormValue("title")),
			Kind: r.PostFormValue("kind"), Status: r.PostFormValue("status"), PublishedAt: strings.TrimSpace(r.PostFormValue("published_at"))}
		topics, terr := topicIDs(r)
		res, ex, err := s.importStatement(r, &f, topics)
		if err == nil && terr != nil {
			err = terr
		}
		if err != nil {
			fe, ferr := formErrors(err)
			if ferr != nil {
				s.fail(w, r, ferr)
				return
			}
			s.renderImport(w, r, http.StatusUnprocessableEntity, views.ImportView{Form: f, Errors: fe}, topics)
			return
		}
		if res.Statement.Status == docket.StatusPublished {
			s.auditAction(r, "statement.import_published", "statement:"+res.Statement.Title, "imported as already published")
		}
		if len(topics) > 0 {
			s.refreshEvidence(ctx, res.Statement.ID)
		}
		result := &views.ImportResultView{ID: res.Statement.ID, Title: res.Statement.Title, Status: res.Statement.Status,
			MemberCreated: res.MemberCreated, Sentences: len(statements.Split(res.Statement.Body)), Stripped: ex.Stripped}
		if res.Member != nil {
			result.Member = res.Member.Name
			if res.Member.Constituency != "" {
				result.Member += ", MP for " + res.Member.Constituency
			}
		}
		s.renderImport(w, r, http.StatusOK, views.ImportView{Result: result}, nil)
	}
}

func (s *Server) importStatement(r *http.Request, f *views.ImportForm, topics []int64) (*store.ImportResult, *statements.Extracted, error) {
	ctx := r.Context()
	var errs docket.Errors
	if f.Status == "" {
		f.Status = docket.StatusDraft
	}
	switch {
	case f.Status != docket.StatusDraft && f.Status != docket.StatusPublished:
		errs = append(errs, docket.FieldError("status", "choose draft or published"))
	case f.Status == docket.StatusPublished && !docket.Can(currentUser(ctx).Role, docket.ActImportPublished):
		// Importing as published skips review: it is for statements the MP has already
		// made elsewhere, and only an admin may record one (the audit log keeps who did).
		// Not tied to the field: an editor's form has no status to choose.
		errs = append(errs, docket.Errorf(docket.EINVALID, "only an admin may import a statement as already published: import it as a draft and take it through review"))
	}
	var publishedAt *time.Time
	if f.PublishedAt != "" {
		t, err := time.Parse("2006-01-02", f.PublishedAt)
		switch {
		case err != nil:
			errs = append(errs, docket.FieldError("published_at", "write the date as 2016-12-23"))
		case f.Status != docket.StatusPublished:
			errs = append(errs, docket.FieldError("published_at", "a date of publication goes with the published status"))
		default:
			t = t.Add(12 * time.Hour) // noon: the same day wherever the office reads it
			publishedAt = &t
		}
	}
	var memberID *int64
	if m := strings.TrimSpace(r.PostFormValue("member")); m != "" {
		id, err := strconv.ParseInt(m, 10, 64)
		if err != nil || id <= 0 {
			errs = append(errs, docket.FieldError("member", "choose a member from the list"))
		} else {
			f.MemberID, memberID = id, &id
		}
	}
	var body []byte
	contentType, pageURL := "", ""
	switch {
	case f.URL != "" && s.cfg.Pages == nil:
		errs = append(errs, docket.FieldError("url", "this server does not fetch pages: paste the statement's text instead"))
	case f.URL != "":
		if !strings.HasPrefix(f.URL, "http://") && !strings.HasPrefix(f.URL, "https://") {
			errs = append(errs, docket.FieldError("url", "the address must start with http:// or https://"))
			break
		}
		b, ct, final, err := s.cfg.Pages.FetchPage(ctx, f.URL)
		if err != nil {
			if docket.ErrorCode(err) == docket.EINTERNAL {
				return nil, nil, err
			}
			errs = append(errs, docket.FieldError("url", "%s", docket.ErrorMessage(err)))
			break
		}
		body, contentType, pageURL = b, ct, final
	case strings.TrimSpace(f.Text) == "":
		errs = append(errs, docket.FieldError("text", "paste the statement's text, or give the address of its page"))
	default:
		body = []byte(f.Text)
	}
	if len(errs) > 0 {
		return nil, nil, errs.Err()
	}
	ex, err := statements.Extract(body, contentType, pageURL)
	if err != nil {
		return nil, nil, fieldOf(err, "text")
	}
	title := f.Title
	if title == "" {
		title = ex.Title
	}
	if title == "" {
		return nil, nil, docket.FieldError("title", "no title was found in the text: give one")
	}
	u := currentUser(ctx)
	res, err := s.db.ImportStatement(ctx, store.Import{
		Statement: docket.Statement{Title: title, Body: ex.Body, Kind: f.Kind, Status: f.Status, PublishedAt: publishedAt, SourceURL: pageURL},
		MemberID:  memberID, MemberName: ex.MemberName, Constituency: ex.Constituency, Party: ex.Party, TopicIDs: topics, By: &u.ID,
	})
	return res, ex, err
}

// fieldOf ties a coded error without a field to one, so the form shows it beside that field.
func fieldOf(err error, field string) error {
	if e, ok := err.(*docket.Error); ok && e.Field == "" && e.Code == docket.EINVALID {
		return docket.FieldError(field, "%s", e.Message)
	}
	return err
}
