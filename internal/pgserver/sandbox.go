package pgserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/schema"
)

// DefaultLoaderRole is the role a Sandbox on the embedded server loads as
// when the caller names none.
const DefaultLoaderRole = "postgres"

// loaderRights are the role attributes of a loading role: none.
const loaderRights = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"

// Sandbox is a scratch database for SQL that is not trusted (schema files,
// plans made from them): it is owned by Role, a role without superuser
// rights, without any of PostgreSQL's pg_* roles (pg_read_server_files,
// pg_execute_server_program, ...) and without CREATEROLE, and URL connects
// as that role. AdminURL connects to the same database with the rights of
// the scratch source's administrator, for the few statements that need
// them (CREATE EXTENSION).
type Sandbox struct {
	URL      string
	AdminURL string
	// Role is the role URL connects as.
	Role string
	// Restricted is false when the dev server did not allow creating a
	// loading role: URL then has the rights of the dev URL's user.
	Restricted bool

	name     string // database name
	tempRole bool   // Role was created for this sandbox and is dropped with it
}

// NewSandbox creates a database for SQL that is not trusted. On the
// embedded server the loading role is named role (DefaultLoaderRole when
// empty or SuperuserName), so that the catalog read there matches one read by that role on
// the target: it is created or altered to have no rights but LOGIN, and is
// made a member of every other role of the server that is not a superuser
// (they are the NOLOGIN roles EnsureRoles created), so that schema files
// may hand objects and default privileges to them. On a dev server a
// temporary role with a random name and password is created, when the dev
// URL's user may create roles, and dropped with the sandbox; otherwise the
// database belongs to the dev URL's user (OpenScratch warned about it).
func (s *Scratch) NewSandbox(ctx context.Context, role string) (*Sandbox, error) {
	s.opMu.RLock()
	defer s.opMu.RUnlock()
	if s.closed {
		return nil, errors.New("creating scratch database: scratch source is closed")
	}
	sb, err := s.newSandbox(ctx, role)
	if err != nil {
		return nil, fmt.Errorf("creating scratch database: %w", err)
	}
	if !sb.tempRole {
		return sb, nil
	}
	// The dev server's pg_hba.conf may not let the new role log in.
	c, err := pgconn.Connect(ctx, sb.URL)
	if err == nil {
		closeConn(c)
		return sb, nil
	}
	s.mu.Lock()
	first := s.devCanCreateRoles
	s.devCanCreateRoles = false
	s.mu.Unlock()
	if dropErr := s.dropSandbox(ctx, sb); dropErr != nil {
		return nil, dropErr
	}
	if first {
		s.warnUnrestricted(fmt.Sprintf("a temporary role could not log in: %v", err))
	}
	if sb, err = s.newSandbox(ctx, role); err != nil {
		return nil, fmt.Errorf("creating scratch database: %w", err)
	}
	return sb, nil
}

func (s *Scratch) newSandbox(ctx context.Context, role string) (*Sandbox, error) {
	name, err := randomName(scratchPrefix)
	if err != nil {
		return nil, err
	}
	sb := &Sandbox{name: name, Restricted: true}
	var password string
	switch {
	case s.server != nil:
		if role == "" || role == SuperuserName {
			// The embedded server's own superuser (a target on another
			// embedded server) is never lent to schema files.
			role = DefaultLoaderRole
		}
		if role == s.server.superuser {
			return nil, fmt.Errorf("the embedded server's superuser %q cannot load schema files: start the server with another Options.Superuser", role)
		}
		if err := s.prepareLoader(ctx, role); err != nil {
			return nil, fmt.Errorf("preparing role %q to load into the scratch database: %w", role, err)
		}
		sb.Role = role
	case s.canCreateRoles():
		if sb.Role, err = randomName("schemadiff_loader_"); err != nil {
			return nil, err
		}
		if password, err = randomName(""); err != nil {
			return nil, err
		}
		if err := s.createDevLoader(ctx, sb.Role, password); err != nil {
			return nil, err
		}
		sb.tempRole = true
		s.mu.Lock()
		s.tempRoles[sb.Role] = true
		s.mu.Unlock()
	default:
		sb.Role, sb.Restricted = s.devUser, false
	}
	owner := ""
	if sb.Restricted {
		owner = " OWNER " + pgx.Identifier{sb.Role}.Sanitize()
	}
	if err := s.exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+owner+" TEMPLATE template0"); err != nil {
		s.dropRole(ctx, sb)
		return nil, fmt.Errorf("creating scratch database %s: %w", name, err)
	}
	s.mu.Lock()
	s.created[name] = true
	s.mu.Unlock()
	if sb.AdminURL, err = withDatabase(s.adminURL, name); err != nil {
		return nil, err
	}
	sb.URL = sb.AdminURL
	if sb.Restricted {
		if sb.URL, err = withUser(sb.AdminURL, sb.Role, password); err != nil {
			return nil, err
		}
	}
	return sb, nil
}

