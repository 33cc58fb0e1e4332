#!/usr/bin/env python3
"""A generated corpus of CI logs with planted secrets, for measuring redaction against a real
secret scanner (detect-secrets 1.5.0, the oracle in SecretScannerOracleTests).

Every secret is drawn at random from its kind's format (seeded, so a failure reproduces), and
set into the shapes logs carry secrets in: env dumps, YAML, JSON, command lines, URLs, headers,
Kubernetes Secrets, block scalars. Kinds cover every detect-secrets 1.5.0 plugin, prefixed
tokens from gitleaks' default rules (config/gitleaks.toml), payment, cloud, chat, package
registry, CI and database credentials, and generic random values after secret-ish keys. Lines
that hold no secret but look like one to a careless rule (git hashes, image digests, test
names, exception classes) are mixed in: they must come out intact.

    secret_corpus.py OUT.log OUT.json [--seed N] [--copies N]

writes the log and a manifest: {"secrets": [planted values], "keep": [lines that must stay],
"gaps": [planted values the redactor is known to leave, with the reason]}. detect-secrets flags
none of the gaps; they are listed so that the measurement says what it does not cover.
"""
import argparse
import base64
import json
import random
import re
import string

ALNUM = string.ascii_letters + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "_-"


class Gen:
    def __init__(self, rng):
        self.rng = rng
        self.secrets = []

    def s(self, alphabet, n):
        """A random string that mixes classes (so that it reads as random, as real keys do)."""
        while True:
            v = "".join(self.rng.choice(alphabet) for _ in range(n))
            classes = sum(any(c in cls for c in v) for cls in (string.ascii_lowercase, string.ascii_uppercase, string.digits))
            wanted = sum(any(c in cls for c in alphabet) for cls in (string.ascii_lowercase, string.ascii_uppercase, string.digits))
            if classes == wanted:
                return v

    def plant(self, value):
        self.secrets.append(value)
        return value

    def word(self):
        return self.rng.choice(["orders", "billing", "web", "api", "search", "payments", "users", "ledger"])


