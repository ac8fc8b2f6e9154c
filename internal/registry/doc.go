// Package registry resolves app images in the container registry: whether a tag exists and
// which digest it names, with ECR credentials from aws-sdk-go-v2 when the registry is ECR
// and the user's docker credentials otherwise. It knows nothing of slots or terminals.
package registry
