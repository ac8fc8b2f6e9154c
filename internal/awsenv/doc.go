// Package awsenv loads the AWS configuration every AWS client of kickoff uses (the S3
// ledger, the ALB and Route53 drivers, ECR logins) from the standard AWS environment: the
// credential chain and profiles (AWS_PROFILE, the shared config and credentials files, SSO,
// the instance role), the region, AWS_CA_BUNDLE, and AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_<SERVICE>, with kickoff's retry policy. It knows nothing of kickoff's own
// configuration: callers pass what .kickoff.yaml says.
package awsenv
