module t.core
app t "T":
  security_profile: standard
#- file: dazzle.toml
[project]
root = "t.core"

# Negative: settings about secrets (a lifetime in seconds, a public key), and `env:` where Dazzle
# resolves it.
[auth]
token_ttl = "3600"
jwt_public_key = "ssh-ed25519 AAAAC3Nza"

[database]
url = "env:DATABASE_URL"

# Positive: `env:` is not resolved here, so the secret is the literal text `env:SESSION_SECRET`.
[session]
session_secret = "env:SESSION_SECRET"