def kinds(g):
    """(kind, secret value) pairs; the value is what must disappear."""
    r = g.rng
    s = g.s
    aws_id = r.choice(["AKIA", "ASIA", "ABIA", "ACCA"]) + s(string.ascii_uppercase + "234567", 16)
    return [
        # detect-secrets plugins
        ("aws_access_key_id", aws_id),
        ("aws_secret_access_key", s(ALNUM + "/+", 40)),
        ("azure_storage_key", s(B64, 86) + "=="),
        ("basic_auth_url", s(ALNUM, 14)),
        ("artifactory", "AKC" + s(ALNUM, 70)),
        ("discord_bot_token", r.choice("MNO") + s(URLSAFE, 23) + "." + s(URLSAFE, 6) + "." + s(URLSAFE, 27)),
        ("github_pat_classic", r.choice(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]) + s(ALNUM, 36)),
        ("github_fine_grained", "github_pat_" + s(ALNUM, 22) + "_" + s(ALNUM, 59)),
        ("gitlab_pat", "glpat-" + s(URLSAFE, 20)),
        ("gitlab_runner", "glrt-" + s(URLSAFE, 20)),
        ("gitlab_runner_registration", "GR1348941" + s(URLSAFE, 20)),
        ("gitlab_ci_build", "glcbt-" + s(URLSAFE, 20)),
        ("jwt", "eyJ" + base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")[3:] + "."
         + base64.urlsafe_b64encode(json.dumps({"sub": s(ALNUM, 10), "iat": r.randint(10**9, 2 * 10**9)}).encode()).decode().rstrip("=")
         + "." + s(URLSAFE, 43)),
        ("mailchimp", s(HEX, 32) + "-us" + str(r.randint(1, 20))),
        ("npm_token", "npm_" + s(ALNUM, 36)),
        ("openai", "sk-" + s(ALNUM, 20) + "T3BlbkFJ" + s(ALNUM, 20)),
        ("openai_project", "sk-proj-" + s(URLSAFE, 48)),
        ("anthropic", "sk-ant-api03-" + s(URLSAFE, 93) + "AA"),
        ("pypi_token", "pypi-AgEIcHlwaS5vcmc" + s(URLSAFE, 72)),
        ("sendgrid", "SG." + s(URLSAFE, 22) + "." + s(URLSAFE, 43)),
        ("slack_bot", "xoxb-" + str(r.randint(10**10, 10**12)) + "-" + str(r.randint(10**10, 10**12)) + "-" + s(LOWER_ALNUM, 24)),
        ("slack_user", "xoxp-" + str(r.randint(10**10, 10**12)) + "-" + str(r.randint(10**10, 10**12)) + "-" + s(LOWER_ALNUM, 32)),
        ("slack_webhook", "https://hooks.slack.com/services/T" + s(UPPER_ALNUM, 8) + "/B" + s(UPPER_ALNUM, 8) + "/" + s(ALNUM, 24)),
        ("square_oauth", "sq0csp-" + s(URLSAFE, 43)),
        ("square_access", "sq0atp-" + s(URLSAFE, 22)),
        ("stripe_secret", "sk_live_" + s(ALNUM, 24)),
        ("stripe_restricted", "rk_live_" + s(ALNUM, 24)),
        ("stripe_webhook", "whsec_" + s(ALNUM, 32)),
        ("telegram_bot", str(r.randint(10**8, 10**9)) + ":" + "AA" + s(URLSAFE, 33)),
        ("twilio_api_key", "SK" + s(HEX, 32)),
        ("twilio_account_sid", "AC" + s(HEX, 32)),
        ("ibm_cloud_iam", s(URLSAFE, 44)),
        ("ibm_cos_hmac", s(HEX, 48)),
        ("cloudant_password", s(HEX, 64)),
        ("softlayer", s(LOWER_ALNUM, 64)),
        # gitleaks default rules: prefixed tokens
        ("google_api_key", "AIza" + s(URLSAFE, 35)),
        ("gcp_oauth_token", "ya29." + s(URLSAFE, 60)),
        ("shopify", r.choice(["shpat_", "shpss_", "shpca_", "shppa_"]) + s(HEX, 32)),
        ("digitalocean", r.choice(["dop_v1_", "doo_v1_", "dor_v1_"]) + s(HEX, 64)),
        ("databricks", "dapi" + s(HEX, 32)),
        ("huggingface", "hf_" + s(string.ascii_letters, 34)),
        ("linear", "lin_api_" + s(ALNUM, 40)),
        ("doppler", "dp.pt." + s(ALNUM, 43)),
        ("planetscale", "pscale_tkn_" + s(URLSAFE, 43)),
        ("postman", "PMAK-" + s(HEX, 24) + "-" + s(HEX, 34)),
        ("flutterwave", "FLWSECK_TEST-" + s(HEX, 32) + "-X"),
        ("dockerhub_pat", "dckr_pat_" + s(URLSAFE, 27)),
        ("sentry_org_token", "sntrys_" + s(ALNUM, 60)),
        ("sendinblue", "xkeysib-" + s(HEX, 64) + "-" + s(ALNUM, 16)),
        ("grafana_service_account", "glsa_" + s(ALNUM, 32) + "_" + s(HEX, 8)),
        ("pulumi", "pul-" + s(HEX, 40)),
        ("age_secret_key", "AGE-SECRET-KEY-1" + "".join(r.choice("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L") for _ in range(58))),
        ("alibaba_access_key", "LTAI" + s(ALNUM, 20)),
        ("vault_token", "hvs." + s(URLSAFE, 90)),
        ("rubygems", "rubygems_" + s(HEX, 48)),
        ("nuget", "oy2" + s(LOWER_ALNUM, 43)),
        ("circleci_pat", "CCIPAT_" + s(ALNUM, 22) + "_" + s(HEX, 40)),
        ("openshift_token", "sha256~" + s(URLSAFE, 43)),
        ("terraform_cloud", s(LOWER_ALNUM, 14) + ".atlasv1." + s(URLSAFE, 67)),
        ("atlassian", "ATATT3" + s(URLSAFE, 186)),
        ("newrelic_user_key", "NRAK-" + s(UPPER_ALNUM, 27)),
        ("dynatrace", "dt0c01." + s(UPPER_ALNUM, 24) + "." + s(UPPER_ALNUM, 64)),
        ("azure_ad_client_secret", s(ALNUM, 3) + str(r.randint(0, 9)) + "Q~" + s(ALNUM + "_~.-", 34)),
        # generic random values after secret-ish keys
        ("generic_hex_secret", s(HEX, 40)),
        ("generic_b64_secret", s(B64, 44)),
        ("generic_password", s(ALNUM + "!#%^*", 16)),
    ]


