#!/bin/sh
# The console Lambda's handler. AWS Lambda Web Adapter (the layer; AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap)
# runs this script, waits until the server answers AWS_LWA_READINESS_CHECK_PATH on PORT, then turns
# each invocation into an HTTP request to it. start.mjs fills secrets into the environment from
# Secrets Manager and then starts Next's standalone server.js (the same server `next start` runs).
exec node "$(dirname "$0")/start.mjs"
