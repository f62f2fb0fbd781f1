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

// Steps of the import form.
const (
	importPreview = "preview" // extract, and show what would be stored and what removed
	importConfirm = "import"  // store what the preview showed
	importEdit    = "edit"    // back from the preview to the text
)

// handleImport is the import in two steps. First it takes the statement out of a pasted
// text or a fetched page and shows, storing nothing, the title, the text, the member the
// signature names and every line removed as boilerplate, for the editor to check. Then,
// when the editor confirms, it stores what the preview showed (the page is not fetched
// again, so it is what the editor saw), with the removed lines, and says what it stored.
func (s *Server) handleImport() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		f := views.ImportForm{Text: r.PostFormValue("text"), URL: strings.TrimSpace(r.PostFormValue("url")), Title: strings.TrimSpace(r.PostFormValue("title")),
			Kind: r.PostFormValue("kind"), Status: r.PostFormValue("status"), PublishedAt: strings.TrimSpace(r.PostFormValue("published_at"))}
		topics, terr := topicIDs(r)
		step := r.PostFormValue("step")
		if step == importEdit {
			if f.Title == r.PostFormValue("made_up_title") {
				f.Title = "" // a made-up title is made up again from the text as changed
			}
			s.renderImport(w, r, http.StatusOK, views.ImportView{Form: f}, topics)
			return
		}
		// Every problem of the form at once: its choices, and the text or page.
		in, err := s.importOptions(r, &f)
		err = joinInvalid(err, terr)
		var p *views.ImportPreview
		if step == importConfirm {
			if p = previewFromForm(r); p.Body == "" {
				err = joinInvalid(err, docket.Errorf(docket.EINVALID, "the preview carried no text: start the import again"))
			}
		} else if err == nil || docket.ErrorCode(err) == docket.EINVALID {
			var xerr error
			p, xerr = s.extractImport(r, &f)
			err = joinInvalid(err, xerr)
		}
		in.TopicIDs = topics
		var res *store.ImportResult
		if err == nil {
			in.Statement.Title, in.Statement.Body, in.Statement.SourceURL = f.Title, p.Body, p.SourceURL
			if in.Statement.Title == "" {
				in.Statement.Title = p.Title
			}
			in.MemberName, in.Constituency, in.Party, in.Stripped = p.MemberName, p.Constituency, p.Party, p.Stripped
			if step == importConfirm {
				if in.Statement.Status == docket.StatusPublished {
					in.Audit = auditRow(r, "statement.import_published", "", "imported as already published: "+in.Statement.Title)
				}
				res, err = s.db.ImportStatement(ctx, in)
			} else {
				res, err = s.db.PreviewImport(ctx, in)
			}
		}
		if err != nil {
			fe, ferr := formErrors(err)
			if ferr != nil {
				s.fail(w, r, ferr)
				return
			}
			if step == importConfirm && p != nil {
				// Back to the preview with what is wrong, keeping what it showed.
				s.renderImport(w, r, http.StatusUnprocessableEntity, views.ImportView{Form: f, Errors: fe, Preview: p}, topics)
				return
			}
			s.renderImport(w, r, http.StatusUnprocessableEntity, views.ImportView{Form: f, Errors: fe}, topics)
			return
		}
		p.Member, p.MemberCreated, p.MemberFilled = memberLabel(res.Member), res.MemberCreated, res.MemberFilled
		p.TitleMadeUp = p.MadeUpTitle != "" && res.Statement.Title == p.MadeUpTitle
		if step != importConfirm {
			f.Title = res.Statement.Title
			s.renderImport(w, r, http.StatusOK, views.ImportView{Form: f, Preview: p}, topics)
			return
		}
		if len(topics) > 0 {
			s.refreshEvidence(ctx, res.Statement.ID)
		}
		result := &views.ImportResultView{ID: res.Statement.ID, Title: res.Statement.Title, Status: res.Statement.Status,
			Member: p.Member, MemberCreated: res.MemberCreated, MemberFilled: res.MemberFilled, TitleMadeUp: p.TitleMadeUp,
			Sentences: len(statements.Split(res.Statement.Body)), Stripped: p.Stripped}
		s.renderImport(w, r, http.StatusOK, views.ImportView{Result: result}, nil)
	}
}

