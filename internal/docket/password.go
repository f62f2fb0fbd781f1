package docket

import "github.com/alexedwards/argon2id"

// PasswordParams are the argon2id parameters for new hashes (RFC 9106's second recommended
// option, scaled to a small server: 64 MiB, 3 passes).
var PasswordParams = &argon2id.Params{Memory: 64 * 1024, Iterations: 3, Parallelism: 2, SaltLength: 16, KeyLength: 32}

// HashPassword hashes a password for storage, refusing one that is too short.
func HashPassword(pw string) (string, error) {
	if err := ValidatePassword(pw); err != nil {
		return "", err
	}
	return argon2id.CreateHash(pw, PasswordParams)
}

// ValidatePassword says whether pw may be a password, without the cost of hashing it.
func ValidatePassword(pw string) error {
	if len([]rune(pw)) < 10 {
		return FieldError("password", "the password must be at least 10 characters long")
	}
	if len(pw) > 1024 {
		return FieldError("password", "the password must be at most 1024 bytes long")
	}
	return nil
}

// CheckPassword reports whether pw matches a hash made by HashPassword.
func CheckPassword(pw, hash string) (bool, error) { return argon2id.ComparePasswordAndHash(pw, hash) }