// prepareLoader makes role a login role without rights on the embedded
// server, member of the server's other ordinary roles.
func (s *Scratch) prepareLoader(ctx context.Context, role string) error {
	s.roleMu.Lock()
	defer s.roleMu.Unlock()
	ident := pgx.Identifier{role}.Sanitize()
	if err := s.createRole(ctx, role, "LOGIN "+loaderRights); err != nil {
		return err
	}
	// EnsureRoles may have created it as a NOLOGIN role of the target.
	if err := s.exec(ctx, "ALTER ROLE "+ident+" LOGIN "+loaderRights); err != nil {
		return err
	}
	lit := schema.Literal(role)
	rows, err := s.query(ctx, `SELECT r.rolname FROM pg_catalog.pg_roles r
		WHERE NOT r.rolsuper AND r.rolname !~ '^pg_' AND r.rolname <> `+lit+`
			AND NOT pg_catalog.pg_has_role(`+lit+`, r.oid, 'MEMBER')
			AND NOT pg_catalog.pg_has_role(r.oid, `+lit+`, 'MEMBER')
		ORDER BY 1`)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := s.exec(ctx, "GRANT "+pgx.Identifier{r}.Sanitize()+" TO "+ident); err != nil {
			return fmt.Errorf("granting role %q to it: %w", r, err)
		}
	}
	return nil
}

// createDevLoader creates a temporary login role without rights on the
// dev server, which the dev URL's user may then make the owner of a
// database.
func (s *Scratch) createDevLoader(ctx context.Context, role, password string) error {
	ident := pgx.Identifier{role}.Sanitize()
	if err := s.exec(ctx, "CREATE ROLE "+ident+" LOGIN "+loaderRights+" PASSWORD "+schema.Literal(password)); err != nil {
		return fmt.Errorf("creating the loading role %s on the dev server: %w", role, err)
	}
	if !s.devSuperuser {
		// CREATE DATABASE ... OWNER needs membership in the owner.
		if err := s.exec(ctx, "GRANT "+ident+" TO CURRENT_USER"); err != nil {
			s.dropRole(ctx, &Sandbox{Role: role, tempRole: true})
			return fmt.Errorf("granting the loading role %s to the dev URL's user: %w", role, err)
		}
	}
	return nil
}

func (s *Scratch) canCreateRoles() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.devCanCreateRoles
}

// DropSandbox drops a sandbox's database and, on a dev server, its
// temporary role.
func (s *Scratch) DropSandbox(ctx context.Context, sb *Sandbox) error {
	s.opMu.RLock()
	defer s.opMu.RUnlock()
	if s.closed {
		return errors.New("dropping scratch database: scratch source is closed")
	}
	return s.dropSandbox(ctx, sb)
}

func (s *Scratch) dropSandbox(ctx context.Context, sb *Sandbox) error {
	s.mu.Lock()
	ours := s.created[sb.name]
	s.mu.Unlock()
	if !ours {
		return fmt.Errorf("dropping scratch database: %q was not created by this scratch source", sb.name)
	}
	if err := s.drop(ctx, sb.name); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.created, sb.name)
	s.mu.Unlock()
	return s.dropRole(ctx, sb)
}

// dropRole drops the temporary role of a sandbox on a dev server.
func (s *Scratch) dropRole(ctx context.Context, sb *Sandbox) error {
	if !sb.tempRole {
		return nil
	}
	if err := s.exec(ctx, "DROP ROLE IF EXISTS "+pgx.Identifier{sb.Role}.Sanitize()); err != nil {
		return fmt.Errorf("dropping the temporary loading role %s: %w", sb.Role, err)
	}
	s.mu.Lock()
	delete(s.tempRoles, sb.Role)
	s.mu.Unlock()
	return nil
}

// query runs sql on a maintenance connection and returns the first column
// of its rows.
func (s *Scratch) query(ctx context.Context, sql string) ([]string, error) {
	c, err := s.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer s.release(c)
	results, err := c.Exec(ctx, sql).ReadAll()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range results {
		for _, row := range r.Rows {
			out = append(out, string(row[0]))
		}
	}
	return out, nil
}

// randomName returns prefix followed by 16 random hex digits.
func randomName(prefix string) (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return prefix + hex.EncodeToString(b[:]), nil
}

// withUser returns raw with its user (and password, when not empty)
// replaced. Query parameters naming a user or password are removed.
func withUser(raw, user, password string) (string, error) {
	u, err := parseURL(raw)
	if err != nil {
		return "", err
	}
	if password != "" {
		u.User = url.UserPassword(user, password)
	} else {
		u.User = url.User(user)
	}
	if q := u.Query(); q.Has("user") || q.Has("password") {
		q.Del("user")
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}
