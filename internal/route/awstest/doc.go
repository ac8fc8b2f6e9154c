// Package awstest is an in-process fake of the two AWS APIs the ALB driver calls:
// Elastic Load Balancing v2 (the Query API: form-encoded requests, XML answers) and
// Route 53 (REST with XML bodies). It keeps state like AWS does, checks the request
// shapes, records every call, and can answer with throttling or access-denied errors.
package awstest
