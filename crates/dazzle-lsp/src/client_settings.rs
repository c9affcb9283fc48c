//! Settings the editor sends: rule severities, from `initializationOptions` (`{"rules": …}`)
//! and from `workspace/didChangeConfiguration` (`{"dazzle": {"rules": …}}` or `{"rules": …}`).
//! They apply on top of the project's `[tool.dazzle-lsp.severity]`.

use std::collections::HashMap;

use dazzle_analysis::diagnostics::{Diagnostic, Severity};
use serde_json::Value;

/// Severity overrides by code; `None` turns a code off.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct RuleOverrides(HashMap<String, Option<Severity>>);

impl RuleOverrides {
    /// Reads the `rules` object of a settings value: `None` when the settings do not mention
    /// rules (a client may send empty settings; the current rules then stay). Each rejected
    /// entry becomes a message.
    pub(crate) fn from_settings(settings: &Value) -> (Option<RuleOverrides>, Vec<String>) {
        let rules = settings.get("dazzle").unwrap_or(settings).get("rules");
        let mut overrides = HashMap::new();
        let mut problems = Vec::new();
        match rules {
            None | Some(Value::Null) => return (None, problems),
            Some(Value::Object(map)) => {
                for (code, value) in map {
                    match value.as_str().and_then(Severity::from_setting) {
                        Some(severity) => {
                            overrides.insert(code.clone(), severity);
                        }
                        None => problems.push(format!(
                            "dazzle.rules.{code}: expected \"error\", \"warning\", \"info\", \"hint\" or \"off\", got {value}"
                        )),
                    }
                }
            }
            Some(other) => problems.push(format!("dazzle.rules: expected an object of code → severity, got {other}")),
        }
        (Some(RuleOverrides(overrides)), problems)
    }

    /// Applies the overrides: codes turned off are dropped, the others get their severity.
    pub(crate) fn apply(&self, findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
        if self.0.is_empty() {
            return findings;
        }
        findings
            .into_iter()
            .filter_map(|mut d| match self.0.get(d.code) {
                Some(None) => None,
                Some(Some(severity)) => {
                    d.severity = *severity;
                    Some(d)
                }
                None => Some(d),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_both_shapes_and_reports_bad_entries() {
        let (a, problems) = RuleOverrides::from_settings(&json!({"rules": {"missing-audit": "error"}}));
        assert!(problems.is_empty());
        let (b, _) = RuleOverrides::from_settings(&json!({"dazzle": {"rules": {"missing-audit": "error"}}}));
        assert_eq!(a, b);
        assert_eq!(a.unwrap().0.get("missing-audit"), Some(&Some(Severity::Error)));

        let (c, problems) =
            RuleOverrides::from_settings(&json!({"rules": {"anti-turing": "off", "x": "loud", "y": 3}}));
        assert_eq!(c.unwrap().0.get("anti-turing"), Some(&None));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("dazzle.rules.x") && p.contains("\"loud\"")));

        let (_, problems) = RuleOverrides::from_settings(&json!({"rules": ["missing-audit"]}));
        assert_eq!(problems.len(), 1);
        // Settings without rules (Eglot sends `{}`) leave the current rules alone; an empty
        // object clears them.
        assert_eq!(RuleOverrides::from_settings(&json!(null)), (None, Vec::new()));
        assert_eq!(RuleOverrides::from_settings(&json!({})), (None, Vec::new()));
        assert_eq!(RuleOverrides::from_settings(&json!({"dazzle": {"trace": "off"}})), (None, Vec::new()));
        assert_eq!(RuleOverrides::from_settings(&json!({"rules": {}})), (Some(RuleOverrides::default()), Vec::new()));
    }
}
