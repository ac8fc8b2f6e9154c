package route

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
)

func TestALBRetriesThrottling(t *testing.T) {
	fx := newFixture(t)
	a, desired := fx.driver(t, fx.config(t, hostYAML))
	fx.fake.Fail("DescribeRules", "Throttling", 3)
	fx.fake.Fail("CreateRule", "Throttling", 2)
	p := planOf(t, a, desired)
	mustApply(t, a, p)
	if n := len(fx.fake.CallsOf("CreateRule")); n != 6 { // 4 rules + 2 throttled attempts
		t.Errorf("CreateRule calls: %d", n)
	}
	if n := len(fx.fake.ManagedRules()); n != 4 {
		t.Errorf("managed rules: %d", n)
	}
	// Throttled beyond the retries: named as such.
	fx.fake.Fail("DescribeRules", "Throttling", 100)
	_, err := a.Plan(context.Background(), desired)
	if err == nil || !strings.Contains(err.Error(), "elasticloadbalancing:DescribeRules: AWS kept throttling the calls, retried with backoff") {
		t.Errorf("err = %v", err)
	}
}

func TestALBNoCredentials(t *testing.T) {
	fx := newFixture(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	cfg := fx.config(t, hostYAML)
	_, err := NewALB(context.Background(), cfg, AWSOptions{Endpoint: fx.fake.URL})
	if err == nil || !strings.Contains(err.Error(), "no AWS credentials") || !strings.Contains(err.Error(), "attach an IAM role (instance profile) to the instance") {
		t.Fatalf("err = %v", err)
	}
}

// The reference team's trap: an EC2 instance without a role. The instance metadata service
// answers (here a fake of it), but lists no role.
func TestALBOnEC2WithoutRole(t *testing.T) {
	fx := newFixture(t)
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPut && r.URL.Path == "/latest/api/token":
			w.Header().Set("X-Aws-Ec2-Metadata-Token-Ttl-Seconds", "21600")
			io.WriteString(w, "token")
		case r.URL.Path == "/latest/meta-data/iam/security-credentials/" && r.Header.Get("X-Aws-Ec2-Metadata-Token") == "token":
			http.NotFound(w, r) // no role attached
		default:
			http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusBadRequest)
		}
	}))
	defer imds.Close()
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "false")
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.URL)
	_, err := NewALB(context.Background(), fx.config(t, hostYAML), AWSOptions{Endpoint: fx.fake.URL})
	if err == nil || !strings.Contains(err.Error(), "no AWS credentials: this machine is an EC2 instance without an IAM role") {
		t.Fatalf("err = %v", err)
	}
	if len(fx.fake.Calls) != 0 {
		t.Errorf("called AWS without credentials: %+v", fx.fake.Calls)
	}
}

// What AWS refused is named in words a user can act on.
func TestAWSError(t *testing.T) {
	for _, tc := range []struct {
		code, want string
	}{
		{"AccessDenied", "elasticloadbalancing:CreateRule: access denied: the AWS identity in use may not call elasticloadbalancing:CreateRule; grant it that permission"},
		{"UnauthorizedOperation", "access denied"},
		{"ThrottlingException", "elasticloadbalancing:CreateRule: AWS kept throttling the calls, retried with backoff; wait a minute and run again (msg)"},
		{"ExpiredToken", "elasticloadbalancing:CreateRule: AWS refused the credentials (ExpiredToken): msg"},
		{"PriorityInUse", "elasticloadbalancing:CreateRule: PriorityInUse: msg"},
	} {
		err := awsError("elasticloadbalancing:CreateRule", &smithy.GenericAPIError{Code: tc.code, Message: "msg"})
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v\nwant %q", tc.code, err, tc.want)
		}
	}
	plain := errors.New("dial tcp: timeout")
	if err := awsError("route53:ListHostedZones", plain); !errors.Is(err, plain) || err.Error() != "route53:ListHostedZones: dial tcp: timeout" {
		t.Errorf("non-API error: %v", err)
	}
	if got := errorCode(fmt.Errorf("wrapped: %w", &smithy.GenericAPIError{Code: "ListenerNotFound"})); got != "ListenerNotFound" {
		t.Errorf("errorCode = %q", got)
	}
}
