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
// one, and signs out their other sessions. The new password is checked first, as it costs
// nothing; the current one is checked like a sign-in: counted against the account's
// throttle before the check (so a stolen session cannot guess it), and inside a password slot
// (so many at once cannot take the server's memory).
func (s *Server) handleChangePassword() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		u := currentUser(ctx)
		fe := &views.FormErrors{}
		current, pw := r.PostFormValue("current"), r.PostFormValue("password")
		if current == "" {
			fe.Add("current", "Enter your current password.")
		}
		if err := docket.ValidatePassword(pw); err != nil {
			fe.Add("password", "The new password must be 10 characters to 1024 bytes long.")
		} else if pw != r.PostFormValue("confirm") {
			fe.Add("confirm", "The two new passwords are not the same.")
		}
		if fe.Any() {
			s.renderAccount(w, r, http.StatusUnprocessableEntity, fe)
			return
		}
		key := accountKey(u.Email)
		until, err := s.db.Attempt(ctx, accountThrottle, key)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !until.IsZero() {
			s.log.Info("password change throttled", "user", u.Email)
			fe.Add("current", "Too many wrong passwords. Try again after "+views.Clock(until)+".")
			s.renderAccount(w, r, http.StatusTooManyRequests, fe)
			return
		}
		var ok bool
		var hash string
		var hashErr error
		if !s.withPasswordSlot(ctx, func() {
			if ok, err = docket.CheckPassword(current, u.PasswordHash); err == nil && ok {
				hash, hashErr = docket.HashPassword(pw)
			}
		}) {
			s.busy(w, r)
			return
		}
		if err != nil || !ok {
			s.log.Info("password change: wrong current password", "user", u.Email)
			fe.Add("current", "The current password is not right.")
			s.renderAccount(w, r, http.StatusUnprocessableEntity, fe)
			return
		}
		if hashErr != nil {
			s.fail(w, r, hashErr)
			return
		}
		if err := s.db.ClearFailures(ctx, key); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.db.SetPassword(ctx, u.ID, hash, sessionToken(r)); err != nil {
			s.fail(w, r, err)
			return
		}
		redirectDone(w, r, "/office/account", "password")
	}
}
