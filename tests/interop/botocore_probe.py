#!/usr/bin/env python3
"""botocore/boto3 as an application would use them, for the interop tests.

    botocore_probe.py credentials --profile P   boto3.Session(profile_name=P).get_credentials()
    botocore_probe.py token --profile P         botocore's SSO token provider (refreshes)
    botocore_probe.py list-accounts --profile P ListAccounts with that token (boto3 'sso' client)
    botocore_probe.py profiles                  boto3.Session().available_profiles
    botocore_probe.py config                    botocore's parse of the config file
                                                ({"profiles": {...}, "sso_sessions": {...}})
    botocore_probe.py versions

Prints one JSON object on stdout.  A botocore error exits 2 with
{"error": class name, "message": text} on stdout.  No endpoint is overridden:
botocore uses its defaults and AWS_CA_BUNDLE from the environment.
"""

import argparse
import json
import sys

import boto3
import botocore
import botocore.exceptions
import botocore.session


def credentials(profile):
    session = boto3.Session(profile_name=profile)
    creds = session.get_credentials()
    if creds is None:
        raise botocore.exceptions.NoCredentialsError()
    frozen = creds.get_frozen_credentials()
    expiry = getattr(creds, "_expiry_time", None)
    return {"AccessKeyId": frozen.access_key, "SecretAccessKey": frozen.secret_key,
            "SessionToken": frozen.token, "method": creds.method,
            "Expiration": expiry.isoformat() if expiry else None}


def token(profile):
    session = botocore.session.Session(profile=profile)
    tok = session.get_auth_token()
    if tok is None:
        raise botocore.exceptions.TokenRetrievalError(provider="sso", error_msg="no token")
    frozen = tok.get_frozen_token()
    return {"token": frozen.token,
            "expiration": frozen.expiration.isoformat() if frozen.expiration else None}


def list_accounts(profile):
    session = botocore.session.Session(profile=profile)
    frozen = session.get_auth_token().get_frozen_token()
    region = session.get_scoped_config().get("sso_region")
    sso_session = session.get_scoped_config().get("sso_session")
    if sso_session:
        region = session.full_config["sso_sessions"][sso_session]["sso_region"]
    sso = boto3.Session(botocore_session=session).client("sso", region_name=region)
    accounts = []
    for page in sso.get_paginator("list_accounts").paginate(accessToken=frozen.token):
        accounts += page["accountList"]
    return {"accounts": [a["accountId"] for a in accounts]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("credentials", "token", "list-accounts",
                                           "profiles", "config", "versions"))
    parser.add_argument("--profile")
    args = parser.parse_args(argv)
    try:
        if args.action == "credentials":
            out = credentials(args.profile)
        elif args.action == "token":
            out = token(args.profile)
        elif args.action == "list-accounts":
            out = list_accounts(args.profile)
        elif args.action == "profiles":
            out = {"profiles": boto3.Session().available_profiles}
        elif args.action == "config":
            full = botocore.session.Session().full_config
            out = {"profiles": full.get("profiles", {}),
                   "sso_sessions": full.get("sso_sessions", {})}
        else:
            out = {"botocore": botocore.__version__, "boto3": boto3.__version__}
    except botocore.exceptions.BotoCoreError as exc:
        print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
        return 2
    except botocore.exceptions.ClientError as exc:
        print(json.dumps({"error": type(exc).__name__, "message": str(exc),
                          "code": exc.response.get("Error", {}).get("Code")}))
        return 2
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