def keyname(kind):
    """A secret-ish key for a generic line, as a team would name its variable."""
    base = kind.upper().replace("-", "_")
    return base


def shapes(g, kind, value, i):
    """The log lines that carry `value`: one shape per kind, rotating, plus a fixed shape for
    the kinds that only make sense in one (URLs, headers, connection strings)."""
    r = g.rng
    w = g.word()
    if kind == "basic_auth_url":
        return [f"Cloning into 'app'... https://ci-bot:{value}@git.example.com/{w}/app.git"]
    if kind == "azure_storage_key":
        return [f"AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName={w}store;AccountKey={value};EndpointSuffix=core.windows.net"]
    if kind == "slack_webhook":
        return [f"notify: posting to {value}"]
    if kind == "mailchimp":
        return [f"MAILCHIMP_API_KEY={value}"]
    if kind == "cloudant_password":
        return [f"https://{w}-bluemix:{value}@{w}-bluemix.cloudant.com"]
    if kind == "softlayer":
        return [f"SOFTLAYER_API_KEY={value}"]
    if kind == "ibm_cos_hmac":
        return [f"cos_hmac_secret_access_key = {value}"]
    if kind == "ibm_cloud_iam":
        return [f"ibm_cloud_iam_api_key: {value}"]
    if kind in ("twilio_account_sid",):
        return [f"TWILIO_ACCOUNT_SID={value}"]
    if kind == "jwt":
        return [f"> GET /api/v1/{w} HTTP/1.1", f"> Authorization: Bearer {value}"]
    if kind == "generic_password":
        return [f"DB_PASS={value}", f"MYSQL_PWD='{value}' mysql -h db -u {w} {w}"]
    form = i % 9
    key = keyname(kind)
    if form == 0:  # env dump
        return [f"{key}={value}"]
    if form == 1:  # YAML
        return ["env:", f"  {key.lower()}: {value}"]
    if form == 2:  # JSON
        return [json.dumps({"level": "debug", "msg": "loaded config", key.lower(): value})]
    if form == 3:  # command line
        return [f"+ deploy --{key.lower().replace('_', '-')} {value} --namespace ci-{w}"]
    if form == 4:  # header
        return [f"> X-Api-Key: {value}"]
    if form == 5:  # quoted assignment in a script
        return [f"export {key}=\"{value}\""]
    if form == 6:  # bare token in a message
        return [f"error: request failed with credentials {value} (HTTP 401)"]
    if form == 7:  # URL query
        return [f"GET https://api.example.com/v2/{w}?access_token={value}&page=2 -> 403"]
    return [f'{{"name": "{key}", "value": "{value}"}}']


def multiline(g):
    """Secrets spread over lines."""
    r = g.rng
    s = g.s
    out = []
    block = [g.plant(s(B64, 64)) for _ in range(3)]
    out += ["config:", "  db_password: |"] + [f"    {b}" for b in block] + ["  user: app"]
    folded = g.plant(s(ALNUM, 48))
    out += ["  api_token: >-", f"    {folded}", "  region: eu-west-1"]
    pw = s(ALNUM, 18)
    b64pw = g.plant(base64.b64encode(pw.encode()).decode())
    tls = g.plant(base64.b64encode(s(ALNUM, 60).encode()).decode())
    out += ["apiVersion: v1", "data:", f"  password: {b64pw}", f"  tls.key: {tls}", "kind: Secret", "metadata:", f"  name: {g.word()}-db", "type: Opaque"]
    pw2 = s(ALNUM, 30)
    b64pw2 = g.plant(base64.b64encode(pw2.encode()).decode())
    out.append(json.dumps({"apiVersion": "v1", "kind": "Secret", "data": {"connection": b64pw2}}))
    nested = g.plant(s(ALNUM, 32))
    out += ["{", '  "client_secret":', f'    "{nested}"', "}"]
    # GCP service-account JSON, pretty-printed, with an escaped PEM key
    pem_body = "\\n".join(s(B64, 64) for _ in range(4))
    g.plant(pem_body.split("\\n")[0])
    out += ["{", '  "type": "service_account",', f'  "project_id": "{g.word()}-prod",',
            f'  "private_key_id": "{g.plant(s(HEX, 40))}",',
            f'  "private_key": "-----BEGIN PRIVATE KEY-----\\n{pem_body}\\n-----END PRIVATE KEY-----\\n",',
            f'  "client_email": "deployer@{g.word()}-prod.iam.gserviceaccount.com"', "}"]
    # a PEM block as it is
    lines = [s(B64, 64) for _ in range(5)]
    g.plant(lines[2])
    out += ["-----BEGIN RSA PRIVATE KEY-----"] + lines + ["-----END RSA PRIVATE KEY-----"]
    return out


