module t.core
app t "T":
  security_profile: standard
#- file: dazzle.toml
[project]
root = "t.core"

# Positive: secrets in inline tables inside arrays, and literal keys in an array.
[auth]
oauth_providers = [{ name = "google", client_secret = "gsk-literal-1" }, { name = "gh", client_secret = "env:GH_SECRET" }]
api_keys = ["sk-live-abc", "env:SECOND_KEY"]

# Negative: this tool's own settings name rules, not secrets.
[tool.dazzle-lsp.severity]
secret-in-manifest = "error"
