//! `dazzle.toml`: the project's root module, module paths, and dazzle-lsp's own settings under
//! `[tool.dazzle-lsp]`. The caller reads the file; this module only interprets its text.

use dazzle_syntax::{Dialect, TextRange, TextSize};
use toml_edit::{Document, Item, Table, Value};

use crate::diagnostics::Severity;

/// What the analysis needs from `dazzle.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// `[project] name`
    pub name: Option<String>,
    /// `[project] root`: the root module's name.
    pub root: Option<String>,
    /// `[modules] paths`, relative to the project root (default `["./dsl"]`).
    pub module_paths: Vec<String>,
    /// `[tool.dazzle-lsp] dialect`
    pub dialect: Option<Dialect>,
    /// `[tool.dazzle-lsp.severity]`: code → severity (`None` = off); `disable = [...]` too.
    pub severities: Vec<(String, Option<Severity>)>,
    /// `[auth] provider` (`session`, `jwt`, `api_key`), when set.
    pub auth_provider: Option<String>,
    /// `[tool.dazzle-lsp.format] indent`: spaces per level (2 or 4).
    pub format_indent: Option<u32>,
    /// Where `[project] root` is written.
    pub root_range: Option<TextRange>,
    /// Literal secrets: the dotted key and the value's range (the value itself is never kept).
    pub secrets: Vec<(String, TextRange)>,
    /// Secret settings written `env:VARIABLE` where Dazzle does not resolve `env:` (anywhere but
    /// `[database] url`): the secret is that literal text.
    pub env_literals: Vec<(String, TextRange)>,
    /// Problems found in the manifest itself.
    pub diagnostics: Vec<ManifestDiagnostic>,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            name: None,
            root: None,
            module_paths: vec!["./dsl".to_owned()],
            dialect: None,
            severities: Vec::new(),
            auth_provider: None,
            format_indent: None,
            root_range: None,
            secrets: Vec::new(),
            env_literals: Vec::new(),
            diagnostics: Vec::new(),
        }
    }
}

/// A problem in `dazzle.toml`, located in its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestDiagnostic {
    /// Stable code.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// Where, in bytes of the manifest.
    pub range: TextRange,
}

impl Manifest {
    /// Interprets the text of a `dazzle.toml`. Never fails: problems become diagnostics and
    /// defaults apply.
    pub fn parse(text: &str) -> Manifest {
        let mut manifest = Manifest::default();
        let doc = match Document::parse(text) {
            Ok(doc) => doc,
            Err(err) => {
                let range = err.span().map_or(TextRange::empty(0.into()), |s| range(s.start, s.end));
                manifest.diagnostics.push(ManifestDiagnostic {
                    code: "invalid-manifest",
                    message: format!("dazzle.toml is not valid TOML: {}", err.message().trim()),
                    range,
                });
                return manifest;
            }
        };
        let root = doc.as_table();
        if let Some(project) = root.get("project").and_then(Item::as_table) {
            manifest.name = string(project, "name");
            manifest.root = string(project, "root");
            manifest.root_range = project.get("root").and_then(Item::span).map(|s| range(s.start, s.end));
        }
        find_secrets(root, "", &mut manifest.secrets, &mut manifest.env_literals);
        manifest.auth_provider = root.get("auth").and_then(Item::as_table).and_then(|a| string(a, "provider"));
        if let Some(paths) =
            root.get("modules").and_then(Item::as_table).and_then(|m| m.get("paths")).and_then(Item::as_array)
        {
            manifest.module_paths = paths.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
        }
        if let Some(tool) =
            root.get("tool").and_then(Item::as_table).and_then(|t| t.get("dazzle-lsp")).and_then(Item::as_table)
        {
            manifest.read_tool(tool);
        }
        manifest
    }