KEEP = [
    "--- FAIL: TestCheckoutTokenRefresh (0.03s)",
    "--- PASS: TestPasswordHashing (0.01s)",
    "FAILED tests/test_auth.py::test_token_expiry_rejects_stale_session - AssertionError",
    "botocore.exceptions.NoCredentialsError: Unable to locate credentials",
    "jwt.exceptions.InvalidTokenError: Signature verification failed",
    "HEAD is now at 3f2a9c41b7d0e8f6a5c4b3a2918d7e6f5c4b3a29 Merge pull request #812",
    "Pulling image quay.io/org/app@sha256:9b2c7d1e4f6a8b0c2d4e6f8a0b1c3d5e7f9a1b2c3d4e5f6a7b8c9d0e1f2a3b4c",
    "error: secret \"db-credentials\" not found",
    "Error from server (Forbidden): secrets is forbidden: User \"system:serviceaccount:ci:builder\" cannot get resource \"secrets\"",
    "npm ERR! 401 Unauthorized - GET https://registry.npmjs.org/@org%2fpkg - authentication token not provided",
    "PWD=/workspace/source",
    "java.lang.IllegalStateException: keystore password was incorrect",
    "make: *** [Makefile:42: test] Error 2",
]


def corpus(seed, copies):
    rng = random.Random(seed)
    g = Gen(rng)
    lines = []
    for copy in range(copies):
        lines.append(f"===== step-deploy (copy {copy}) =====")
        for i, (kind, value) in enumerate(kinds(g)):
            g.plant(value)
            lines += shapes(g, kind, value, i + copy)
            if i % 7 == 0:
                lines.append(rng.choice(KEEP))
        lines += multiline(g)
        lines += KEEP
    gaps = []
    for value in g.secrets:
        runs = [r for r in re.split(r"[^A-Za-z0-9]", value) if r]
        longest = max(runs, key=len) if runs else ""
        if len(longest) in (32, 40, 64) and re.fullmatch(r"[0-9a-f]+", longest):
            gaps.append({"value": value, "reason": "hex at the length of an MD5, a commit id or a digest reads like an id"})
        elif re.fullmatch(r"[A-Za-z]+_[A-Za-z]+", value) or (value.startswith("dapi") and re.fullmatch(r"dapi[0-9a-f]{32}", value)):
            gaps.append({"value": value, "reason": "no digits (hf_) or hex without a separator (dapi): reads like a name or an id"})
        elif re.fullmatch(r"[A-Z]+-[A-Z0-9]{27}", value):
            gaps.append({"value": value, "reason": "27 capitals and digits: shorter than the 32 one-case characters a bare token needs"})
    for line in lines:
        if '"private_key_id"' in line:
            gaps.append({"value": line.split('"')[3], "reason": "a key's id (40 hex digits, like a commit id), not the key"})
    return lines, g.secrets, gaps


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log")
    ap.add_argument("manifest")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--copies", type=int, default=2)
    args = ap.parse_args()
    lines, secrets, gaps = corpus(args.seed, args.copies)
    with open(args.log, "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(args.manifest, "w") as f:
        json.dump({"kinds": len(kinds(Gen(random.Random(0)))), "secrets": secrets, "keep": KEEP, "gaps": gaps}, f, indent=1)


if __name__ == "__main__":
    main()