func memberLabel(m *docket.Member) string {
	if m == nil {
		return ""
	}
	if m.Constituency != "" {
		return m.Name + ", MP for " + m.Constituency
	}
	return m.Name
}

// importOptions reads the choices of the import form that are not the text: status, date of
// publication and member, checking who may import as published.
func (s *Server) importOptions(r *http.Request, f *views.ImportForm) (store.Import, error) {
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
			now := time.Now()
			if t = docket.PublishedOnDay(t, now); docket.PublishedInFuture(t, now) {
				errs = append(errs, docket.FieldError("published_at", "the date of publication is in the future: a statement imported as published has been published already"))
			} else {
				publishedAt = &t
			}
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
	u := currentUser(ctx)
	return store.Import{Statement: docket.Statement{Kind: f.Kind, Status: f.Status, PublishedAt: publishedAt}, MemberID: memberID, By: &u.ID}, errs.Err()
}

// extractImport takes the statement out of the pasted text or the page at the form's address.
func (s *Server) extractImport(r *http.Request, f *views.ImportForm) (*views.ImportPreview, error) {
	var body []byte
	contentType, pageURL := "", ""
	switch {
	case f.URL != "" && s.cfg.Pages == nil:
		return nil, docket.FieldError("url", "this server does not fetch pages: paste the statement's text instead")
	case f.URL != "":
		if !strings.HasPrefix(f.URL, "http://") && !strings.HasPrefix(f.URL, "https://") {
			return nil, docket.FieldError("url", "the address must start with http:// or https://")
		}
		b, ct, final, err := s.cfg.Pages.FetchPage(r.Context(), f.URL)
		if err != nil {
			if docket.ErrorCode(err) == docket.EINTERNAL {
				return nil, err
			}
			return nil, docket.FieldError("url", "%s", docket.ErrorMessage(err))
		}
		body, contentType, pageURL = b, ct, final
	case strings.TrimSpace(f.Text) == "":
		return nil, docket.FieldError("text", "paste the statement's text, or give the address of its page")
	default:
		body = []byte(f.Text)
	}
	ex, err := statements.Extract(body, contentType, pageURL)
	if err != nil {
		return nil, fieldOf(err, "text")
	}
	p := &views.ImportPreview{Title: ex.Title, Body: ex.Body, SourceURL: pageURL, MemberName: ex.MemberName, Constituency: ex.Constituency,
		Party: ex.Party, Stripped: ex.Stripped}
	if ex.TitleMadeUp {
		p.MadeUpTitle = ex.Title
	}
	return p, nil
}

// previewFromForm reads back what the preview showed and carried in its form.
func previewFromForm(r *http.Request) *views.ImportPreview {
	p := &views.ImportPreview{Body: normalizeBody(r.PostFormValue("body")), SourceURL: strings.TrimSpace(r.PostFormValue("source_url")),
		MemberName: r.PostFormValue("member_name"), Constituency: r.PostFormValue("constituency"), Party: r.PostFormValue("party"),
		MadeUpTitle: r.PostFormValue("made_up_title"), Stripped: r.PostForm["stripped"]}
	if !strings.HasPrefix(p.SourceURL, "http://") && !strings.HasPrefix(p.SourceURL, "https://") {
		p.SourceURL = ""
	}
	return p
}

// joinInvalid gathers the form errors of a and b into one list; any other error wins.
func joinInvalid(a, b error) error {
	var out docket.Errors
	for _, err := range []error{a, b} {
		switch e := err.(type) {
		case nil:
		case docket.Errors:
			out = append(out, e...)
		case *docket.Error:
			if e.Code != docket.EINVALID {
				return err
			}
			out = append(out, e)
		default:
			return err
		}
	}
	return out.Err()
}

// fieldOf ties a coded error without a field to one, so the form shows it beside that field.
func fieldOf(err error, field string) error {
	if e, ok := err.(*docket.Error); ok && e.Field == "" && e.Code == docket.EINVALID {
		return docket.FieldError(field, "%s", e.Message)
	}
	return err
}