    /// `[tool.dazzle-lsp]`: `dialect`, `[tool.dazzle-lsp.severity]`, `disable` and
    /// `[tool.dazzle-lsp.format]`.
    fn read_tool(&mut self, tool: &Table) {
        let span = |item: &Item| item.span().map_or(TextRange::empty(0.into()), |s| range(s.start, s.end));
        if let Some(item) = tool.get("dialect") {
            match item.as_str().map(str::parse::<Dialect>) {
                Some(Ok(dialect)) => self.dialect = Some(dialect),
                Some(Err(message)) => {
                    self.diagnostics.push(ManifestDiagnostic { code: "invalid-manifest", message, range: span(item) })
                }
                None => {}
            }
        }
        if let Some(table) = tool.get("severity").and_then(Item::as_table_like) {
            for (code, item) in table.iter() {
                match item.as_str().and_then(Severity::from_setting) {
                    Some(severity) => self.severities.push((code.to_owned(), severity)),
                    None => self.diagnostics.push(ManifestDiagnostic {
                        code: "invalid-manifest",
                        message: format!(
                            "[tool.dazzle-lsp.severity] {code}: expected \"error\", \"warning\", \"info\", \"hint\" or \"off\""
                        ),
                        range: span(item),
                    }),
                }
            }
        }
        if let Some(item) = tool.get("format").and_then(Item::as_table_like).and_then(|f| f.get("indent")) {
            match item.as_integer() {
                Some(n @ (2 | 4)) => self.format_indent = Some(n as u32),
                _ => self.diagnostics.push(ManifestDiagnostic {
                    code: "invalid-manifest",
                    message: "[tool.dazzle-lsp.format] indent: expected 2 or 4".to_owned(),
                    range: span(item),
                }),
            }
        }
        if let Some(list) = tool.get("disable").and_then(Item::as_array) {
            self.severities.extend(list.iter().filter_map(Value::as_str).map(|c| (c.to_owned(), None)));
        }
    }

    /// The configured severity of `code`: `Some(None)` when it is turned off.
    pub fn severity_of(&self, code: &str) -> Option<Option<Severity>> {
        self.severities.iter().rev().find(|(c, _)| c == code).map(|(_, s)| *s)
    }
}

/// Keys whose values are credentials.
fn is_secret_key(key: &str) -> bool {
    let key = key.to_lowercase();
    // A public key is published by design.
    if key.contains("public") {
        return false;
    }
    ["password", "passwd", "secret", "token", "api_key", "apikey", "private_key", "access_key", "credential"]
        .iter()
        .any(|w| key.contains(w))
        || key.ends_with("_key")
}

/// Whether a URL carries a password (`scheme://user:password@host`).
fn url_has_password(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.rsplit_once('@').and_then(|(userinfo, _)| userinfo.split_once(':')).is_some_and(|(_, password)| {
        !password.is_empty() && !password.starts_with("env:") && !password.starts_with("${")
    })
}

/// Every literal secret in `table` (recursively: tables, arrays of tables, inline tables and
/// arrays, inline tables inside arrays too), by dotted key. `[tool.dazzle-lsp]` is skipped: it
/// configures this tool (rule names such as `secret-in-manifest` are not secrets).
fn find_secrets(table: &Table, prefix: &str, out: &mut Vec<Secret>, env: &mut Vec<Secret>) {
    for (key, item) in table.iter() {
        let path = if prefix.is_empty() { key.to_owned() } else { format!("{prefix}.{key}") };
        if path == "tool.dazzle-lsp" {
            continue;
        }
        if let Some(sub) = item.as_table() {
            find_secrets(sub, &path, out, env);
        } else if let Some(tables) = item.as_array_of_tables() {
            for (i, sub) in tables.iter().enumerate() {
                find_secrets(sub, &format!("{path}[{i}]"), out, env);
            }
        } else if let Some(value) = item.as_value() {
            value_secrets(key, value, &path, out, env);
        }
    }
}

/// A dotted key and the range of its value.
type Secret = (String, TextRange);

fn value_secrets(key: &str, value: &toml_edit::Value, path: &str, out: &mut Vec<Secret>, env: &mut Vec<Secret>) {
    if let Some(inline) = value.as_inline_table() {
        for (k, v) in inline.iter() {
            value_secrets(k, v, &format!("{path}.{k}"), out, env);
        }
        return;
    }
    if let Some(array) = value.as_array() {
        for (i, v) in array.iter().enumerate() {
            value_secrets(key, v, &format!("{path}[{i}]"), out, env);
        }
        return;
    }
    let Some(text) = value.as_str() else { return };
    let span = || value.span().map_or(TextRange::empty(0.into()), |s| range(s.start, s.end));
    if text.starts_with("env:") && path != "database.url" && is_secret_key(key) {
        env.push((path.to_owned(), span()));
        return;
    }
    // A number (`token_ttl = "3600"`) is a setting about a secret, not one.
    let numeric = text.chars().all(|c| c.is_ascii_digit());
    let indirect =
        text.is_empty() || text.starts_with("env:") || text.starts_with("${") || numeric || names_variable(key, text);
    if (!indirect && is_secret_key(key)) || url_has_password(text) {
        out.push((path.to_owned(), span()));
    }
}

