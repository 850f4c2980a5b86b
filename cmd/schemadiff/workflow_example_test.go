package main

import (
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// workflowExample is the example GitHub Actions workflow.
const workflowExample = "../../examples/github-actions/schema.yml"

// workflow is the part of a GitHub Actions workflow the test reads.
type workflow struct {
	On   map[string]any    `yaml:"on"`
	Env  map[string]string `yaml:"env"`
	Jobs map[string]struct {
		If       string            `yaml:"if"`
		Needs    any               `yaml:"needs"`
		RunsOn   string            `yaml:"runs-on"`
		Env      map[string]string `yaml:"env"`
		Services map[string]struct {
			Image string `yaml:"image"`
		} `yaml:"services"`
		Steps []struct {
			Name string `yaml:"name"`
			Uses string `yaml:"uses"`
			Run  string `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// TestWorkflowExample: the example workflow is valid YAML with a postgres
// service container in each job, lints and runs check --dir on pull
// requests, and applies then runs check --db on main; every schemadiff
// command line in it names a command and flags schemadiff accepts.
func TestWorkflowExample(t *testing.T) {
	b, err := os.ReadFile(workflowExample)
	if err != nil {
		t.Fatal(err)
	}
	var wf workflow
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatalf("%s is not valid YAML: %v", workflowExample, err)
	}
	if _, ok := wf.On["pull_request"]; !ok {
		t.Errorf("the workflow does not run on pull requests: on = %v", wf.On)
	}
	var commands []string
	for name, job := range wf.Jobs {
		if !strings.HasPrefix(job.Services["postgres"].Image, "postgres:") {
			t.Errorf("job %s has no postgres service container", name)
		}
		for _, s := range job.Steps {
			for _, line := range strings.Split(strings.TrimSpace(s.Run), "\n") {
				if strings.HasPrefix(line, "schemadiff ") {
					commands = append(commands, line)
					checkWorkflowCommand(t, line, wf.Env)
				}
			}
		}
	}
	for _, want := range []string{"schemadiff lint --dir", "schemadiff check --dir", "schemadiff apply", "schemadiff check --db"} {
		if !slices.ContainsFunc(commands, func(c string) bool { return strings.HasPrefix(c, want) }) {
			t.Errorf("the workflow has no %q step; commands: %q", want, commands)
		}
	}
	if deploy := wf.Jobs["deploy"]; !strings.Contains(deploy.If, "refs/heads/main") || deploy.Needs != "migrations" {
		t.Errorf("the deploy job must run on main after the migrations job: if %q, needs %v", deploy.If, deploy.Needs)
	}
}

// checkWorkflowCommand parses a schemadiff command line of the workflow
// (its variables expanded from env) as schemadiff would, without running
// it.
func checkWorkflowCommand(t *testing.T, line string, env map[string]string) {
	t.Helper()
	expanded := os.Expand(line, func(name string) string {
		if v, ok := env[name]; ok {
			return v
		}
		return "postgres://example/" + strings.ToLower(name)
	})
	args := strings.Fields(strings.ReplaceAll(expanded, `"`, ""))[1:]
	root := newRootCommand(io.Discard, io.Discard)
	cmd, rest, err := root.Find(args)
	if err != nil || cmd == root {
		t.Errorf("%q: no such command: %v", line, err)
		return
	}
	if err := cmd.ParseFlags(rest); err != nil {
		t.Errorf("%q: %v", line, err)
	}
	if f := cmd.Flags().Lookup("format"); f != nil && f.Changed && f.Value.String() != formatGitHub {
		t.Errorf("%q: --format %s, want github in a workflow", line, f.Value)
	}
}
