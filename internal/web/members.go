package web

import (
	"net/http"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/views"
)

// handleMembers is the office members page: the MPs whose statements Docket tracks.
func (s *Server) handleMembers() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.renderMembers(w, r, http.StatusOK, views.MembersView{})
	}
}

func (s *Server) renderMembers(w http.ResponseWriter, r *http.Request, status int, v views.MembersView) {
	s.renderMembersEdited(w, r, status, v, nil)
}

// renderMembersEdited renders the members page with edited, when set, in its member's row:
// the values typed and what was wrong with them.
func (s *Server) renderMembersEdited(w http.ResponseWriter, r *http.Request, status int, v views.MembersView, edited *views.MemberRow) {
	ms, err := s.db.ListMembers(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Meta = s.officeMeta(r, "Members")
	for _, m := range ms {
		row := views.MemberRow{ID: m.ID, Name: m.Name, Constituency: m.Constituency, Party: m.Party}
		if edited != nil && edited.ID == m.ID {
			row = *edited
		}
		v.Members = append(v.Members, row)
	}
	s.render(w, r, status, views.Members(v))
}

func memberFromForm(r *http.Request) (views.MemberForm, *docket.Member) {
	f := views.MemberForm{Name: strings.TrimSpace(r.PostFormValue("name")), Constituency: strings.TrimSpace(r.PostFormValue("constituency")),
		Party: strings.TrimSpace(r.PostFormValue("party"))}
	return f, &docket.Member{Name: f.Name, Constituency: f.Constituency, Party: f.Party}
}

func (s *Server) handleAddMember() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, m := memberFromForm(r)
		err := s.db.AddMember(r.Context(), m, auditRow(r, "member.add", "member:"+m.Name, m.Constituency))
		if err == nil {
			redirectDone(w, r, "/office/members", "member-added")
			return
		}
		fe, ferr := formErrors(err)
		if ferr != nil {
			s.fail(w, r, ferr)
			return
		}
		s.renderMembers(w, r, http.StatusUnprocessableEntity, views.MembersView{Form: f, Errors: fe})
	}
}

func (s *Server) handleUpdateMember() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "member")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		cur, err := s.db.MemberByID(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f, m := memberFromForm(r)
		m.ID, m.ExternalID = id, cur.ExternalID
		if err := s.db.UpdateMember(r.Context(), m, auditRow(r, "member.update", "member:"+m.Name, m.Constituency)); err != nil {
			fe, ferr := formErrors(err)
			if ferr != nil {
				s.fail(w, r, ferr)
				return
			}
			row := views.MemberRow{ID: id, Name: f.Name, Constituency: f.Constituency, Party: f.Party, Errors: fe}
			s.renderMembersEdited(w, r, http.StatusUnprocessableEntity, views.MembersView{}, &row)
			return
		}
		redirectDone(w, r, "/office/members", "member-updated")
	}
}