/// `client_secret_env = "GOOGLE_CLIENT_SECRET"`: a key that names the environment variable
/// holding the secret, not the secret.
fn names_variable(key: &str, value: &str) -> bool {
    key.to_lowercase().ends_with("_env")
        && value.chars().next().is_some_and(|c| c.is_ascii_uppercase() || c == '_')
        && value.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn string(table: &Table, key: &str) -> Option<String> {
    table.get(key).and_then(Item::as_str).map(str::to_owned)
}

fn range(start: usize, end: usize) -> TextRange {
    let clamp = |n: usize| TextSize::try_from(n).unwrap_or(TextSize::new(u32::MAX));
    TextRange::new(clamp(start), clamp(end.max(start)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_root_paths_and_tool_settings() {
        let m = Manifest::parse(
            "[project]\nname = \"shop\"\nroot = \"shop.core\"\n[modules]\npaths = [\"./dsl\", \"./extra\"]\n\
             [tool.dazzle-lsp]\ndialect = \"0.112\"\n",
        );
        assert_eq!(m.root.as_deref(), Some("shop.core"));
        assert_eq!(m.module_paths, vec!["./dsl", "./extra"]);
        assert_eq!(m.dialect, Some(Dialect::V0_112));
        assert!(m.diagnostics.is_empty());
    }

    #[test]
    fn invalid_toml_is_a_located_diagnostic_with_defaults() {
        let m = Manifest::parse("[project\nroot = 1");
        assert_eq!(m.module_paths, vec!["./dsl"]);
        assert_eq!(m.diagnostics.len(), 1);
        assert!(m.diagnostics[0].message.starts_with("dazzle.toml is not valid TOML"));
    }

    #[test]
    fn finds_literal_secrets_without_keeping_them() {
        let text = "[database]\nurl = \"postgres://app:hunter2@db/prod\"\n[llm]\napi_key = \"sk-live-123\"\n\
                    token = \"env:LLM_TOKEN\"\n[auth]\nprovider = \"session\"\n";
        let m = Manifest::parse(text);
        let keys: Vec<&str> = m.secrets.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec!["database.url", "llm.api_key"]);
        let (_, range) = &m.secrets[1];
        assert_eq!(&text[usize::from(range.start())..usize::from(range.end())], "\"sk-live-123\"");
    }

    #[test]
    fn secrets_in_arrays_of_tables_and_inline_tables_but_not_variable_names() {
        let text = "[[auth.oauth_providers]]\nprovider = \"google\"\nclient_id_env = \"GOOGLE_CLIENT_ID\"\n\
                    client_secret_env = \"GOOGLE_CLIENT_SECRET\"\n[[auth.oauth_providers]]\nprovider = \"github\"\n\
                    client_secret = \"ghs_live\"\n[notifications]\nsmtp = { host = \"mail\", password = \"p4ss\" }\n\
                    token_env = \"not a variable name\"\n";
        let m = Manifest::parse(text);
        let keys: Vec<&str> = m.secrets.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            vec!["auth.oauth_providers[1].client_secret", "notifications.smtp.password", "notifications.token_env"]
        );
    }

    #[test]
    fn format_settings() {
        assert_eq!(Manifest::parse("[tool.dazzle-lsp.format]\nindent = 4\n").format_indent, Some(4));
        let bad = Manifest::parse("[tool.dazzle-lsp.format]\nindent = 3\n");
        assert_eq!(bad.format_indent, None);
        assert_eq!(bad.diagnostics[0].message, "[tool.dazzle-lsp.format] indent: expected 2 or 4");
    }

    #[test]
    fn severities_and_disabled_codes() {
        let m = Manifest::parse(
            "[tool.dazzle-lsp]\ndisable = [\"pii-field-unmarked\"]\n[tool.dazzle-lsp.severity]\nmissing-audit = \"error\"\n",
        );
        assert_eq!(m.severity_of("missing-audit"), Some(Some(Severity::Error)));
        assert_eq!(m.severity_of("pii-field-unmarked"), Some(None));
        assert_eq!(m.severity_of("anti-turing"), None);
    }
}
