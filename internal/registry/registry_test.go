package registry_test

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/registry"

	kreg "github.com/kickoffhq/kickoff/internal/registry"
	"github.com/kickoffhq/kickoff/internal/registry/regtest"
)

func TestDigestOfPushedTagAndMissingTag(t *testing.T) {
	reg := regtest.Start(t)
	want := reg.Push(t, "platform-fe", "main-abc1234", regtest.Image{App: "fe", Version: "1"})
	c := kreg.New(reg.Host)
	got, err := c.Digest(context.Background(), "platform-fe", "main-abc1234")
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("digest = %s, pushed %s", got, want)
	}
	_, err = c.Digest(context.Background(), "platform-fe", "kickoff-x-0000000")
	var nb *kreg.NotBuiltError
	if !errors.As(err, &nb) {
		t.Fatalf("missing tag: err = %v, want NotBuiltError", err)
	}
	if !strings.Contains(err.Error(), "platform-fe:kickoff-x-0000000") || !strings.Contains(err.Error(), "not built yet") {
		t.Fatalf("error does not name the missing tag: %v", err)
	}
}

func TestIsECR(t *testing.T) {
	for host, want := range map[string]string{
		"123456789012.dkr.ecr.ap-northeast-2.amazonaws.com": "ap-northeast-2",
		"123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn":  "cn-north-1",
		"ghcr.io":        "",
		"127.0.0.1:5000": "",
	} {
		region, ok := kreg.IsECR(host)
		if region != want || ok != (want != "") {
			t.Errorf("IsECR(%q) = %q, %v; want %q", host, region, ok, want)
		}
	}
}

// An ECR registry: the API hands out a token, the registry accepts only that login.
func TestECRTokenAuthenticatesRegistryCalls(t *testing.T) {
	const password = "ecr-secret-token"
	var calls int
	ecrAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-Amz-Target") != "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken" {
			http.Error(w, "unexpected call "+r.Header.Get("X-Amz-Target")+" "+string(body), 400)
			return
		}
		if !strings.Contains(r.Header.Get("Authorization"), "AKIDTEST") {
			http.Error(w, "request not signed with the environment's credentials", 403)
			return
		}
		calls++
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		tok := base64.StdEncoding.EncodeToString([]byte("AWS:" + password))
		io.WriteString(w, `{"authorizationData":[{"authorizationToken":"`+tok+`","expiresAt":1.9e9,"proxyEndpoint":"https://x"}]}`)
	}))
	defer ecrAPI.Close()
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "ap-northeast-2")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")

	inner := registry.New()
	guarded := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "AWS" || p != password {
			w.Header().Set("WWW-Authenticate", `Basic realm="ecr"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		inner.ServeHTTP(w, r)
	}))
	defer guarded.Close()
	host := strings.TrimPrefix(guarded.URL, "http://")

	c := kreg.New(host)
	c.ECREndpoint = ecrAPI.URL
	var wrapped []string // the ECR calls that went through AWSWrap (the CLI's -v log)
	c.AWSWrap = func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			wrapped = append(wrapped, r.Header.Get("X-Amz-Target"))
			return rt.RoundTrip(r)
		})
	}
	_, err := c.Digest(context.Background(), "platform-fe", "main-abc1234")
	var nb *kreg.NotBuiltError
	if !errors.As(err, &nb) {
		t.Fatalf("authenticated HEAD of a missing tag: err = %v, want NotBuiltError", err)
	}
	user, pass, ok, err := c.Login(context.Background())
	if err != nil || !ok || user != "AWS" || pass != password {
		t.Fatalf("Login = %q %q %v %v", user, pass, ok, err)
	}
	if calls != 1 {
		t.Fatalf("GetAuthorizationToken called %d times, want once (token cached)", calls)
	}
	if len(wrapped) != 1 || !strings.HasSuffix(wrapped[0], ".GetAuthorizationToken") {
		t.Errorf("ECR calls through AWSWrap: %q, want the one GetAuthorizationToken", wrapped)
	}
	if how, err := c.CheckLogin(context.Background()); err != nil || !strings.HasPrefix(how, "ECR token") {
		t.Errorf("CheckLogin = %q, %v", how, err)
	}
}

// Another registry's login is the one docker keeps; without one, CheckLogin says what to run.
func TestCheckLoginDockerConfig(t *testing.T) {
	dir := t.TempDir()
	auth := base64.StdEncoding.EncodeToString([]byte("김배포:s3cret"))
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"auths":{"registry.acme.test":{"auth":"`+auth+`"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", dir)
	if how, err := kreg.New("registry.acme.test").CheckLogin(context.Background()); err != nil || how != "docker login as 김배포" {
		t.Errorf("CheckLogin with a login = %q, %v", how, err)
	}
	_, err := kreg.New("other.acme.test").CheckLogin(context.Background())
	if err == nil || !strings.Contains(err.Error(), "run `docker login other.acme.test`") {
		t.Errorf("CheckLogin without a login: %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
