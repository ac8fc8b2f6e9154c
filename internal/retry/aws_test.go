package retry

import (
	"crypto/x509"
	"errors"
	"net/url"
	"testing"
)

// A certificate the client does not trust is final: the AWS retryer does not retry it.
func TestAWSRetryerDoesNotRetryAnUntrustedCertificate(t *testing.T) {
	r := AWSRetryer(Service)()
	cert := &url.Error{Op: "Get", URL: "https://s3.test", Err: x509.UnknownAuthorityError{}}
	if !CertificateError(cert) || r.IsErrorRetryable(cert) {
		t.Errorf("untrusted certificate: CertificateError %v, retryable %v", CertificateError(cert), r.IsErrorRetryable(cert))
	}
	if CertificateError(errors.New("connection reset")) {
		t.Error("a reset connection is no certificate error")
	}
}
