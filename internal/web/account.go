package web

import (
	"net/http"

	"github.com/docket-dev/docket/internal/docket"

	"github.com/docket-dev/docket/views"
)

func (s *Server) handleAccount() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.renderAccount(w, r, http.StatusOK, nil)
	}
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, fe *views.FormErrors) {
	u := currentUser(r.Context())
	v := views.AccountView{Meta: s.officeMeta(r, "Your account"), Name: u.Name, Email: u.Email, Role: u.Role, Errors: fe}
	s.render(w, r, status, views.Account(v))
}

// handleChangePassword changes the signed-in user's password after checking the current
// one, and signs out their other sessions.
func (s *Server) handleChangePassword() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r.Context())
		fe := &views.FormErrors{}
		ok, err := docket.CheckPassword(r.PostFormValue("current"), u.PasswordHash)
		if err != nil || !ok {
			fe.Add("current", "The current password is not right.")
		}
		pw := r.PostFormValue("password")
		hash, err := docket.HashPassword(pw)
		if err != nil {
			fe.Add("password", "The new password must be at least 10 characters long.")
		} else if pw != r.PostFormValue("confirm") {
			fe.Add("confirm", "The two new passwords are not the same.")
		}
		if fe.Any() {
			s.renderAccount(w, r, http.StatusUnprocessableEntity, fe)
			return
		}
		if err := s.db.SetPassword(r.Context(), u.ID, hash, sessionToken(r)); err != nil {
			s.fail(w, r, err)
			return
		}
		redirectDone(w, r, "/office/account", "password")
	}
}
