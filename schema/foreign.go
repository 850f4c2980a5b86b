package schema

import (
	"cmp"
	"strings"
)

// FdwOption is one generic option of a foreign-data object (OPTIONS (name
// 'value')).
type FdwOption struct {
	Name, Value string
}

// RenderFdwOptions renders options as the OPTIONS clause of a CREATE
// statement, or "" when there are none.
func RenderFdwOptions(opts []FdwOption) string {
	if len(opts) == 0 {
		return ""
	}
	parts := make([]string, len(opts))
	for i, o := range opts {
		parts[i] = Ident(o.Name) + " " + Literal(o.Value)
	}
	return "OPTIONS (" + strings.Join(parts, ", ") + ")"
}

// ForeignServer is a foreign server (CREATE SERVER).
type ForeignServer struct {
	Name string
	// Wrapper is the foreign-data wrapper it uses.
	Wrapper string
	// Type and Version are the optional TYPE and VERSION, or "".
	Type    string
	Version string
	Options []FdwOption
	Comment string
	Grants  []Grant
	// Deps are the objects the server depends on: the extension of its
	// wrapper.
	Deps []ID
}

// ID returns the server's identity.
func (s *ForeignServer) ID() ID { return ID{Kind: KindForeignServer, Name: s.Name} }

// UserMappingKey identifies a user mapping: a role (or PUBLIC) on a server.
type UserMappingKey struct {
	Server string
	// User is the role's name, or "PUBLIC".
	User string
}

// Compare orders user mappings by server then user.
func (k UserMappingKey) Compare(o UserMappingKey) int {
	return cmp.Or(cmp.Compare(k.Server, o.Server), cmp.Compare(k.User, o.User))
}

// UserMapping is a user mapping (CREATE USER MAPPING). Options never hold
// the password option: it is a secret, so it is neither read nor compared
// (HasPassword says whether the database holds one).
type UserMapping struct {
	UserMappingKey
	Options []FdwOption
	// HasPassword is set when the mapping has a password option. It is
	// not compared: passwords are managed outside schemadiff.
	HasPassword bool
	// Hidden is set when the reading role may not see the mapping's
	// options (pg_user_mappings shows them to the mapped user and to the
	// server's owner only).
	Hidden bool
}

// ID returns the mapping's identity.
func (m *UserMapping) ID() ID {
	return ID{Kind: KindUserMapping, Table: m.Server, Name: m.User}
}

// ForeignTable holds what makes a table a foreign table.
type ForeignTable struct {
	Server  string
	Options []FdwOption
}

// PasswordOption is the user mapping option that holds a secret.
const PasswordOption = "password"
